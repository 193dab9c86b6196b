#!/usr/bin/env bash
# Host test: bcmon-exporter under attack. Basic auth at bcrypt cost 10 (as
# deployed); the valid client (127.0.0.1) authenticates before the attack,
# then scrapes every 0.25 s with a 3 s deadline
# (X-Prometheus-Scrape-Timeout-Seconds) while attackers from 127.0.0.2 and
# up run each of:
#   wrongpass  200 concurrent wrong-password requests, back to back
#   slowloris  600 connections sending a request one byte a second
#              (more than --web.max-connections, 512)
#   flood      1,000 concurrent connections scraping without credentials
#   oversize   100 connections sending 64 KiB headers and 1 MiB bodies
# Every valid scrape must succeed within its deadline, and resident memory
# must come back to within 20% of its level before the attack. Prints, per
# attack, the valid scrape's median latency during it as a ratio to an idle
# scrape measured in the same run.
# Then a valid client's connection that waits (sends nothing for 3 s, as a
# slow client or one between two requests does) while the flood fills the
# connection limit from other addresses must not be the one closed to make
# room: it still gets its answer.
. "$(dirname "$0")/exporter-lib.bash"
ulimit -n 8192
ATTACK="/usr/bin/python3 $root/tests/host/exporter-attack.py"
DEADLINE=3

hash=$(/usr/bin/python3 -W ignore -c 'import crypt; print(crypt.crypt("s3cret", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))')
case $hash in '$2b$10$'*) ;; *) fail "no bcrypt cost 10 from python's crypt: $hash" ;; esac
printf "basic_auth_users:\n  prometheus: '%s'\n" "$hash" >"$tmp/web.yml"

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$EXPORTER_PID/status"; }
json() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
attacker=

stop_attacker() {
	[ -n "$attacker" ] || return 0
	kill "$attacker" 2>/dev/null || true
	wait "$attacker" 2>/dev/null || true
	attacker=
}
trap 'stop_attacker; cleanup' EXIT

start_exporter --web.config.file="$tmp/web.yml" --no-collector.bpf
# The valid client authenticates before any attack.
$ATTACK probe 127.0.0.1 "$PORT" prometheus:s3cret 1 "$DEADLINE" >/dev/null

for attack in "wrongpass 200" "slowloris 600" "flood 1000" "oversize 100"; do
	set -- $attack
	name=$1
	$ATTACK probe 127.0.0.1 "$PORT" prometheus:s3cret 1 "$DEADLINE" >/dev/null
	rss_before=$(rss_kb)
	idle=$($ATTACK probe 127.0.0.1 "$PORT" prometheus:s3cret 2 "$DEADLINE")
	[ "$(echo "$idle" | json failures)" = 0 ] || fail "$name: idle scrapes failed: $idle"
	$ATTACK attack "$name" 127.0.0.1 "$PORT" "$2" &
	attacker=$!
	sleep 2
	during=$($ATTACK probe 127.0.0.1 "$PORT" prometheus:s3cret 8 "$DEADLINE")
	stop_attacker
	kill -0 "$EXPORTER_PID" 2>/dev/null || fail "$name: the exporter died"
	[ "$(echo "$during" | json failures)" = 0 ] ||
		fail "$name: valid scrapes failed during the attack: $during"
	# Memory: the attackers' connections are gone once they are closed.
	sleep 2
	$ATTACK probe 127.0.0.1 "$PORT" prometheus:s3cret 1 "$DEADLINE" >/dev/null
	rss_after=$(rss_kb)
	[ "$rss_after" -le $((rss_before * 12 / 10)) ] ||
		fail "$name: RSS $rss_before kB before, $rss_after kB after (more than 20%)"
	im=$(echo "$idle" | json median) dm=$(echo "$during" | json median)
	echo "ATTACK $name valid_scrapes=$(echo "$during" | json count) failures=0" \
		"idle_median_s=$im attack_median_s=$dm attack_max_s=$(echo "$during" | json max)" \
		"ratio=$(awk -v a="$dm" -v b="$im" 'BEGIN { printf "%.1f", a / b }')" \
		"rss_kb=$rss_before->$rss_after"
done
# The connection limit is shared fairly: the flood's own connections go first.
$ATTACK held 127.0.0.1 "$PORT" prometheus:s3cret 3 "$DEADLINE" >"$tmp/held" &
held=$!
sleep 0.5
$ATTACK attack flood 127.0.0.1 "$PORT" 1000 &
attacker=$!
wait "$held" || true
stop_attacker
grep -q '"status": 200' "$tmp/held" ||
	fail "a waiting valid connection was closed to make room for the flood: $(cat "$tmp/held")"
echo "ATTACK held-through-flood $(cat "$tmp/held")"
curl -fsS -u prometheus:s3cret -o "$tmp/m" "$URL/metrics" || fail "scrape after the attacks"
# Wrong passwords cost the flooder: most were refused without a bcrypt run
# (their address out of tries, or the checks' queue full).
checks=$(metric_value "$tmp/m" bitcraps_exporter_bcrypt_checks_total)
throttled=$(metric_value "$tmp/m" 'bitcraps_exporter_http_auth_rejections_total{reason="throttled"}')
busy=$(metric_value "$tmp/m" 'bitcraps_exporter_http_auth_rejections_total{reason="busy"}')
[ $((throttled + busy)) -gt $((checks * 10)) ] ||
	fail "only $throttled throttled and $busy busy against $checks bcrypt checks"
echo "ATTACK bcrypt checks=$checks refused_without_bcrypt=$((throttled + busy))"
evicted=$(metric_value "$tmp/m" bitcraps_exporter_http_connections_evicted_total)
[ "$evicted" -gt 0 ] || fail "no idle connection was evicted by the slow-loris attack"
stop_exporter
echo "44-exporter-attack: valid scrapes on time through every attack, memory back"
