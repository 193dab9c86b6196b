# Network probes, latency: with 20 ms of netem delay on lo (each way) the
# TCP RTT mass and an outgoing connect land in (2^-5, 2^-4] s = (31.25,
# 62.5] ms, which holds 40 ms; a reader that sleeps 50 ms before each read
# puts delivery latency there too, for TCP and UDP. (The native buckets are
# eight times finer; powers of two are among their boundaries, so these
# counts are exact.)
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
at40=$(count_in "$l" rtt -5 -4)
[ "$rtt" -ge 20 ] || fail "only $rtt RTT samples for 20 round trips"
p50=$(tally "$tcp" rtt_p50_us)
rtt_within_app "$l" "$p50" "tcp/7000 with netem"
# Most samples are in (31.25, 62.5] ms while the application's own round
# trips fit in it; on a slower guest (the debug kernel's took a median
# 152 ms) the delay adds to the guest's own time and the samples move up
# with it, still within the application's median.
if [ "$p50" -lt 62500 ]; then
	[ $((at40 * 2)) -gt "$rtt" ] || fail "$at40 of $rtt RTT samples in (31.25, 62.5] ms"
else
	note "guest slow: $at40 of $rtt RTT samples in (31.25, 62.5] ms, application median $p50 us"
fi
# Nothing can be faster than the 40 ms the delay adds to every round trip.
assert_eq 0 "$(count_le "$l" rtt -5)" "RTT samples faster than the netem delay"
assert_eq 0 "$(count_le "$l" connect -5)" "connects faster than the netem delay"
# SYN and SYN-ACK each wait 20 ms: the one connect is in (31.25, 62.5] ms,
# or an octave higher when the emulated guest is starved of host CPU (one
# octave more per doubling of BCMON_SLOW).
c40=$(count_in "$l" connect -5 -4)
s=$SLOW k=1
while [ "$s" -ge 1 ]; do
	s=$((s / 2)) k=$((k + 1))
done
c80=$(count_in "$l" connect -4 $((k - 5)))
assert_eq 1 "$((c40 + c80))" "connect latency in (31.25, 62.5] ms (or the next $((k - 1)) octaves)"
[ "$c40" = 1 ] || note "connect landed above 62.5 ms (slow guest)"

# The server sleeps D ms before each read: 50 ms, times the power of two
# at or above BCMON_SLOW (400 ms on the debug kernel, whose loopback round
# trip alone took a median 82 ms: a request that arrives that late into a
# 50 ms sleep waits less than 31.25 ms, which failed there), so that every
# server read waits most of D whatever the guest's speed; j octaves up.
j=0
while [ $((1 << j)) -lt "$SLOW" ]; do j=$((j + 1)); done
D=$((50 << j)) lo=$((-5 + j))
net_start --json --ports 7000,7001
bcmon-netpeer pingpong tcp 7000 10 64 $D >/dev/null
bcmon-netpeer pingpong udp 7001 10 64 $D >/dev/null
net_stop
for p in "tcp 7000" "udp 7001"; do
	l=$(series $p)
	note "$l"
	# The server's reads (10, plus the end marker for UDP) waited D ms;
	# the client's reads were already waiting when the reply came.
	# A sleep can overshoot on a starved guest, but never ends early: at
	# least 10 reads waited over 2^lo s (31.25 ms for D = 50 ms), and most
	# of them are in (2^lo, 2^(lo+1)] s (or, on a guest BCMON_SLOW times
	# slower, the octave above it too).
	top=$((lo + 1))
	[ "$SLOW" -le 1 ] || top=$((lo + 2))
	at50=$(count_in "$l" delivery $lo $top)
	slow=$(( $(hcount "$l" delivery) - $(count_le "$l" delivery $lo) ))
	[ "$slow" -ge 10 ] || fail "$p: only $slow reads waited over 2^$lo s (server sleeps $D ms)"
	[ $((at50 * 2)) -gt "$slow" ] || fail "$p: $at50 of $slow slow reads in (2^$lo, 2^$top s]"
	fast=$(count_le "$l" delivery $lo)
	[ "$fast" -ge 8 ] || fail "$p: client reads waited too ($fast within 2^$lo s)"
done

# Exact buckets: a histogram that holds one observation has it in the slot
# the integer method (kmod/nhist.c, in user space) gives for its exact
# value, the histogram's sum in nanoseconds; here the one connect of a
# single ping-pong, with and without 20 ms of netem delay, fentry and
# kprobe flavours.
for delay in 0 20; do
	[ $delay = 0 ] || $TC qdisc add dev lo root netem delay ${delay}ms
	for mode in "" --kprobe; do
		out=$(bcmon-nettest $mode --ports 7000 attach \
			run 'bcmon-netpeer pingpong tcp 7000 1 64 >/dev/null' exact) ||
			fail "native buckets not exact (${mode:-fentry}, ${delay} ms): $out"
		note "${mode:-fentry} ${delay} ms: $out"
		[ "$(echo "$out" | sed -n 's/^exact //p')" -ge 1 ] ||
			fail "no single-observation histogram to check (${mode:-fentry})"
	done
	cleanup
done
