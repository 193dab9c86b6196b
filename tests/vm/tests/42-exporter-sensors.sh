# bcmon-exporter over the EMULATED sensor fixture: battery, mains, thermal
# zones, trip points and cooling device equal what sysfs says, in base
# units; a failed read disappears (never 0); throttling and a low battery
# drive the health status; module events are counted.
# timeout: 300
. /opt/bcmon/lib.sh
. "$(dirname "$0")/exporter-lib.sh.inc"
unload_bcmon
P=/sys/module/bcmon_fixture_sensors/parameters
insmod $FIXTURES/bcmon_fixture_sensors.ko
insmod "$BCMON_KO" sensor_interval_ms=200
# CPU rule off: a busy emulated guest must not add its own warning.
printf 'thresholds:\n  cpu_warning_ratio: 0\n' >/tmp/exporter.yml
exporter_start --no-collector.bpf --config.file=/tmp/exporter.yml
M=/tmp/m.txt
# wait_metric SERIES VALUE: poll scrapes (snapshots every 200 ms) up to 5 s.
wait_metric() {
	i=0
	while scrape "$M"; [ "$(value "$M" "$1")" != "$2" ]; do
		i=$((i + 1)); [ $i -lt 50 ] || fail "$1: expected '$2', got '$(value "$M" "$1")'"
		sleep 0.1
	done
}
zone_dir() {
	for z in /sys/class/thermal/thermal_zone*; do
		[ "$(cat $z/type)" = "$1" ] && { echo $z; return; }
	done
	fail "no thermal zone of type $1"
}

scrape "$M"
promtool_clean "$M"
assert_eq 1 "$(value "$M" 'bitcraps_scrape_collector_success{collector="kmod"}')" "kmod success"
B=/sys/class/power_supply/bcmon_battery
cap=$(cat $B/capacity)
assert_eq "$(awk -v c=$cap 'BEGIN { print c / 100 }')" \
	"$(value "$M" 'bitcraps_battery_capacity_ratio{supply="bcmon_battery"}')" "capacity ratio"
assert_eq "$(awk -v v=$(cat $B/voltage_now) 'BEGIN { print v / 1e6 }')" \
	"$(value "$M" 'bitcraps_power_supply_voltage_volts{supply="bcmon_battery"}')" "volts"
assert_eq -0.5 "$(value "$M" 'bitcraps_power_supply_current_amperes{supply="bcmon_battery"}')" "amperes"
assert_eq 1 "$(value "$M" 'bitcraps_power_supply_status{supply="bcmon_battery",status="discharging"}')" "status"
assert_eq 0 "$(value "$M" 'bitcraps_power_supply_status{supply="bcmon_battery",status="charging"}')" "status other"
assert_eq 30 "$(value "$M" 'bitcraps_power_supply_temperature_celsius{supply="bcmon_battery"}')" "supply temp"
assert_eq 1 "$(value "$M" 'bitcraps_power_supply_info{supply="bcmon_ac",type="Mains"}')" "mains info"

Z=$(zone_dir bcmon_zone)
zid=${Z##*thermal_zone}
assert_eq "$(awk -v t=$(cat $Z/temp) 'BEGIN { print t / 1000 }')" \
	"$(value "$M" "bitcraps_thermal_zone_temperature_celsius{zone=\"$zid\",type=\"bcmon_zone\"}")" "zone temp"
assert_eq "$(awk -v t=$(cat $Z/trip_point_0_temp) 'BEGIN { print t / 1000 }')" \
	"$(value "$M" "bitcraps_thermal_zone_trip_celsius{zone=\"$zid\",trip=\"0\",trip_type=\"$(cat $Z/trip_point_0_type)\"}")" "trip 0"
C=""
for c in /sys/class/thermal/cooling_device*; do [ "$(cat $c/type)" = bcmon_fan ] && C=$c; done
cid=${C##*cooling_device}
assert_eq 0 "$(value "$M" "bitcraps_cooling_device_state{device=\"$cid\",type=\"bcmon_fan\"}")" "fan idle"
assert_eq 3 "$(value "$M" "bitcraps_cooling_device_max_state{device=\"$cid\",type=\"bcmon_fan\"}")" "fan max"
assert_eq 0 "$(value "$M" bitcraps_thermal_throttling)" "not throttling"
assert_eq 0 "$(value "$M" bitcraps_health_status)" "healthy"

# A failed read drops its series; the supply's other values stay.
echo 1 >$P/fail_current
wait_metric 'bitcraps_power_supply_current_amperes{supply="bcmon_battery"}' missing
[ "$(value "$M" 'bitcraps_power_supply_voltage_volts{supply="bcmon_battery"}')" != missing ] ||
	fail "voltage went with the failed current"
echo 0 >$P/fail_current

# Throttling is a warning (seed default); so is a battery below 10%.
echo 2 >$P/cooling_state
wait_metric bitcraps_thermal_throttling 1
assert_eq 1 "$(value "$M" bitcraps_health_status)" "throttling is a warning"
assert_eq 1 "$(value "$M" 'bitcraps_health_reason{reason="thermal_throttling",severity="warning"}')" "reason"
code=$(curl -s -o /tmp/h.json -w '%{http_code}' "$URL/health")
assert_eq 200 "$code" "/health is 200 when warning"
assert_contains "$(cat /tmp/h.json)" '"status":"warning"' "/health body"
echo 0 >$P/cooling_state
echo 5 >$P/capacity
wait_metric 'bitcraps_battery_capacity_ratio{supply="bcmon_battery"}' 0.05
assert_eq 1 "$(value "$M" 'bitcraps_health_reason{reason="battery_low",severity="warning"}')" "battery low"
grep -q 'health status=warning' "$EXPORTER_LOG" || fail "status change not logged"

# Events from the module's group are counted. The event comes from the
# supply's deferred work and may reach the exporter's subscriber after a
# scrape already reads the new status: wait for it too.
echo 1 >$P/status
wait_metric 'bitcraps_power_supply_status{supply="bcmon_battery",status="charging"}' 1
i=0
while n=$(value "$M" 'bitcraps_module_events_total{type="supply_status"}');
      [ "$n" = missing ] || [ "$n" -lt 1 ]; do
	i=$((i + 1)); [ $i -lt 50 ] || fail "supply_status events: $n"
	sleep 0.1
	scrape "$M"
done
promtool_clean "$M"
exporter_stop
unload_bcmon
rmmod bcmon_fixture_sensors
