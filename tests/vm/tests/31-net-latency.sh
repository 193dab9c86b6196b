# Network probes, latency: with 20 ms of netem delay on lo (each way) the
# TCP RTT mass and an outgoing connect land in the slot holding 40 ms; a
# reader that sleeps 50 ms before each read puts delivery latency in the
# slot holding 50 ms, for TCP and UDP.
# timeout: 600
. /opt/bcmon/lib.sh
. "$(dirname "$0")/net-lib.sh.inc"

# iproute2's tc (tests/vm/host-tools.list), not busybox's applet.
TC=/usr/local/bin/tc
modprobe sch_netem
cleanup() { $TC qdisc del dev lo root 2>/dev/null || true; }
trap cleanup EXIT

net_start --json --ports 7000
$TC qdisc add dev lo root netem delay 20ms
bcmon-netpeer pingpong tcp 7000 20 64 >/dev/null
cleanup
net_stop
l=$(series tcp 7000)
note "$l"
rtt=$(hcount "$l" rtt)
at40=$(bucket "$l" rtt $SLOT_40MS)
[ "$rtt" -ge 20 ] || fail "only $rtt RTT samples for 20 round trips"
[ $((at40 * 10)) -ge $((rtt * 9)) ] || fail "$at40 of $rtt RTT samples in the 40 ms slot"
assert_eq 1 "$(bucket "$l" connect $SLOT_40MS)" "connect latency in the 40 ms slot"

net_start --json --ports 7000,7001
bcmon-netpeer pingpong tcp 7000 10 64 50 >/dev/null
bcmon-netpeer pingpong udp 7001 10 64 50 >/dev/null
net_stop
for p in "tcp 7000" "udp 7001"; do
	l=$(series $p)
	note "$l"
	# The server's reads (10, plus the end marker for UDP) waited 50 ms;
	# the client's reads were already waiting when the reply came.
	at50=$(bucket "$l" delivery $SLOT_50MS)
	[ "$at50" -ge 10 ] || fail "$p: $at50 delivery samples in the 50 ms slot"
	fast=$(below "$l" delivery $SLOTS_BELOW_1MS)
	[ "$fast" -ge 8 ] || fail "$p: client reads not fast ($fast below 1 ms)"
done
