# Benchmark: cost of the eBPF network probes on loopback ping-pong.
# TCP and UDP round trips of 64-byte messages (msgs/s counts requests and
# replies, two per round trip) for PHASE seconds with the probes detached,
# then attached, alternated ROUNDS times in one process (the programs stay
# loaded; only the hooks come and go), for the fentry flavour and for the
# forced kprobe fallback. Prints msgs/s per phase, the mean of each state,
# the ratio of the means and the median of the per-round paired ratios
# attached/detached (goal >= 0.95; the median resists the bursts of host
# load that an emulated guest on a shared machine suffers) and the hook
# each program used; then, with the kernel's BPF statistics on, the time
# spent inside the programs per message. Figures only; nothing asserted.
# timeout: 900
. /opt/bcmon/lib.sh

PHASE=${BENCH_PHASE:-1}
ROUNDS=${BENCH_ROUNDS:-10}
# One vCPU for both ends: less noise from the emulator's vCPU scheduling,
# and no live patching while another vCPU runs the patched code.
taskset -p 1 $$ >/dev/null || true

for flavour in ${BENCH_FLAVOURS:-fentry kprobe}; do
	mode=""
	[ $flavour = kprobe ] && mode=--kprobe
	steps=""
	for r in $(seq "$ROUNDS"); do
		for proto in tcp udp; do
			steps="$steps run 'echo phase detached $proto'"
			steps="$steps run 'bcmon-netpeer rate $proto 7600 $PHASE 64'"
			steps="$steps attach run 'echo phase attached $proto'"
			steps="$steps run 'bcmon-netpeer rate $proto 7600 $PHASE 64' detach"
		done
	done
	eval "bcmon-nettest $mode --ports 7600 $steps attach dump" >/tmp/bench.out ||
		fail "bcmon-nettest $flavour"
	echo "== flavour $flavour ($(uname -r), $(grep -c ^processor /proc/cpuinfo) vCPUs," \
		"all on CPU 0, ${PHASE}s phases, ${BCMON_NET_SKIP_HOOKS:+skipping $BCMON_NET_SKIP_HOOKS,} $ROUNDS rounds)"
	grep '^hooks' /tmp/bench.out
	awk -v flavour=$flavour '
		$1 == "phase" { state = $2; proto = $3; next }
		/msgs_per_sec=/ {
			for (i = 1; i <= NF; i++)
				if (split($i, kv, "=") == 2 && kv[1] == "msgs_per_sec")
					rate = kv[2]
			printf "%s %-4s %-9s %8.0f msgs/s\n", flavour, proto, state, rate
			sum[proto, state] += rate; n[proto, state]++
			# Each attached phase directly follows a detached one of the
			# same protocol: their ratio is one paired sample.
			if (state == "detached")
				last[proto] = rate
			else if (last[proto] > 0)
				ratio[proto, ++nr[proto]] = rate / last[proto]
		}
		END {
			for (p = 1; p <= 2; p++) {
				proto = p == 1 ? "tcp" : "udp"
				d = sum[proto, "detached"] / n[proto, "detached"]
				a = sum[proto, "attached"] / n[proto, "attached"]
				# median of the paired ratios (insertion sort: busybox awk)
				m = nr[proto]
				for (i = 2; i <= m; i++)
					for (j = i; j > 1 && ratio[proto, j - 1] > ratio[proto, j]; j--) {
						t = ratio[proto, j]; ratio[proto, j] = ratio[proto, j - 1]
						ratio[proto, j - 1] = t
					}
				med = m % 2 ? ratio[proto, (m + 1) / 2] : \
					(ratio[proto, m / 2] + ratio[proto, m / 2 + 1]) / 2
				printf "RESULT %s %s detached %.0f msgs/s attached %.0f msgs/s " \
					"ratio of means %.3f median paired ratio %.3f (%d pairs)\n",
					flavour, proto, d, a, a / d, med, m
			}
		}' /tmp/bench.out
	# Time inside the programs themselves, from the kernel's per-program
	# statistics (switched on only here: they add two clock reads a run).
	echo 1 >/proc/sys/kernel/bpf_stats_enabled
	for proto in tcp udp; do
		bcmon-nettest $mode --ports 7600 attach \
			run "bcmon-netpeer pingpong $proto 7600 2000 64 >/tmp/pp.out" dump >/tmp/cost.out ||
			fail "cost run $flavour $proto"
		set -- $(grep '^cost' /tmp/cost.out)
		msgs=$(sed -n 's/.*sent_msgs=\([0-9]*\).*/\1/p' /tmp/pp.out)
		awk -v f=$flavour -v p=$proto -v runs="$2" -v ns="$3" -v msgs="$msgs" 'BEGIN {
			printf "COST %s %s: %d program runs for %d messages, %.0f ns per run, " \
				"%.1f runs and %.0f ns of program time per message\n",
				f, p, runs, msgs, ns / runs, runs / msgs, ns / msgs }'
	done
	echo 0 >/proc/sys/kernel/bpf_stats_enabled
done
