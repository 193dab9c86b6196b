# bcmon-exporter with the module and the probes: both formats, promtool
# clean, values equal what bcmonctl reports, histogram rules, dice
# chi-square, network counters from the probes, watched ports that follow
# a reload (and a failure to set them reported as one), and the exporter
# keeps serving while the module is unloaded and loaded again.
# timeout: 600
. /opt/bcmon/lib.sh
. "$(dirname "$0")/exporter-lib.sh.inc"
load_bcmon

bcmonctl create node "bets:counter:help=Bets placed" players:gauge \
	"round_latency:histogram:unit=seconds:scale=-3:bounds=1,5,10,50,100,500,1000:help=Consensus round latency" \
	"volume:counter:unit=bytes:scale=3"
bcmonctl add node bets 40 bets 2 volume 7
bcmonctl set node players -3
bcmonctl observe node round_latency 0 round_latency 3 round_latency 7 \
	round_latency 7 round_latency 2000 round_latency 120
# Dice, rolled once the exporter's fairness window has a start (below).
bcmonctl create dice rolls_2:counter rolls_3:counter rolls_4:counter rolls_5:counter \
	rolls_6:counter rolls_7:counter rolls_8:counter rolls_9:counter rolls_10:counter \
	rolls_11:counter rolls_12:counter
bcmonctl error network error "peer timed out"
bcmonctl error network error "peer timed out again"
bcmonctl error consensus critical "round stalled"

cat >/tmp/exporter.yml <<YAML
watched_ports: [7000]
distributions:
  - set: dice
    window: 2s
    expected: {rolls_2: 1, rolls_3: 2, rolls_4: 3, rolls_5: 4, rolls_6: 5, rolls_7: 6,
               rolls_8: 5, rolls_9: 4, rolls_10: 3, rolls_11: 2, rolls_12: 1}
YAML
exporter_start --config.file=/tmp/exporter.yml
bcmon-netpeer pingpong tcp 7000 50 64 >/dev/null

M=/tmp/m.txt
# The fairness test covers the change of the counters over its window (2 s
# here): the first scrape starts the history and has no test yet.
scrape "$M"
assert_eq 1 "$(value "$M" 'bitcraps_distribution_test_skipped{set="dice",reason="window_filling"}')" "window filling"
assert_eq missing "$(value "$M" 'bitcraps_distribution_p_value{set="dice"}')" "no p-value yet"
# A fair-looking die: counts exactly proportional to the 2d6 weights.
bcmonctl add dice rolls_2 10 rolls_3 20 rolls_4 30 rolls_5 40 rolls_6 50 rolls_7 60 \
	rolls_8 50 rolls_9 40 rolls_10 30 rolls_11 20 rolls_12 10
sleep 2.2
scrape "$M"
promtool_clean "$M"
assert_eq 1 "$(value "$M" 'bitcraps_scrape_collector_success{collector="kmod"}')" "kmod success"
assert_eq 1 "$(value "$M" 'bitcraps_scrape_collector_success{collector="bpf"}')" "bpf success"
assert_eq 1 "$(value "$M" 'bitcraps_scrape_collector_success{collector="proc"}')" "proc success"
assert_eq 1 "$(value "$M" "bitcraps_module_info{version=\"$(cat /opt/bcmon/VERSION)\"}")" "module info"

# Counter sets, in base units, equal to what bcmonctl reads.
json=$(bcmonctl --json show node)
assert_contains "$json" '"name":"bets","kind":"counter"' "bcmonctl sees bets"
assert_eq 42 "$(value "$M" bitcraps_node_bets_total)" "bets counter"
assert_eq -3 "$(value "$M" bitcraps_node_players)" "players gauge"
assert_eq 7000 "$(value "$M" bitcraps_node_volume_bytes_total)" "kilobytes scaled to bytes"
grep -qx '# HELP bitcraps_node_bets_total Bets placed' "$M" || fail "set help text"
h=bitcraps_node_round_latency_seconds
assert_eq 1 "$(value "$M" "${h}_bucket{le=\"0.001\"}")" "le 1 ms"
assert_eq 2 "$(value "$M" "${h}_bucket{le=\"0.005\"}")" "le 5 ms"
assert_eq 4 "$(value "$M" "${h}_bucket{le=\"0.01\"}")" "le 10 ms"
assert_eq 4 "$(value "$M" "${h}_bucket{le=\"0.1\"}")" "le 100 ms"
assert_eq 5 "$(value "$M" "${h}_bucket{le=\"0.5\"}")" "le 500 ms"
assert_eq 5 "$(value "$M" "${h}_bucket{le=\"1\"}")" "le 1 s"
assert_eq 6 "$(value "$M" "${h}_bucket{le=\"+Inf\"}")" "+Inf"
assert_eq 6 "$(value "$M" "${h}_count")" "count"
assert_eq 2.137 "$(value "$M" "${h}_sum")" "sum in seconds"
histograms_consistent "$M"

# Error totals equal bcmonctl's.
assert_eq 2 "$(value "$M" 'bitcraps_errors_total{category="network",severity="error"}')" "network errors"
assert_eq 1 "$(value "$M" 'bitcraps_errors_total{category="consensus",severity="critical"}')" "consensus"
assert_eq 0 "$(value "$M" 'bitcraps_errors_total{category="gaming",severity="info"}')" "gaming"
bcmonctl errors | grep -q 'network' || fail "bcmonctl errors lists nothing"

