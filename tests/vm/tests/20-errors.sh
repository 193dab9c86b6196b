# Error events end to end: bcmonctl error/errors, the debugfs "errors" file,
# ring wraparound with a small error_ring_size, totals that never reset,
# bad input answered with errno + extack, and no recording for unprivileged
# users.
. /opt/bcmon/lib.sh
unload_bcmon
insmod "$BCMON_KO" error_ring_size=5
DBG=/sys/kernel/debug/bcmon/errors

# Fresh module: empty ring, all totals zero.
out=$(bcmonctl errors)
assert_contains "$out" "TOTALS" "errors table"
[ "$(bcmonctl --json errors | grep -o '"seq"' | wc -l)" = 0 ] || fail "ring not empty at load"

bcmonctl error network error "peer 10.0.0.7 timed out"
bcmonctl error consensus critical "round 42 stalled"
bcmonctl error gaming info dice roll verified
out=$(bcmonctl errors)
assert_contains "$out" "peer 10.0.0.7 timed out" "table message 1"
assert_contains "$out" "round 42 stalled" "table message 2"
assert_contains "$out" "dice roll verified" "words joined"
echo "$out" | grep -Eq '^1 +[0-9T:.-]+Z +network +error +uid=0,pid=[0-9]+ +peer 10.0.0.7 timed out$' ||
	fail "row 1 columns: $out"
json=$(bcmonctl --json errors)
assert_contains "$json" '{"seq":2,' "json seq 2"
assert_contains "$json" '"category":"consensus","severity":"critical","message":"round 42 stalled"' "json event"
assert_contains "$json" '{"category":"gaming","severity":"info","count":1}' "json total"

# Timestamps are CLOCK_REALTIME: close to the guest's clock (5 s, times the
# harness' slowness factor: a debug kernel is several times slower).
ts=$(echo "$json" | grep -o '"timestamp_ns":[0-9]*' | head -n1 | cut -d: -f2)
now=$(date +%s)
d=$(( ${ts%?????????} - now )); d=${d#-}
[ "$d" -le $((5 * ${BCMON_SLOW:-1})) ] || fail "timestamp $ts far from now $now"

# debugfs: the same events, newest last, then the totals.
dbg=$(cat $DBG)
assert_contains "$dbg" "round 42 stalled" "debugfs message"
last=$(echo "$dbg" | awk '$1 ~ /^[0-9]+$/ { l = $0 } END { print l }')
assert_contains "$last" "dice roll verified" "debugfs newest last"
assert_contains "$dbg" "ring_size 5 recorded 3" "debugfs summary"
echo "$dbg" | grep -Eq '^consensus +0 +0 +0 +1$' || fail "debugfs totals row: $dbg"

# Wraparound: 7 more events, the ring keeps the 5 newest (seq 6..10).
for i in 1 2 3 4 5 6 7; do bcmonctl error resource warning "low memory $i"; done
json=$(bcmonctl --json errors)
assert_eq 5 "$(echo "$json" | grep -o '"seq"' | wc -l)" "events kept"
assert_contains "$json" '{"seq":6,' "oldest kept"
assert_contains "$json" '"message":"low memory 7"' "newest kept"
case $json in *'"seq":5,'*) fail "seq 5 should be overwritten" ;; esac
# Oldest first.
seqs=$(echo "$json" | grep -o '"seq":[0-9]*' | cut -d: -f2 | tr '\n' ' ')
assert_eq "6 7 8 9 10 " "$seqs" "order"
# Totals never reset: all 10 counted although only 5 are kept.
assert_contains "$json" '{"category":"resource","severity":"warning","count":7}' "totals after wrap"
assert_contains "$json" '{"category":"network","severity":"error","count":1}' "overwritten still counted"
assert_contains "$(cat $DBG)" "ring_size 5 recorded 10" "debugfs after wrap"
[ "$(grep -c 'low memory' $DBG)" = 5 ] || fail "debugfs shows more than the ring"

# Bad input: errno + the kernel's extack text, nothing recorded.
set +e
msg=$(bcmonctl error 9 error "bad category" 2>&1); rc=$?
assert_eq 1 "$rc" "category out of range exit"
assert_contains "$msg" "out of range" "category extack"
msg=$(bcmonctl error network 7 "bad severity" 2>&1); rc=$?
assert_eq 1 "$rc" "severity out of range exit"
assert_contains "$msg" "out of range" "severity extack"
long=$(printf 'x%.0s' $(seq 1 200))
msg=$(bcmonctl error network error "$long" 2>&1); rc=$?
assert_eq 1 "$rc" "overlong message exit"
assert_contains "$msg" "policy validation" "overlong extack"
msg=$(bcmonctl error network error "" 2>&1); rc=$?
assert_eq 1 "$rc" "empty message exit"
assert_contains "$msg" "error message is empty" "empty extack"
msg=$(bcmonctl error network 2>&1); rc=$?
assert_eq 2 "$rc" "usage exit"
msg=$(bcmonctl error nosuch error x 2>&1); rc=$?
assert_eq 2 "$rc" "unknown category name is a usage error"
assert_contains "$msg" "unknown category" "unknown name text"

# Permission: an unprivileged user can read but not record.
msg=$(su nobody -s /bin/sh -c 'bcmonctl error security critical intruder' 2>&1); rc=$?
assert_eq 1 "$rc" "unprivileged record exit"
assert_contains "$msg" "CAP_NET_ADMIN" "unprivileged extack"
su nobody -s /bin/sh -c 'bcmonctl errors' >/dev/null || fail "unprivileged read"
set -e
json=$(bcmonctl --json errors)
assert_contains "$(cat $DBG)" "recorded 10" "rejected requests recorded nothing"
assert_contains "$json" '{"category":"security","severity":"critical","count":0}' "no security event"

# The status carries the same totals as the dump, and errors-recorded is
# their sum: the exporter reads them there, without dumping the ring.
out=$(bcmon-errtest totals) || fail "status totals: $out"
assert_contains "$out" "totals 28 recorded 10" "status totals"

# The writer group may record too (events have no owner); others still not.
rmmod bcmon
insmod "$BCMON_KO" writer_gid=1000
bcmon-setstest runas 65534 1000 bcmonctl error gaming error "from the writer group" ||
	fail "writer-group member cannot record"
rc=0; msg=$(bcmon-setstest runas 65534 65534 bcmonctl error gaming error "outsider" 2>&1) || rc=$?
assert_eq 1 "$rc" "non-member refused"
assert_contains "$msg" "writer group" "non-member extack"
json=$(bcmonctl --json errors)
assert_contains "$json" '"message":"from the writer group"' "writer-group event recorded"
case $json in *outsider*) fail "refused event recorded" ;; esac

# Out-of-range module parameter refuses to load.
rmmod bcmon
expect_fail insmod "$BCMON_KO" error_ring_size=0 2>/dev/null
insmod "$BCMON_KO"
assert_contains "$(cat $DBG)" "ring_size 100 recorded 0" "reload starts fresh"
rmmod bcmon
