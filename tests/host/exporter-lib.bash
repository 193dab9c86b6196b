# Helpers for the exporter's host tests (sourced, not a test itself).
# start_exporter ARGS...: start build/bin/bcmon-exporter on a free port of
# 127.0.0.1 (":0", the kernel picks), set EXPORTER_PID, PORT, URL, LOG.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# BCMON_EXPORTER: another build to test (e.g. the code before a fix).
EXPORTER=${BCMON_EXPORTER:-$root/build/bin/bcmon-exporter}
tmp=$(mktemp -d)
LOG=$tmp/exporter.log
EXPORTER_PID=

fail() { echo "FAILED: $*"; [ -f "$LOG" ] && { echo "--- exporter log"; tail -n 20 "$LOG"; }; exit 1; }

cleanup() {
	if [ -n "$EXPORTER_PID" ] && kill -0 "$EXPORTER_PID" 2>/dev/null; then
		kill "$EXPORTER_PID"
		wait "$EXPORTER_PID" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

[ -x "$EXPORTER" ] || fail "$EXPORTER not built (make userspace)"
command -v promtool >/dev/null || fail "promtool missing (scripts/install-deps)"

start_exporter() {
	: >"$LOG"
	"$EXPORTER" --web.listen-address=127.0.0.1:0 "$@" 2>"$LOG" &
	EXPORTER_PID=$!
	# "serving" is logged once the HTTP server runs, after "listening".
	for _ in $(seq 100); do
		PORT=$(sed -n 's/.*listening address=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$LOG")
		[ -n "$PORT" ] && grep -q 'msg="serving ' "$LOG" && break
		kill -0 "$EXPORTER_PID" 2>/dev/null || fail "exporter exited at start"
		sleep 0.1
	done
	grep -q 'msg="serving ' "$LOG" || fail "exporter did not start serving"
	URL=http://127.0.0.1:$PORT
}

stop_exporter() {
	kill -TERM "$EXPORTER_PID"
	local rc=0
	wait "$EXPORTER_PID" || rc=$?
	EXPORTER_PID=
	[ "$rc" = 0 ] || fail "exporter exited with $rc on SIGTERM"
}

# metric_value SCRAPE_FILE SERIES: the value of one exact series line.
metric_value() {
	awk -v s="$2" '$1 == s { print $2; found = 1 } END { exit !found }' "$1"
}
