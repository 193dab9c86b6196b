#!/usr/bin/env bash
# Host test: the consensus latency histogram of the real stack arrives in
# Prometheus as a native histogram, and its quantiles are right, for
# Debian's Prometheus 2.42 and sid's 3.5.3 (scripts/lib-prometheus.sh)
# scraping the same exporter at the same time.
#
# One guest runs the demo's stack (monitoring/stack/guest-stack.sh:
# bcmon.ko, bcmon-sim, bcmon-exporter, netem on lo) with the simulator
# logging every consensus latency it records (--latency-log), served to
# the host through a port forward. Both servers run with
# --enable-feature=native-histograms, as scripts/lib-stack.sh starts the
# demo's; 3.5.3 also with always_scrape_classic_histograms. At one instant
# T, for each server:
#   native      the query result of bitcraps_consensus_latency_seconds has
#               a "histogram" (a native series), with N observations
#               (histogram_count), N > 300;
#   classic     3.5.3: the seed's buckets are kept beside it
#               (_bucket{le="0.005"} exists, _count = N). 2.42 cannot keep
#               them (scrape_classic_histograms came with 2.45): checked
#               absent, as Documentation/metrics.md says;
#   rule        the recording rule instance:...:p99_rate5m has a value
#               (from the native form);
#   quantile-Q  for Q = 0.5 and 0.99, histogram_quantile(Q, native) at T
#               lies in the native bucket (schema 3) of the exact quantile
#               of the first N logged latencies (the ones in the histogram
#               at T: the log is written in the order observations are
#               sent) or a neighbour. The classic estimate's error is
#               printed beside the native one (3.5.3: histogram_quantile
#               over the scraped _bucket series; 2.42: the same
#               interpolation over the same observations in the seed's
#               bounds, computed here) and not held to anything.
# Needs `make all` (KERNEL=6.1, the default) first. About 3 minutes.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
# shellcheck source=scripts/lib-stack.sh
. scripts/lib-stack.sh
# shellcheck source=scripts/lib-prometheus.sh
. scripts/lib-prometheus.sh

STACK_KERNEL=${BCMON_NATIVE_E2E_KERNEL:-6.1}
MIN_ROUNDS=${BCMON_NATIVE_E2E_ROUNDS:-600}
mkdir -p "$root/build"
STACK_DIR=$(mktemp -d "$root/build/native-e2e.XXXXXX")
mapfile -t ports < <(free_ports 4)
STACK_PROM_PORT=${ports[0]}
PROM3_PORT=${ports[1]}
STACK_EXPORTER_PORT=${ports[2]}
LATENCY_PORT=${ports[3]}
# The guest stops on its own after this; it also stops once the host's
# Prometheus goes away (guest-stack.sh), so a generous limit costs nothing.
STACK_MAX_S=900
# Jitter and loss spread the rounds' latencies (a lost vote waits for a
# TCP retransmission): a body around 10..20 ms and a tail past 200 ms.
STACK_GUEST_ENV=("STACK_NETEM=delay,5ms,3ms,loss,0.5%" "STACK_LATENCY_LOG=1"
		 "STACK_SIM_ARGS=--error-rate,0.2")
