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
json=$(bcmonctl --json show big)
note "bcmonctl read them in $(( $(date +%s) - t0 )) s"
assert_eq "$N" "$(echo "$json" | jq '.metrics[0].series | length')" "libbcmon merged every part"
assert_eq "$N" "$(echo "$json" | jq '.metrics[0].series_count')" "series count"
assert_eq "$sum" "$(echo "$json" | jq '[.metrics[0].series[].value] | add')" "values"
assert_eq "$N" "$(echo "$json" | jq '[.metrics[0].series[].labels.peer] | unique | length')" "each once"
assert_eq 3 "$(echo "$json" | jq '.metrics[1].value')" "the unlabeled metric after it"
assert_eq $((N + 3)) "$(wc -l </sys/kernel/debug/bcmon/sets/big)" "debugfs lists every series"
# A reader that did not ask for series (every reader before labels).
out=$(bcmon-setstest dump 1) || fail "old-style dump: $out"
note "$out"
# The single-message GET refuses what does not fit, pointing at the dump.
rc=0; bcmon-labeltest dumpcheck big n $N >/dev/null || rc=$?
assert_eq 0 "$rc" "dump again"
bcmonctl destroy big
unload_bcmon
