# timeout: 1200
# 100,000 random and mutated messages (labeled ones included) to the bcmon family: every one is
# answered, no kernel splat (the harness scans the console), and the module
# still works and unloads afterwards.
. /opt/bcmon/lib.sh
load_bcmon
bcmonctl create fz c:counter g:gauge "h:histogram:bounds=1,5,10,50"
# Labeled metrics too: the fuzzer sends them valid, mutated and random
# updates, creates and series deletions.
bcmonctl create fzl "lc:counter:labels=peer" "lh:histogram:bounds=1,5,10,50:labels=peer"
bcmon-setstest fuzz 100000 ${FUZZ_SEED:-1} || fail "fuzzer"
# The set still answers and can be written and read.
bcmonctl add fz c 1
bcmonctl --json show fz >/dev/null || fail "set readable after fuzzing"
# (the fuzzer may have destroyed fzl and made it again with other metrics)
cat /sys/kernel/debug/bcmon/sets/fzl >/dev/null 2>&1 || true
bcmonctl destroy fzl 2>/dev/null || true
bcmonctl create fzl "lc:counter:labels=peer"
bcmonctl add fzl lc 1 peer=after
bcmonctl --json show fzl | jq -e '.metrics[0].series | map(select(.labels.peer == "after")) | length == 1' \
	>/dev/null || fail "labeled set usable after fuzzing"
cat /sys/kernel/debug/bcmon/sets/fzl >/dev/null || fail "debugfs of the labeled set"
for s in $(bcmonctl --json sets | grep -o '"name":"[a-z0-9_]*","owner_uid' | sed 's/"name":"\([^"]*\)".*/\1/'); do
	bcmonctl destroy "$s"
done
assert_contains "$(bcmonctl --json status)" '"sets":0,' "every set destroyed"
unload_bcmon
