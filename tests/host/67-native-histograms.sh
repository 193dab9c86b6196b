#!/usr/bin/env bash
# Host test: native histograms written by the exporter's exposition writer
# arrive in a real Prometheus as native histograms, for Debian's
# Prometheus 2.42 and sid's 3.5.3 (scripts/lib-prometheus.sh), both with
# --enable-feature=native-histograms, and their quantiles are right.
#
# bcmon-expo-native bins 20,000 latencies whose exact values it knows the
# way bcmon does (kmod/nhist.c, schema 3 of seconds) and into the seed's
# classic bounds; a small server hands the protobuf exposition to a
# scraper that asks for it (the text one otherwise). Through the HTTP API:
# the series is a native histogram with all 20,000 observations, and
# histogram_quantile(0.5|0.99) over it falls in the native bucket holding
# the exact quantile or a neighbour. Both errors, native and classic, are
# printed (figures: the classic one is not held to anything).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
# shellcheck source=scripts/lib-stack.sh
. scripts/lib-stack.sh
# shellcheck source=scripts/lib-prometheus.sh
. scripts/lib-prometheus.sh
tool=$root/build/bin/bcmon-expo-native
[ -x "$tool" ] || { echo "FAIL: $tool not built"; exit 1; }
dir=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$dir"
}
trap cleanup EXIT
failed=0
check() { if [ "$2" = 0 ]; then echo "PASS $1 ($3)"; else echo "FAIL $1: $3"; failed=1; fi; }

"$tool" "$dir" || { echo "FAIL: bcmon-expo-native"; exit 1; }
mapfile -t ports < <(free_ports 3)
target=${ports[0]}

setsid python3 - "$dir" "$target" >"$dir/target.log" 2>&1 <<'EOF' &
import http.server, sys
d, port = sys.argv[1], int(sys.argv[2])
PB = ("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
      "encoding=delimited")
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        proto = "application/vnd.google.protobuf" in self.headers.get("Accept", "")
        body = open(d + ("/metrics.pb" if proto else "/metrics.txt"), "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", PB if proto else "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with open(d + "/formats", "a") as f:
            f.write(("protobuf" if proto else "text") + "\n")
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
EOF
pids+=($!)

query() {	# query PORT EXPR: the first result's value
	curl -fs -m 5 --data-urlencode "query=$2" "http://127.0.0.1:$1/api/v1/query" |
		jq -r '.data.result[0].value[1] // empty'
}

for v in 2 3; do
	bin=$(prometheus_bin $v) || { check "prometheus$v/present" 1 "no Prometheus $v (scripts/install-deps)"; continue; }
	port=${ports[$((v - 1))]}
	mkdir -p "$dir/p$v"
	cat >"$dir/p$v.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: native
    static_configs:
      - targets: ["127.0.0.1:$target"]
YML
	setsid "$bin" --config.file="$dir/p$v.yml" --storage.tsdb.path="$dir/p$v" \
		--web.listen-address="127.0.0.1:$port" --enable-feature=native-histograms \
		--log.level=warn >"$dir/p$v.log" 2>&1 &
	pids+=($!)
	version=$("$bin" --version 2>/dev/null | head -n1 | awk '{ print $3 }')
	n=0
	until [ "$(query "$port" 'count(bitcraps_test_latency_seconds)')" = 1 ]; do
		n=$((n + 1))
		[ $n -lt 60 ] || break
		sleep 1
	done
	hist=$(curl -fs -m 5 --data-urlencode 'query=bitcraps_test_latency_seconds' \
		"http://127.0.0.1:$port/api/v1/query" | jq -c '.data.result[0].histogram // empty')
	check "prometheus$v/native" "$([ -n "$hist" ]; echo $?)" \
		"Prometheus $version: bitcraps_test_latency_seconds is a native histogram: ${hist:0:80}..."
	count=$(query "$port" 'histogram_count(bitcraps_test_latency_seconds)')
	check "prometheus$v/count" "$([ "$count" = 20000 ]; echo $?)" "histogram_count = $count"
	while read -r q exact idx; do
		nat=$(query "$port" "histogram_quantile($q, bitcraps_test_latency_seconds)")
		cls=$(query "$port" "histogram_quantile($q, bitcraps_test_classic_latency_seconds_bucket)")
		# the native estimate's bucket: ceil(8 * log2(estimate))
		got=$(awk -v x="$nat" 'BEGIN { if (x > 0) { l = 8 * log(x) / log(2); c = int(l); if (c < l) c++; print c } }')
		ok=1
		[ -n "$got" ] && [ $((got - idx)) -ge -1 ] && [ $((got - idx)) -le 1 ] && ok=0
		err=$(awk -v e="$exact" -v n="$nat" -v c="$cls" 'BEGIN {
			printf "native %.2f%%, classic %.2f%%", 100 * (n - e) / e, 100 * (c - e) / e }')
		check "prometheus$v/quantile-$q" $ok \
			"exact ${exact} s in native bucket $idx; native estimate ${nat} s in bucket ${got:-?}, classic ${cls} s; errors: $err"
	done <"$dir/truth"
done
formats=$(sort "$dir/formats" 2>/dev/null | uniq -c | tr -s ' \n' ' ')
ok=1
[ -s "$dir/formats" ] && ! grep -q text "$dir/formats" && ok=0
check "scrapes/protobuf" $ok "scrapes by format:${formats:- none} (both servers must ask for protobuf)"
exit $failed
