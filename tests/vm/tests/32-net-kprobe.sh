# Network probes, fallback path: with the kprobe flavour forced, every hook
# attaches as kprobe (+kretprobe) and the known traffic gives the same
# counters and histograms as with fentry. The kernel skips a kprobe BPF
# program while another one runs on the same CPU (bpf_prog_active), so a
# rare message can be lost: counts must be within 1 % and never above.
# timeout: 600
. /opt/bcmon/lib.sh
. "$(dirname "$0")/net-lib.sh.inc"

# near TRUTH COUNTED WHAT: counted at most 1 % below the truth, never above.
near() {
	[ "$2" -le "$1" ] && [ $(($2 * 100)) -ge $(($1 * 99)) ] ||
		fail "$3: counted $2 of $1"
}

net_start --json --kprobe --ports 7000,7001
tcp=$(bcmon-netpeer pingpong tcp 7000 100 64)
udp=$(bcmon-netpeer pingpong udp 7001 100 64)
net_stop
note "$(grep hooks "$NET_OUT")"
grep -q '"hooks":{"tcp_rtt":"kprobe","data_ready":"kprobe","tcp_recvmsg":"kprobe+kretprobe"' \
	"$NET_OUT" || fail "hooks are not the kprobe flavour"
grep -q '"none"' "$NET_OUT" && fail "a hook did not attach"

l=$(series tcp 7000)
note "$l"
near "$(tally "$tcp" sent_msgs)" "$(field "$l" tx_messages)" "tcp/7000 tx messages"
near "$(tally "$tcp" sent_bytes)" "$(field "$l" tx_bytes)" "tcp/7000 tx bytes"
near "$(tally "$tcp" recv_msgs)" "$(field "$l" rx_messages)" "tcp/7000 rx messages"
near "$(tally "$tcp" recv_bytes)" "$(field "$l" rx_bytes)" "tcp/7000 rx bytes"
[ "$(hcount "$l" rtt)" -ge 99 ] || fail "tcp/7000: RTT samples missing"
[ "$(hcount "$l" delivery)" -ge 99 ] || fail "tcp/7000: delivery samples missing"
assert_eq 1 "$(hcount "$l" connect)" "tcp/7000 connects"

l=$(series udp 7001)
note "$l"
near "$(tally "$udp" sent_msgs)" "$(field "$l" tx_messages)" "udp/7001 tx messages"
near "$(tally "$udp" recv_bytes)" "$(field "$l" rx_bytes)" "udp/7001 rx bytes"
[ "$(hcount "$l" delivery)" -ge 198 ] || fail "udp/7001: delivery samples missing"
grep -q '"state":{"pending":[0-9]*,"connecting":0,"inflight":0}' "$NET_OUT" ||
	fail "kprobe state left behind"
