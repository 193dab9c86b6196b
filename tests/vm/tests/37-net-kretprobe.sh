# Network probes, kretprobe instances and misses: 40 processes block in
# recv() on one UDP socket at once, then get a datagram each. A kretprobe
# sees a return only if it had an instance when the call entered, and
# the kernel's default is max(10, 2 x CPUs): with it, 30 of the 40 returns
# were lost and nothing said so. The probes' kretprobes are created through
# tracefs with maxactive 1024 and report the probe's own misses
# (kprobe_profile); with perf's kprobe PMU (BCMON_NET_KPROBE_PMU=1, the
# path used where tracefs is not mounted) the misses are reported as
# unknown, never as 0.
# timeout: 600
. /opt/bcmon/lib.sh
. "$(dirname "$0")/net-lib.sh.inc"

TRACEFS=/sys/kernel/debug/tracing
WAIT_MS=$((1000 * SLOW))

net_start --json --kprobe --ports 7700
grep -c "^r1024:kprobes/bcmon_[0-9]*_kretprobe_" $TRACEFS/kprobe_events >/tmp/nret || true
assert_eq 6 "$(cat /tmp/nret)" "kretprobes created with maxactive 1024"
out=$(bcmon-netpeer blocked 7700 40 $WAIT_MS) || fail "blocked readers: $out"
net_stop
l=$(series udp 7700)
note "$l"
note "$(grep '"programs"' "$NET_OUT")"
assert_eq 40 "$(tally "$out" recv_msgs)" "netpeer received"
assert_eq 40 "$(field "$l" rx_messages)" "rx messages with 40 calls in flight"
grep -q '"kretprobe_udp_recvmsg":{[^}]*"probe_missed":0}' "$NET_OUT" ||
	fail "kretprobe_udp_recvmsg: probe misses not reported as 0"
# Kernels before 6.7 (6.1 here) do not count kprobe runs skipped for another BPF
# program: unknown (null), never 0.
case $KERNEL_SERIES in
6.1) pat='"kprobe_udp_recvmsg":{[^}]*"missed":null' ;;
*) pat='"kprobe_udp_recvmsg":{[^}]*"missed":[0-9]' ;;
esac
grep -q "$pat" "$NET_OUT" || fail "kprobe missed runs: want $pat"
grep -q "bcmon_" $TRACEFS/kprobe_events && fail "tracefs events left after detach"

# perf's kprobe PMU: default maxactive, probe misses unknown.
export BCMON_NET_KPROBE_PMU=1
net_start --json --kprobe --ports 7700
out=$(bcmon-netpeer blocked 7700 40 $WAIT_MS) || fail "blocked readers (PMU): $out"
net_stop
l=$(series udp 7700)
note "PMU kprobes: $l"
grep -q '"kretprobe_udp_recvmsg":{[^}]*"probe_missed":null}' "$NET_OUT" ||
	fail "PMU kretprobe: probe misses must be unknown (null)"
