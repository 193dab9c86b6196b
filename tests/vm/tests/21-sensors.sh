# Sensors end to end against the emulated fixture: bcmonctl sensors (table
# and --json) and debugfs "sensors" agree with what sysfs says for the
# battery, mains, thermal zones and cooling device; changed fixture values
# show up; a failed read is n/a (absent), never 0.
. /opt/bcmon/lib.sh
unload_bcmon
P=/sys/module/bcmon_fixture_sensors/parameters
PS=/sys/class/power_supply
DBG=/sys/kernel/debug/bcmon/sensors
insmod $FIXTURES/bcmon_fixture_sensors.ko
insmod "$BCMON_KO" sensor_interval_ms=200

zone_dir() {	# zone_dir TYPE: the sysfs directory of the zone of that type
	for z in /sys/class/thermal/thermal_zone*; do
		[ "$(cat $z/type)" = "$1" ] && { echo $z; return; }
	done
	fail "no thermal zone of type $1"
}
cdev_dir() {
	for c in /sys/class/thermal/cooling_device*; do
		[ "$(cat $c/type)" = "$1" ] && { echo $c; return; }
	done
	fail "no cooling device of type $1"
}
# snap reads the module once; the j* helpers look into that reading.
snap() { J=$(bcmonctl --json sensors) || fail "bcmonctl sensors"; }
jq_snap() { echo "$J" | jq -r "$1"; }
jbat() { jq_snap ".supplies[] | select(.name==\"bcmon_battery\") | $1"; }
jzone() { jq_snap ".zones[] | select(.type==\"$1\") | $2"; }
jcdev() { jq_snap ".cooling[] | select(.type==\"$1\") | $2"; }
# wait_for CMD EXPECTED WHAT: poll (snapshots every 200 ms) up to 5 s.
# CMD runs in a subshell: call snap again afterwards.
wait_for() {
	i=0
	while [ "$(eval "$1")" != "$2" ]; do
		i=$((i + 1)); [ $i -lt 50 ] || fail "$3: expected '$2', got '$(eval "$1")'"
		sleep 0.1
	done
}

# The battery's TEMP property gives it a thermal zone of its own on these
# kernels (no trips); the fixture's own zone has two.
BZ=$(zone_dir bcmon_battery)
FZ=$(zone_dir bcmon_zone)
FAN=$(cdev_dir bcmon_fan)
snap

# Every supply field equals sysfs.
B=$PS/bcmon_battery
for pair in capacity:capacity voltage_uv:voltage_now current_ua:current_now \
	    energy_now_uwh:energy_now energy_full_uwh:energy_full \
	    charge_now_uah:charge_now charge_full_uah:charge_full temp_dc:temp; do
	assert_eq "$(cat $B/${pair#*:})" "$(jbat .${pair%%:*})" "battery ${pair%%:*}"
done
assert_eq "$(cat $B/status)" "$(jbat .status)" "battery status"
assert_eq Battery "$(jbat .type)" "battery type"
assert_eq null "$(jbat .online)" "battery lists no ONLINE: absent"
assert_eq "$(cat $PS/bcmon_ac/online)" "$(jq_snap '.supplies[] | select(.name=="bcmon_ac") | .online')" "mains online"
assert_eq null "$(jq_snap '.supplies[] | select(.name=="bcmon_ac") | .capacity')" "mains has no capacity"

# Zones and trips equal sysfs.
assert_eq "$(cat $FZ/temp)" "$(jzone bcmon_zone .temp_mc)" "zone temp"
assert_eq "${FZ##*thermal_zone}" "$(jzone bcmon_zone .id)" "zone id"
assert_eq "$(cat $BZ/temp)" "$(jzone bcmon_battery .temp_mc)" "battery zone temp"
assert_eq 0 "$(jzone bcmon_battery '.trips | length')" "battery zone trips"
assert_eq 2 "$(jzone bcmon_zone '.trips | length')" "fixture zone trips"
for t in 0 1; do
	assert_eq "$(cat $FZ/trip_point_${t}_temp)" "$(jzone bcmon_zone ".trips[$t].temp_mc")" "trip $t temp"
	assert_eq "$(cat $FZ/trip_point_${t}_type)" "$(jzone bcmon_zone ".trips[$t].type")" "trip $t type"
	assert_eq "$(cat $FZ/trip_point_${t}_hyst)" "$(jzone bcmon_zone ".trips[$t].hyst_mc")" "trip $t hyst"
