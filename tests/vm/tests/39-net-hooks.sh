# Network probes, hooks chosen one by one: on every kernel the hooks get
# the flavour its table below says; a hook forced to kprobe or disabled,
# or a program that fails to load (BCMON_NET_TEST_BREAK, as a newer
# kernel's verifier would refuse it), costs that hook alone: its reason is
# shown, and the delivery-latency and traffic measurements of the others
# stay exact (a reader that falls behind, as in 36-net-backlog).
# timeout: 900
. /opt/bcmon/lib.sh
. "$(dirname "$0")/net-lib.sh.inc"

# Expected flavours per kernel (hook=flavour, in bcmonctl net's order).
ALL_FAST='"tcp_rtt":"fentry","data_ready":"fentry","tcp_recvmsg":"fexit","tcp_sendmsg":"fexit","udp_recvmsg":"fexit","udp_sendmsg":"fexit","udpv6_recvmsg":"fexit","udpv6_sendmsg":"fexit","tcp_connect":"fentry","tcp_connected":"fentry","sock_destruct":"unneeded"'
case $KERNEL_SERIES in
*) want=$ALL_FAST ;;
esac

# backlog_ok MODE: a backlog read in chunks is measured to the microsecond
# with the hooks as they are (see 36-net-backlog).
backlog_ok() {
	net_start --json --ports 7900
	out=$(bcmon-netbacklog tcp 7900 8 1000 300 $((500 * SLOW)) 20 --peek)
	net_stop
	note "$1: $(grep '"hooks"' "$NET_OUT")"
	note "$1: $(grep '"hook_reasons"' "$NET_OUT")"
	l=$(series tcp 7900)
	reads=$(tally "$out" reads)
	assert_eq "$reads" "$(hcount "$l" delivery)" "$1: delivery observations"
	assert_eq "$reads" "$(field "$l" rx_messages)" "$1: rx messages"
	# A trampoline program's skipped runs (7.3 preempts inside them, see
	# 34-net-churn) are reported and accounted; kprobes' must be exact.
	if [ "$1" = "all kprobe" ]; then
		assert_eq "$(tally "$out" sent_msgs)" "$(field "$l" tx_messages)" "$1: tx messages"
	else
		counted_exactly "$(tally "$out" sent_msgs)" "$(field "$l" tx_messages)" \
			fexit_tcp_sendmsg "$1: tx messages"
	fi
	sum_within "$l" "$out" "$1"
}

backlog_ok "default"
grep -q "\"hooks\":{$want}" "$NET_OUT" || fail "hooks on $KERNEL_SERIES: want {$want}"
grep -q '"hook_reasons":{"sock_destruct":"not needed: state in socket storage"}' "$NET_OUT" ||
	fail "default: unexpected reasons"
grep -q '"state_store":"socket_storage"' "$NET_OUT" || fail "default: state not in socket storage"

# One hook disabled, one forced to kprobe: state moves to the bounded
# hash for every program (the destruct hook comes in), the rest stays.
export BCMON_NET_HOOKS=tcp_rtt=none,data_ready=kprobe
backlog_ok "forced"
unset BCMON_NET_HOOKS
grep -q '"tcp_rtt":"none","data_ready":"kprobe","tcp_recvmsg":"fexit"' "$NET_OUT" ||
	fail "forced: flavours"
grep -q '"sock_destruct":"fentry"' "$NET_OUT" || fail "forced: destruct hook not attached"
grep -q '"state_store":"hash"' "$NET_OUT" || fail "forced: state not in the hash"
grep -q '"tcp_rtt":"disabled' "$NET_OUT" || fail "forced: tcp_rtt reason"
assert_eq 0 "$(hcount "$(series tcp 7900)" rtt)" "forced: no RTT with tcp_rtt disabled"

# Every hook a kprobe: peeks told apart through the kprobe's flags
# argument (its position from BTF), state in the hash.
export BCMON_NET_HOOKS=kprobe
backlog_ok "all kprobe"
unset BCMON_NET_HOOKS
grep -q '"tcp_recvmsg":"kprobe+kretprobe"' "$NET_OUT" || fail "all kprobe: flavours"

# A program that does not load (fexit_tcp_recvmsg, as on a kernel whose
# verifier refuses it) costs its flavour only: tcp_recvmsg runs as a
# kprobe, everything else loads and measures.
export BCMON_NET_TEST_BREAK=fexit_tcp_recvmsg
backlog_ok "fexit refused"
grep -q '"tcp_recvmsg":"kprobe+kretprobe"' "$NET_OUT" || fail "refused fexit: no kprobe fallback"
grep -q '"tcp_recvmsg":"fexit_tcp_recvmsg failed to load' "$NET_OUT" || fail "refused fexit: reason"
grep -q '"data_ready":"fentry"' "$NET_OUT" || fail "refused fexit: data_ready not fentry"

# Both flavours refused: the hook is unavailable, the others measure.
export BCMON_NET_TEST_BREAK=fentry_tcp_rtt,kprobe_tcp_rtt
net_start --json --ports 7900
bcmon-netpeer pingpong tcp 7900 20 64 >/dev/null
net_stop
unset BCMON_NET_TEST_BREAK
note "$(grep '"hook_reasons"' "$NET_OUT")"
grep -q '"tcp_rtt":"none"' "$NET_OUT" || fail "unavailable: tcp_rtt attached"
grep -q '"tcp_rtt":"kprobe_tcp_rtt failed to load' "$NET_OUT" || fail "unavailable: reason"
l=$(series tcp 7900)
counted_exactly 40 "$(field "$l" tx_messages)" fexit_tcp_sendmsg "unavailable rtt: traffic still counted"
[ "$(hcount "$l" delivery)" -ge 20 ] || fail "unavailable rtt: delivery not measured"
bcmonctl net --duration 1 >/tmp/net.txt 2>/dev/null || fail "bcmonctl net text"
grep -q 'sock_destruct (inet_sock_destruct): not needed' /tmp/net.txt || fail "text: reasons"
