# timeout: 600
# Processes on both vCPUs add to the same counters while others dump,
# create and destroy sets: no splat, and the final totals are exact.
. /opt/bcmon/lib.sh
load_bcmon
bcmonctl create shared hits:counter other:counter
N=20000
pids=""
for w in 1 2 3 4; do
	taskset -c $((w % 2)) bcmon-setstest add shared hits $N 16 & pids="$pids $!"
done
taskset -c 0 bcmon-setstest add shared other $N 1 & pids="$pids $!"
taskset -c 1 bcmon-setstest dump 300 >/tmp/dump.out & bg1=$!
taskset -c 0 bcmon-setstest churn cc 300 & bg2=$!
taskset -c 1 bcmon-setstest churn dd 300 & bg3=$!
for p in $pids $bg1 $bg2 $bg3; do wait $p || fail "worker $p failed"; done
note "$(cat /tmp/dump.out)"
json=$(bcmonctl --json show shared)
assert_contains "$json" "\"name\":\"hits\",\"kind\":\"counter\",\"unit\":\"\",\"scale\":0,\"help\":\"\",\"value\":$((4 * N))" "hits total exact"
assert_contains "$json" "\"name\":\"other\",\"kind\":\"counter\",\"unit\":\"\",\"scale\":0,\"help\":\"\",\"value\":$N" "other total exact"
assert_contains "$(bcmonctl --json status)" '"sets":1,' "churned sets all gone"
bcmonctl destroy shared
unload_bcmon
