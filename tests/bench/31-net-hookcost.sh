# Benchmark: what the network probes cost per run, next to an empty
# program on the same hook (the baseline of ebpf_exporter's benchmark; goal:
# at most 2x), the verifier's instruction counts, and the histogram step
# alone before (log2 of microseconds, the probes' old binning) and after
# (exact native buckets of seconds), each on fexit of tcp_sendmsg with the
# same value. TCP and UDP ping-pong plus 50 connects, fentry flavour, with
# the kernel's run-time statistics on. Figures only; nothing asserted.
# timeout: 600
. /opt/bcmon/lib.sh

taskset -p 1 $$ >/dev/null || true
work='bcmon-netpeer pingpong tcp 7600 2000 64 >/dev/null &&
	bcmon-netpeer pingpong udp 7601 2000 64 >/dev/null &&
	for i in $(seq 50); do bcmon-netpeer pingpong tcp 7602 1 64 >/dev/null; done'
bcmon-hookcost "$work" >/tmp/hookcost.out || fail "bcmon-hookcost"
echo "== per-run cost ($(uname -r), fentry flavour, ns per run from bpf_stats)"
cat /tmp/hookcost.out
awk '$1 == "cost" { for (i = 2; i <= NF; i++) if (split($i, kv, "=") == 2) v[kv[1]] = kv[2]
		printf "RESULT hook %s: %s %.1f ns/run, empty program %.1f ns/run, ratio %.2f (goal <= 2)\n",
			$2, v["probe"], v["probe_ns"], v["empty_ns"], v["ratio"] }
     $1 == "bin" { for (i = 2; i <= NF; i++) if (split($i, kv, "=") == 2) v[kv[1]] = kv[2]
		printf "RESULT histogram step: clock+add %.1f ns, log2 (before) %.1f ns, native (after) %.1f ns; " \
			"native - log2 = %.1f ns per observation\n",
			v["clock_ns"], v["log2_ns"], v["native_ns"], v["native_ns"] - v["log2_ns"] }' \
	/tmp/hookcost.out
