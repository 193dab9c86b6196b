#!/usr/bin/env bash
# Host test (module not loaded, BPF refused on this kernel): the exporter
# starts and serves proc, health and self metrics, reports kmod and bpf as
# unsuccessful, and answers every route and format correctly.
. "$(dirname "$0")/exporter-lib.bash"

# The CPU rule is off: a busy test host must not make /health a warning.
printf 'thresholds:\n  cpu_warning_ratio: 0\n' >"$tmp/cfg.yml"
start_exporter --config.file="$tmp/cfg.yml"
scrape=$tmp/scrape.txt
curl -fsS -D "$tmp/h" -o "$scrape" "$URL/metrics" || fail "scrape failed"
grep -qi '^content-type: text/plain; version=0.0.4; charset=utf-8' "$tmp/h" ||
	fail "text content type: $(cat "$tmp/h")"

# promtool lints names, units, HELP and TYPE; it must print nothing.
out=$(promtool check metrics <"$scrape" 2>&1) || fail "promtool: $out"
[ -z "$out" ] || fail "promtool complained: $out"

for m in process_resident_memory_bytes process_cpu_seconds_total \
	 system_memory_total_bytes system_memory_available_bytes health_status \
	 'disk_size_bytes{path="/"}'; do
	metric_value "$scrape" "bitcraps_$m" >/dev/null || fail "missing bitcraps_$m"
done
[ "$(metric_value "$scrape" 'bitcraps_scrape_collector_success{collector="kmod"}')" = 0 ] ||
	fail "kmod should be unsuccessful without the module"
[ "$(metric_value "$scrape" 'bitcraps_scrape_collector_success{collector="bpf"}')" = 0 ] ||
	fail "bpf should be unsuccessful where BPF is refused"
for c in proc health; do
	[ "$(metric_value "$scrape" "bitcraps_scrape_collector_success{collector=\"$c\"}")" = 1 ] ||
		fail "$c should succeed"
done
grep -q '^bitcraps_exporter_build_info{version="'"$(cat "$root/VERSION")"'",revision="[^"][^"]*",compiler="gcc [0-9][^"]*"} 1$' "$scrape" ||
	fail "build info: $(grep build_info "$scrape")"
# Failed reads are absent, never 0.
! grep -q '^bitcraps_errors_total' "$scrape" || fail "kmod metrics without a module"
! grep -q '^bitcraps_network_' "$scrape" || fail "bpf metrics without probes"
grep -q 'collector name=kmod failed: .*module not loaded' "$LOG" || fail "kmod failure not logged"
grep -q 'collector name=bpf failed: eBPF probes not loaded' "$LOG" || fail "bpf failure not logged"

# RSS reported equals what the kernel says (within a page or two of growth).
rss=$(metric_value "$scrape" bitcraps_process_resident_memory_bytes)
kernel_rss=$(( $(awk '{print $2}' /proc/$EXPORTER_PID/statm) * $(getconf PAGESIZE) ))
diff=$(( rss > kernel_rss ? rss - kernel_rss : kernel_rss - rss ))
[ "$diff" -lt 1048576 ] || fail "RSS $rss vs /proc $kernel_rss"

# OpenMetrics when asked, as Prometheus asks.
om=$tmp/om.txt
curl -fsS -D "$tmp/h" -o "$om" -H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' "$URL/metrics"
grep -qi '^content-type: application/openmetrics-text; version=1.0.0; charset=utf-8' "$tmp/h" ||
	fail "OpenMetrics content type"
[ "$(tail -n 1 "$om")" = "# EOF" ] || fail "OpenMetrics must end with # EOF"
grep -qx '# TYPE bitcraps_process_cpu_seconds counter' "$om" || fail "OM counter family keeps _total"
grep -q '^bitcraps_process_cpu_seconds_total ' "$om" || fail "OM counter sample lacks _total"

# gzip when allowed, identical after decompression (modulo live values;
# the request counters' family appears once a request was counted).
curl -fsS -o "$tmp/plain" "$URL/metrics"
curl -fsS -D "$tmp/h" -H 'Accept-Encoding: gzip' -o "$tmp/z" "$URL/metrics"
grep -qi '^content-encoding: gzip' "$tmp/h" || fail "no gzip"
gzip -dc <"$tmp/z" >"$tmp/unz" || fail "not valid gzip"
diff <(grep '^# ' "$tmp/plain") <(grep '^# ' "$tmp/unz") >/dev/null || fail "gzip body differs"
curl -fsS -D "$tmp/h" -o /dev/null -H 'Accept-Encoding: identity' "$URL/metrics"
! grep -qi '^content-encoding' "$tmp/h" || fail "gzip without being asked"

# Routes and methods.
code() { curl -s -o "$tmp/body" -w '%{http_code}' "$@"; }
[ "$(code "$URL/")" = 200 ] || fail "/"
grep -q 'href="/metrics"' "$tmp/body" || fail "landing page lacks the metrics link"
[ "$(code "$URL/nope")" = 404 ] || fail "unknown path"
[ "$(code -X POST -d x "$URL/metrics")" = 405 ] || fail "POST"
[ "$(code -X DELETE "$URL/")" = 405 ] || fail "DELETE"
curl -s -D "$tmp/h" -o /dev/null -X PUT "$URL/metrics"
grep -qi '^allow: GET, HEAD' "$tmp/h" || fail "405 without Allow"
[ "$(code -I "$URL/metrics")" = 200 ] || fail "HEAD"
[ "$(code "$URL/health")" = 200 ] || fail "/health"
jq -e '.status == "healthy" and .code == 0 and (.reasons | length) == 0' "$tmp/body" >/dev/null ||
	fail "health JSON: $(cat "$tmp/body")"

# After one sampling interval the CPU ratios appear, within 0..1.
sleep 6
curl -fsS -o "$scrape" "$URL/metrics"
for m in process_cpu_usage_ratio system_cpu_usage_ratio; do
	v=$(metric_value "$scrape" "bitcraps_$m") || fail "no $m after 6 s"
	awk -v v="$v" 'BEGIN { exit !(v >= 0 && v <= 1) }' || fail "$m=$v out of 0..1"
done
out=$(promtool check metrics <"$scrape" 2>&1) && [ -z "$out" ] || fail "promtool: $out"
stop_exporter

# --no-collector.NAME removes a collector and its success series.
start_exporter --no-collector.proc --no-collector.bpf
curl -fsS -o "$scrape" "$URL/metrics"
! grep -q '^bitcraps_process_' "$scrape" || fail "proc disabled but served"
! grep -q 'collector="proc"' "$scrape" || fail "disabled proc still in self metrics"
! grep -q 'collector="bpf"' "$scrape" || fail "disabled bpf still in self metrics"
grep -q 'collector="kmod"' "$scrape" || fail "kmod should still run"
stop_exporter
echo "40-exporter-host: proc, health and self served; kmod and bpf unsuccessful; formats and routes correct"
