# Sensor spoofing through a chroot or a mount namespace: bcmon.ko loaded
# from inside either must still read the machine's /sys/class/thermal (the
# init task's root), never a fake tree planted in the loader's root. The
# first snapshot is taken in module init, i.e. in insmod's context, so the
# check looks at generation 1 before the worker ever runs.
. /opt/bcmon/lib.sh
unload_bcmon
insmod $FIXTURES/bcmon_fixture_sensors.ko
DBG=/sys/kernel/debug/bcmon/sensors

# fake_tree DIR: a root with busybox, bcmon.ko and a fake thermal_zone7.
fake_tree() {
	mkdir -p $1/bin $1/proc $1/sys/class/thermal/thermal_zone7 $1/sys/kernel/debug
	cp /bin/busybox $1/bin/busybox
	cp "$BCMON_KO" $1/bcmon.ko
	echo evil_zone >$1/sys/class/thermal/thermal_zone7/type
	echo 123456 >$1/sys/class/thermal/thermal_zone7/temp
}

# check_snapshot HOW: the fake zone is absent, the real ones are present.
check_snapshot() {
	s=$(cat $DBG)
	note "$1: $(echo "$s" | head -n 6)"
	assert_contains "$s" "generation 1 " "$1: the snapshot taken in module init"
	case $s in *evil_zone*|*123456*) fail "$1: the fake zone from the loader's root was read" ;; esac
	assert_contains "$s" "bcmon_zone" "$1: the machine's zone is there"
	assert_contains "$s" "bcmon_battery" "$1: the machine's battery zone is there"
}

# 1. chroot: insmod runs with the fake tree as its root.
F=/tmp/fakeroot
fake_tree $F
chroot $F /bin/busybox insmod /bcmon.ko sensor_interval_ms=60000
check_snapshot chroot
rmmod bcmon

# 2. A private mount namespace with the fake tree bind-mounted over the
#    real /sys/class/thermal (the loader keeps the real root otherwise).
N=/tmp/fakens
fake_tree $N
unshare -m sh -c "mount --bind $N/sys/class/thermal /sys/class/thermal &&
	ls /sys/class/thermal | grep -qx thermal_zone7 &&
	insmod $BCMON_KO sensor_interval_ms=60000" || fail "insmod in a mount namespace"
check_snapshot "mount namespace"
# The periodic worker, too (it never ran in the loader's context).
echo 100 >/sys/module/bcmon/parameters/sensor_interval_ms
i=0; until ! grep -q 'generation 1 ' $DBG; do i=$((i + 1)); [ $i -lt 100 ] || fail "no second snapshot"; sleep 0.1; done
case $(cat $DBG) in *evil_zone*) fail "worker read the fake zone" ;; esac
rmmod bcmon

# 3. chroot and a mount namespace together.
unshare -m chroot $F /bin/busybox insmod /bcmon.ko sensor_interval_ms=60000
check_snapshot "chroot in a mount namespace"
rmmod bcmon
rmmod bcmon_fixture_sensors
rm -rf $F $N
