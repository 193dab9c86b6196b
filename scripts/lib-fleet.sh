# shellcheck shell=bash
# Host side of a bcmon fleet, for `make demo NODES=N` and tests/e2e/fleet:
#
#   - N guests (tests/vm/run), each a whole node: bcmon.ko, probes,
#     exporter, one bcmon-sim node (monitoring/stack/guest-stack.sh in
#     fleet mode), joined by a private Ethernet segment: a vde_switch whose
#     only ports are the guests' second NICs, on a unix socket in the
#     scratch directory (mode 0700). No IP traffic of the segment ever
#     touches the host's network stack; each guest's eth0 is QEMU user
#     networking, whose only reachable host addresses are forwards on
#     127.0.0.1.
#   - both fleet shapes of Prometheus on the host's loopback, from the
#     templates in monitoring/fleet/:
#       central   scrapes every node itself (central-scrape.yml);
#       receiver  --web.enable-remote-write-receiver, fed by
#       agents    one Prometheus in agent mode per site (agent.yml).
#     Both central servers load the shipped rules (plus FLEET_EXTRA_RULES)
#     and store exemplars.
#   - a clock responder the guests step their clocks to (bcmon-clockstep).
#
# Use: set STACK_DIR, STACK_KERNEL, STACK_MAX_S, FLEET_NODES (2),
# optionally FLEET_SITES (min(N, 2)), FLEET_SEG_NETEM (netem on every
# guest's eth1, comma-separated), FLEET_GUEST_ENV (array of K=V for every
# guest), FLEET_EXTRA_RULES (rule files for both central servers),
# FLEET_INTERVAL (scrape and evaluation interval, 5s),
# FLEET_CENTRAL_PORT_WANTED (the central server's port when free); call
# fleet_start;
# stack_stop (lib-stack.sh) stops everything.
#
# After fleet_start: FLEET_CENTRAL_PORT, FLEET_RECEIVER_PORT,
# FLEET_AGENT_PORT[site], FLEET_EXPORTER_PORT[i], FLEET_CTL_PORT[i],
# FLEET_NODE_NAME[i], FLEET_NODE_SITE[i], FLEET_NODE_DIR[i],
# FLEET_NODE_PID[i] for i in 1..N, and FLEET_T0 (when the guests started).

# shellcheck source=scripts/lib-stack.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-stack.sh"

FLEET_SEGMENT_NET=10.77.0	# the segment's /24, inside the guests only

# fleet_render TEMPLATE OUT NAME=VALUE...: replace each @NAME@; fails when
# a placeholder is left.
fleet_render() {
	python3 - "$@" <<'EOF' || { stack_log "fleet: cannot render $1"; return 1; }
import re, sys
template, out, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(template).read()
for kv in pairs:
    name, value = kv.split("=", 1)
    text = text.replace("@%s@" % name, value)
left = sorted(set(re.findall(r"@[A-Z_]+@", text)))
if left:
    sys.exit("%s: placeholders left: %s" % (out, " ".join(left)))
open(out, "w").write(text)
EOF
}

# The switch: vde_switch reads commands on stdin and exits at its end, so
# it gets a pipe that never ends; both live in one process group.
fleet_switch_start() {
	local sock=$1 i
	setsid bash -c 'sleep 2147483647 | exec vde_switch --sock "$1" --mode 0600 --dirmode 0700' \
		_ "$sock" >"$STACK_DIR/switch.log" 2>&1 &
	STACK_AUX_PIDS+=($!)
	for i in $(seq 50); do
		[ -S "$sock/ctl" ] && return 0
		sleep 0.1
	done
	stack_log "fleet: vde_switch did not start (see $STACK_DIR/switch.log)"
	return 1
}

# The clock responder: every byte received is answered with the host's
# CLOCK_REALTIME in decimal nanoseconds (tests/tools/clockstep.c).
fleet_clock_start() {
	local portfile=$STACK_DIR/clock.port i
	setsid python3 - "$portfile" >"$STACK_DIR/clock.log" 2>&1 <<'EOF' &
import socket, sys, threading, time
srv = socket.create_server(("127.0.0.1", 0))
open(sys.argv[1] + ".tmp", "w").write("%d\n" % srv.getsockname()[1])
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
def serve(conn):
    with conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while conn.recv(1):
            conn.sendall(b"%d\n" % time.time_ns())
while True:
    conn, _ = srv.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
EOF
	STACK_AUX_PIDS+=($!)
	for i in $(seq 50); do
		[ -s "$portfile" ] && { FLEET_CLOCK_PORT=$(cat "$portfile"); return 0; }
		sleep 0.1
	done
	stack_log "fleet: the clock responder did not start (see $STACK_DIR/clock.log)"
	return 1
}

