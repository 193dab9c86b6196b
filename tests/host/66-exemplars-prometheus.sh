#!/usr/bin/env bash
# Host test: exemplars written by the exporter's exposition writer
# (expo_histogram_exemplars, OpenMetrics) are what a real Prometheus
# stores. A histogram whose +Inf bucket carries {trace_id, span_id} is
# served as application/openmetrics-text on 127.0.0.1; Debian's Prometheus
# with --enable-feature=exemplar-storage scrapes it, and so does a
# Prometheus agent that remote-writes (send_exemplars) to a receiver, the
# fleet's second shape. /api/v1/query_exemplars on both must return the
# trace id, span id and value. Only the writer and the fleet plumbing are
# tested here: the whole path, from bcmon-sim's rounds through bcmon.ko and
# the exporter, is the fleet test's (tests/e2e/fleet).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
# shellcheck source=scripts/lib-fleet.sh
. scripts/lib-fleet.sh
tool=$root/build/bin/bcmon-expo-exemplars
[ -x "$tool" ] || { echo "FAIL: $tool not built"; exit 1; }
STACK_DIR=$(mktemp -d)
trap 'stack_stop; rm -rf "$STACK_DIR"' EXIT
failed=0
check() { if [ "$2" = 0 ]; then echo "PASS $1 ($3)"; else echo "FAIL $1: $3"; failed=1; fi; }

trace=4bf92f3577b34da6a3ce929d0e0e4736 span=00f067aa0ba902b7
"$tool" "$trace" "$span" >"$STACK_DIR/metrics" || { echo "FAIL: the writer refused"; exit 1; }
mapfile -t ports < <(free_ports 4)
target=${ports[0]} central=${ports[1]} receiver=${ports[2]} agent=${ports[3]}

# The target: the exposition with OpenMetrics' content type.
setsid python3 - "$STACK_DIR/metrics" "$target" >"$STACK_DIR/target.log" 2>&1 <<'EOF' &
import http.server, sys
body = open(sys.argv[1], "rb").read()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[2])), H).serve_forever()
EOF
STACK_AUX_PIDS+=($!)

mkdir -p "$STACK_DIR/rules" "$STACK_DIR/targets"
printf -- '- targets: ["127.0.0.1:%s"]\n  labels:\n    node: exemplar-test\n' "$target" \
	>"$STACK_DIR/targets/site1-node.yml"
fleet_render monitoring/fleet/central-scrape.yml "$STACK_DIR/central.yml" SCRAPE_INTERVAL=1s \
	SCRAPE_TIMEOUT=1s RULES_DIR="$STACK_DIR/rules" TARGET_FILES="$STACK_DIR/targets/*.yml" || exit 1
fleet_render monitoring/fleet/receiver.yml "$STACK_DIR/receiver.yml" SCRAPE_INTERVAL=1s \
	RULES_DIR="$STACK_DIR/rules" || exit 1
fleet_render monitoring/fleet/agent.yml "$STACK_DIR/agent.yml" SCRAPE_INTERVAL=1s \
	SCRAPE_TIMEOUT=1s SITE=site1 TARGET_FILES="$STACK_DIR/targets/site1-*.yml" BATCH_DEADLINE=1s \
	RECEIVER_URL="http://127.0.0.1:$receiver/api/v1/write" || exit 1
stack_prom_launch "$STACK_DIR/central.log" --config.file="$STACK_DIR/central.yml" \
	--storage.tsdb.path="$STACK_DIR/central" --web.listen-address="127.0.0.1:$central" \
	--enable-feature=exemplar-storage
stack_prom_launch "$STACK_DIR/receiver.log" --config.file="$STACK_DIR/receiver.yml" \
	--storage.tsdb.path="$STACK_DIR/receiver" --web.listen-address="127.0.0.1:$receiver" \
	--web.enable-remote-write-receiver --enable-feature=exemplar-storage
stack_prom_launch "$STACK_DIR/agent.log" --enable-feature=agent --config.file="$STACK_DIR/agent.yml" \
	--storage.agent.path="$STACK_DIR/agent" --web.listen-address="127.0.0.1:$agent"

exemplar() {	# exemplar PORT: "trace span value" of the first exemplar stored
	curl -fs -m 5 --data-urlencode 'query=bitcraps_test_latency_seconds_bucket' \
		--data-urlencode "start=$(($(date +%s) - 600))" --data-urlencode "end=$(($(date +%s) + 60))" \
		"http://127.0.0.1:$1/api/v1/query_exemplars" |
		jq -r '.data[0].exemplars[0] | "\(.labels.trace_id) \(.labels.span_id) \(.value)"' 2>/dev/null
}
for shape in central:$central receiver:$receiver; do
	got=""
	for _ in $(seq 60); do
		got=$(exemplar "${shape#*:}")
		[ -n "$got" ] && [ "$got" != "null null null" ] && break
		sleep 1
	done
	check "exemplar-${shape%%:*}" "$([ "$got" = "$trace $span 2.5" ] && echo 0 || echo 1)" \
		"query_exemplars: ${got:-nothing} (want $trace $span 2.5)"
done
exit $failed