done
assert_eq "$(cat $FAN/cur_state)" "$(jcdev bcmon_fan .cur_state)" "fan cur"
assert_eq "$(cat $FAN/max_state)" "$(jcdev bcmon_fan .max_state)" "fan max"
assert_eq "${FAN##*cooling_device}" "$(jcdev bcmon_fan .id)" "fan id"
assert_eq false "$(jq_snap .throttling)" "not throttling"
# Every zone and cooling device in sysfs is reported.
assert_eq "$(ls -d /sys/class/thermal/thermal_zone* | wc -l)" \
	"$(jq_snap '.zones | length')" "zone count"
assert_eq "$(ls -d /sys/class/thermal/cooling_device* | wc -l)" \
	"$(jq_snap '.cooling | length')" "cooling count"

# Figure for Documentation/sensors.md: what one snapshot costs here.
costs=$(for i in 1 2 3 4 5; do sed -n 's/.* cost_us \([0-9]*\) .*/\1/p' $DBG; sleep 0.25; done | tr '\n' ' ')
note "snapshot cost_us (2 zones, 3 cooling devices, 2 supplies, TCG): $costs"

# Table output: aligned rows with the same values.
out=$(bcmonctl sensors)
echo "$out" | grep -Eq "^bcmon_battery +Battery +n/a +Discharging +80 +3900000 +-500000 +40000000 +50000000 +3200000 +4000000 +300$" ||
	fail "battery row: $out"
echo "$out" | grep -Eq "^${FZ##*thermal_zone} +bcmon_zone +35000  passive:45000:2000 active:60000:2000$" || fail "zone row: $out"
assert_contains "$out" "throttling no" "table throttling"

# debugfs: the same snapshot for people.
dbg=$(cat $DBG)
echo "$dbg" | grep -Eq "^${FZ##*thermal_zone} +bcmon_zone +35000  passive:45000:2000 active:60000:2000$" || fail "debugfs zone: $dbg"
echo "$dbg" | grep -Eq "^${FAN##*cooling_device} +bcmon_fan +0 +3$" || fail "debugfs fan: $dbg"
echo "$dbg" | grep -A12 '^supply bcmon_battery' | grep -Eq '^  capacity +80$' || fail "debugfs capacity: $dbg"
echo "$dbg" | grep -A12 '^supply bcmon_ac' | grep -Eq '^  capacity +n/a$' || fail "debugfs n/a: $dbg"

# Changes: supply values arrive through the change notification (the
# periodic worker is made slow so it cannot be what delivers them).
echo 60000 > /sys/module/bcmon/parameters/sensor_interval_ms
sleep 0.5
echo 42 > $P/capacity
echo 4100000 > $P/voltage_uv
echo 1 > $P/status
wait_for "snap; jbat .capacity" 42 "capacity after change"
snap
assert_eq "$(cat $B/voltage_now)" "$(jbat .voltage_uv)" "voltage after change"
assert_eq Charging "$(jbat .status)" "status after change"
echo 200 > /sys/module/bcmon/parameters/sensor_interval_ms
# Zone and cooling changes arrive with the periodic snapshot.
echo 47000 > $P/zone_temp
echo 2 > $P/cooling_state
wait_for "snap; jzone bcmon_zone .temp_mc" 47000 "zone temp after change"
snap
assert_eq "$(cat $FAN/cur_state)" "$(jcdev bcmon_fan .cur_state)" "fan after change"
assert_eq true "$(jq_snap .throttling)" "throttling"
assert_contains "$(cat $DBG)" "throttling 1" "debugfs throttling"

# A failed read: absent from netlink, n/a in debugfs and the table, never 0.
echo 1 > $P/fail_current
wait_for "snap; jbat .current_ua" null "failed current read"
snap
echo "$(cat $DBG)" | grep -A12 '^supply bcmon_battery' | grep -Eq '^  current_ua +n/a$' || fail "debugfs failed read"
bcmonctl sensors | grep -Eq "^bcmon_battery +Battery +n/a +Charging +42 +4100000 +n/a " || fail "table failed read"
assert_eq 42 "$(jbat .capacity)" "other values unaffected"
echo 0 > $P/fail_current
wait_for "snap; jbat .current_ua" -500000 "current back"
snap

# Unprivileged users may read sensors.
su nobody -s /bin/sh -c 'bcmonctl sensors' >/dev/null || fail "unprivileged read"

# Fixture gone: its devices vanish from the next snapshot.
sensors_quiesce_for_zone_removal
rmmod bcmon_fixture_sensors
sensors_resume 200
wait_for "snap; jq_snap '[.supplies[] | select(.name==\"bcmon_battery\")] | length'" 0 "battery gone"
snap
assert_eq 0 "$(jq_snap '[.zones[] | select(.type=="bcmon_zone")] | length')" "zone gone"
assert_eq false "$(jq_snap .throttling)" "throttling over"
rmmod bcmon
