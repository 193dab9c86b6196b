# Exemplars (issue 14): a histogram observation may carry the trace it
# belongs to (W3C trace and span ids); bcmon.ko keeps each bucket's most
# recent one per series, shown by bcmonctl (--json and table) and debugfs.
# Observations without one cost no memory; the slots are charged to the
# set (refused past a limit with nothing applied, counted for a labeled
# metric) and given back with the series or the set; bad exemplars are
# refused with an errno and a message (also in 11-sets-badinput, raw);
# concurrent writers with exemplars, readers and deletes keep exact totals.
. /opt/bcmon/lib.sh
load_bcmon
DBG=/sys/kernel/debug/bcmon
T1=4bf92f3577b34da6a3ce929d0e0e4736 S1=00f067aa0ba902b7
T2=0af7651916cd43dd8448eb211c80319c S2=b7ad6b7169203331
TMP=$(mktemp -d)
mem() { bcmonctl --json status | jq .memory_used; }
# A destroyed set's memory returns an RCU grace period after its last user.
mem_returned() {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ "$(mem)" = 0 ] && return 0
		sleep 0.2
	done
	fail "$1: $(mem) bytes still charged"
}

# The same set in both loads, so its charge is the same.
make_set() {
	bcmonctl create ex "lat:histogram:bounds=10,100" \
		"plat:histogram:bounds=10,100:labels=peer" c:counter
	bcmonctl observe ex plat 1 peer=a plat 1 peer=b
}

# --- functional --------------------------------------------------------------
make_set
m0=$(mem)
bcmonctl observe ex lat 5 plat 2 peer=a
assert_eq "$m0" "$(mem)" "observations without an exemplar take no memory"
assert_contains "$(bcmonctl --json show ex)" '"count":1,"sum":5,"buckets":[{"upper_bound":10,"count":1},{"upper_bound":100,"count":0},{"upper_bound":"+Inf","count":0}]}' \
	"no exemplar yet (and no exemplars key)"

t0=$(date +%s)
bcmonctl observe ex lat 7 @$T1:$S1
t1=$(date +%s)
m1=$(mem)
[ "$m1" -gt "$m0" ] || fail "the exemplar slots are charged ($m0 -> $m1)"
json=$(bcmonctl --json show ex)
note "$json"
# jq reads numbers as doubles: the nanoseconds are taken as text.
ts=$(echo "$json" | sed -n 's/.*"timestamp_ns":\([0-9]*\),.*/\1/p')
tsec=${ts%?????????}	# whole seconds
[ "$tsec" -ge "$t0" ] && [ "$tsec" -le "$t1" ] ||
	fail "exemplar time $ts not within the observe's [$t0, $t1] s"
assert_contains "$json" "\"exemplars\":[{\"bucket\":0,\"value\":7,\"timestamp_ns\":$ts,\"trace_id\":\"$T1\",\"span_id\":\"$S1\"}]" \
	"the exemplar of bucket 0"

# Without an exemplar the bucket keeps its; a newer one replaces it; +Inf.
bcmonctl observe ex lat 3
bcmonctl observe ex lat 9 @$T2:$S2 lat 500 @$T1:$S1
json=$(bcmonctl --json show ex)
lat=$(echo "$json" | jq -c '.metrics[] | select(.name == "lat") | [.count, .sum, [.exemplars[] | [.bucket, .value, .trace_id, .span_id]]]')
assert_eq "[5,524,[[0,9,\"$T2\",\"$S2\"],[2,500,\"$T1\",\"$S1\"]]]" "$lat" \
	"latest exemplar per bucket, +Inf included"
assert_eq "$m1" "$(mem)" "slots are allocated once per series"

# Labeled: per series; a series without one shows none.
bcmonctl observe ex plat 50 peer=a @$T2:$S1 plat 60 peer=b
json=$(bcmonctl --json show ex)
pa=$(echo "$json" | jq -c '.metrics[] | select(.name == "plat") | .series[] | select(.labels.peer == "a") | [.count, [.exemplars[] | [.bucket, .value, .trace_id]]]')
pb=$(echo "$json" | jq -c '.metrics[] | select(.name == "plat") | .series[] | select(.labels.peer == "b") | [.count, .exemplars // "none"]')
assert_eq "[3,[[1,50,\"$T2\"]]]" "$pa" "series a's exemplar"
assert_eq '[2,"none"]' "$pb" "series b has none"

# People: bcmonctl's table and debugfs.
txt=$(bcmonctl show ex)
assert_contains "$txt" "exemplar le 10 value=9 trace_id=$T2 span_id=$S2" "table: bucket 0"
assert_contains "$txt" "exemplar le +Inf value=500 trace_id=$T1 span_id=$S1" "table: +Inf"
assert_contains "$txt" "exemplar le 100 value=50 trace_id=$T2 span_id=$S1" "table: series"
dbg=$(cat $DBG/sets/ex)
assert_contains "$dbg" "exemplar le 10 value 9 trace_id $T2 span_id $S2 time_ns " "debugfs: bucket 0"
assert_contains "$dbg" "exemplar le 100 value 50 trace_id $T2 span_id $S1" "debugfs: series"