fleet_start() {
	local n=${FLEET_NODES:-2} sites i s dir fleet="" envs e
	local interval=${FLEET_INTERVAL:-5s} timeout
	sites=${FLEET_SITES:-$((n < 2 ? n : 2))}
	timeout=$(( ${interval%s} > 1 ? ${interval%s} - 1 : 1 ))s
	FLEET_AGENT_PORT=() FLEET_EXPORTER_PORT=() FLEET_CTL_PORT=() FLEET_NODE_NAME=()
	FLEET_NODE_SITE=() FLEET_NODE_DIR=() FLEET_NODE_PID=()
	mkdir -p "$STACK_DIR/rules" "$STACK_DIR/targets"
	# Ports: per node an exporter and a control forward, per site an
	# agent, the central server and the receiver.
	local ports
	mapfile -t ports < <(free_ports $((2 * n + sites + 2)))
	FLEET_CENTRAL_PORT=${ports[2 * n + sites]}
	if [ -n "${FLEET_CENTRAL_PORT_WANTED:-}" ] && port_free "$FLEET_CENTRAL_PORT_WANTED"; then
		FLEET_CENTRAL_PORT=$FLEET_CENTRAL_PORT_WANTED
	fi
	FLEET_RECEIVER_PORT=${ports[2 * n + sites + 1]}
	for s in $(seq "$sites"); do FLEET_AGENT_PORT[s]=${ports[2 * n + s - 1]}; done
	for i in $(seq "$n"); do
		fleet="${fleet:+$fleet,}$FLEET_SEGMENT_NET.$i"
		FLEET_NODE_NAME[i]=node$i
		FLEET_NODE_SITE[i]=site$(( (i - 1) % sites + 1 ))
		FLEET_EXPORTER_PORT[i]=${ports[2 * i - 2]}
		FLEET_CTL_PORT[i]=${ports[2 * i - 1]}
		FLEET_NODE_DIR[i]=$STACK_DIR/${FLEET_NODE_NAME[i]}
		mkdir -p "${FLEET_NODE_DIR[i]}"
		# One target file per node, named after its site.
		cat >"$STACK_DIR/targets/${FLEET_NODE_SITE[i]}-${FLEET_NODE_NAME[i]}.yml" <<EOF
- targets: ["127.0.0.1:${FLEET_EXPORTER_PORT[i]}"]
  labels:
    node: ${FLEET_NODE_NAME[i]}
EOF
	done
	cp "$root"/monitoring/rules/*.yml "$STACK_DIR/rules/"
	for e in ${FLEET_EXTRA_RULES:-}; do cp "$e" "$STACK_DIR/rules/"; done

	# A unix socket path has at most 107 bytes, and the switch's clients
	# name their sockets after its directory: a deep checkout gets a
	# directory under /tmp instead (removed by stack_stop).
	local switch=$STACK_DIR/switch
	if [ ${#switch} -gt 64 ]; then
		switch=$(mktemp -d /tmp/bcmon-segment.XXXXXX)/switch || return 1
		STACK_AUX_DIRS+=("${switch%/switch}")
	fi
	FLEET_SWITCH=$switch
	fleet_switch_start "$switch" || return 1
	fleet_clock_start || return 1

	# Shape 1: the central server scrapes every site's targets.
	fleet_render "$root/monitoring/fleet/central-scrape.yml" "$STACK_DIR/central.yml" \
		SCRAPE_INTERVAL="$interval" SCRAPE_TIMEOUT="$timeout" \
		RULES_DIR="$STACK_DIR/rules" TARGET_FILES="$STACK_DIR/targets/*.yml" || return 1
	# Shape 2: the receiver, and one agent per site.
	fleet_render "$root/monitoring/fleet/receiver.yml" "$STACK_DIR/receiver.yml" \
		SCRAPE_INTERVAL="$interval" RULES_DIR="$STACK_DIR/rules" || return 1
	for cfg in central receiver; do
		promtool check config "$STACK_DIR/$cfg.yml" >"$STACK_DIR/$cfg.check" 2>&1 ||
			{ cat "$STACK_DIR/$cfg.check" >&2; return 1; }
	done
	stack_prom_launch "$STACK_DIR/central.log" --config.file="$STACK_DIR/central.yml" \
		--storage.tsdb.path="$STACK_DIR/central" --storage.tsdb.retention.time=1d \
		--web.listen-address="127.0.0.1:$FLEET_CENTRAL_PORT" \
		--enable-feature=exemplar-storage
	stack_prom_launch "$STACK_DIR/receiver.log" --config.file="$STACK_DIR/receiver.yml" \
		--storage.tsdb.path="$STACK_DIR/receiver" --storage.tsdb.retention.time=1d \
		--web.listen-address="127.0.0.1:$FLEET_RECEIVER_PORT" \
		--web.enable-remote-write-receiver --enable-feature=exemplar-storage
	for s in $(seq "$sites"); do
		fleet_render "$root/monitoring/fleet/agent.yml" "$STACK_DIR/agent-site$s.yml" \
			SCRAPE_INTERVAL="$interval" SCRAPE_TIMEOUT="$timeout" SITE="site$s" \
			TARGET_FILES="$STACK_DIR/targets/site$s-*.yml" BATCH_DEADLINE=1s \
			RECEIVER_URL="http://127.0.0.1:$FLEET_RECEIVER_PORT/api/v1/write" || return 1
		promtool check config --agent "$STACK_DIR/agent-site$s.yml" \
			>"$STACK_DIR/agent-site$s.check" 2>&1 ||
			{ cat "$STACK_DIR/agent-site$s.check" >&2; return 1; }
		stack_prom_launch "$STACK_DIR/agent-site$s.log" --enable-feature=agent \
			--config.file="$STACK_DIR/agent-site$s.yml" \
			--storage.agent.path="$STACK_DIR/agent-site$s" \
			--web.listen-address="127.0.0.1:${FLEET_AGENT_PORT[s]}"
	done

	FLEET_T0=$SECONDS
	for i in $(seq "$n"); do
		envs=(--env "STACK_HOST_PROM=10.0.2.2:$FLEET_CENTRAL_PORT" --env "STACK_MAX_S=$STACK_MAX_S"
		      --env "BCMON_HOSTNAME=${FLEET_NODE_NAME[i]}" --env "STACK_NODE=${FLEET_NODE_NAME[i]}"
		      --env "STACK_SEG_ADDR=$FLEET_SEGMENT_NET.$i" --env "STACK_FLEET=$fleet"
		      --env "STACK_NETEM=" --env "STACK_SEG_NETEM=${FLEET_SEG_NETEM:-delay,2ms,loss,0.1%}"
		      --env "STACK_CLOCK=10.0.2.2:$FLEET_CLOCK_PORT")
		for e in "${FLEET_GUEST_ENV[@]}"; do envs+=(--env "$e"); done
		stack_guest_launch "${FLEET_NODE_DIR[i]}" \
			--hostfwd "${FLEET_EXPORTER_PORT[i]}:9477" --hostfwd "${FLEET_CTL_PORT[i]}:9478" \
			--segment "$FLEET_SWITCH" --mac "$(printf '52:54:00:77:00:%02x' "$i")" \
			"${envs[@]}"
		FLEET_NODE_PID[i]=$STACK_LAST_PID
	done
}

# fleet_ctl I PATH: a request to node I's control server (netem, stop).
fleet_ctl() {
	curl -fsS -m 10 "http://127.0.0.1:${FLEET_CTL_PORT[$1]}/$2"
}

# fleet_span_sources: every node's span file, as URLs for scripts/bcmon-trace.
fleet_span_sources() {
	local i
	for i in "${!FLEET_CTL_PORT[@]}"; do
		echo "http://127.0.0.1:${FLEET_CTL_PORT[i]}/spans/spans.jsonl"
	done
}

# fleet_node_alive I: is node I's guest still running?
fleet_node_alive() {
	kill -0 "${FLEET_NODE_PID[$1]}" 2>/dev/null
}