STACK_GUEST_ARGS=(--hostfwd "$LATENCY_PORT:9478")
failed=0 passed=0
cleanup() { stack_stop; rm -rf "$STACK_DIR"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
check() {
	if [ "$2" = 0 ]; then
		passed=$((passed + 1)); echo "PASS native-e2e/$1 ($3)"
	else
		failed=$((failed + 1)); echo "FAIL native-e2e/$1: $3"
	fi
}

bin2=$(prometheus_bin 2) || { check prometheus2/present 1 "no Debian Prometheus"; exit 1; }
bin3=$(prometheus_bin 3) || { check prometheus3/present 1 "no sid Prometheus 3 (scripts/install-deps)"; exit 1; }
t0=$SECONDS
STACK_PROM_BIN=$bin2 stack_start || exit 1
# The second server: sid's, same targets and rules, classic buckets kept.
mkdir -p "$STACK_DIR/prometheus3"
stack_prom_config "$STACK_DIR/prometheus3.yml" "always_scrape_classic_histograms: true"
"$(promtool_bin 3)" check config "$STACK_DIR/prometheus3.yml" >/dev/null ||
	{ check prometheus3/config 1 "invalid: $(cat "$STACK_DIR/prometheus3.yml")"; exit 1; }
STACK_PROM_BIN=$bin3 stack_prom_launch "$STACK_DIR/prometheus3.log" \
	--config.file="$STACK_DIR/prometheus3.yml" --storage.tsdb.path="$STACK_DIR/prometheus3" \
	--web.listen-address="127.0.0.1:$PROM3_PORT" "$STACK_PROM_NATIVE_FLAG"
declare -A port=([2]=$STACK_PROM_PORT [3]=$PROM3_PORT)
declare -A version=(
	[2]=$("$bin2" --version 2>/dev/null | awk 'NR == 1 { print $3 }')
	[3]=$("$bin3" --version 2>/dev/null | awk 'NR == 1 { print $3 }'))
echo "native-e2e: Prometheus ${version[2]} on :$STACK_PROM_PORT, ${version[3]} on :$PROM3_PORT, exporter forward :$STACK_EXPORTER_PORT"

for v in 2 3; do
	if prom_wait_at "${port[$v]}" 240 'up{job="bcmon"} == 1'; then
		check "prometheus$v/scrape-up" 0 "Prometheus ${version[$v]} scraping after $((SECONDS - t0)) s"
	else
		check "prometheus$v/scrape-up" 1 "no scrape; VM log: $(tail -n 5 "$STACK_DIR/vm.log" | tr '\n' ';')"
		exit 1
	fi
done
# Enough rounds for a p99 (and the rules' 5m rate has a few points).
if ! prom_wait_at "$STACK_PROM_PORT" 240 \
	"histogram_count(bitcraps_consensus_latency_seconds) > $MIN_ROUNDS" >/dev/null; then
	check rounds 1 "fewer than $MIN_ROUNDS rounds after 240 s; VM log: $(tail -n 5 "$STACK_DIR/vm.log" | tr '\n' ';')"
	exit 1
fi
sleep 6
T=$(date +%s)

lat=$STACK_DIR/latency.txt
for v in 2 3; do
	P=${port[$v]}
	json=$(curl -fs -m 5 --data-urlencode 'query=bitcraps_consensus_latency_seconds' \
		--data-urlencode "time=$T" "http://127.0.0.1:$P/api/v1/query")
	hist=$(jq -c '.data.result[0].histogram // empty' <<<"$json" 2>/dev/null)
	n=$(prom_query_at "$P" 'histogram_count(bitcraps_consensus_latency_seconds)' "$T")
	check "prometheus$v/native" "$([ -n "$hist" ] && [ "${n%.*}" -gt 300 ] 2>/dev/null; echo $?)" \
		"Prometheus ${version[$v]}: a native histogram of ${n:-no} rounds: ${hist:0:100}..."
	classic=$(prom_query_at "$P" 'bitcraps_consensus_latency_seconds_bucket{le="0.005"}' "$T")
	ccount=$(prom_query_at "$P" 'bitcraps_consensus_latency_seconds_count' "$T")
	if [ "$v" = 3 ]; then
		check "prometheus$v/classic" "$([ -n "$classic" ] && [ "$ccount" = "$n" ]; echo $?)" \
			"_bucket{le=\"0.005\"} = ${classic:-absent}, _count = ${ccount:-absent} (native count $n)"
	else
		check "prometheus$v/classic-absent" "$([ -z "$classic" ]; echo $?)" \
			"2.42 keeps no classic buckets beside a native histogram: _bucket{le=\"0.005\"} ${classic:-absent}"
	fi
	p99=$(prom_query_at "$P" 'instance:bitcraps_consensus_latency_seconds:p99_rate5m' "$T")
	p50=$(prom_query_at "$P" 'instance:bitcraps_consensus_latency_seconds:p50_rate5m' "$T")
	# The rule's p99 is the native side of its "or": the same expression
	# at the moment the rule was evaluated gives the same value.
	ts=$(prom_query_at "$P" 'timestamp(instance:bitcraps_consensus_latency_seconds:p99_rate5m)' "$T")
	natrule=$(prom_query_at "$P" 'histogram_quantile(0.99, sum by (job, instance, node, site) (rate(bitcraps_consensus_latency_seconds[5m])))' "${ts:-$T}")
	check "prometheus$v/rule" "$([ -n "$p99" ] && [ -n "$p50" ] && [ -n "$natrule" ] &&
		awk -v a="$p99" -v b="$natrule" 'BEGIN { d = a - b; exit !(d <= 1e-9 * b && -d <= 1e-9 * b) }'; echo $?)" \
		"recording rules: p50 ${p50:-none} s, p99 ${p99:-none} s (native form at the rule's time: ${natrule:-none} s)"

	curl -fs -m 10 -o "$lat" "http://127.0.0.1:$LATENCY_PORT/latency.txt" ||
		{ check "prometheus$v/latency-log" 1 "cannot fetch the simulator's latency log"; continue; }
	for q in 0.5 0.99; do
		nat=$(prom_query_at "$P" "histogram_quantile($q, bitcraps_consensus_latency_seconds)" "$T")
		cls=""
		[ "$v" = 3 ] && cls=$(prom_query_at "$P" \
			"histogram_quantile($q, bitcraps_consensus_latency_seconds_bucket)" "$T")
		out=$(python3 - "$lat" "${n%.*}" "$q" "$nat" "$cls" <<'EOF'
import math, sys
path, n, q, nat = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4] or "nan")
cls = sys.argv[5]
vals = [int(l) for l in open(path) if l.strip()]
if len(vals) < n:
    print("FAIL only %d logged latencies for %d observations" % (len(vals), n)); sys.exit()
