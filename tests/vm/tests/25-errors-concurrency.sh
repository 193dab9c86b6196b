# Error events from both vCPUs at once while others read: the totals come
# out exact, every dump is in order, and the ring keeps exactly its size.
. /opt/bcmon/lib.sh
unload_bcmon
insmod "$BCMON_KO" error_ring_size=64
T=/tmp/cc.$$; mkdir -p $T
N=150

writer() {	# writer CATEGORY CPU
	i=0
	while [ $i -lt $N ]; do
		taskset -c $2 bcmonctl error $1 warning "w$2 $i" || { echo fail >$T/fail.$1; return; }
		i=$((i + 1))
	done
}
reader() {
	i=0
	while [ ! -e $T/stop ]; do
		bcmonctl --json errors >$T/dump.$i || { echo fail >$T/fail.reader; return; }
		i=$((i + 1))
	done
	echo $i >$T/dumps
}
writer network 0 & W1=$!
writer gaming 1 & W2=$!
reader & R=$!
wait $W1 $W2
touch $T/stop
wait $R
[ ! -e $T/fail.network ] && [ ! -e $T/fail.gaming ] && [ ! -e $T/fail.reader ] || fail "a client failed"

json=$(bcmonctl --json errors)
assert_eq $N "$(echo "$json" | jq '.totals[] | select(.category=="network" and .severity=="warning") | .count')" "network total"
assert_eq $N "$(echo "$json" | jq '.totals[] | select(.category=="gaming" and .severity=="warning") | .count')" "gaming total"
assert_eq 64 "$(echo "$json" | jq '.events | length')" "ring holds its size"
assert_eq $((2 * N - 63)) "$(echo "$json" | jq '.events[0].seq')" "oldest kept"
# Every dump taken meanwhile: seq strictly increasing; a gap only when
# the dump says it was interrupted.
# One jq over all dumps: starting jq per dump costs a minute under TCG.
verdict=$(jq -s 'map([.events[].seq] as $s
	| { ordered: ([range(1; $s | length) | $s[.] > $s[. - 1]] | all),
	    dense: (($s | length) == 0 or ($s[-1] - $s[0] + 1 == ($s | length))),
	    interrupted: (.interrupted == true) })
	| "\(map(select((.ordered | not) or ((.dense | not) and (.interrupted | not)))) | length) \(map(select(.dense | not)) | length)"' \
	-r $T/dump.*)
bad=${verdict% *} intr=${verdict#* }
assert_eq 0 "$bad" "out-of-order or unflagged gaps in concurrent dumps"
note "$(cat $T/dumps) dumps during $((2 * N)) concurrent records, $intr with a flagged gap"
rmmod bcmon
rm -rf $T
