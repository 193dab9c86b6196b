# timeout: 600
# Resumable dumps: thousands of sets come back completely across many
# messages, and one set too large for a message is split and merged.
. /opt/bcmon/lib.sh

# A small dump ends in the buffer of its last part: its NLMSG_DONE comes in
# the same read as its data (one read per dump, not two). A fresh module:
# an error ring filled by earlier tests may need more than one read.
unload_bcmon
load_bcmon
bcmon-setstest many create d 2 || fail "creating 2 sets"
out=$(bcmon-setstest dgrams) || fail "dumps: $out"
note "reads/messages: $out"
for d in sets errors sensors; do
	reads=$(echo "$out" | sed -n "s/.*$d=\([0-9]*\)\/.*/\1/p")
	assert_eq 1 "$reads" "reads of the $d dump"
done
assert_contains "$out" "sets=1/2" "both sets in that read"
bcmon-setstest many destroy d 2 || fail "destroying 2 sets"

# 2000 sets of 3 metrics (counter c, gauge g, histogram h with 3 bounds).
bcmon-setstest many create s 2000 || fail "creating 2000 sets"
bcmonctl add s1999 c 11
n=$(bcmonctl sets | tail -n +2 | wc -l)
assert_eq 2000 "$n" "sets listed"
json=$(bcmonctl --json sets)
assert_eq 2000 "$(echo "$json" | grep -o '"owner_uid"' | wc -l)" "sets in json dump"
assert_eq 6000 "$(echo "$json" | grep -o '"kind"' | wc -l)" "metrics in json dump"
assert_contains "$json" '{"name":"s1999","owner_uid":0,"metrics":[{"name":"c","kind":"counter","unit":"","scale":0,"help":"","value":11}' "last set complete"
out=$(bcmon-setstest dump 1)
note "$out"
parts=$(echo "$out" | sed 's/.* \([0-9]*\) messages.*/\1/')
[ "$parts" -ge 2000 ] || fail "one message per set expected, got $parts"
reads=$(echo "$out" | sed 's/.* \([0-9]*\) datagrams.*/\1/')
[ "$reads" -ge 2 ] && [ "$reads" -lt "$parts" ] || fail "2000 sets in $reads reads of $parts messages"
bcmon-setstest many destroy s 2000 || fail "destroying 2000 sets"
assert_contains "$(bcmonctl --json status)" '"sets":0,' "all gone"

# One set of 200 histograms with 64 bounds each (~500 KiB of attributes):
# the dump splits it; the reader merges the parts.
unload_bcmon
insmod "$BCMON_KO" max_buckets=64
bcmon-setstest bigset big 200 || fail "big set"
bcmonctl observe big h0 5 h199 650 h199 100000
json=$(bcmonctl --json show big)
assert_eq 200 "$(echo "$json" | grep -o '"kind":"histogram"' | wc -l)" "all metrics of the big set"
assert_contains "$json" '"name":"h199","kind":"histogram","unit":"","scale":0,"help":"","count":2,"sum":100650' "last metric values"
out=$(bcmon-setstest dump 1)
note "$out"
parts=$(echo "$out" | sed 's/.* \([0-9]*\) messages.*/\1/')
[ "$parts" -ge 2 ] || fail "big set not split: $parts messages"
# The single-message GET refuses it with a pointer to the dump.
rc=0; bcmonctl show big >/dev/null || rc=$?
assert_eq 0 "$rc" "bcmonctl show uses the dump"
bcmonctl destroy big
unload_bcmon
