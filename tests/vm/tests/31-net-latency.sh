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
note "attached; adding 20 ms netem delay on lo"
$TC qdisc add dev lo root netem delay 20ms
note "ping-pong with delay"
tcp=$(bcmon-netpeer pingpong tcp 7000 20 64)
note "removing the delay"
cleanup
net_stop
l=$(series tcp 7000)
note "$l"
note "$tcp"
rtt=$(hcount "$l" rtt)
at40=$(bucket "$l" rtt $SLOT_40MS)
[ "$rtt" -ge 20 ] || fail "only $rtt RTT samples for 20 round trips"
p50=$(tally "$tcp" rtt_p50_us)
rtt_within_app "$l" "$p50" "tcp/7000 with netem"
# Most samples are in the 40 ms slot (32.8 to 65.5 ms) while the
# application's own round trips fit in it; on a slower guest (the debug
# kernel's took a median 152 ms) the delay adds to the guest's own time
# and the samples move up with it, still within the application's median.
if [ "$p50" -lt 65536 ]; then
	[ $((at40 * 2)) -gt "$rtt" ] || fail "$at40 of $rtt RTT samples in the 40 ms slot"
else
	note "guest slow: $at40 of $rtt RTT samples in the 40 ms slot, application median $p50 us"
fi
# Nothing can be faster than the 40 ms the delay adds to every round trip.
assert_eq 0 "$(below "$l" rtt $SLOT_40MS)" "RTT samples faster than the netem delay"
assert_eq 0 "$(below "$l" connect $SLOT_40MS)" "connects faster than the netem delay"
# SYN and SYN-ACK each wait 20 ms: the one connect is in the 40 ms slot, or
# the next one up when the emulated guest is starved of host CPU (one slot
# more per doubling of BCMON_SLOW).
c40=$(bucket "$l" connect $SLOT_40MS)
c80=0
s=$SLOW k=1
while [ "$s" -ge 1 ]; do
	c80=$((c80 + $(bucket "$l" connect $((SLOT_40MS + k)))))
	s=$((s / 2)) k=$((k + 1))
done
assert_eq 1 "$((c40 + c80))" "connect latency in the 40 ms slot (or the next $((k - 1)))"
[ "$c40" = 1 ] || note "connect landed in the slot above 40 ms (slow guest)"

net_start --json --ports 7000,7001
bcmon-netpeer pingpong tcp 7000 10 64 50 >/dev/null
bcmon-netpeer pingpong udp 7001 10 64 50 >/dev/null
net_stop
for p in "tcp 7000" "udp 7001"; do
	l=$(series $p)
	note "$l"
	# The server's reads (10, plus the end marker for UDP) waited 50 ms;
	# the client's reads were already waiting when the reply came.
	# A 50 ms sleep can overshoot into the next slot on a starved guest,
	# but never ends early: at least 10 reads waited >= 32.8 ms, and most
	# of them are in the 50 ms slot (or, on a guest BCMON_SLOW times
	# slower, the slot above it too).
	at50=$(bucket "$l" delivery $SLOT_50MS)
	[ "$SLOW" -le 1 ] || at50=$((at50 + $(bucket "$l" delivery $((SLOT_50MS + 1)))))
	slow=$(( $(hcount "$l" delivery) - $(below "$l" delivery $SLOT_50MS) ))
	[ "$slow" -ge 10 ] || fail "$p: only $slow reads waited 32.8 ms or more"
	[ $((at50 * 2)) -gt "$slow" ] || fail "$p: $at50 of $slow slow reads in the 50 ms slot"
	fast=$(below "$l" delivery $SLOT_50MS)
	[ "$fast" -ge 8 ] || fail "$p: client reads waited too ($fast below the 50 ms slot)"
done
