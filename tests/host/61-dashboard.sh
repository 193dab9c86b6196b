#!/usr/bin/env bash
# Host test: the Grafana dashboard is valid JSON, identical to what its
# generator produces, and scripts/check-metric-names really detects a
# metric the rules or dashboard use but a scrape does not serve.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

d=monitoring/grafana/bcmon.json
jq -e '.panels | length > 20' $d >/dev/null
# Unique panel ids; every panel queries something through the datasource
# variable, with unique refIds; no panel overlaps another on the 24-column grid.
jq -e '[.panels[].id] | length == (unique | length)' $d >/dev/null ||
	{ echo "61-dashboard: duplicate panel ids"; exit 1; }
jq -e 'all(.panels[] | select(.type != "row"); (.targets | length > 0) and
	([.targets[].refId] | length == (unique | length)) and .datasource.uid == "${datasource}")' $d >/dev/null ||
	{ echo "61-dashboard: a panel without queries, with duplicate refIds or a fixed datasource"; exit 1; }
jq -r '.panels[].gridPos | "\(.x) \(.y) \(.w) \(.h)"' $d | awk '
	$1 + $3 > 24 { print "61-dashboard: panel wider than the grid"; bad = 1 }
	{ for (x = $1; x < $1 + $3; x++) for (y = $2; y < $2 + $4; y++)
		if (used[x, y]++) { print "61-dashboard: panels overlap at " x "," y; bad = 1; exit } }
	END { exit bad }'
monitoring/grafana/make-dashboard.py >"$tmp/bcmon.json"
diff -u monitoring/grafana/bcmon.json "$tmp/bcmon.json" ||
	{ echo "61-dashboard: bcmon.json is stale: run monitoring/grafana/make-dashboard.py"; exit 1; }

# A scrape serving every used name passes ...
scripts/check-metric-names --list - >"$tmp/names"
[ "$(wc -l <"$tmp/names")" -gt 30 ] || { echo "61-dashboard: too few names extracted"; exit 1; }
sed 's/$/ 1/' "$tmp/names" >"$tmp/scrape.txt"
scripts/check-metric-names "$tmp/scrape.txt"
# ... and one missing name fails, naming it.
grep -v '^bitcraps_thermal_throttling ' "$tmp/scrape.txt" >"$tmp/short.txt"
if scripts/check-metric-names "$tmp/short.txt" >"$tmp/out"; then
	echo "61-dashboard: a missing metric went unnoticed"; exit 1
fi
grep -q 'bitcraps_thermal_throttling' "$tmp/out"
# Label values and recording-rule names are not mistaken for metrics.
if grep -E '(^|:)p[0-9]+_rate5m$|^dice$' "$tmp/names"; then
	echo "61-dashboard: a recording rule or label value was taken for a metric"; exit 1
fi
echo "61-dashboard: dashboard current, metric-name check works"
