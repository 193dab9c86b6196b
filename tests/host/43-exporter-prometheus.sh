#!/usr/bin/env bash
# Host test: a real Prometheus scrapes the exporter. Prometheus asks for
# OpenMetrics first, so this checks that Prometheus' own parser takes our
# OpenMetrics (the text format is checked by promtool in 40-exporter-host);
# the scrape is healthy and the series arrive with their values.
. "$(dirname "$0")/exporter-lib.bash"
command -v prometheus >/dev/null || fail "prometheus missing (scripts/install-deps)"

start_exporter --no-collector.bpf --log.level=debug
# A free port for Prometheus: bind :0 and let the kernel pick.
prom_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$tmp/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: bcmon
    static_configs: [{ targets: ["127.0.0.1:$PORT"] }]
YAML
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address=127.0.0.1:$prom_port >"$tmp/prom.log" 2>&1 &
PROM=$!
trap 'kill $PROM 2>/dev/null; wait $PROM 2>/dev/null; cleanup' EXIT

q() { curl -fsS "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1"; }
for _ in $(seq 60); do
	n=$(q 'sum(up)' 2>/dev/null | jq -r '.data.result[0].value[1] // 0' 2>/dev/null || echo 0)
	[ "$n" = 1 ] && break
	sleep 0.5
done
[ "$n" = 1 ] || { tail -n 20 "$tmp/prom.log"; fail "Prometheus did not scrape the exporter (up $n)"; }
grep -q 'scrape format=openmetrics gzip=true' "$LOG" || fail "Prometheus was not served gzipped OpenMetrics"
for job in bcmon; do
	# 0..2: a busy host may well be at "warning" for CPU.
	v=$(q "bitcraps_health_status{job=\"$job\"}" | jq -r '.data.result[0].value[1]')
	case $v in 0|1|2) ;; *) fail "$job: health_status '$v'" ;; esac
	v=$(q "bitcraps_scrape_collector_success{job=\"$job\",collector=\"kmod\"}" | jq -r '.data.result[0].value[1]')
	[ "$v" = 0 ] || fail "$job: kmod success '$v'"
	v=$(q "bitcraps_process_cpu_seconds_total{job=\"$job\"}" | jq -r '.data.result | length')
	[ "$v" = 1 ] || fail "$job: counter with _total not found"
	v=$(q "scrape_samples_scraped{job=\"$job\"}" | jq -r '.data.result[0].value[1]')
	[ "${v:-0}" -gt 10 ] || fail "$job: only $v samples"
done
# Prometheus logs parse failures as "append failed" / "invalid"; none.
! grep -Ei 'append failed|invalid metric|unexpected' "$tmp/prom.log" || fail "Prometheus complained"
echo "43-exporter-prometheus: a real Prometheus scrapes gzipped OpenMetrics cleanly"
