# bcmon-sim records a consistent picture of what it simulated through
# libbcmon: every decided round is one latency observation, every accepted
# round one dice roll; --loaded-dice skews the totals; netem delay on lo
# moves the consensus latency; peers are linked and errors are recorded.
# timeout: 200
. /opt/bcmon/lib.sh
load_bcmon

metric() {	# metric SET NAME: value (counter/gauge) or count (histogram)
	bcmonctl --json show "$1" | jq -r --arg m "$2" \
		'.metrics[] | select(.name == $m) | if .kind == "histogram" then .count else .value end'
}
dice_total() {
	bcmonctl --json show dice | jq '[.metrics[].value] | add'
}

# --- a fair run ------------------------------------------------------------
bcmon-sim --duration 4 --peers 4 --ports 7000,7001 --error-rate 5 --keep-sets --seed 1 -v
made=$(metric consensus proposals_made)
acc=$(metric consensus proposals_accepted)
rej=$(metric consensus proposals_rejected)
obs=$(metric consensus latency)
note "made $made accepted $acc rejected $rej observed $obs"
[ "$made" -ge 20 ] || fail "only $made proposals in 4 s at 10 rounds/s"
[ "$acc" -gt 0 ] || fail "no round accepted"
# The last round may still be in flight when the run stops.
[ $((made - acc - rej)) -le 1 ] || fail "made $made != accepted $acc + rejected $rej (+1)"
assert_eq "$((acc + rej))" "$obs" "one latency observation per decided round"
assert_eq "$acc" "$(dice_total)" "one dice roll per accepted round"
bcmonctl --json show consensus | jq -e '.metrics[] | select(.name == "latency") |
	.unit == "seconds" and .scale == -6 and
	([.buckets[].upper_bound] | .[0:7]) == [1000,5000,10000,50000,100000,500000,1000000]' >/dev/null ||
	fail "latency histogram is not the seed's 1..1000 ms layout in microseconds"
assert_eq 6 "$(metric peers connected)" "4 peers are 6 links"
bets=$(metric gaming bets)
games=$(metric gaming games)
vol=$(metric gaming volume)
[ "$bets" -ge "$games" ] || fail "$games games but only $bets bets"
[ "$vol" -ge $((5 * bets)) ] || fail "volume $vol below the 5-chip minimum bet x $bets"
[ "$(metric gaming active_games)" -le 3 ] || fail "more games open than tables"
n=$(bcmonctl --json errors | jq '.events | length')
[ "$n" -ge 3 ] || fail "only $n error events at 5 per second for 4 s"

# Without --keep-sets the simulator removes its sets.
bcmonctl destroy consensus; bcmonctl destroy gaming; bcmonctl destroy dice; bcmonctl destroy peers
bcmon-sim --duration 1
if bcmonctl sets | grep -qE '^(consensus|gaming|dice|peers) '; then fail "sets left behind"; fi

# --- loaded dice: 12 needs two sixes; fair 1/36, loaded about 1/4 ------------
# The exporter's fairness test (2d6 weights, as packaging/exporter.yml,
# over an 8 s window here) runs beside the simulator and sees it: the
# p-value collapses within one window. The test needs every expected count
# in the window to be at least 5 (180 rolls), so rounds run every 20 ms.
cat >/tmp/dice.yml <<EOF
distributions:
  - set: dice
    window: 8s
    expected: {rolls_2: 1, rolls_3: 2, rolls_4: 3, rolls_5: 4, rolls_6: 5, rolls_7: 6,
               rolls_8: 5, rolls_9: 4, rolls_10: 3, rolls_11: 2, rolls_12: 1}
EOF
bcmon-exporter --config.file=/tmp/dice.yml --web.listen-address=127.0.0.1:9477 \
	--no-collector.bpf >/tmp/exporter.log 2>&1 &
exporter=$!
bcmon-sim --duration 14 --round-ms 20 --loaded-dice --keep-sets --seed 2 &
sim=$!
# First scrape once the set exists: the window's start.
n=0
until curl -fs -o /tmp/scrape.txt http://127.0.0.1:9477/metrics &&
	grep -q '^bitcraps_distribution_test_skipped{set="dice",reason="window_filling"} 1' /tmp/scrape.txt; do
	n=$((n + 1)); [ $n -lt 50 ] || fail "no fairness history started"; sleep 0.1
done
sleep 9
curl -fs -o /tmp/scrape.txt http://127.0.0.1:9477/metrics || fail "scrape"
wait $sim || fail "simulator failed"
kill $exporter; wait $exporter || true
twelve=$(metric dice rolls_12)
all=$(dice_total)
note "loaded: $twelve twelves in $all rolls"
[ "$all" -ge 20 ] || fail "only $all rolls"
[ $((twelve * 100 / all)) -ge 12 ] || fail "loaded dice rolled 12 only $twelve of $all times"
p=$(sed -n 's/^bitcraps_distribution_p_value{set="dice"} //p' /tmp/scrape.txt)
n=$(sed -n 's/^bitcraps_distribution_observations{set="dice"} //p' /tmp/scrape.txt)
w=$(sed -n 's/^bitcraps_distribution_window_seconds{set="dice"} //p' /tmp/scrape.txt)
note "exporter: p-value $p over $n rolls in the last $w s"
[ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -lt "$all" ] || fail "the test covers $n of $all rolls: not a window"
awk -v p="$p" 'BEGIN { exit !(p != "" && p < 0.001) }' || fail "loaded dice p-value $p is not below 0.001"
for s in consensus gaming dice peers; do bcmonctl destroy $s; done

# --- netem delay on lo: every round needs proposal + vote, 2 x 10 ms -------
# (the host's tc from host-tools.list: busybox prefers its own applet)
if modprobe sch_netem 2>/dev/null &&
	/usr/local/bin/tc qdisc add dev lo root netem delay 10ms; then
	bcmon-sim --duration 4 --keep-sets --seed 3
	/usr/local/bin/tc qdisc del dev lo root
	fast=$(bcmonctl --json show consensus | jq '.metrics[] | select(.name == "latency") |
		[.buckets[] | select(.upper_bound != "+Inf" and .upper_bound <= 10000) | .count] | add')
	total=$(metric consensus latency)
	note "netem 10 ms: $fast of $total rounds within 10 ms"
	[ "$total" -gt 5 ] || fail "only $total rounds under netem"
	assert_eq 0 "$fast" "no round can be faster than two 10 ms hops"
	for s in consensus gaming dice peers; do bcmonctl destroy $s; done
else
	note "sch_netem unavailable: delay check skipped"
fi

# Bad usage is exit status 2, a missing module 1.
expect_fail bcmon-sim --peers 99
unload_bcmon
set +e
bcmon-sim --duration 1 2>/dev/null
rc=$?
set -e
assert_eq 1 "$rc" "exit status without the module"
