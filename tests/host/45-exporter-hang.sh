#!/usr/bin/env bash
# Host test: bcmon-exporter with a collector that blocks.
#  1. process.pid_file is a FIFO (no writer): scrapes answer at once, the
#     proc collector fails with the reason, SIGTERM exits within 2 s.
#  2. disk_paths holds a directory on a FUSE mount that never answers
#     (bcmon-hangfs, a hung NFS server's stand-in: the proc collector's
#     thread is stuck in the kernel, deaf to signals):
#     - a scrape with X-Prometheus-Scrape-Timeout-Seconds: 2 is answered
#       within 2 s with everything else, proc success 0, reason
#       deadline_exceeded; the next one says previous_run_stuck and the
#       stuck collector is not started again;
#     - without the header, --scrape.timeout applies;
#     - /-/healthy and the landing page answer at once; /health answers;
#     - SIGTERM ends the process within 2 s, exit status 0;
#     - 20 concurrent scrapes: 4 (--web.max-requests=4) share one
#       collection, 16 get 503 at once, and the counters by code say so;
#       resident memory afterwards is within 20% of what it was before,
#       and it does not grow while the collector stays stuck.
# Each scrape's latency is printed as a ratio to an idle scrape (median of
# an exporter without a blocked collector) measured in the same run.
. "$(dirname "$0")/exporter-lib.bash"
HANGFS=$root/build/bin/bcmon-hangfs
[ -x "$HANGFS" ] || fail "$HANGFS not built"
[ -c /dev/fuse ] || fail "/dev/fuse missing: the hung-mount test needs FUSE"

hangfs_pid=
unhang() {
	[ -n "$hangfs_pid" ] || return 0
	kill "$hangfs_pid" 2>/dev/null || true
	wait "$hangfs_pid" 2>/dev/null || true
	hangfs_pid=
	umount -l "$tmp/hung" 2>/dev/null || true
}
trap 'unhang; cleanup' EXIT

# seconds CMD...: wall time of CMD in seconds (3 decimals).
seconds() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null || true
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
under() { awk -v t="$1" -v m="$2" 'BEGIN { exit !(t < m) }'; }

scrape_with() {	# scrape_with TIMEOUT_HEADER OUT
	curl -sS -m 10 -o "$2" -w '%{http_code}' \
		${1:+-H "X-Prometheus-Scrape-Timeout-Seconds: $1"} "$URL/metrics"
}

# scrape_s TIMEOUT_HEADER OUT: the scrape's latency in seconds as curl
# measured it (no process start in it); fails unless the answer is 200.
scrape_s() {
	local out
	out=$(curl -sS -m 10 -o "$2" -w '%{http_code} %{time_total}' \
		${1:+-H "X-Prometheus-Scrape-Timeout-Seconds: $1"} "$URL/metrics") || true
	case $out in "200 "*) echo "${out#200 }" ;; *) fail "scrape answered '$out'" ;; esac
}
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$EXPORTER_PID/status"; }
ratio() { awk -v t="$1" -v i="$IDLE_S" 'BEGIN { printf "%.1f", t / i }'; }

# --- 0. an idle scrape, the baseline of the ratios ------------------------
start_exporter --no-collector.bpf
out=$(scrape_s 2 "$tmp/m") || fail "$out"
IDLE_S=$(for _ in $(seq 7); do scrape_s 2 "$tmp/m" || exit 1; done) || fail "idle scrapes: $IDLE_S"
IDLE_S=$(echo "$IDLE_S" | sort -g | sed -n 4p)
echo "HANG idle scrape_s=$IDLE_S (median of 7)"
stop_exporter

