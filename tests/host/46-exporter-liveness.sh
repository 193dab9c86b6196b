#!/usr/bin/env bash
# Host test: liveness apart from node health, the exporter's own metrics,
# and smaller defects each with its check:
#  - /-/healthy and /-/ready answer for the process while /health is 503
#    for a critical node;
#  - the standard process_* families describe the exporter process; HTTP
#    request counters by handler and code; the in-flight gauge;
#  - a GET or HEAD with a body is answered;
#  - --config.file from a pipe is read (and a bad one refused, exit 2);
#  - a --web.listen-address that is not host:port exits 2;
#  - after a reload names another pid_file, the old process's CPU ratio is
#    not served;
#  - where BPF is refused (EPERM, this host), the bpf collector does not try
#    to load the probes again a minute later (it cost a scrape ~120 ms).
. "$(dirname "$0")/exporter-lib.bash"
v() { metric_value "$1" "$2" || echo missing; }

# A second exporter, with the bpf collector, checked at the end (> 60 s).
"$EXPORTER" --web.listen-address=127.0.0.1:0 2>"$tmp/bpf.log" &
bpf_pid=$!
bpf_started=$SECONDS
trap 'kill $bpf_pid 2>/dev/null || true; cleanup' EXIT

# --- liveness is not node health ---------------------------------------------
printf 'thresholds:\n  memory_critical_bytes: 1048576\n  cpu_warning_ratio: 0\n' >"$tmp/crit.yml"
start_exporter --config.file="$tmp/crit.yml" --no-collector.bpf
code() { curl -s -o "$tmp/body" -w '%{http_code}' "$@"; }
[ "$(code "$URL/health")" = 503 ] || fail "/health should be 503 for a critical node"
[ "$(code "$URL/-/healthy")" = 200 ] || fail "/-/healthy should be 200 while the node is critical"
[ "$(cat "$tmp/body")" = Healthy ] || fail "/-/healthy body: $(cat "$tmp/body")"
[ "$(code "$URL/-/ready")" = 200 ] || fail "/-/ready"
[ "$(cat "$tmp/body")" = Ready ] || fail "/-/ready body: $(cat "$tmp/body")"
grep -q 'href="/-/healthy"' <(curl -fsS "$URL/") || fail "landing page lacks /-/healthy"

# --- a body on GET or HEAD ----------------------------------------------------
[ "$(code -m 5 -X GET -d 'x=1' "$URL/metrics")" = 200 ] || fail "GET with a body got no answer"
grep -q '^bitcraps_health_status ' "$tmp/body" || fail "GET with a body: no metrics"
[ "$(code -m 5 -X GET --data-binary @<(head -c 20000 /dev/zero) "$URL/-/healthy")" = 200 ] ||
	fail "GET with a 20 kB body"
head_with_body() {
	exec 3<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'HEAD /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc' >&3
	timeout 5 head -n 1 <&3
	exec 3<&-
}
case $(head_with_body) in "HTTP/1.1 200 OK"*) ;; *) fail "HEAD with a body got no answer" ;; esac

# --- the exporter's own metrics ----------------------------------------------
for _ in 1 2 3; do curl -s -o /dev/null "$URL/nope"; done
curl -s -o /dev/null "$URL/"
curl -fsS -o "$tmp/m" "$URL/metrics"
out=$(promtool check metrics <"$tmp/m" 2>&1) || fail "promtool: $out"
[ -z "$out" ] || fail "promtool complained: $out"
pid=$EXPORTER_PID
fds=$(ls /proc/$pid/fd | wc -l)
open=$(v "$tmp/m" process_open_fds)
[ "$open" != missing ] && [ $((open - fds)) -le 3 ] && [ $((fds - open)) -le 3 ] ||
	fail "process_open_fds $open, /proc says $fds"
max=$(awk '/^Max open files/ { print $4 }' /proc/$pid/limits)
[ "$(v "$tmp/m" process_max_fds)" = "$max" ] || fail "process_max_fds $(v "$tmp/m" process_max_fds), limit $max"
rss=$(v "$tmp/m" process_resident_memory_bytes)
kernel_rss=$(( $(awk '{ print $2 }' /proc/$pid/statm) * $(getconf PAGESIZE) ))
awk -v a="$rss" -v b="$kernel_rss" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 1048576) }' ||
	fail "process_resident_memory_bytes $rss, /proc says $kernel_rss"
vsz=$(v "$tmp/m" process_virtual_memory_bytes)
awk -v v="$vsz" -v r="$rss" 'BEGIN { exit !(v > r) }' || fail "virtual memory $vsz below RSS $rss"
v "$tmp/m" process_virtual_memory_max_bytes >/dev/null
start=$(v "$tmp/m" process_start_time_seconds)
awk -v s="$start" -v now="$(date +%s)" 'BEGIN { exit !(s <= now + 1 && s > now - 120) }' ||
	fail "process_start_time_seconds $start, now $(date +%s)"
v "$tmp/m" process_cpu_seconds_total >/dev/null
# The node's families stay apart: bitcraps_process_* is the watched process.
v "$tmp/m" bitcraps_process_resident_memory_bytes >/dev/null
[ "$(v "$tmp/m" 'bitcraps_exporter_http_requests_total{handler="other",code="404"}')" = 3 ] ||
	fail "404s by handler: $(grep http_requests_total "$tmp/m")"
