# timeout: 900
# Dumps stay resumable with 100,000 series: one labeled metric with 100,000
# series comes back completely, each series exactly once, over many
# messages (the metric's definition repeated in each), through raw netlink,
# libbcmon (bcmonctl --json) and debugfs; old readers (no READ_FLAGS) get
# the set without its labeled metric.
. /opt/bcmon/lib.sh
unload_bcmon
insmod "$BCMON_KO" max_series=100000
N=100000
bcmonctl create big "n:counter:labels=peer" plain:counter
bcmonctl add big plain 3
t0=$(date +%s)
bcmon-labeltest series big n $N 64 || fail "creating $N series"
note "$N series created in $(( $(date +%s) - t0 )) s; $(bcmonctl --json status | jq .memory_used) bytes"
# Values i % 7 + 1: their sum is known.
sum=$(awk -v n=$N 'BEGIN { s = 0; for (i = 0; i < n; i++) s += i % 7 + 1; print s }')
out=$(bcmon-labeltest dumpcheck big n $N "$sum") || fail "raw dump: $out"
note "$out"
parts=$(echo "$out" | sed 's/^dumpcheck: \([0-9]*\) messages.*/\1/')
[ "$parts" -ge 100 ] || fail "100,000 series in only $parts messages?"
t0=$(date +%s)
bcmonctl --json show big >/tmp/big.json
note "bcmonctl read them in $(( $(date +%s) - t0 )) s"
# One pass of jq over the 6 MB: series, count, values, distinct labels, the
# unlabeled metric after the labeled one.
got=$(jq -r '[(.metrics[0].series | length), .metrics[0].series_count,
	([.metrics[0].series[].value] | add),
	([.metrics[0].series[].labels.peer] | unique | length), .metrics[1].value] |
	map(tostring) | join(" ")' /tmp/big.json)
assert_eq "$N $N $sum $N 3" "$got" "libbcmon merged every part: series, count, values, each once, the metric after"
rm -f /tmp/big.json
assert_eq $((N + 3)) "$(wc -l </sys/kernel/debug/bcmon/sets/big)" "debugfs lists every series"
# A reader that did not ask for series (every reader before labels).
out=$(bcmon-setstest dump 1) || fail "old-style dump: $out"
note "$out"
# A second complete dump after the readers above: nothing they did left the
# set or the dump state behind.
rc=0; bcmon-labeltest dumpcheck big n $N >/dev/null || rc=$?
assert_eq 0 "$rc" "dump again"
bcmonctl destroy big
unload_bcmon