xs = sorted(v / 1e6 for v in vals[:n])
exact = xs[max(0, math.ceil(q * n) - 1)]        # the lower empirical quantile
def idx(x):                                      # native bucket at schema 3
    return math.ceil(8 * math.log2(x)) if x > 0 else None
# The seed's bounds, interpolated as histogram_quantile does (the +Inf
# bucket reports the highest finite bound).
if cls == "":
    bounds = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0]
    cum = [sum(1 for x in xs if x <= b) for b in bounds] + [n]
    rank = q * n
    b = next(i for i, c in enumerate(cum) if c >= rank)
    if b == len(bounds):
        c = bounds[-1]
    else:
        lo = 0.0 if b == 0 else bounds[b - 1]
        below = 0 if b == 0 else cum[b - 1]
        c = lo + (bounds[b] - lo) * (rank - below) / (cum[b] - below)
    how = "computed"
else:
    c, how = float(cls), "queried"
ei, ni = idx(exact), idx(nat) if nat == nat else None
ok = ni is not None and abs(ni - ei) <= 1
print("%s exact %.6f s (of %d rounds) in native bucket %d; native %.6f s in bucket %s, error %+.2f%%; classic (%s) %.6f s, error %+.2f%%" % (
    "PASS" if ok else "FAIL", exact, n, ei, nat, ni, 100 * (nat - exact) / exact, how, c, 100 * (c - exact) / exact))
EOF
)
		check "prometheus$v/quantile-$q" "$([ "${out%% *}" = PASS ]; echo $?)" "Prometheus ${version[$v]}: ${out#* }"
	done
done

stack_stop
check shutdown "$([ "$(grep -c '^FAIL' "$STACK_DIR/vm-results.txt" 2>/dev/null)" = 0 ] &&
	grep -q '^PASS .*stack.sh' "$STACK_DIR/vm-results.txt" && echo 0 || echo 1)" \
	"guest verdict: $(tr '\n' ';' <"$STACK_DIR/vm-results.txt" 2>/dev/null)"
echo "native-e2e: $passed passed, $failed failed, $((SECONDS - t0)) s"
[ "$failed" = 0 ]