# SIGTERM must end the process within 2 s.
term_within_2s() {
	local t0 rc=0 n=0
	t0=$(date +%s%N)
	kill -TERM "$EXPORTER_PID"
	while kill -0 "$EXPORTER_PID" 2>/dev/null && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	kill -0 "$EXPORTER_PID" 2>/dev/null && fail "$1: still running 5 s after SIGTERM"
	wait "$EXPORTER_PID" || rc=$?
	EXPORTER_PID=
	local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	[ "$ms" -lt 2000 ] || fail "$1: SIGTERM took $ms ms"
	[ "$rc" = 0 ] || fail "$1: exit status $rc after SIGTERM"
	echo "HANG $1 sigterm_ms=$ms"
}

# --- 1. a FIFO as the pid file --------------------------------------------
mkfifo "$tmp/node.pid"
printf 'process:\n  pid_file: %s\nthresholds:\n  cpu_warning_ratio: 0\n' "$tmp/node.pid" >"$tmp/fifo.yml"
start_exporter --config.file="$tmp/fifo.yml" --no-collector.bpf
t=$(scrape_s 2 "$tmp/m") || fail "$t"
under "$t" 2 || fail "fifo: scrape took $t s"
[ "$(metric_value "$tmp/m" 'bitcraps_scrape_collector_success{collector="proc"}')" = 0 ] ||
	fail "fifo: proc should fail"
[ "$(metric_value "$tmp/m" 'bitcraps_scrape_collector_success{collector="health"}')" = 1 ] ||
	fail "fifo: health should succeed"
grep -q "collector name=proc failed: pid file $tmp/node.pid: not a regular file" "$LOG" ||
	fail "fifo: the reason is not logged"
echo "HANG fifo scrape_s=$t ratio=$(ratio "$t")"
term_within_2s fifo

# --- 2. a directory on a hung mount ---------------------------------------
mkdir "$tmp/hung"
"$HANGFS" "$tmp/hung" >"$tmp/hangfs.out" &
hangfs_pid=$!
for _ in $(seq 50); do grep -q mounted "$tmp/hangfs.out" && break; sleep 0.1; done
grep -q mounted "$tmp/hangfs.out" || fail "bcmon-hangfs did not mount"
printf 'disk_paths: [/, %s]\nthresholds:\n  cpu_warning_ratio: 0\n' "$tmp/hung" >"$tmp/hung.yml"
start_exporter --config.file="$tmp/hung.yml" --no-collector.bpf --scrape.timeout=1.5

t=$(scrape_s 2 "$tmp/m1") || fail "$t"
under "$t" 2 || fail "hung: scrape took $t s, the deadline was 2 s"
rss_stuck=$(rss_kb)
v() { metric_value "$1" "$2" || echo missing; }
[ "$(v "$tmp/m1" 'bitcraps_scrape_collector_success{collector="proc"}')" = 0 ] || fail "hung: proc success"
[ "$(v "$tmp/m1" 'bitcraps_scrape_collector_failure_reason{collector="proc",reason="deadline_exceeded"}')" = 1 ] ||
	fail "hung: no deadline_exceeded reason: $(grep failure_reason "$tmp/m1")"
[ "$(v "$tmp/m1" 'bitcraps_scrape_collector_success{collector="health"}')" = 1 ] ||
	fail "hung: health should still succeed"
v "$tmp/m1" bitcraps_health_status >/dev/null
grep -q '^process_resident_memory_bytes ' "$tmp/m1" || fail "hung: self metrics missing"
echo "HANG hung-mount first_scrape_s=$t ratio=$(ratio "$t") (waits for its deadline, 2 s less 0.5 s)"

t=$(scrape_s 2 "$tmp/m2") || fail "$t"
under "$t" 2 || fail "hung: second scrape took $t s"
echo "HANG hung-mount next_scrape_s=$t ratio=$(ratio "$t") (the stuck collector not waited for)"
[ "$(v "$tmp/m2" 'bitcraps_scrape_collector_failure_reason{collector="proc",reason="previous_run_stuck"}')" = 1 ] ||
	fail "hung: the stuck collector should not run again: $(grep failure_reason "$tmp/m2")"
