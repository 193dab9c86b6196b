# bcmon.ko loads, creates its debugfs directory, answers the netlink
# version command, and unloads cleanly; twice, to catch leaks on reload.
. /opt/bcmon/lib.sh
want=$(cat /opt/bcmon/VERSION)
for round in 1 2; do
	insmod "$BCMON_KO"
	[ -d /sys/kernel/debug/bcmon ] || fail "no debugfs dir (round $round)"
	assert_eq "$want" "$(cat /sys/kernel/debug/bcmon/version)" "debugfs version"
	assert_eq "$want" "$(bcmonctl version)" "netlink version"
	rmmod bcmon
	[ ! -d /sys/kernel/debug/bcmon ] || fail "debugfs dir left behind"
	expect_fail bcmonctl version 2>/dev/null
done
