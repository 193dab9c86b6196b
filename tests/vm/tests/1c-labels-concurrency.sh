# timeout: 900
# Processes on both vCPUs add to the same series and to many series at
# once while other processes dump the set, create and delete series, and
# create and destroy other sets: no splat (the harness scans the console),
# and the totals are exact.
. /opt/bcmon/lib.sh
unload_bcmon
insmod "$BCMON_KO" max_series=10000
bcmonctl create conc "hot:counter:labels=peer" "wide:counter:labels=peer" "churn:counter:labels=peer"
N=20000
pids=""
# Four writers on the same series (one tuple), from both CPUs.
for w in 1 2 3 4; do
	taskset -c $((w % 2)) bcmon-labeltest hammer conc hot 1 $N 32 & pids="$pids $!"
done
# Two writers spread over 500 series each, the same 500.
for w in 1 2; do
	taskset -c $((w % 2)) bcmon-labeltest hammer conc wide 500 $N 32 & pids="$pids $!"
done
# Meanwhile: dumps, series created and deleted, sets created and destroyed.
taskset -c 0 bcmon-labeltest delchurn conc churn c 2000 >/tmp/dc0 & bg="$!"
taskset -c 1 bcmon-labeltest delchurn conc churn c 2000 >/tmp/dc1 & bg="$bg $!"
taskset -c 1 bcmon-setstest dump 300 >/tmp/dump.out & bg="$bg $!"
taskset -c 0 bcmon-setstest churn cc 200 & bg="$bg $!"
( for i in $(seq 1 100); do cat /sys/kernel/debug/bcmon/sets/conc >/dev/null; done ) & bg="$bg $!"
for p in $pids $bg; do wait $p || fail "worker $p failed"; done
note "$(cat /tmp/dump.out) $(cat /tmp/dc0) $(cat /tmp/dc1)"
json=$(bcmonctl --json show conc)
assert_eq "$((4 * N))" "$(echo "$json" | jq '.metrics[] | select(.name == "hot") | .series[0].value')" "same series: exact"
assert_eq 1 "$(echo "$json" | jq '.metrics[] | select(.name == "hot") | .series | length')" "one series"
assert_eq 500 "$(echo "$json" | jq '.metrics[] | select(.name == "wide") | .series | length')" "500 series"
assert_eq "$((2 * N))" "$(echo "$json" | jq '[.metrics[] | select(.name == "wide") | .series[].value] | add')" "many series: exact"
# Each of the 500 got exactly 2 * N / 500 (round robin).
assert_eq "[$((2 * N / 500))]" "$(echo "$json" | jq -c '[.metrics[] | select(.name == "wide") | .series[].value] | unique')" "every series exact"
# The churned metric is consistent: its count is what is listed.
echo "$json" | jq -e '.metrics[] | select(.name == "churn") | .series_count == (.series | length)' \
	>/dev/null || fail "churn: count and list disagree"
assert_contains "$(bcmonctl --json status)" '"sets":1,' "churned sets all gone"
bcmonctl destroy conc
unload_bcmon
