# Lifecycle: rmmod while clients hold sockets (an idle libbcmon user and
# an events listener) and while a debugfs file is open; a set destroyed
# while its debugfs file is open; reload and use again.
. /opt/bcmon/lib.sh
D=/sys/kernel/debug/bcmon
load_bcmon

# Events: set created/destroyed on the "events" group.
bcmon-setstest events 2 >/tmp/events.out & ev=$!
for i in 1 2 3 4 5 6 7 8 9 10; do grep -q listening /tmp/events.out && break; sleep 0.2; done
bcmonctl create evset c:counter
bcmonctl destroy evset
wait $ev || fail "events listener"
assert_contains "$(cat /tmp/events.out)" "created evset" "created event"
assert_contains "$(cat /tmp/events.out)" "destroyed evset" "destroyed event"

# Destroy a set while its debugfs file is held open.
bcmonctl create held c:counter
bcmonctl add held c 9
exec 3<$D/sets/held
bcmonctl destroy held
rc=0; cat <&3 >/dev/null 2>&1 || rc=$?
note "read of a destroyed set's open file: status $rc"
exec 3<&-
[ ! -e $D/sets/held ] || fail "file still there"

# rmmod with a listener socket, an idle socket and an open debugfs file.
bcmonctl create keep c:counter
bcmon-setstest events 1000 >/dev/null 2>&1 & listener=$!
exec 4<$D/sets/keep
exec 5<$D/status
sleep 0.5
if rmmod bcmon 2>/dev/null; then
	note "rmmod succeeded with open debugfs files"
else
	note "rmmod refused while debugfs files are open"
	exec 4<&- 5<&-
	rmmod bcmon
fi
exec 4<&- 5<&-	# closed already if rmmod was refused
grep -q '^bcmon ' /proc/modules && fail "module still loaded"
# The listener's socket survives the family going away; it just hears nothing.
# It may have given up already (it waits 20 s per event): slow guests.
kill $listener 2>/dev/null || true
wait $listener 2>/dev/null || true

# Reload: clean state, works again.
for round in 1 2 3; do
	insmod "$BCMON_KO"
	assert_contains "$(bcmonctl --json status)" '"sets":0,' "fresh after reload $round"
	bcmonctl create again c:counter
	bcmonctl add again c $round
	assert_contains "$(cat $D/sets/again)" "value $round" "works after reload $round"
	rmmod bcmon
done
