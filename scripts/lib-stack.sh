# shellcheck shell=bash
# Host side of the full bcmon stack, shared by scripts/demo and tests/e2e:
# a real Prometheus on the host's loopback with the shipped rules, scraping
# bcmon-exporter inside the VM through a QEMU port forward; the guest runs
# monitoring/stack/guest-stack.sh and stops when this Prometheus goes away.
# scripts/lib-fleet.sh builds a fleet of such guests from the same parts.
#
# Callers set STACK_* variables, call stack_start, use prom_query, and
# must call stack_stop (install it as an EXIT trap): it stops every
# Prometheus, waits for the guests to shut themselves down, and kills
# whatever is left.

root=${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

# Processes started here, stopped by stack_stop: Prometheus servers and
# agents, guests (tests/vm/run), helpers (the fleet's switch and clock).
STACK_PROM_PIDS=() STACK_VM_PIDS=() STACK_AUX_PIDS=() STACK_AUX_DIRS=()

# A free TCP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# free_ports N: N distinct free TCP ports on 127.0.0.1, one per line.
free_ports() {
	python3 - "$1" <<'EOF'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print("\n".join(str(s.getsockname()[1]) for s in socks))
EOF
}

port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

stack_log() { printf '%s\n' "$*" >&2; }

# stack_prom_launch LOG FLAG...: one Prometheus (server or agent) in its
# own process group, output to LOG; its pid in STACK_LAST_PID. The binary
# is $STACK_PROM_BIN, Debian's prometheus (2.42) unless set.
stack_prom_launch() {
	local log=$1
	shift
	setsid "${STACK_PROM_BIN:-prometheus}" --log.level=warn "$@" >"$log" 2>&1 &
	STACK_LAST_PID=$!
	STACK_PROM_PIDS+=("$STACK_LAST_PID")
}

# The stack's Prometheus servers scrape native histograms (the probes'
# latency families and the consensus latency): Prometheus 2.x and 3.x
# before 3.8 take them only with this flag, and then ask for protobuf (3.8
# and later want scrape_native_histograms: true in the scrape configuration
# instead; Debian has 2.42 and sid 3.5.3).
# Without it they scrape text and see the classic buckets alone; the
# rules and the dashboard work either way (Documentation/metrics.md).
STACK_PROM_NATIVE_FLAG=--enable-feature=native-histograms

# stack_guest_launch DIR RUN-ARG...: one guest running guest-stack.sh from
# a suite under DIR, its results in DIR/vm-results.txt and its harness log
# in DIR/vm.log; RUN-ARGs go to tests/vm/run (--hostfwd, --env,
# --segment, --mac). Needs STACK_KERNEL and STACK_MAX_S. Pid in
# STACK_LAST_PID.
stack_guest_launch() {
	local dir=$1 suite=$1/suite rel
	shift
	mkdir -p "$suite"
	# The harness copies a suite's files into the guest; *.sh are tests.
	cp "$root/monitoring/stack/guest-stack.sh" "$suite/stack.sh"
	cp "$root/monitoring/stack/netem.cgi" "$root/monitoring/stack/stop.cgi" "$suite/"
	cp "$root/packaging/exporter.yml" "$suite/exporter.txt"
	rel=${suite#"$root"/}
	setsid "$root/tests/vm/run" --kernel "$STACK_KERNEL" --suite "$rel" \
		--timeout $((STACK_MAX_S + 180)) --results "$dir/vm-results.txt" "$@" \
		${STACK_GUEST_ARGS[@]+"${STACK_GUEST_ARGS[@]}"} \
		>"$dir/vm.log" 2>&1 &
	STACK_LAST_PID=$!
	STACK_VM_PIDS+=("$STACK_LAST_PID")
}

# stack_prom_config FILE [SCRAPE-LINE...]: the stack's Prometheus
# configuration, scraping the exporter's forward with the shipped rules;
# SCRAPE-LINEs go into the bcmon job (e.g. "always_scrape_classic_histograms:
# true" for Prometheus 3, which 2.42 does not know).
stack_prom_config() {
	local file=$1 line
	shift
	cat >"$file" <<EOF
global:
  scrape_interval: 5s
  scrape_timeout: 4s
  evaluation_interval: 5s
rule_files:
  - $root/monitoring/rules/*.yml
scrape_configs:
  - job_name: bcmon
EOF
	for line in "$@"; do echo "    $line" >>"$file"; done
	cat >>"$file" <<EOF
    static_configs:
      - targets: ["127.0.0.1:$STACK_EXPORTER_PORT"]
        labels:
          node: bcmon-vm
EOF
}

# stack_start: needs STACK_DIR (scratch), STACK_PROM_PORT, STACK_EXPORTER_PORT,
# STACK_KERNEL, STACK_MAX_S and optional STACK_GUEST_ENV (array of K=V),
# STACK_GUEST_ARGS (more tests/vm/run arguments, e.g. --hostfwd) and
# STACK_PROM_BIN (stack_prom_launch).
stack_start() {
	mkdir -p "$STACK_DIR/prometheus"
	stack_prom_config "$STACK_DIR/prometheus.yml"
	promtool check config "$STACK_DIR/prometheus.yml" >/dev/null ||
		{ stack_log "prometheus.yml is invalid"; return 1; }
	stack_prom_launch "$STACK_DIR/prometheus.log" --config.file="$STACK_DIR/prometheus.yml" \
		--storage.tsdb.path="$STACK_DIR/prometheus" \
		--web.listen-address="127.0.0.1:$STACK_PROM_PORT" \
		--storage.tsdb.retention.time=1d "$STACK_PROM_NATIVE_FLAG"
	STACK_PROM_PID=$STACK_LAST_PID

	local envs=(--env "STACK_HOST_PROM=10.0.2.2:$STACK_PROM_PORT" --env "STACK_MAX_S=$STACK_MAX_S")
	local e
	for e in "${STACK_GUEST_ENV[@]}"; do envs+=(--env "$e"); done
	stack_guest_launch "$STACK_DIR" --hostfwd "$STACK_EXPORTER_PORT:9477" "${envs[@]}"
	STACK_VM_PID=$STACK_LAST_PID
}

# prom_query_at PORT EXPR [TIME]: the first sample's value, or "" when there
# is none; TIME (Unix seconds) evaluates at that instant instead of now.
prom_query_at() {
	curl -fs -m 5 --data-urlencode "query=$2" ${3:+--data-urlencode "time=$3"} \
		"http://127.0.0.1:$1/api/v1/query" |
		jq -r '.data.result[0].value[1] // empty' 2>/dev/null
}

# prom_query EXPR: the same on the stack's Prometheus.
prom_query() {
	prom_query_at "$STACK_PROM_PORT" "$1"
}

# prom_wait_at PORT SECONDS EXPR: wait until EXPR has a result; 0 when it did.
prom_wait_at() {
	local deadline=$((SECONDS + $2))
	while [ $SECONDS -lt $deadline ]; do
		[ -n "$(prom_query_at "$1" "$3")" ] && return 0
		stack_vm_alive || return 1
		sleep 2
	done
	return 1
}

prom_wait() {
	prom_wait_at "$STACK_PROM_PORT" "$1" "$2"
}

# Is any guest still running?
stack_vm_alive() {
	local pid
	for pid in "${STACK_VM_PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null && return 0
	done
	return 1
}

# The guest console log of a run (the harness prints its path); DIR
# defaults to the single stack's.
stack_console() {
	sed -n 's/.*log: \(build\/vm\/[^ ]*console.log\).*/\1/p' "${1:-$STACK_DIR}/vm.log" | head -n1
}

# stop_group PID SECONDS: TERM the process group, wait, then KILL it.
stop_group() {
	local waited=0
	kill -0 "$1" 2>/dev/null || return 0
	kill -TERM -- "-$1" 2>/dev/null
	while kill -0 "$1" 2>/dev/null && [ $waited -lt $(($2 * 2)) ]; do
		sleep 0.5; waited=$((waited + 1))
	done
	kill -KILL -- "-$1" 2>/dev/null
}

# stack_stop: Prometheus first (the guests then stop themselves), the VMs
# next, the helpers last. Prometheus servers stop in the reverse order of
# their start, so that agents stop (and flush) before their receiver.
stack_stop() {
	local pid waited i
	for ((i = ${#STACK_PROM_PIDS[@]} - 1; i >= 0; i--)); do
		stop_group "${STACK_PROM_PIDS[i]}" 15
	done
	if stack_vm_alive; then
		stack_log "waiting for the VM(s) to shut down..."
		waited=0
		while stack_vm_alive && [ $waited -lt 90 ]; do
			sleep 1; waited=$((waited + 1))
		done
	fi
	for pid in "${STACK_VM_PIDS[@]}"; do stop_group "$pid" 2; done
	for pid in "${STACK_AUX_PIDS[@]}"; do stop_group "$pid" 2; done
	wait 2>/dev/null
	[ ${#STACK_AUX_DIRS[@]} = 0 ] || rm -rf "${STACK_AUX_DIRS[@]}"
	STACK_PROM_PIDS=() STACK_VM_PIDS=() STACK_AUX_PIDS=() STACK_AUX_DIRS=() STACK_AUX_DIRS=()
	STACK_PROM_PID="" STACK_VM_PID=""
}
