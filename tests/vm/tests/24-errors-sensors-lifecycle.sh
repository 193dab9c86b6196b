# Lifecycle of the error ring and the sensor worker: the kernel API from
# process, softirq and hardirq context; rmmod with the sensor fixture loaded
# and unloaded, in both orders; rmmod while a watcher holds a subscribed
# socket; rmmod refused while a debugfs file is open; reload.
. /opt/bcmon/lib.sh
unload_bcmon
P=/sys/module/bcmon_fixture_sensors/parameters

# Kernel API from every context: 3 x 200 events, announced if >= error;
# 600 events make the ERROR_GET dump span several messages.
insmod "$BCMON_KO" error_ring_size=1000
T=/tmp/lc.$$; mkdir -p $T
bcmonctl --json watch --count 100 >$T/ev.json 2>$T/ev.err &
WPID=$!
i=0; until grep -q watching $T/ev.err; do i=$((i+1)); [ $i -lt 50 ] || fail "watcher"; sleep 0.1; done
insmod $FIXTURES/bcmon_fixture_errors.ko count=200
json=$(bcmonctl --json errors)
assert_eq 600 "$(echo "$json" | jq '.events | length')" "events from all contexts"
assert_eq 200 "$(echo "$json" | jq '.totals[] | select(.category=="other" and .severity=="warning") | .count')" "process"
assert_eq 200 "$(echo "$json" | jq '.totals[] | select(.category=="other" and .severity=="error") | .count')" "softirq"
assert_eq 200 "$(echo "$json" | jq '.totals[] | select(.category=="other" and .severity=="critical") | .count')" "hardirq"
assert_eq "softirq 199" "$(echo "$json" | jq -r '[.events[] | select(.severity=="error")] | last | .message')" "softirq message"
assert_eq "hardirq 199" "$(echo "$json" | jq -r '[.events[] | select(.severity=="critical")] | last | .message')" "hardirq message"
# Sequence numbers are dense: 1..600 in order.
assert_eq "$(seq 1 600 | tr '\n' ' ')" "$(echo "$json" | jq -r '.events[].seq' | tr '\n' ' ')" "dense seq"
wait $WPID || fail "watcher did not get 100 error/critical events"
assert_eq 100 "$(jq -r 'select(.event=="error") | .severity' $T/ev.json | grep -c -E '^(error|critical)$')" "announced"
note "$(grep -c lost $T/ev.err || true) overruns reported by the watcher for 400 announced events"
rmmod bcmon_fixture_errors
# bcmon cannot go while a module uses its API.
insmod $FIXTURES/bcmon_fixture_errors.ko count=1
expect_fail rmmod bcmon 2>/dev/null
rmmod bcmon_fixture_errors
rmmod bcmon

# Order 1: fixture first, bcmon second; remove bcmon first.
insmod $FIXTURES/bcmon_fixture_sensors.ko
insmod "$BCMON_KO" sensor_interval_ms=100
bcmonctl sensors | grep -q bcmon_battery || fail "battery (order 1)"
echo 5 > $P/capacity; echo 50000 > $P/zone_temp; echo 3 > $P/cooling_state
sleep 0.5
rmmod bcmon
rmmod bcmon_fixture_sensors

# Order 2: bcmon first, fixture second (found through the supply
# notifier and the next snapshot); remove the fixture first, then bcmon.
insmod "$BCMON_KO" sensor_interval_ms=100
insmod $FIXTURES/bcmon_fixture_sensors.ko
i=0; until bcmonctl sensors | grep -q bcmon_battery; do i=$((i+1)); [ $i -lt 50 ] || fail "battery (order 2)"; sleep 0.1; done
echo 1 > $P/cooling_state
sleep 0.3
sensors_quiesce_for_zone_removal
rmmod bcmon_fixture_sensors
sensors_resume 100
i=0; until ! bcmonctl sensors | grep -q bcmon_fan; do i=$((i+1)); [ $i -lt 50 ] || fail "fan gone"; sleep 0.1; done
rmmod bcmon

# Order 3: fixture first, bcmon second; remove the fixture first, then bcmon.
insmod $FIXTURES/bcmon_fixture_sensors.ko
insmod "$BCMON_KO" sensor_interval_ms=100
sleep 0.3
sensors_quiesce_for_zone_removal
rmmod bcmon_fixture_sensors
sensors_resume 100
sleep 0.3
rmmod bcmon

# Order 4: bcmon first, fixture second; remove bcmon first.
insmod "$BCMON_KO" sensor_interval_ms=100
insmod $FIXTURES/bcmon_fixture_sensors.ko
sleep 0.3
rmmod bcmon
rmmod bcmon_fixture_sensors

# rmmod while a watcher is subscribed and the fixture drives events. The
# drain and the warming start once the watcher listens: the fixture's
# first drift tick (1 s after it loads) empties the battery at once, and
# on a slow guest that came before the subscription, so no event was seen.
insmod $FIXTURES/bcmon_fixture_sensors.ko
insmod "$BCMON_KO" sensor_interval_ms=100
bcmonctl watch >$T/w.txt 2>$T/w.err &
WPID=$!
i=0; until grep -q watching $T/w.err; do i=$((i+1)); [ $i -lt 50 ] || fail "watcher 2"; sleep 0.1; done
echo 6000 >$P/drain_per_min
echo 600000 >$P/warm_per_min
sleep 2.5
rmmod bcmon
kill $WPID 2>/dev/null || true
wait $WPID 2>/dev/null || true
grep -q supply_low $T/w.txt || fail "drain produced no low-capacity event: $(cat $T/w.txt)"
grep -q trip_crossed $T/w.txt || fail "warming produced no trip event: $(cat $T/w.txt)"
rmmod bcmon_fixture_sensors

# A debugfs file held open keeps the module (its fops own a reference).
insmod "$BCMON_KO"
exec 3</sys/kernel/debug/bcmon/sensors
expect_fail rmmod bcmon 2>/dev/null
exec 3<&-
exec 3</sys/kernel/debug/bcmon/errors
expect_fail rmmod bcmon 2>/dev/null
exec 3<&-
rmmod bcmon

# Reload: a fresh ring and a fresh snapshot.
insmod "$BCMON_KO"
assert_contains "$(cat /sys/kernel/debug/bcmon/errors)" "recorded 0" "fresh ring"
assert_contains "$(cat /sys/kernel/debug/bcmon/sensors)" "generation 1 " "fresh snapshot"
rmmod bcmon
rm -rf $T
