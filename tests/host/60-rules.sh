#!/usr/bin/env bash
# Host test: the shipped Prometheus rules are valid (promtool check rules),
# their unit tests pass (promtool test rules; those of the native forms,
# monitoring/tests/native/, with sid's promtool 3), and those tests cover
# every alert firing and not firing and every recording rule.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

command -v promtool >/dev/null || { echo "60-rules: promtool missing (scripts/install-deps)"; exit 1; }
promtool check rules monitoring/rules/*.yml
promtool test rules monitoring/tests/*.yml
# The rules' native-histogram forms: the {{schema:...}} series notation
# needs promtool 2.44 or later, so sid's (3.5.3) runs these.
. scripts/lib-prometheus.sh
promtool3=$(promtool_bin 3) ||
	{ echo "60-rules: no promtool 3 for monitoring/tests/native (scripts/install-deps)"; exit 1; }
"$promtool3" check rules monitoring/rules/*.yml
"$promtool3" test rules monitoring/tests/native/*.yml
scripts/check-rule-coverage monitoring/rules monitoring/tests
echo "60-rules: rules valid, unit tests pass and cover every rule"