# Dice: counts proportional to the expected weights give chi-square 0, p 1.
assert_eq 0 "$(value "$M" 'bitcraps_distribution_chi_square{set="dice"}')" "chi-square"
assert_eq 10 "$(value "$M" 'bitcraps_distribution_degrees_of_freedom{set="dice"}')" "dof"
assert_eq 1 "$(value "$M" 'bitcraps_distribution_p_value{set="dice"}')" "p-value"
assert_eq 360 "$(value "$M" 'bitcraps_distribution_observations{set="dice"}')" "observations"
assert_eq missing "$(value "$M" 'bitcraps_distribution_test_skipped{set="dice",reason="window_filling"}')" "tested now"
bcmonctl add dice rolls_12 300	# loaded towards 12
scrape "$M"	# within 2 s of the previous: the same window start
p=$(value "$M" 'bitcraps_distribution_p_value{set="dice"}')
awk -v p="$p" 'BEGIN { exit !(p < 1e-6) }' || fail "loaded dice p-value $p"

# Network: the probes saw the ping-pong on the watched port.
sent=$(value "$M" 'bitcraps_network_messages_sent_total{proto="tcp",port="7000"}')
[ "$sent" -ge 100 ] || fail "tcp/7000 sent $sent, want >= 100"
rtt=$(value "$M" 'bitcraps_network_tcp_rtt_seconds_count{port="7000"}')
[ "$rtt" -ge 50 ] || fail "tcp/7000 rtt samples $rtt"

# OpenMetrics.
curl -fsS -H 'Accept: application/openmetrics-text; version=1.0.0' -D /tmp/h -o /tmp/om.txt "$URL/metrics"
grep -qi 'content-type: application/openmetrics-text; version=1.0.0' /tmp/h || fail "OM content type"
assert_eq "# EOF" "$(tail -n 1 /tmp/om.txt)" "OM ends with # EOF"
grep -qx '# TYPE bitcraps_node_bets counter' /tmp/om.txt || fail "OM counter family"
grep -q '^bitcraps_node_bets_total 42$' /tmp/om.txt || fail "OM counter sample"
grep -q "^${h}_bucket{le=\"1.0\"} 5$" /tmp/om.txt || fail "OM canonical le"

# SIGHUP with new watched ports: the probes follow without a reload.
sed -i 's/watched_ports: \[7000\]/watched_ports: [7100]/' /tmp/exporter.yml
kill -HUP "$EXPORTER_PID"
n=0
until grep -q 'configuration reloaded' "$EXPORTER_LOG"; do
	n=$((n + 1)); [ $n -lt 50 ] || fail "reload not logged"; sleep 0.1
done
scrape "$M"	# the scrape applies the new port set
bcmon-netpeer pingpong tcp 7100 20 64 >/dev/null
scrape "$M"
sent=$(value "$M" 'bitcraps_network_messages_sent_total{proto="tcp",port="7100"}')
[ "$sent" != missing ] && [ "$sent" -ge 40 ] || fail "tcp/7100 after reload: $sent"

# New watched ports the probes refuse: the bpf collector fails with the
# reason, scrape after scrape (it was reported as a success). A frozen
# map refuses every update and delete from a system call (BPF_MAP_FREEZE,
# EPERM), so the change fails at its first step and the old port stays
# watched; a failure part way through would leave part of the change in
# effect until a later scrape completes it (bcmon_net_set_ports).
before=$sent
bpftool -j map show >/tmp/maps.json || fail "bpftool map show"
ids=$(jq -r '.[] | select(.name == "ports") | .id' /tmp/maps.json)
[ -n "$ids" ] || fail "no ports map loaded: $(jq -c '[.[].name]' /tmp/maps.json)"
for id in $ids; do bpftool map freeze id "$id" || fail "cannot freeze map $id"; done
sed -i 's/watched_ports: \[7100\]/watched_ports: [7200]/' /tmp/exporter.yml
kill -HUP "$EXPORTER_PID"
n=0
until [ "$(grep -c 'configuration reloaded' "$EXPORTER_LOG")" -ge 2 ]; do
	n=$((n + 1)); [ $n -lt 50 ] || fail "second reload not logged"; sleep 0.1
done
for i in 1 2; do
	scrape "$M"
	assert_eq 0 "$(value "$M" 'bitcraps_scrape_collector_success{collector="bpf"}')" \
		"bpf success with refused ports (scrape $i)"
done
grep -q 'collector name=bpf failed: setting watched ports: Operation not permitted' "$EXPORTER_LOG" ||
	{ tail -n 20 "$EXPORTER_LOG"; fail "the refused ports are not logged with their reason"; }
bcmon-netpeer pingpong tcp 7100 20 64 >/dev/null
bcmon-netpeer pingpong tcp 7200 20 64 >/dev/null
scrape "$M"
sent=$(value "$M" 'bitcraps_network_messages_sent_total{proto="tcp",port="7100"}')
[ "$sent" != missing ] && [ "$sent" -gt "$before" ] ||
	fail "tcp/7100 (still watched) after refused ports: $sent sends, $before before"
assert_eq missing "$(value "$M" 'bitcraps_network_messages_sent_total{proto="tcp",port="7200"}')" \
	"tcp/7200 (refused) is not watched"

# Module unloaded under a running exporter: kmod fails, the rest serves.
rmmod bcmon
scrape "$M"
assert_eq 0 "$(value "$M" 'bitcraps_scrape_collector_success{collector="kmod"}')" "kmod after rmmod"
assert_eq 1 "$(value "$M" 'bitcraps_scrape_collector_success{collector="proc"}')" "proc after rmmod"
! grep -q '^bitcraps_errors_total' "$M" || fail "stale kmod values after rmmod"
promtool_clean "$M"
load_bcmon
bcmonctl error gaming warning "after reload"
scrape "$M"
assert_eq 1 "$(value "$M" 'bitcraps_scrape_collector_success{collector="kmod"}')" "kmod after reload"
assert_eq 1 "$(value "$M" 'bitcraps_errors_total{category="gaming",severity="warning"}')" "fresh module"
exporter_stop
