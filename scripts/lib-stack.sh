# shellcheck shell=bash
# Host side of the full bcmon stack, shared by scripts/demo and tests/e2e:
# a real Prometheus on the host's loopback with the shipped rules, scraping
# bcmon-exporter inside the VM through a QEMU port forward; the guest runs
# monitoring/stack/guest-stack.sh and stops when this Prometheus goes away.
#
# Callers set STACK_* variables, call stack_start, use prom_query, and
# must call stack_stop (install it as an EXIT trap): it stops Prometheus,
# waits for the guest to shut itself down, and kills whatever is left.

root=${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

# A free TCP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

stack_log() { printf '%s\n' "$*" >&2; }

# stack_start: needs STACK_DIR (scratch), STACK_PROM_PORT, STACK_EXPORTER_PORT,
# STACK_KERNEL, STACK_MAX_S and optional STACK_GUEST_ENV (array of K=V).
stack_start() {
	local suite=$STACK_DIR/suite rel
	mkdir -p "$suite" "$STACK_DIR/prometheus"
	# The harness copies *.sh and *.txt files of a suite into the guest.
	cp "$root/monitoring/stack/guest-stack.sh" "$suite/stack.sh"
	cp "$root/packaging/exporter.yml" "$suite/exporter.txt"
	cat >"$STACK_DIR/prometheus.yml" <<EOF
global:
  scrape_interval: 5s
  scrape_timeout: 4s
  evaluation_interval: 5s
rule_files:
  - $root/monitoring/rules/*.yml
scrape_configs:
  - job_name: bcmon
    static_configs:
      - targets: ["127.0.0.1:$STACK_EXPORTER_PORT"]
        labels:
          node: bcmon-vm
EOF
	promtool check config "$STACK_DIR/prometheus.yml" >/dev/null ||
		{ stack_log "prometheus.yml is invalid"; return 1; }
	setsid prometheus --config.file="$STACK_DIR/prometheus.yml" \
		--storage.tsdb.path="$STACK_DIR/prometheus" \
		--web.listen-address="127.0.0.1:$STACK_PROM_PORT" \
		--storage.tsdb.retention.time=1d --log.level=warn \
		>"$STACK_DIR/prometheus.log" 2>&1 &
	STACK_PROM_PID=$!

	local envs=(--env "STACK_HOST_PROM=10.0.2.2:$STACK_PROM_PORT" --env "STACK_MAX_S=$STACK_MAX_S")
	local e
	for e in "${STACK_GUEST_ENV[@]}"; do envs+=(--env "$e"); done
	rel=${suite#"$root"/}
	setsid "$root/tests/vm/run" --kernel "$STACK_KERNEL" --suite "$rel" \
		--hostfwd "$STACK_EXPORTER_PORT:9477" --timeout $((STACK_MAX_S + 180)) \
		--results "$STACK_DIR/vm-results.txt" "${envs[@]}" \
		>"$STACK_DIR/vm.log" 2>&1 &
	STACK_VM_PID=$!
}

# prom_query EXPR: the first sample's value, or "" when there is none.
prom_query() {
	curl -fs -m 5 --data-urlencode "query=$1" \
		"http://127.0.0.1:$STACK_PROM_PORT/api/v1/query" |
		jq -r '.data.result[0].value[1] // empty' 2>/dev/null
}

# prom_wait SECONDS EXPR: wait until EXPR has a result; 0 when it did.
prom_wait() {
	local deadline=$((SECONDS + $1))
	while [ $SECONDS -lt $deadline ]; do
		[ -n "$(prom_query "$2")" ] && return 0
		stack_vm_alive || return 1
		sleep 2
	done
	return 1
}

stack_vm_alive() {
	kill -0 "$STACK_VM_PID" 2>/dev/null
}

# The guest console log of this run (the harness prints its path).
stack_console() {
	sed -n 's/.*log: \(build\/vm\/[^ ]*console.log\).*/\1/p' "$STACK_DIR/vm.log" | head -n1
}

# stack_stop: Prometheus first (the guest then stops itself), the VM next.
stack_stop() {
	local waited
	if [ -n "${STACK_PROM_PID:-}" ] && kill -0 "$STACK_PROM_PID" 2>/dev/null; then
		kill -TERM -- "-$STACK_PROM_PID" 2>/dev/null
		waited=0
		while kill -0 "$STACK_PROM_PID" 2>/dev/null && [ $waited -lt 30 ]; do
			sleep 0.5; waited=$((waited + 1))
		done
		kill -KILL -- "-$STACK_PROM_PID" 2>/dev/null
	fi
	if [ -n "${STACK_VM_PID:-}" ] && kill -0 "$STACK_VM_PID" 2>/dev/null; then
		stack_log "waiting for the VM to shut down..."
		waited=0
		while kill -0 "$STACK_VM_PID" 2>/dev/null && [ $waited -lt 90 ]; do
			sleep 1; waited=$((waited + 1))
		done
		kill -TERM -- "-$STACK_VM_PID" 2>/dev/null
		sleep 2
		kill -KILL -- "-$STACK_VM_PID" 2>/dev/null
	fi
	wait 2>/dev/null
	STACK_PROM_PID="" STACK_VM_PID=""
}
