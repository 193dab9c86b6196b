# A storm of power_supply_changed() calls costs at most one rescan per
# sensor_change_min_ms, and the last value announced is still read: the
# fixture announces 100 changes 10 ms apart (each delivered to the
# notifier chain), the periodic worker is made slow so that every snapshot
# counted is a change-driven one.
. /opt/bcmon/lib.sh
unload_bcmon
P=/sys/module/bcmon_fixture_sensors/parameters
DBG=/sys/kernel/debug/bcmon/sensors
gen() { sed -n 's/^generation \([0-9]*\) .*/\1/p' $DBG; }
ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
cap() { sed -n '/^supply bcmon_battery/,/^supply/s/^  capacity *\([0-9]*\)$/\1/p' $DBG; }
MIN=250

insmod $FIXTURES/bcmon_fixture_sensors.ko
insmod "$BCMON_KO" sensor_interval_ms=600000 sensor_change_min_ms=$MIN
sleep 1
n0=$(cat $P/notifications)
g0=$(gen); t0=$(ms)
echo 100 >$P/storm
t1=$(ms)
# The rescan due after the last announcement comes within MIN ms.
sleep $(awk -v m=$MIN -v s=${BCMON_SLOW:-1} 'BEGIN { print 2 * m * s / 1000 }')
g1=$(gen); t2=$(ms)
n=$(($(cat $P/notifications) - n0))
snaps=$((g1 - g0))
allowed=$(((t2 - t0) / MIN + 2))
note "storm of $n notifications over $((t1 - t0)) ms: $snaps snapshots (at most $allowed allowed at one per $MIN ms)"
[ "$n" -ge 95 ] || fail "the storm delivered only $n notifications"
[ "$snaps" -ge 1 ] || fail "no snapshot after a change"
[ "$snaps" -le "$allowed" ] || fail "$snaps snapshots for $n notifications in $((t2 - t0)) ms: more than one per $MIN ms"
assert_eq 61 "$(cap)" "the last value announced (capacity 61) is read"
rmmod bcmon
rmmod bcmon_fixture_sensors