# A deleted series gives its slots back with it.
m2=$(mem)
bcmonctl observe ex plat 5 peer=z
m3=$(mem)
bcmonctl observe ex plat 5 peer=z @$T1:$S2
[ "$(mem)" -gt "$m3" ] || fail "series z's slots charged"
bcmonctl delete ex plat peer=z
assert_eq "$m2" "$(mem)" "deleting a series gives back its exemplar slots"

# --- bad input through bcmonctl -------------------------------------------------
rc=0; bcmonctl add ex c 1 @$T1:$S1 2>/dev/null || rc=$?
assert_eq 2 "$rc" "an exemplar on add is a usage error"
rc=0; bcmonctl observe ex lat 1 @$T1 2>/dev/null || rc=$?
assert_eq 2 "$rc" "an exemplar without its span id"
rc=0; bcmonctl observe ex lat 1 @${T1}x:$S1 2>/dev/null || rc=$?
assert_eq 2 "$rc" "an exemplar of bad length"
rc=0; bcmonctl observe ex lat 1 @$T1:$S1 @$T2:$S2 2>/dev/null || rc=$?
assert_eq 2 "$rc" "two exemplars for one observation"
Z16=0000000000000000
rc=0; out=$(bcmonctl observe ex lat 1 @$Z16$Z16:$S1 2>&1) || rc=$?
assert_eq 1 "$rc" "an all-zero trace id is refused"
assert_contains "$out" "must not be all zero" "the library says why"
rc=0; out=$(bcmonctl observe ex c 1 @$T1:$S1 2>&1) || rc=$?
assert_eq 1 "$rc" "observe with an exemplar on a counter"
assert_contains "$out" "does not fit the metric kind" "the kernel says why"

# Gone with the set: nothing left charged.
bcmonctl destroy ex
mem_returned "a destroyed set gives back its exemplar slots"

# --- the memory limit -----------------------------------------------------------
# The same set charged m0 bytes above; one histogram's slots took m1 - m0.
# With max_memory one byte short of both, the first exemplar is refused with
# the limit's reason, its observation is not applied, and for a labeled
# metric the refusal is counted.
unload_bcmon
insmod "$BCMON_KO" max_memory=$((m1 - 1)) kernel_reserved_memory=0
make_set
assert_eq "$m0" "$(mem)" "the same set takes the same memory"
rc=0; out=$(bcmonctl observe ex lat 7 @$T1:$S1 2>&1) || rc=$?
assert_eq 1 "$rc" "exemplar slots past max_memory refused"
assert_contains "$out" "memory limit for sets reached" "the limit's reason"
rc=0; out=$(bcmonctl observe ex plat 7 peer=a @$T1:$S1 2>&1) || rc=$?
assert_eq 1 "$rc" "a labeled series' exemplar slots refused"
json=$(bcmonctl --json show ex)
assert_eq '[0,"none"]' "$(echo "$json" | jq -c '.metrics[] | select(.name == "lat") | [.count, .exemplars // "none"]')" \
	"a refused exemplar's observation is not applied"
assert_eq '[1,{"series_limit":0,"memory_quota":1,"label_value":0}]' \
	"$(echo "$json" | jq -c '.metrics[] | select(.name == "plat") | [(.series[] | select(.labels.peer == "a") | .count), .refused]')" \
	"counted as a memory_quota refusal, nothing applied"
bcmonctl observe ex lat 7 plat 7 peer=a
bcmonctl destroy ex
unload_bcmon

# --- concurrency ------------------------------------------------------------------
# Writers with and without exemplars on one series and on series that are
# deleted and made again, while readers dump: exact totals on the kept one.
load_bcmon
bcmonctl create cx "h:histogram:bounds=10,100:labels=peer"
N=40
writer() {
	i=0
	while [ $i -lt $N ]; do
		bcmonctl observe cx h $((i * 7 % 150)) peer=keep @$1:$S1 h 1 peer=churn @$T2:$S2
		bcmonctl observe cx h 5 peer=keep
		i=$((i + 1))
	done
}
churner() {
	i=0
	while [ $i -lt $N ]; do
		bcmonctl delete cx h peer=churn 2>/dev/null || true
		i=$((i + 1))
	done
}
reader() {
	i=0
	while [ $i -lt $N ]; do
		bcmonctl --json show cx >/dev/null || echo "reader failed"
		cat $DBG/sets/cx >/dev/null
		i=$((i + 1))
	done
}
writer $T1 >$TMP/w1 2>&1 & p1=$!
writer $T2 >$TMP/w2 2>&1 & p2=$!
churner & p3=$!
reader >$TMP/r 2>&1 & p4=$!
wait $p1 || fail "writer 1: $(cat $TMP/w1)"
wait $p2 || fail "writer 2: $(cat $TMP/w2)"
wait $p3
wait $p4
[ -s $TMP/r ] && fail "a reader failed: $(cat $TMP/r)"
keep=$(bcmonctl --json show cx | jq -c '.metrics[0].series[] | select(.labels.peer == "keep") | [.count, (.buckets | map(.count) | add), (.exemplars | length)]')
assert_eq "[$((4 * N)),$((4 * N)),3]" "$keep" "exact count, buckets add up, an exemplar in each bucket the values reached"
bcmonctl destroy cx
mem_returned "the churned series and their slots"
unload_bcmon
echo "exemplars: functional, bad input, memory limit and concurrency checked"
