# Helpers for guest test scripts: ". /opt/bcmon/lib.sh" at the top.
# A test fails by exiting non-zero; fail() says why on the console.
set -e
BCMON_KO=/opt/bcmon/kmod/bcmon.ko
FIXTURES=/opt/bcmon/fixtures
BPF_DIR=/opt/bcmon/bpf

fail() { echo "FAILED: $*"; exit 1; }
note() { echo "# $*"; }

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

# assert_contains HAYSTACK NEEDLE WHAT
assert_contains() {
	case $1 in *"$2"*) ;; *) fail "$3: '$2' not found in: $1" ;; esac
}

# expect_fail CMD...: the command must exit non-zero.
expect_fail() {
	if "$@"; then fail "expected failure: $*"; fi
}

load_bcmon() {
	grep -q '^bcmon ' /proc/modules || insmod "$BCMON_KO" "$@"
}

unload_bcmon() {
	! grep -q '^bcmon ' /proc/modules || rmmod bcmon
}

# sensors_quiesce_for_zone_removal: before a thermal zone goes away while
# bcmon.ko is loaded, make sure no bcmon sensor read is in flight or due.
# Only where the kernel needs it: Linux 6.1's thermal_zone_device_unregister()
# calls mutex_destroy(&tz->lock) *before* device_unregister(), so any reader
# of the zone's sysfs "temp" in that window (bcmon's worker, or cat) takes a
# destroyed mutex: harmless on production kernels (mutex_destroy is a no-op
# without CONFIG_DEBUG_MUTEXES), a DEBUG_LOCKS_WARN_ON on the debug kernel.
# 6.12 destroys the mutex in the device's release, after device_del() has
# drained every sysfs reader, so there the race stays under test.
# Documentation/sensors.md. sensors_resume INTERVAL_MS undoes it.
sensors_quiesce_for_zone_removal() {
	case $(uname -r) in 6.1.*) ;; *) return 0 ;; esac
	echo 600000 >/sys/module/bcmon/parameters/sensor_interval_ms
	# A snapshot already running finishes within a few reads; wait until
	# the published generation stops moving.
	g=$(sed -n 's/^generation \([0-9]*\) .*/\1/p' /sys/kernel/debug/bcmon/sensors)
	while sleep $((1 * ${BCMON_SLOW:-1})); do
		n=$(sed -n 's/^generation \([0-9]*\) .*/\1/p' /sys/kernel/debug/bcmon/sensors)
		[ "$n" = "$g" ] && break
		g=$n
	done
}
sensors_resume() {
	echo "$1" >/sys/module/bcmon/parameters/sensor_interval_ms
}
