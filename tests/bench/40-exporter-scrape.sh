# Benchmark: the cost of a scrape of bcmon-exporter with 1,000, 10,000 and
# 100,000 series (counter sets sized to match), side by side with Debian's
# prometheus-node-exporter scraped the same way in the same boot. Prints
# figures; asserts nothing about them.
#   median scrape time, response bytes (plain and gzip), exporter CPU
#   seconds per scrape (utime + stime of all its threads, /proc/PID/stat),
#   resident memory after the scrapes and its peak during them; then CPU
#   per series of both, from alternating batches, as a ratio; then the
#   same figures for one labeled metric of 10,000 and 100,000 series.
# timeout: 2400
. /opt/bcmon/lib.sh
ulimit -n 4096

# CPU time used so far by PID (all threads), in clock ticks (1/100 s).
cpu_ticks() {
	sed 's/.*) //' /proc/$1/stat | awk '{ print $12 + $13 }'
}
rss_kb() { awk '/^VmRSS/ { print $2 }' /proc/$1/status; }
# Anonymous (private heap, stacks) vs file-backed (shared libraries) RSS.
anon_kb() { awk '/^RssAnon/ { print $2 }' /proc/$1/status; }
hwm_kb() { awk '/^VmHWM/ { print $2 }' /proc/$1/status; }
series_in() { curl -fsS "$1" | grep -vc '^#'; }

