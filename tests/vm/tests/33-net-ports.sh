# Network probes, port filtering: traffic on an unwatched port lands in
# "other"; changing the watched ports at run time (no reload) takes effect,
# a port that stays keeps its counts, a port that leaves disappears.
# timeout: 600
. /opt/bcmon/lib.sh
. "$(dirname "$0")/net-lib.sh.inc"	# net_pin: all on CPU 0

# dump_line N PROTO PORT: the "series" line of the Nth dump.
dump_line() {
	awk -v n="$1" -v proto="$2" -v port="$3" \
		'/^dump$/ { d++ } d == n && $1 == "series" && $2 == proto && $3 == port' /tmp/steps
}

bcmon-nettest --ports 7001 attach \
	run "bcmon-netpeer pingpong tcp 7000 10 64 >/dev/null" dump \
	ports 7000,7001 run "bcmon-netpeer pingpong tcp 7000 10 64 >/dev/null" \
	run "bcmon-netpeer pingpong udp 7001 5 64 >/dev/null" dump \
	ports 7001 run "bcmon-netpeer pingpong udp 7001 5 64 >/dev/null" dump >/tmp/steps ||
	fail "bcmon-nettest"
cat /tmp/steps

# skipped N PROGRAM: runs of PROGRAM the kernel skipped up to the Nth dump
# (cumulative since attach). A trampoline program is skipped rather than
# nested in itself on one CPU; on 7.3, always preemptible, a run whose
# task is preempted can cost another task's call (see 34-net-churn). Each
# skip is reported, and the counts below are exact up to the reported
# skips.
skipped() {
	awk -v n="$1" -v p="$2" '/^dump$/ { d++ } d == n && $1 == "prog" && $2 == p { print $5 }' /tmp/steps
}
tx_skips1=$(skipped 1 fexit_tcp_sendmsg)
tx_skips2=$(skipped 2 fexit_tcp_sendmsg)
[ -n "$tx_skips1" ] && [ "$tx_skips1" != - ] || fail "fexit_tcp_sendmsg reports no skipped runs"

# 1: 7000 is not watched: its 20 messages each way are in tcp/other.
[ -z "$(dump_line 1 tcp 7000)" ] || fail "dump 1: tcp/7000 reported while unwatched"
set -- $(dump_line 1 tcp other)
[ $(($4 + tx_skips1)) -ge 20 ] ||
	fail "dump 1: tcp/other has $4 tx messages (+ $tx_skips1 skipped runs), want >= 20"
other1=$4
set -- $(dump_line 1 tcp 7001)
assert_eq "0 0" "$4 $6" "dump 1: tcp/7001 untouched"

# 2: 7000 now watched: exactly the second exchange (up to the sends the
# kernel skipped in it); "other" did not grow by it.
set -- $(dump_line 2 tcp 7000)
tx_skips=$((tx_skips2 - tx_skips1))
rx_skips=$(($(skipped 2 fexit_tcp_recvmsg) - $(skipped 1 fexit_tcp_recvmsg)))
[ "$4" -le 20 ] && [ $(($4 + tx_skips)) -ge 20 ] && [ "$5" = $(($4 * 64)) ] &&
	[ "$6" -le 20 ] && [ $(($6 + rx_skips)) -ge 20 ] && [ "$7" = $(($6 * 64)) ] ||
	fail "dump 2: tcp/7000 traffic '$4 $5 $6 $7', want '20 1280 20 1280' up to $tx_skips sends and $rx_skips receives the kernel skipped"
[ $((tx_skips + rx_skips)) = 0 ] || note "dump 2: $tx_skips sends and $rx_skips receives skipped by the kernel"
set -- $(dump_line 2 tcp other)
assert_eq "$other1" "$4" "dump 2: tcp/other unchanged"
# sent_within WHAT WANT_MSGS WANT_BYTES GOT_MSGS GOT_BYTES SKIPS: exact when
# the kernel skipped no send, else short by at most the skipped sends
# (each at most 64 bytes here).
sent_within() {
	if [ "$6" = 0 ]; then
		assert_eq "$2 $3" "$4 $5" "$1"
	else
		[ "$4" -le "$2" ] && [ $(($4 + $6)) -ge "$2" ] &&
			[ "$5" -le "$3" ] && [ "$5" -ge $(($3 - $6 * 64)) ] ||
			fail "$1: '$4 $5', want '$2 $3' up to $6 sends the kernel skipped"
		note "$1: $6 sends skipped by the kernel"
	fi
}
u1=$(skipped 1 fexit_udp_sendmsg)
set -- $(dump_line 2 udp 7001)
sent_within "dump 2: udp/7001 traffic" 11 641 "$4" "$5" $(($(skipped 2 fexit_udp_sendmsg) - u1))

# 3: 7000 removed, 7001 stays and keeps counting.
[ -z "$(dump_line 3 tcp 7000)" ] || fail "dump 3: tcp/7000 still reported"
set -- $(dump_line 3 udp 7001)
sent_within "dump 3: udp/7001 kept its counts" 22 1282 "$4" "$5" $(($(skipped 3 fexit_udp_sendmsg) - u1))
