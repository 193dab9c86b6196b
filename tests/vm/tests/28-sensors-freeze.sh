# Sensor reads stop while the system is frozen for suspend: bcmon's worker
# is freezable work, so during the freezer stage of a suspend (pm_test
# "freezer": tasks and freezable workqueues frozen, then a pm_test_delay
# wait, then thaw) the fixture battery sees no get_property call, and a
# change announced while frozen is read after resume. Needs
# CONFIG_PM_DEBUG/CONFIG_PM_SLEEP_DEBUG (Debian 6.1 and 6.12 have both).
# timeout: 120
. /opt/bcmon/lib.sh
unload_bcmon
[ -w /sys/power/pm_test ] || fail "no /sys/power/pm_test (CONFIG_PM_DEBUG)"
grep -qw freezer /sys/power/pm_test || fail "pm_test has no freezer level: $(cat /sys/power/pm_test)"
grep -qw freeze /sys/power/state || fail "no suspend-to-idle state: $(cat /sys/power/state)"
P=/sys/module/bcmon_fixture_sensors/parameters
DBG=/sys/kernel/debug/bcmon/sensors
gen() { sed -n 's/^generation \([0-9]*\) .*/\1/p' $DBG; }
ac() { bcmonctl --json sensors | jq -r '.supplies[] | select(.name=="bcmon_ac") | .online'; }

insmod $FIXTURES/bcmon_fixture_sensors.ko
insmod "$BCMON_KO" sensor_interval_ms=100
# The worker reads the battery every 100 ms.
r0=$(cat $P/battery_reads); sleep $((1 * ${BCMON_SLOW:-1}))
[ "$(cat $P/battery_reads)" -gt "$r0" ] || fail "the battery is not being read"
assert_eq 0 "$(ac)" "mains offline before"

# Freeze for 3 s; the fixture flips the mains when the window opens.
echo 1 >$P/toggle_ac_frozen
delay=/sys/module/suspend/parameters/pm_test_delay
[ -w $delay ] && echo 3 >$delay
echo freezer >/sys/power/pm_test
g0=$(gen)
rc=0; echo freeze >/sys/power/state || rc=$?
echo none >/sys/power/pm_test
echo 0 >$P/toggle_ac_frozen
assert_eq 0 "$rc" "suspend to the freezer stage"
assert_eq 1 "$(cat $P/frozen_windows)" "frozen windows seen by the fixture"
note "battery reads: $(cat $P/battery_reads) in all, $(cat $P/frozen_reads) while frozen"
assert_eq 0 "$(cat $P/frozen_reads)" "battery reads while frozen"

# After resume the worker runs again and reads the change it was told of.
i=0; until [ "$(ac)" = 1 ]; do
	i=$((i + 1)); [ $i -lt $((50 * ${BCMON_SLOW:-1})) ] || fail "mains change announced while frozen not read after resume: $(ac)"
	sleep 0.1
done
g1=$(gen); sleep $((1 * ${BCMON_SLOW:-1}))
[ "$(gen)" -gt "$g1" ] || fail "no snapshot after resume"
rmmod bcmon
rmmod bcmon_fixture_sensors