# Without the header, --scrape.timeout=1.5 (less the 0.5 s offset) applies.
t=$(scrape_s "" "$tmp/m3") || fail "$t"
under "$t" 1.5 || fail "hung: default-deadline scrape took $t s"
awk -v t="$t" 'BEGIN { exit !(t < 0.9) }' && grep -q 'reason="deadline_exceeded"' "$tmp/m3" &&
	fail "hung: answered at $t s, before the default deadline"

# Liveness and the landing page never wait for collectors.
for path in /-/healthy /-/ready /; do
	t=$(seconds curl -fsS -m 5 -o /dev/null "$URL$path")
	under "$t" 0.5 || fail "hung: $path took $t s"
done
t=$(seconds curl -sS -m 5 -o "$tmp/h" "$URL/health")
under "$t" 2 || fail "hung: /health took $t s"
# Nothing piles up behind the stuck collector.
for _ in $(seq 10); do out=$(scrape_s 2 "$tmp/m") || fail "$out"; done
sleep 1.5	# the exporter trims its heap once a second
rss_after=$(rss_kb)
[ "$rss_after" -le $((rss_stuck * 12 / 10)) ] ||
	fail "hung: RSS $rss_stuck kB after the first scrape, $rss_after kB after 12 more"
echo "HANG hung-mount rss_kb=$rss_stuck->$rss_after"

term_within_2s hung-mount

# A fresh exporter, whose first collection waits for the stuck collector
# until the deadline: 20 concurrent scrapes arrive meanwhile, at most 4 are
# in flight (--web.max-requests=4) and share that one collection, the
# others get 503 at once.
start_exporter --config.file="$tmp/hung.yml" --no-collector.bpf --scrape.timeout=1.5 \
	--web.max-requests=4
rss_before=$(awk '/^VmRSS/ { print $2 }' "/proc/$EXPORTER_PID/status")
curls=()
for i in $(seq 20); do
	curl -s -m 10 -o "$tmp/body.$i" -w '%{http_code} %{time_total}\n' \
		-H 'X-Prometheus-Scrape-Timeout-Seconds: 3' "$URL/metrics" >"$tmp/code.$i" &
	curls+=($!)
done
wait "${curls[@]}" || true
ok=$(cat "$tmp"/code.* | grep -c '^200 ' || true)
busy=$(cat "$tmp"/code.* | grep -c '^503 ' || true)
ok_max=$(awk '$1 == 200 { print $2 }' "$tmp"/code.* | sort -g | tail -n 1)
busy_max=$(awk '$1 == 503 { print $2 }' "$tmp"/code.* | sort -g | tail -n 1)
[ "$ok" = 4 ] || fail "concurrent: $ok answered 200, the limit is 4"
[ "$busy" = 16 ] || fail "concurrent: $busy answered 503 of the 16 beyond the limit"
scrape_with 2 "$tmp/m4" >/dev/null
[ "$(v "$tmp/m4" bitcraps_exporter_collections_total)" = 2 ] ||
	fail "concurrent: 4 scrapes and one more ran $(v "$tmp/m4" bitcraps_exporter_collections_total) collections, not 2"
[ "$(v "$tmp/m4" 'bitcraps_exporter_http_requests_total{handler="metrics",code="503"}')" = 16 ] ||
	fail "concurrent: 503s not counted"
echo "HANG concurrent answered=$ok refused=$busy collections=1" \
	"answered_max_s=$ok_max ratio=$(ratio "$ok_max") (the shared collection waits for its deadline, 3 s less 0.5 s)" \
	"refused_max_s=$busy_max ratio=$(ratio "$busy_max")"

rss_after=$(awk '/^VmRSS/ { print $2 }' "/proc/$EXPORTER_PID/status")
[ "$rss_after" -le $((rss_before * 12 / 10)) ] || fail "hung: RSS $rss_before -> $rss_after kB"
term_within_2s concurrent
unhang
echo "45-exporter-hang: scrapes on time past a blocked collector, SIGTERM within 2 s"
