#!/usr/bin/env bash
# Host test: the shipped Prometheus rules are valid (promtool check rules),
# their unit tests pass (promtool test rules), and those tests cover every
# alert firing and not firing and every recording rule.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

command -v promtool >/dev/null || { echo "60-rules: promtool missing (scripts/install-deps)"; exit 1; }
promtool check rules monitoring/rules/*.yml
promtool test rules monitoring/tests/*.yml
scripts/check-rule-coverage monitoring/rules monitoring/tests
echo "60-rules: rules valid, unit tests pass and cover every rule"
