# timeout: 1200
# 100,000 random and mutated messages to the bcmon family: every one is
# answered, no kernel splat (the harness scans the console), and the module
# still works and unloads afterwards.
. /opt/bcmon/lib.sh
load_bcmon
bcmonctl create fz c:counter g:gauge "h:histogram:bounds=1,5,10,50"
bcmon-setstest fuzz 100000 ${FUZZ_SEED:-1} || fail "fuzzer"
# The set still answers and can be written and read.
bcmonctl add fz c 1
bcmonctl --json show fz >/dev/null || fail "set readable after fuzzing"
for s in $(bcmonctl --json sets | grep -o '"name":"[a-z0-9_]*","owner_uid' | sed 's/"name":"\([^"]*\)".*/\1/'); do
	bcmonctl destroy "$s"
done
assert_contains "$(bcmonctl --json status)" '"sets":0,' "every set destroyed"
unload_bcmon
