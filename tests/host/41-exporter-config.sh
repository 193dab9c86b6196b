#!/usr/bin/env bash
# Host test: config file errors (line number, exit 2), flag errors, health
# thresholds from the config (critical -> /health 503), SIGHUP reload
# (good and bad), SIGTERM shutdown.
. "$(dirname "$0")/exporter-lib.bash"

# A bad config names the file and line and exits with status 2.
printf 'namespace: ok\nthresholds:\n  cpu_warning_ratio: 80\n' >"$tmp/bad.yml"
rc=0
"$EXPORTER" --config.file="$tmp/bad.yml" 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "bad config exit status $rc, want 2"
grep -q "$tmp/bad.yml:3: a ratio must be between 0 and 1" "$tmp/err" || fail "message: $(cat "$tmp/err")"
rc=0
"$EXPORTER" --config.file="$tmp/missing.yml" 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "missing config exit status $rc"
grep -q "missing.yml: No such file or directory" "$tmp/err" || fail "missing file message"
rc=0
"$EXPORTER" --no-such-flag 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "unknown flag exit status $rc"
rc=0
"$EXPORTER" --collector.nonexistent 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "unknown collector exit status $rc"
"$EXPORTER" --help | grep -q -- '--\[no-\]collector.kmod' || fail "--help lists collectors"
"$EXPORTER" --version | grep -qx "bcmon-exporter $(cat "$root/VERSION")" || fail "--version"

# Memory above a (tiny) critical threshold: health critical, /health 503.
cat >"$tmp/cfg.yml" <<'YAML'
namespace: node7
disk_paths: [/, /nonexistent-path]
thresholds:
  memory_critical_bytes: 1048576
YAML
start_exporter --config.file="$tmp/cfg.yml"
scrape=$tmp/scrape.txt
curl -fsS -o "$scrape" "$URL/metrics"
[ "$(metric_value "$scrape" node7_health_status)" = 2 ] || fail "health_status should be 2"
metric_value "$scrape" 'node7_health_reason{reason="memory_high",severity="critical"}' >/dev/null ||
	fail "no memory_high reason"
! grep -q '^bitcraps_' "$scrape" || fail "namespace not applied"
# One unreadable path drops only itself.
metric_value "$scrape" 'node7_disk_size_bytes{path="/"}' >/dev/null || fail "/ missing"
! grep -q 'nonexistent-path' "$scrape" || fail "unreadable path exported"
[ "$(metric_value "$scrape" 'node7_scrape_collector_success{collector="proc"}')" = 1 ] ||
	fail "one bad path must not fail proc"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' "$URL/health")
[ "$code" = 503 ] || fail "/health gave $code when critical"
jq -e '.status == "critical" and .reasons[0].reason == "memory_high"' "$tmp/body" >/dev/null ||
	fail "health JSON: $(cat "$tmp/body")"
grep -q 'health status=critical previous=none' "$LOG" || fail "status change not logged"

# SIGHUP with a good file: new namespace and thresholds take effect.
# (CPU rule off: a busy test host must not turn this into a warning.)
printf 'namespace: node8\nthresholds:\n  cpu_warning_ratio: 0\n' >"$tmp/cfg.yml"
kill -HUP "$EXPORTER_PID"
for _ in $(seq 50); do grep -q 'configuration reloaded' "$LOG" && break; sleep 0.1; done
curl -fsS -o "$scrape" "$URL/metrics"
[ "$(metric_value "$scrape" node8_health_status)" = 0 ] || fail "reload not applied"
grep -q 'health status=healthy previous=critical' "$LOG" || fail "recovery not logged"

# SIGHUP with a bad file: the old configuration stays, and the log says so.
printf 'namespace: node9\nbogus: 1\n' >"$tmp/cfg.yml"
kill -HUP "$EXPORTER_PID"
for _ in $(seq 50); do grep -q 'keeping the previous configuration' "$LOG" && break; sleep 0.1; done
grep -q 'keeping the previous configuration' "$LOG" || fail "bad reload not reported"
grep -q "cfg.yml:2: unknown key 'bogus'" "$LOG" || fail "bad reload lacks the line"
curl -fsS -o "$scrape" "$URL/metrics"
metric_value "$scrape" node8_health_status >/dev/null || fail "old config not kept"

# SIGTERM: clean exit, status 0, port released.
stop_exporter
grep -q 'received SIGTERM, shutting down' "$LOG" || fail "shutdown not logged"
! curl -s -o /dev/null "$URL/metrics" || fail "still serving after SIGTERM"
echo "41-exporter-config: config errors, health thresholds, reload and shutdown behave"
