# bcmon-exporter under abuse: unknown paths, bad methods, oversized
# headers, a slow client, 1,000 concurrent connections; every connection
# gets a proper answer or a prompt refusal, nothing hangs, scrapes keep
# working, and the exporter's memory does not grow.
# timeout: 600
. /opt/bcmon/lib.sh
. "$(dirname "$0")/exporter-lib.sh.inc"
load_bcmon
ulimit -n 4096
# The connection timeout is scaled by the kernel's slowness: on the debug
# kernel opening the load rounds' 1,000 connections took longer than 3 s,
# so the exporter dropped every one as idle before its request was written
# (0 of 1,000 served, all reset).
ct=$((3 * ${BCMON_SLOW:-1}))
exporter_start --web.connection-timeout=$ct
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

assert_eq 404 "$(code "$URL/nope")" "unknown path"
assert_eq 404 "$(code "$URL/metrics/extra")" "path below metrics"
assert_eq 405 "$(code -X POST -d x "$URL/metrics")" "POST"
assert_eq 200 "$(code -I "$URL/metrics")" "HEAD"

# Headers larger than the connection's memory limit (16 KiB).
big=$(head -c 40000 /dev/zero | tr '\0' a)
c=$(code -H "X-Big: $big" "$URL/metrics")
case $c in 413|431) ;; *) fail "oversized header got $c, want 413 or 431" ;; esac
assert_eq 200 "$(code "$URL/metrics")" "served after the oversized request"

# A slow client that never finishes its request is dropped after the
# connection timeout, and does not block others meanwhile.
start=$(date +%s)
( printf 'GET /metrics HTTP/1.1\r\nHost: x\r\n'; sleep $((ct + 17)) ) | nc 127.0.0.1 $PORT >/dev/null &
slow=$!
sleep 1
assert_eq 200 "$(code -m $((5 * ${BCMON_SLOW:-1})) "$URL/metrics")" "scrape while a slow client waits"
n=0
while kill -0 $slow 2>/dev/null && [ $n -lt $(((ct + 12) * 10)) ]; do sleep 0.1; n=$((n + 1)); done
# nc exits when the server closes; the subshell's sleep may linger.
grep -q 'nc' /proc/$slow/cmdline 2>/dev/null && fail "slow client still connected after $((ct + 12)) s"
kill $slow 2>/dev/null || true
elapsed=$(( $(date +%s) - start ))
[ $elapsed -ge $ct ] || fail "slow client dropped after only $elapsed s (timeout $ct s)"
note "slow client dropped after $elapsed s"

# The exporter hands freed heap back once a second: read RSS after that.
rss() { sleep 1.5; awk '/^VmRSS/ { print $2 }' /proc/$EXPORTER_PID/status; }
# A round's connections all get their answer within lt seconds (scaled:
# the debug kernel served 912 of 1,000 in 60 s, the rest still queued).
lt=$((60 * ${BCMON_SLOW:-1}))
bcmon-scrape load 127.0.0.1 $PORT /metrics 1000 $lt >/tmp/load1 || fail "load round 1: $(cat /tmp/load1)"
rss1=$(rss)
note "round 1: $(cat /tmp/load1) rss=${rss1} kB"
for round in 2 3 4; do
	bcmon-scrape load 127.0.0.1 $PORT /metrics 1000 $lt >/tmp/load || fail "load round $round: $(cat /tmp/load)"
	note "round $round: $(cat /tmp/load) rss=$(rss) kB"
done
rss4=$(rss)
# Every connection gets a scrape (at most --web.max-requests, 40, at once),
# a 503 beyond that, or a prompt refusal (beyond the per-IP limit, 128, it
# is closed at once: "reset"); none hangs, and nothing is a server error.
ok=$(sed -n 's/.*status_200=\([0-9]*\).*/\1/p' /tmp/load)
[ "${ok:-0}" -ge 40 ] || fail "only ${ok:-0} of 1000 served (--web.max-requests is 40)"
grep -q 'hung=0' /tmp/load || fail "connections hung"
sed 's/status_503=[0-9]*//' /tmp/load | grep -q 'status_5' && fail "server errors under load"
[ $((rss4 - rss1)) -lt 1024 ] || fail "RSS grew from $rss1 to $rss4 kB over three rounds"
assert_eq 200 "$(code "$URL/metrics")" "served after the load"
exporter_stop
