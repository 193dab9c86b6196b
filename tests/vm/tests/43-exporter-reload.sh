# bcmon-exporter across a module reload and a wall-clock step:
#  - rmmod + insmod between two scrapes: events are still counted
#    (the subscription is renewed when the module's family goes away);
#  - the CPU sampler waits on the monotonic clock: with the wall clock set
#    back an hour, the system CPU ratio still follows the load.
# timeout: 300
. /opt/bcmon/lib.sh
. "$(dirname "$0")/exporter-lib.sh.inc"
load_bcmon
exporter_start
M=/tmp/reload.txt
created() { scrape "$M"; value "$M" 'bitcraps_module_events_total{type="set_created"}'; }
# wait_created N: the set_created count reaches N within 10 s.
wait_created() {
	i=0
	while n=$(created); [ "$n" = missing ] || [ "$n" -lt "$1" ]; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "set_created events: $n, want $1"
		sleep 0.1
	done
}
bcmonctl create before x:counter
wait_created 1
# Unloaded and loaded again between two scrapes.
scrape "$M"
rmmod bcmon
insmod "$BCMON_KO"
scrape "$M"
assert_eq 1 "$(value "$M" 'bitcraps_scrape_collector_success{collector="kmod"}')" "kmod after the reload"
bcmonctl create after y:counter
wait_created 2
note "set_created counted across the reload: $(created)"
grep -q 'the module was unloaded' "$EXPORTER_LOG" ||
	note "(the exporter logs the resubscription at debug level only)"

# The wall clock set back an hour: the sampler still samples every 5 s.
# Watched: a busy process; once it is gone, its CPU ratio must go (absent,
# never a stale value) within a sampling interval or two.
exporter_stop
busy() { while :; do :; done; }
busy & load=$!
echo $load >/tmp/busy.pid
printf 'process:\n  pid_file: /tmp/busy.pid\n' >/tmp/busy.yml
exporter_start --config.file=/tmp/busy.yml
i=0
while scrape "$M"; r=$(value "$M" bitcraps_process_cpu_usage_ratio); [ "$r" = missing ]; do
	i=$((i + 1)); [ $i -lt 30 ] || { kill $load; fail "no CPU ratio for the busy process"; }
	sleep 1
done
note "busy process at $r"
now=$(date +%s)
date -s "@$((now - 3600))" >/dev/null
kill $load
i=0
while scrape "$M"; r=$(value "$M" bitcraps_process_cpu_usage_ratio); [ "$r" != missing ]; do
	i=$((i + 1))
	[ $i -lt 15 ] || { date -s "@$((now + i))" >/dev/null; fail "the ratio of a process gone for 15 s is still $r (the sampler waits on the wall clock?)"; }
	sleep 1
done
date -s "@$((now + i))" >/dev/null
note "the ratio went with the process $i s after, across the clock step"
exporter_stop
unload_bcmon
