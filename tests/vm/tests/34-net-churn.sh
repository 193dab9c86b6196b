# Network probes, churn: 10,000 short connections (connect, one byte,
# close) are all measured, and afterwards the per-message state maps are
# empty: the kprobe flavour's state is removed when a socket is destroyed,
# the fentry flavour's lives in socket storage.
# The kprobe fallback may lose a few runs: the kernel skips a kprobe BPF
# program while another one runs on the same CPU (bpf_prog_active), so
# there the counts must be within 0.1 %; fentry counts are exact.
# timeout: 900
. /opt/bcmon/lib.sh
. "$(dirname "$0")/net-lib.sh.inc"	# net_pin: all on CPU 0

# 10,000 connections, divided by BCMON_SLOW: on the debug kernel (KASAN,
# DEBUG_OBJECTS, 5 times slower under TCG) the timer softirq that frees
# 10,000 TIME-WAIT sockets at once ran 26 s without a break and the RCU
# stall detector fired (ksoftirqd: inet_twsk_free -> call_rcu ->
# debug_object_activate), an emulation cost in the kernel's own teardown.
N=$((10000 / SLOW))

for mode in "" --kprobe; do
	bcmon-nettest $mode --ports 7400 attach run "bcmon-netpeer churn 7400 $N" \
		sleep 3000 dump >/tmp/steps || fail "bcmon-nettest $mode"
	cat /tmp/steps
	set -- $(awk '$1 == "series" && $2 == "tcp" && $3 == "7400"' /tmp/steps)
	# tx: 10,000 one-byte sends; rx: 10,000 one-byte reads (EOF reads do not count).
	if [ -z "$mode" ]; then
		assert_eq "$N $N $N $N" "$4 $5 $6 $7" "tcp/7400 traffic"
		assert_eq $N "${10}" "connect latency samples"
		rtt=$8
		# No state map was ever full. "missed" (the kernel skipping a
		# program that would have nested in itself on one CPU: a softirq
		# run during a process-context one, or, under preempt=full, a
		# run in a task while another task's run is preempted) is rare,
		# not 0: up to 0.13 % of the RTT samples with preempt=full on
		# 6.1, all of them fentry_tcp_rtt; the counts above stay exact.
		set -- $(grep '^drops' /tmp/steps)
		assert_eq "0 0 0" "$2 $3 $4" "no state map full"
		[ "$5" -le $((rtt / 100 + 50)) ] || fail "$5 program runs missed ($rtt RTT samples)"
	else
		for v in $4 $5 $6 $7 ${10}; do
			[ $((v * 1000)) -ge $((N * 999)) ] && [ "$v" -le $N ] ||
				fail "kprobe counts: $4 $5 $6 $7 ${10} of $N"
		done
		set -- $(grep '^drops' /tmp/steps)
		assert_eq "0 0 0" "$2 $3 $4" "no state map full (kprobe)"
		# A skipped kretprobe leaves its thread's "inflight" entry until
		# that thread calls the function again: only per-socket state
		# must be gone here.
		set -- $(grep '^state' /tmp/steps)
		assert_eq "0 0" "$2 $3" "per-socket state maps empty (kprobe)"
		set -- $(grep '^store' /tmp/steps)
		assert_eq "hash 0" "$2 $3" "no socket left in the kprobe state hash"
		continue
	fi
	# fentry/fexit: state in socket storage, freed by the kernel with each
	# socket (nothing to count); the bounded hash is unused.
	assert_eq "state 0 0 0" "$(grep '^state' /tmp/steps)" "state maps empty"
	set -- $(grep '^store' /tmp/steps)
	assert_eq "socket_storage 0" "$2 $3" "fentry state in socket storage"
done