# measure NAME PID URL COUNT SERIES: one result line.
measure() {
	name=$1 pid=$2 url=$3 count=$4 series=$5
	host=127.0.0.1 port=${url#http://127.0.0.1:}
	port=${port%%/*}
	bcmon-scrape time $host $port /metrics 3 >/dev/null || fail "$name warm-up"
	# Peak RSS from here on: the scrapes', not start-up's (BPF loading).
	echo 5 >/proc/$pid/clear_refs
	before=$(cpu_ticks "$pid")
	timing=$(bcmon-scrape time $host $port /metrics "$count") || fail "$name timing"
	after=$(cpu_ticks "$pid")
	gz=$(bcmon-scrape time $host $port /metrics 3 gzip | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')
	median=$(echo "$timing" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p')
	bytes=$(echo "$timing" | sed -n 's/.* bytes=\([0-9]*\).*/\1/p')
	cpu=$(awk -v a="$after" -v b="$before" -v n="$count" 'BEGIN { printf "%.6f", (a - b) / 100 / n }')
	per=$(awk -v c="$cpu" -v s="$series" 'BEGIN { printf "%.3f", c / s * 1e6 }')
	echo "BENCH exporter=$name series=$series scrapes=$count median_ms=$median bytes=$bytes gzip_bytes=$gz cpu_s_per_scrape=$cpu cpu_us_per_series=$per rss_kb=$(rss_kb "$pid") rss_anon_kb=$(anon_kb "$pid") peak_rss_kb=$(hwm_kb "$pid")"
}

# ratio BPID BPORT BSERIES BN NPID NPORT NSERIES NN ROUNDS: CPU per series
# of both exporters from ROUNDS alternating batches (BN scrapes of bcmon,
# NN of node_exporter), so that drifts of the emulated machine's speed
# (QEMU TCG on a shared host) hit both alike.
ratio() {
	bt=0 nt=0 r=0
	while [ $r -lt $9 ]; do
		a=$(cpu_ticks $1); bcmon-scrape time 127.0.0.1 $2 /metrics $4 >/dev/null || fail "bcmon batch"
		b=$(cpu_ticks $1); bt=$((bt + b - a))
		a=$(cpu_ticks $5); bcmon-scrape time 127.0.0.1 $6 /metrics $8 >/dev/null || fail "node batch"
		b=$(cpu_ticks $5); nt=$((nt + b - a))
		r=$((r + 1))
	done
	awk -v bt=$bt -v nt=$nt -v bs=$3 -v ns=$7 -v bn=$(($4 * $9)) -v nn=$(($8 * $9)) -v r=$9 'BEGIN {
		b = bt / 100 / bn / bs * 1e6; n = nt / 100 / nn / ns * 1e6; q = 0
		if (b > 0) q = n / b
		printf "BENCH ratio series=%d rounds=%d bcmon_cpu_us_per_series=%.2f node_exporter_cpu_us_per_series=%.2f node_exporter/bcmon=%.1f\n", bs, r, b, n, q }'
}

# Baseline: node_exporter with its default collectors, running throughout.
prometheus-node-exporter --web.listen-address=127.0.0.1:9100 >/tmp/node.log 2>&1 &
NODE=$!
n=0
until curl -fs -o /dev/null http://127.0.0.1:9100/metrics; do
	n=$((n + 1)); [ $n -lt 300 ] || fail "node_exporter did not start"; sleep 0.1
done

# The per-uid quota (uid_max_memory, 32 MiB by default) binds root's sets
# too: 100,000 series need it raised as well as the module's max_memory.
for target in 1000 10000 100000; do
	unload_bcmon
	insmod "$BCMON_KO" max_memory=1073741824 uid_max_memory=1073741824
	bcmon-exporter --web.listen-address=127.0.0.1:9477 2>/tmp/exporter.log &
	EXP=$!
	n=0
	until curl -fs -o /dev/null http://127.0.0.1:9477/; do
		n=$((n + 1)); [ $n -lt 300 ] || fail "exporter did not start"; sleep 0.1
	done
	base=$(series_in http://127.0.0.1:9477/metrics)
	bcmon-scrape populate $((target - base)) b || fail "populate $target"
	# (busybox sh has no local variables: measure() overwrites "series")
	bseries=$(series_in http://127.0.0.1:9477/metrics)
	case $target in 1000) count=100 ;; 10000) count=20 ;; *) count=4 ;; esac
	measure bcmon $EXP http://127.0.0.1:9477/metrics $count "$bseries"
	nseries=$(series_in http://127.0.0.1:9100/metrics)
	measure node_exporter $NODE http://127.0.0.1:9100/metrics 20 "$nseries"
	case $target in
	1000) ratio $EXP 9477 "$bseries" 20 $NODE 9100 "$nseries" 4 10 ;;
	10000) ratio $EXP 9477 "$bseries" 4 $NODE 9100 "$nseries" 4 8 ;;
	*) ratio $EXP 9477 "$bseries" 1 $NODE 9100 "$nseries" 4 4 ;;
	esac
	kill $EXP; wait $EXP 2>/dev/null || true
done
kill $NODE; wait $NODE 2>/dev/null || true

# Labeled series (issue 10): the same figures for one labeled counter with
# that many series, to set beside the unlabeled metrics measured above in
# this boot (bcmon=... lines of the same series counts).
for target in 10000 100000; do
	unload_bcmon
	insmod "$BCMON_KO" max_memory=1073741824 uid_max_memory=1073741824 max_series=100000
	bcmon-exporter --web.listen-address=127.0.0.1:9477 2>/tmp/exporter.log &
	EXP=$!
	n=0
	until curl -fs -o /dev/null http://127.0.0.1:9477/; do
		n=$((n + 1)); [ $n -lt 300 ] || fail "exporter did not start"; sleep 0.1
	done
	base=$(series_in http://127.0.0.1:9477/metrics)
	bcmonctl create lab "n:counter:labels=peer"
	# module_series and module_series_refused_total add 4 series.
	bcmon-labeltest series lab n $((target - base - 4)) 64 >/dev/null || fail "labeled $target"
	bseries=$(series_in http://127.0.0.1:9477/metrics)
	case $target in 10000) count=20 ;; *) count=4 ;; esac
	measure bcmon_labeled $EXP http://127.0.0.1:9477/metrics $count "$bseries"
	kill $EXP; wait $EXP 2>/dev/null || true
done
unload_bcmon
