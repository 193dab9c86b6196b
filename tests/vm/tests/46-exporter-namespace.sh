# The exporter owns its namespace (issue 10): the spoofing scenarios. A
# writer that creates set "health" with gauge "status" must not replace
# bitcraps_health_status, set "scrape" with "collector_success" must not
# spoof the self-metrics, set "network" with histogram "tcp_rtt" must not
# knock out the probe family, and a histogram "lat" next to a gauge
# "lat_count" must not emit two series with the same name. The module
# refuses such set names; the exporter skips them even from a module that
# accepted them (loaded with reserved_set_words empty).
# timeout: 600
. /opt/bcmon/lib.sh
. "$(dirname "$0")/exporter-lib.sh.inc"

# --- the module refuses the exporter's first words -------------------------
load_bcmon
for s in health scrape network module_x exporter power_supply; do
	rc=0; out=$(bcmonctl create "$s" status:gauge 2>&1) || rc=$?
	assert_eq 1 "$rc" "create $s refused"
	assert_contains "$out" "reserved for the exporter's own metrics" "reason for $s"
done
bcmonctl create healthy status:gauge	# a different first word
bcmonctl destroy healthy
assert_contains "$(cat /sys/kernel/debug/bcmon/status)" \
	"reserved_set_words battery,cooling,disk,distribution,errors,exporter,health,module,network,power,process,scrape,system,thermal" \
	"the list in debugfs"
unload_bcmon

# --- a module that lets them through: the exporter still owns its names ----
insmod "$BCMON_KO" reserved_set_words=
M=/tmp/m.txt
exporter_start
scrape "$M"
health_before=$(value "$M" bitcraps_health_status)
note "health status before: $health_before"

bcmonctl create health status:gauge
bcmonctl set health status 7
bcmonctl create scrape collector_success:gauge
bcmonctl set scrape collector_success 5
bcmonctl create network "tcp_rtt:histogram:unit=seconds:scale=-6:bounds=10,100"
bcmonctl observe network tcp_rtt 50
bcmonctl create game "lat:histogram:bounds=1,10" lat_count:gauge
bcmonctl observe game lat 5 lat 50
bcmonctl set game lat_count 999

scrape "$M"
promtool_clean "$M"
histograms_consistent "$M"
assert_eq "$health_before" "$(value "$M" bitcraps_health_status)" "health_status untouched"
assert_eq 1 "$(grep -c '^bitcraps_health_status ' "$M")" "one health_status sample"
for c in proc kmod bpf health; do
	assert_eq 1 "$(value "$M" "bitcraps_scrape_collector_success{collector=\"$c\"}")" "$c collector success"
done
assert_eq missing "$(value "$M" bitcraps_scrape_collector_success)" "no unlabeled spoof sample"
grep -q '^# TYPE bitcraps_network_tcp_rtt_seconds histogram' "$M" || fail "probe family knocked out"
grep '^bitcraps_network_tcp_rtt_seconds_count' "$M" | grep -q 'port=' || fail "probe family without its port label"
grep -q '^bitcraps_network_tcp_rtt_seconds_count ' "$M" && fail "unlabeled spoof rtt sample"
# The histogram came first; the gauge that would repeat its _count is left out.
assert_eq 2 "$(value "$M" bitcraps_game_lat_count)" "lat_count is the histogram's count"
assert_eq 1 "$(grep -c '^bitcraps_game_lat_count ' "$M")" "one lat_count sample"
assert_eq 3 "$(value "$M" 'bitcraps_module_set_metrics_skipped{reason="reserved_set_name"}')" "reserved sets counted"
assert_eq 1 "$(value "$M" 'bitcraps_module_set_metrics_skipped{reason="name_clash"}')" "the clash counted"

# Every family served belongs to the exporter's reserved words, or to the
# one application set left ("game").
words=battery,cooling,disk,distribution,errors,exporter,health,module,network,power,process,scrape,system,thermal
bad=$(sed -n 's/^# TYPE bitcraps_\([a-z0-9]*\)[_ ].*/\1/p' "$M" | sort -u |
	grep -vxE "$(echo "$words,game" | tr , '|')" || true)
[ -z "$bad" ] || fail "families outside the reserved words: $bad"

exporter_stop
for s in health scrape network game; do bcmonctl destroy $s; done
unload_bcmon
