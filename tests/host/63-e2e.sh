#!/usr/bin/env bash
# Host test: the end-to-end test (tests/e2e/run) on each guest kernel:
# full stack in the VM, a real Prometheus on the host scraping it through
# the port forward, queries, a firing alert, the metric-name check.
# Needs `make all KERNEL=...` for each kernel first (scripts/check builds
# every kernel before the host tests). BCMON_E2E_KERNELS narrows the list.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# The kernels run side by side (each guest is one host thread; ports are
# picked free per run); their output is printed one after the other.
rc=0 pids=() kernels=(${BCMON_E2E_KERNELS:-6.1 6.12})
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
for k in "${kernels[@]}"; do
	"$root/tests/e2e/run" --kernel "$k" >"$logs/$k.log" 2>&1 &
	pids+=($!)
done
for i in "${!kernels[@]}"; do
	wait "${pids[$i]}" || rc=1
	echo "=== e2e on ${kernels[$i]}"
	cat "$logs/${kernels[$i]}.log"
done
exit $rc
