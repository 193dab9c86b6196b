#!/usr/bin/env bash
# Host test: the fleet end-to-end test (tests/e2e/fleet): two guests on a
# private Ethernet segment, each a whole node, both fleet shapes of
# Prometheus on the host (central scrape; agents remote-writing to a
# receiver), netem switched on mid-test, a slow round's exemplar at both
# central servers leading to its trace across both nodes, a node stopped
# and the node-down alert firing. 6.1 only: the
# kernel-specific paths are covered by the single-node e2e test on every
# kernel, and two more guests per kernel would not fit make check's time.
# Needs `make all KERNEL=6.1` first (scripts/check builds every kernel
# before the host tests). BCMON_FLEET_KERNEL picks another kernel.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exec "$root/tests/e2e/fleet" --kernel "${BCMON_FLEET_KERNEL:-6.1}" --nodes 2
