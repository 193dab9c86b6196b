#!/usr/bin/env bash
# Host test: the end-to-end test (tests/e2e/run) on each guest kernel:
# full stack in the VM, a real Prometheus on the host scraping it through
# the port forward, queries, a firing alert, the metric-name check.
# Needs `make all KERNEL=...` for each kernel first (scripts/check builds
# every kernel before the host tests). BCMON_E2E_KERNELS narrows the list.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rc=0
for k in ${BCMON_E2E_KERNELS:-6.1 6.12}; do
	echo "=== e2e on $k"
	"$root/tests/e2e/run" --kernel "$k" || rc=1
done
exit $rc
