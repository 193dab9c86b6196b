# Events on the "events" group while fixture parameters change: errors of
# severity >= error (not below), supply status, capacity crossing
# low_capacity down and back up, a trip point crossed and cleared (with
# hysteresis), throttling start and stop. bcmonctl watch prints them, in
# order, in JSON and as text (joining the group needs CAP_NET_ADMIN: the
# refusal of other users is tested in 18-sets-ownership.sh).
. /opt/bcmon/lib.sh
unload_bcmon
P=/sys/module/bcmon_fixture_sensors/parameters
insmod $FIXTURES/bcmon_fixture_sensors.ko
insmod "$BCMON_KO" sensor_interval_ms=200 low_capacity=20
T=/tmp/events.$$
mkdir -p $T && chmod 777 $T

bcmonctl --json watch >$T/root.json 2>$T/root.err &
ROOT_PID=$!
bcmonctl watch >$T/user.txt 2>$T/user.err &
USER_PID=$!
wait_file() {	# wait_file FILE TEXT WHAT: up to 5 s
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 50 ] || fail "$3: '$2' not in $1: $(cat $1)"
		sleep 0.1
	done
}
wait_file $T/root.err watching "root watcher subscribed"
wait_file $T/user.err watching "text watcher subscribed"

bcmonctl error network info "routine info"
bcmonctl error network warning "just a warning"
bcmonctl error consensus error "round 7 failed"
wait_file $T/root.json '"event":"error"' "error event"

echo 1 > $P/status
wait_file $T/root.json '"event":"supply_status"' "status event"
echo 15 > $P/capacity
wait_file $T/root.json '"event":"supply_low"' "low event"
echo 50 > $P/capacity
wait_file $T/root.json '"event":"supply_ok"' "ok event"

echo 46000 > $P/zone_temp
wait_file $T/root.json '"event":"trip_crossed"' "trip crossed"
echo 44000 > $P/zone_temp	# below the trip, within its 2000 hysteresis
sleep 1
grep -q trip_cleared $T/root.json && fail "cleared within hysteresis"
echo 42000 > $P/zone_temp
wait_file $T/root.json '"event":"trip_cleared"' "trip cleared"

echo 1 > $P/cooling_state
wait_file $T/root.json '"event":"throttle_start"' "throttle start"
echo 0 > $P/cooling_state
wait_file $T/root.json '"event":"throttle_stop"' "throttle stop"
wait_file $T/user.txt 'throttle_stop' "text watcher saw everything"
kill $ROOT_PID $USER_PID
wait $ROOT_PID $USER_PID 2>/dev/null || true

cat $T/root.json
# Exactly these events, in this order.
assert_eq "error supply_status supply_low supply_ok trip_crossed trip_cleared throttle_start throttle_stop" \
	"$(jq -r .event $T/root.json | tr '\n' ' ' | sed 's/ $//')" "event sequence"
ev() { jq -c "select(.event==\"$1\") | $2" $T/root.json; }
assert_eq '"consensus" "error" "round 7 failed"' "$(jq -r 'select(.event=="error") | "\"\(.category)\" \"\(.severity)\" \"\(.message)\""' $T/root.json)" "error payload"
assert_eq 3 "$(ev error .seq)" "error seq"
assert_eq '"Charging"' "$(ev supply_status .status)" "status payload"
assert_eq '"bcmon_battery"' "$(ev supply_status .supply)" "status supply"
assert_eq 15 "$(ev supply_low .capacity)" "low payload"
assert_eq 50 "$(ev supply_ok .capacity)" "ok payload"
assert_eq '[0,"passive",45000,46000,"bcmon_zone"]' "$(ev trip_crossed '[.trip,.trip_type,.trip_temp_mc,.temp_mc,.type]')" "crossed payload"
assert_eq '[0,42000]' "$(ev trip_cleared '[.trip,.temp_mc]')" "cleared payload"
assert_eq true "$(ev throttle_start .throttling)" "throttle start payload"
assert_eq false "$(ev throttle_stop .throttling)" "throttle stop payload"

# The text form for people, same events.
cat $T/user.txt
assert_eq 8 "$(wc -l <$T/user.txt)" "text watcher count"
grep -Eq '^error seq=3 category=consensus severity=error origin=uid=0,pid=[0-9]+ message="round 7 failed"$' $T/user.txt || fail "text error line"
grep -q '^supply_low supply=bcmon_battery status="Charging" capacity=15$' $T/user.txt || fail "text low line"
grep -q '^trip_crossed zone=[0-9]* type=bcmon_zone temp_mc=46000 trip=0 trip_type=passive trip_temp_mc=45000$' $T/user.txt || fail "text trip line"

# --count and --timeout end a watch.
bcmonctl watch --count 1 >$T/one.txt 2>$T/one.err &
PID=$!
wait_file $T/one.err watching "count watcher subscribed"
bcmonctl error security critical "one"
wait $PID || fail "watch --count 1 exit status"
assert_contains "$(cat $T/one.txt)" 'message="one"' "count watcher line"
rc=0; bcmonctl watch --timeout 1 >/dev/null 2>$T/to.err || rc=$?
assert_eq 1 "$rc" "watch timeout exit"
assert_contains "$(cat $T/to.err)" "timed out" "timeout message"
rc=0; bcmonctl watch --count x 2>/dev/null || rc=$?
assert_eq 2 "$rc" "watch usage"

rmmod bcmon
rmmod bcmon_fixture_sensors
rm -rf $T
