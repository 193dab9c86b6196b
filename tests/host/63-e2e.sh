#!/usr/bin/env bash
# Host test: the end-to-end test (tests/e2e/run) on the 6.1 guest kernel:
# full stack in the VM, a real Prometheus on the host scraping it through
# the port forward, queries, a firing alert, the metric-name check.
# Needs `make all KERNEL=6.1` first (scripts/check builds before host tests).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exec "$root/tests/e2e/run" --kernel 6.1
