# bcmon-exporter across a module reload and a wall-clock step:
#  - rmmod + insmod between two scrapes: events are still counted
#    (the subscription is renewed when the module's family goes away);
#    the scrape after the reload answers within its deadline (printed as a
#    ratio to an idle scrape of the same exporter before the reload) and
#    resident memory comes back to within 20% of its level before;
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
# scrape_s FILE: one scrape with a 5 s deadline; its latency in seconds.
scrape_s() {
	out=$(curl -sS -o "$1" -w '%{http_code} %{time_total}' \
		-H 'X-Prometheus-Scrape-Timeout-Seconds: 5' "$URL/metrics") || true
	case $out in "200 "*) echo "${out#200 }" ;; *) fail "scrape answered '$out'" ;; esac
}
rss_kb() { awk '/^VmRSS/ { print $2 }' /proc/$EXPORTER_PID/status; }
bcmonctl create before x:counter
wait_created 1
idle=$(for i in 1 2 3 4 5; do scrape_s "$M" || exit 1; done) || fail "idle scrapes: $idle"
idle=$(echo "$idle" | sort -g | sed -n 3p)
sleep 1.5	# the exporter trims its heap once a second
rss_before=$(rss_kb)
# Unloaded and loaded again between two scrapes.
scrape "$M"
rmmod bcmon
insmod "$BCMON_KO"
t=$(scrape_s "$M") || fail "after the reload: $t"
awk -v t="$t" 'BEGIN { exit !(t < 5) }' || fail "the scrape after the reload took $t s (deadline 5 s)"
assert_eq 1 "$(value "$M" 'bitcraps_scrape_collector_success{collector="kmod"}')" "kmod after the reload"
bcmonctl create after y:counter
wait_created 2
note "set_created counted across the reload: $(created)"
sleep 1.5
rss_after=$(rss_kb)
[ "$rss_after" -le $((rss_before * 12 / 10)) ] ||
	fail "RSS $rss_before kB before the reload, $rss_after kB after (more than 20%)"
note "RELOAD idle_scrape_s=$idle after_reload_s=$t ratio=$(awk -v t="$t" -v i="$idle" 'BEGIN { printf "%.1f", t / i }') rss_kb=$rss_before->$rss_after"
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
