# The guest runs tests at all: kernel version matches, both CPUs online,
# debugfs mounted, the result channel carries this test's result.
. /opt/bcmon/lib.sh
case $(uname -r) in "$KERNEL_SERIES".*) ;; *) fail "wrong kernel $(uname -r)" ;; esac
assert_eq 2 "$(nproc)" "online CPUs"
[ -d /sys/kernel/debug/tracing ] || [ -d /sys/kernel/debug/bdi ] || fail "debugfs not mounted"
ip addr show eth0 | grep -q 10.0.2.15 || fail "eth0 has no address"