[ "$(v "$tmp/m" 'bitcraps_exporter_http_requests_total{handler="landing",code="200"}')" -ge 1 ] ||
	fail "landing page not counted"
[ "$(v "$tmp/m" 'bitcraps_exporter_http_requests_total{handler="health",code="503"}')" = 1 ] ||
	fail "/health 503 not counted"
[ "$(v "$tmp/m" bitcraps_exporter_http_requests_in_flight)" = 1 ] ||
	fail "in flight during a scrape: $(v "$tmp/m" bitcraps_exporter_http_requests_in_flight)"
stop_exporter

# --- the configuration from a pipe --------------------------------------------
"$EXPORTER" --web.listen-address=127.0.0.1:0 --no-collector.bpf \
	--config.file=<(printf 'namespace: piped\nthresholds:\n  cpu_warning_ratio: 0\n') 2>"$LOG" &
EXPORTER_PID=$!
for _ in $(seq 100); do grep -q 'msg="serving ' "$LOG" && break; sleep 0.1; done
PORT=$(sed -n 's/.*listening address=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$LOG")
curl -fsS -o "$tmp/m" "http://127.0.0.1:$PORT/metrics" || fail "no scrape with a piped config"
v "$tmp/m" piped_health_status >/dev/null || fail "the piped configuration was ignored"
stop_exporter
rc=0
"$EXPORTER" --config.file=<(printf 'namespace: [x\n') 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "bad YAML from a pipe: exit status $rc: $(cat "$tmp/err")"

# --- a listen address that is not one -----------------------------------------
for addr in 127.0.0.1 '[::1' 'localhost:http' ':99999'; do
	rc=0
	timeout 5 "$EXPORTER" --web.listen-address="$addr" 2>"$tmp/err" || rc=$?
	[ "$rc" = 2 ] || fail "listen address '$addr': exit status $rc, want 2"
	grep -qF "invalid listen address '$addr'" "$tmp/err" || fail "message: $(cat "$tmp/err")"
done

# --- a reload to another watched process ----------------------------------------
# A busy process A, then an idle one B: right after the reload the CPU ratio
# must not be A's (absent until B has a baseline and one interval).
busy() { while :; do :; done; }
busy & a=$!
sleep 1000 & b=$!
trap 'kill $a $b $bpf_pid 2>/dev/null || true; cleanup' EXIT
echo $a >"$tmp/a.pid"
echo $b >"$tmp/b.pid"
printf 'process:\n  pid_file: %s\nthresholds:\n  cpu_warning_ratio: 0\n' "$tmp/a.pid" >"$tmp/w.yml"
start_exporter --config.file="$tmp/w.yml" --no-collector.bpf
for _ in $(seq 80); do
	curl -fsS -o "$tmp/m" "$URL/metrics"
	r=$(v "$tmp/m" bitcraps_process_cpu_usage_ratio)
	[ "$r" != missing ] && break
	sleep 0.2
done
awk -v r="$r" 'BEGIN { exit !(r != "missing" && r > 0.05) }' || fail "busy process A at $r"
ra=$r
printf 'process:\n  pid_file: %s\nthresholds:\n  cpu_warning_ratio: 0\n' "$tmp/b.pid" >"$tmp/w.yml"
kill -HUP "$EXPORTER_PID"
for _ in $(seq 50); do grep -q 'configuration reloaded' "$LOG" && break; sleep 0.05; done
curl -fsS -o "$tmp/m" "$URL/metrics"
r=$(v "$tmp/m" bitcraps_process_cpu_usage_ratio)
[ "$r" = missing ] || awk -v r="$r" -v a="$ra" 'BEGIN { exit !(r < a / 3) }' ||
	fail "after the reload to B, the ratio is still A's: $r (A: $ra)"
for _ in $(seq 80); do
	curl -fsS -o "$tmp/m" "$URL/metrics"
	r=$(v "$tmp/m" bitcraps_process_cpu_usage_ratio)
	[ "$r" != missing ] && break
	sleep 0.2
done
awk -v r="$r" 'BEGIN { exit !(r != "missing" && r < 0.01) }' || fail "idle process B at $r"
stop_exporter
kill $a $b 2>/dev/null || true

# --- no eBPF load retry after EPERM ---------------------------------------------
bpf_port=$(sed -n 's/.*listening address=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/bpf.log")
while [ $((SECONDS - bpf_started)) -lt 62 ]; do sleep 1; done
curl -fsS -o "$tmp/m" "http://127.0.0.1:$bpf_port/metrics" || fail "bpf exporter scrape"
d=$(v "$tmp/m" 'bitcraps_scrape_collector_duration_seconds{collector="bpf"}')
awk -v d="$d" 'BEGIN { exit !(d != "missing" && d < 0.02) }' ||
	fail "bpf collector took $d s a minute on: it tried to load the probes again"
grep -q 'collector name=bpf failed: eBPF probes not loaded' "$tmp/bpf.log" ||
	fail "bpf: $(cat "$tmp/bpf.log")"
kill $bpf_pid
wait $bpf_pid || fail "bpf exporter exit status $?"
echo "46-exporter-liveness: liveness apart from health, process_* and HTTP counters, smaller fixes"
