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

# 1: 7000 is not watched: its 20 messages each way are in tcp/other.
[ -z "$(dump_line 1 tcp 7000)" ] || fail "dump 1: tcp/7000 reported while unwatched"
set -- $(dump_line 1 tcp other)
[ "$4" -ge 20 ] || fail "dump 1: tcp/other has $4 tx messages, want >= 20"
other1=$4
set -- $(dump_line 1 tcp 7001)
assert_eq "0 0" "$4 $6" "dump 1: tcp/7001 untouched"

# 2: 7000 now watched: exactly the second exchange; "other" did not grow by it.
set -- $(dump_line 2 tcp 7000)
assert_eq "20 1280 20 1280" "$4 $5 $6 $7" "dump 2: tcp/7000 traffic"
set -- $(dump_line 2 tcp other)
assert_eq "$other1" "$4" "dump 2: tcp/other unchanged"
set -- $(dump_line 2 udp 7001)
assert_eq "11 641" "$4 $5" "dump 2: udp/7001 traffic"

# 3: 7000 removed, 7001 stays and keeps counting.
[ -z "$(dump_line 3 tcp 7000)" ] || fail "dump 3: tcp/7000 still reported"
set -- $(dump_line 3 udp 7001)
assert_eq "22 1282" "$4 $5" "dump 3: udp/7001 kept its counts"
