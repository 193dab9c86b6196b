# Benchmark: protobuf vs text exposition of the same exporter in the same
# boot: bytes per scrape (plain and gzip) and exporter CPU per scrape
# (utime + stime of all its threads), with the eBPF probes' native
# histograms filled by loopback traffic on two watched ports, 1,000
# counter-set series and 20 series of a counter-set histogram with classic
# bounds and native buckets. Alternating batches of scrapes, text then protobuf,
# ROUNDS times; prints each round and the medians with their ratio.
# Figures only; nothing asserted.
# timeout: 900
. /opt/bcmon/lib.sh

ROUNDS=${BENCH_ROUNDS:-7}
BATCH=${BENCH_BATCH:-20}
cpu_ticks() { sed 's/.*) //' /proc/$1/stat | awk '{ print $12 + $13 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

unload_bcmon
insmod "$BCMON_KO" max_memory=1073741824
# The default configuration watches ports 7000 and 7001.
bcmon-exporter --web.listen-address=127.0.0.1:9477 2>/tmp/exporter.log &
EXP=$!
n=0
until curl -fs http://127.0.0.1:9477/metrics | grep -q '^bitcraps_network_tcp_rtt_seconds_bucket'; do
	n=$((n + 1)); [ $n -lt 600 ] || { cat /tmp/exporter.log; fail "exporter with probes did not start"; }
	sleep 0.1
done
bcmon-scrape populate 1000 b >/dev/null || fail "populate"
# 20 series of a native histogram that also has the seed's classic bounds
# (as the consensus latency), 100 observations each from 50 us to 2.5 s.
bcmonctl create nbench "lat:histogram:unit=seconds:scale=-6:bounds=1000,5000,10000,50000,100000,500000,1000000:native=3:labels=peer"
for p in $(seq 20); do
	args=""
	for i in $(seq 100); do
		args="$args lat $(( (i * 7919 % 997 + 1) * (i % 9 + 1) * (i % 5 + 1) + 50 )) peer=p$p"
	done
	# shellcheck disable=SC2086
	bcmonctl observe nbench $args || fail "native observations"
done
curl -fs http://127.0.0.1:9477/metrics | grep -q '^bitcraps_nbench_lat_seconds_count{peer="p20"} 100$' ||
	fail "the native histogram series are not served"
bcmon-netpeer pingpong tcp 7000 300 64 >/dev/null || fail "tcp traffic"
bcmon-netpeer pingpong udp 7001 300 64 >/dev/null || fail "udp traffic"
bcmon-netpeer pingpong tcp 7000 20 64 20 >/dev/null || fail "slow traffic"

# batch FORMAT: CPU seconds per scrape over BATCH scrapes
batch() {
	a=$(cpu_ticks $EXP)
	bcmon-scrape time 127.0.0.1 9477 /metrics $BATCH $1 >/dev/null || fail "scrape $1"
	b=$(cpu_ticks $EXP)
	awk -v a="$a" -v b="$b" -v n="$BATCH" 'BEGIN { printf "%.6f\n", (b - a) / 100 / n }'
}
bytes() { bcmon-scrape time 127.0.0.1 9477 /metrics 1 $1 | sed -n 's/.*bytes=\([0-9]*\).*/\1/p'; }

bcmon-scrape time 127.0.0.1 9477 /metrics 3 >/dev/null
bcmon-scrape time 127.0.0.1 9477 /metrics 3 proto >/dev/null
: >/tmp/text.cpu
: >/tmp/proto.cpu
for r in $(seq "$ROUNDS"); do
	t=$(batch "")
	p=$(batch proto)
	echo "$t" >>/tmp/text.cpu
	echo "$p" >>/tmp/proto.cpu
	echo "round $r: text ${t} s/scrape, protobuf ${p} s/scrape"
done
tb=$(bytes "") tg=$(bytes gzip) pb=$(bytes proto) pg=$(bytes "gzip proto")
tc=$(median </tmp/text.cpu) pc=$(median </tmp/proto.cpu)
series=$(curl -fs http://127.0.0.1:9477/metrics | grep -vc '^#')
echo "RESULT exposition text: $tb bytes ($tg gzip), $tc s CPU per scrape; protobuf: $pb bytes ($pg gzip), $pc s CPU per scrape ($series text series, $ROUNDS rounds of $BATCH scrapes)"
awk -v tb="$tb" -v pb="$pb" -v tg="$tg" -v pg="$pg" -v tc="$tc" -v pc="$pc" 'BEGIN {
	printf "RESULT protobuf/text: bytes %.3f, gzip bytes %.3f, CPU %.3f\n", pb / tb, pg / tg, (tc > 0 ? pc / tc : 0) }'
kill $EXP; wait $EXP 2>/dev/null || true
unload_bcmon
