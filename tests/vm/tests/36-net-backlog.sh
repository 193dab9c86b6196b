# Network probes, delivery latency of a reader that falls behind: a writer
# sends 10 messages 20 ms apart while the reader sleeps 1 s, then the reader
# reads the backlog in 300-byte chunks (TCP) or a datagram at a time (UDP),
# then keeps up with 10 more messages. Every read that consumed data is one
# observation of the wait of the oldest data it returned, so the histogram
# holds exactly one observation per read and its sum is what
# bcmon-netbacklog measured itself (send to return of each read), within a
# few milliseconds per read. Peeks (MSG_PEEK) and the writer's error-queue
# reads (MSG_ERRQUEUE, TX timestamps) are neither observations nor traffic;
# data consumed by splice() (tcp_read_sock) or by a sockmap leaves nothing
# behind that a later read would measure.
# timeout: 600
. /opt/bcmon/lib.sh
. "$(dirname "$0")/net-lib.sh.inc"


# check_backlog PROTO PORT OUTPUT WHAT: the series of PORT against OUTPUT.
check_backlog() {
	l=$(series "$1" "$2")
	note "$l"
	note "$3"
	reads=$(tally "$3" reads)
	assert_eq "$reads" "$(hcount "$l" delivery)" "$4: one delivery observation per read"
	assert_eq "$reads" "$(field "$l" rx_messages)" "$4: rx messages (reads only)"
	assert_eq "$(tally "$3" bytes)" "$(field "$l" rx_bytes)" "$4: rx bytes"
	assert_eq "$(tally "$3" sent_msgs)" "$(field "$l" tx_messages)" "$4: tx messages"
	sum_within "$l" "$3" "$4"
}

net_start --json --ports 7600,7601,7602,7603
tcp=$(bcmon-netbacklog tcp 7600 10 1000 300 1000 20 --peek --errqueue)
udp=$(bcmon-netbacklog udp 7601 10 1000 1000 1000 20 --peek --errqueue)
spl=$(bcmon-netbacklog tcp 7602 10 1000 300 1000 20 --splice)
smap=$(bcmon-netbacklog tcp 7603 10 1000 300 1000 20 --sockmap)
net_stop
[ "$(tally "$tcp" errqueue_reads)" -gt 0 ] || fail "no error-queue reads made (tcp)"
[ "$(tally "$udp" errqueue_reads)" -gt 0 ] || fail "no error-queue reads made (udp)"
[ "$(tally "$tcp" peeks)" -gt 0 ] || fail "no peeks made"
# Each case on its own (a subshell), so that one run reports all of them.
bad=0
(check_backlog tcp 7600 "$tcp" "tcp backlog") || bad=1
(check_backlog udp 7601 "$udp" "udp backlog") || bad=1
# After splice() consumed the backlog, the reads of phase 2 waited
# microseconds: a stale arrival would add a second to one of them.
(check_backlog tcp 7602 "$spl" "tcp after splice") || bad=1
# Likewise after a sockmap consumed it (tcp_read_skb, then tcp_bpf_recvmsg:
# neither is recvmsg, so those reads are not counted; CONFIG_BPF_STREAM_PARSER
# is set in Debian's 6.1 and 6.12).
(check_backlog tcp 7603 "$smap" "tcp after sockmap") || bad=1
[ "$bad" = 0 ] || fail "delivery latency of a reader that fell behind (see above)"
[ "$(tally "$spl" bypassed_bytes)" = 10000 ] || fail "splice did not consume phase 1"
[ "$(tally "$smap" bypassed_bytes)" = 10000 ] || fail "the sockmap did not consume phase 1"
