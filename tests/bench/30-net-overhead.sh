# Benchmark: cost of the eBPF network probes on loopback ping-pong.
# TCP and UDP round trips of 64-byte messages (msgs/s counts requests and
# replies, two per round trip) for PHASE seconds with the
# probes detached, then attached, alternated ROUNDS times in one process
# (the programs stay loaded; only the hooks come and go), for the fentry
# flavour and for the forced kprobe fallback. Prints msgs/s per phase, the
# mean of each state, the ratio attached/detached (goal >= 0.95) and the
# hook each program used. Figures only; nothing here is asserted.
# timeout: 900
. /opt/bcmon/lib.sh

PHASE=${BENCH_PHASE:-3}
ROUNDS=${BENCH_ROUNDS:-4}
# One vCPU for both ends: less noise from the emulator's vCPU scheduling,
# and no live patching while another vCPU runs the patched code.
taskset -p 1 $$ >/dev/null || true

for flavour in fentry kprobe; do
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
	echo "== flavour $flavour ($(uname -r), $(nproc) vCPUs, taskset CPU 0, ${PHASE}s phases)"
	grep '^hooks' /tmp/bench.out
	awk -v flavour=$flavour '
		$1 == "phase" { state = $2; proto = $3; next }
		/msgs_per_sec=/ {
			for (i = 1; i <= NF; i++)
				if (split($i, kv, "=") == 2 && kv[1] == "msgs_per_sec")
					rate = kv[2]
			printf "%s %-4s %-9s %8.0f msgs/s\n", flavour, proto, state, rate
			sum[proto, state] += rate; n[proto, state]++
		}
		END {
			for (p = 1; p <= 2; p++) {
				proto = p == 1 ? "tcp" : "udp"
				d = sum[proto, "detached"] / n[proto, "detached"]
				a = sum[proto, "attached"] / n[proto, "attached"]
				printf "RESULT %s %s detached %.0f msgs/s attached %.0f msgs/s ratio %.3f\n",
					flavour, proto, d, a, a / d
			}
		}' /tmp/bench.out
done
