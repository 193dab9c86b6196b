# Counter sets end to end: create, update (counter, gauge, histogram), read
# back through bcmonctl (table and --json), debugfs files, status, destroy.
. /opt/bcmon/lib.sh
load_bcmon
D=/sys/kernel/debug/bcmon

bcmonctl create node "bets:counter:help=Bets placed" \
	players:gauge \
	"round_latency:histogram:unit=seconds:scale=-3:bounds=1,5,10,50,100,500,1000:help=Consensus round latency"
assert_contains "$(bcmonctl sets)" "node" "sets lists the new set"
[ -f $D/sets/node ] || fail "no debugfs file for the set"

# Counter: two separate adds and a batch of two pairs in one message.
bcmonctl add node bets 5
bcmonctl add node bets 7 bets 30
# Gauge: add, set, add a negative delta.
bcmonctl add node players 10
bcmonctl set node players 4
bcmonctl add node players -1
# Histogram: the seed's consensus latency layout (ms).
bcmonctl observe node round_latency 0 round_latency 3 round_latency 7 \
	round_latency 7 round_latency 2000 round_latency 100

json=$(bcmonctl --json show node)
note "$json"
assert_contains "$json" '"name":"bets","kind":"counter"' "counter in json"
assert_contains "$json" '"value":42' "counter total"
assert_contains "$json" '"name":"players","kind":"gauge","unit":"","scale":0,"help":"","value":3' "gauge value"
assert_contains "$json" '"help":"Consensus round latency"' "histogram help"
assert_contains "$json" '"unit":"seconds","scale":-3' "histogram unit and scale"
assert_contains "$json" '"count":6,"sum":2117' "histogram count and sum"
assert_contains "$json" '{"upper_bound":1,"count":1},{"upper_bound":5,"count":1},{"upper_bound":10,"count":2},{"upper_bound":50,"count":0},{"upper_bound":100,"count":1},{"upper_bound":500,"count":0},{"upper_bound":1000,"count":0},{"upper_bound":"+Inf","count":1}' "histogram buckets"

table=$(bcmonctl show node)
note "$table"
echo "$table" | grep -Eq '^bets +counter +- +0 +42$' || fail "counter row in table"
echo "$table" | grep -Eq '^players +gauge +- +0 +3$' || fail "gauge row in table"
echo "$table" | grep -Eq 'le \+Inf +6$' || fail "cumulative +Inf bucket in table"

# debugfs: totals, cumulative buckets, count/sum and percentile estimates.
f=$(cat $D/sets/node)
note "$f"
assert_contains "$f" "bets counter unit - scale 0 value 42" "debugfs counter"
assert_contains "$f" "players gauge unit - scale 0 value 3" "debugfs gauge"
assert_contains "$f" "count 6 sum 2117" "debugfs histogram count/sum"
# rank 3 of 6 is the 2nd of 2 in (5,10]: p50 = 5 + 5 * 1/2 ... = 7 (integer)
assert_contains "$f" "p50 7 p95 1000 p99 1000" "debugfs percentiles"

st=$(bcmonctl --json status)
assert_contains "$st" "\"sets\":1," "status set count"
assert_contains "$st" "\"max_sets\":4096" "status max_sets"
used=$(echo "$st" | sed 's/.*"memory_used":\([0-9]*\).*/\1/')
[ "$used" -gt 0 ] || fail "memory_used is $used"
assert_contains "$(cat $D/status)" "memory_used $used" "debugfs status memory"
assert_contains "$(cat $D/status)" "sets 1" "debugfs status sets"

# Gauge set to a negative value and a second set.
bcmonctl set node players -20
assert_contains "$(bcmonctl --json show node)" '"value":-20' "negative gauge"
bcmonctl create other c:counter
assert_contains "$(bcmonctl --json sets)" '"name":"other"' "second set in dump"

bcmonctl destroy node
bcmonctl destroy other
[ ! -e $D/sets/node ] || fail "debugfs file left after destroy"
assert_contains "$(bcmonctl --json status)" '"sets":0,' "no sets left"
# Memory is returned an RCU grace period after the last reference goes.
for i in 1 2 3 4 5 6 7 8 9 10; do
	case $(bcmonctl --json status) in *'"memory_used":0,'*) break ;; esac
	sleep 0.2
done
assert_contains "$(bcmonctl --json status)" '"memory_used":0,' "memory returned"
unload_bcmon
