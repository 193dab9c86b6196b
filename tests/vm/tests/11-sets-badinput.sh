# Bad input to the counter-set commands: each refused with the expected
# errno and an extack message (bcmon-setstest checks both), a refused
# batch applies nothing, module limits answer with a clear error, and
# bcmonctl exits 2 on usage errors and 1 on refusals.
. /opt/bcmon/lib.sh
load_bcmon

bcmon-setstest badinput || fail "bad input cases"

# bt_exists.c was in a batch that also named an unknown metric: still 0.
assert_contains "$(bcmonctl --json show bt_exists)" \
	'"name":"c","kind":"counter","unit":"","scale":0,"help":"","value":0' \
	"a rejected batch applied nothing"
bcmonctl destroy bt_exists

# bcmonctl: usage errors exit 2, refusals exit 1 with the kernel's reason.
rc=0; bcmonctl create 2>/dev/null || rc=$?; assert_eq 2 "$rc" "create without args"
rc=0; bcmonctl create s x:nokind 2>/dev/null || rc=$?; assert_eq 2 "$rc" "unknown kind"
rc=0; bcmonctl add s m notanumber 2>/dev/null || rc=$?; assert_eq 2 "$rc" "bad value"
rc=0; bcmonctl frobnicate 2>/dev/null || rc=$?; assert_eq 2 "$rc" "unknown command"
rc=0; out=$(bcmonctl destroy nothere 2>&1) || rc=$?
assert_eq 1 "$rc" "destroy unknown"
assert_contains "$out" "no set with this name" "extack text reaches bcmonctl"
rc=0; out=$(bcmonctl create "Bad" c:counter 2>&1) || rc=$?
assert_eq 1 "$rc" "invalid name"
assert_contains "$out" "set name must match" "name rule in the message"
bcmonctl create kinds c:counter h:histogram:bounds=1,2
rc=0; out=$(bcmonctl observe kinds c 5 2>&1) || rc=$?
assert_eq 1 "$rc" "observe on a counter"
assert_contains "$out" "does not fit the metric kind" "kind mismatch message"
rc=0; out=$(bcmonctl create unsorted "h:histogram:bounds=5,1" 2>&1) || rc=$?
assert_contains "$out" "strictly ascending" "unsorted bounds message"
bcmonctl destroy kinds
unload_bcmon

# Limits are module parameters; exceeding one is an answer, not an OOM.
# No room reserved for the kernel: every set here is a user's.
insmod "$BCMON_KO" max_sets=3 max_metrics=4 max_buckets=3 kernel_reserved_sets=0
assert_contains "$(bcmonctl status)" "sets               0 of 3" "limits in status"
for i in 1 2 3; do bcmonctl create "l$i" c:counter; done
rc=0; out=$(bcmonctl create l4 c:counter 2>&1) || rc=$?
assert_eq 1 "$rc" "fourth set refused"
assert_contains "$out" "too many sets (module limit max_sets)" "max_sets message"
rc=0; out=$(bcmonctl create m5 a:counter b:counter c:counter d:counter e:counter 2>&1) || rc=$?
assert_contains "$out" "too many metrics in one set" "max_metrics message"
bcmonctl destroy l3
rc=0; out=$(bcmonctl create b4 "h:histogram:bounds=1,2,3,4" 2>&1) || rc=$?
assert_contains "$out" "too many bucket bounds" "max_buckets message"
bcmonctl create b3 "h:histogram:bounds=1,2,3"
unload_bcmon

# A memory limit smaller than one set's per-CPU storage plus bookkeeping.
insmod "$BCMON_KO" max_memory=2048 kernel_reserved_memory=0
bcmonctl create small c:counter
rc=0; out=$(bcmonctl create big "h:histogram:bounds=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32" \
	"h2:histogram:bounds=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32" 2>&1) || rc=$?
assert_eq 1 "$rc" "set over the memory limit"
assert_contains "$out" "memory limit for sets reached" "max_memory message"
unload_bcmon

# Out-of-range limits refuse to load, with a reason in the log.
expect_fail insmod "$BCMON_KO" max_buckets=1000 2>/dev/null
assert_contains "$(dmesg | tail -n 5)" "limits out of range" "bad limit explained"
