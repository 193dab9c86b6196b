# Benchmark, like for like: bcmon-exporter serving N series from counter
# sets against node_exporter's textfile collector serving the same N series
# from a file (the text bcmon wrote for those sets), in the same boot. Both
# serve a store; neither reads sysfs or /proc per series. Plain text, no
# gzip; only each exporter's own self metrics come on top (bcmon runs the
# kmod and self collectors, node_exporter only the textfile collector).
# For N = 1,000 and 10,000: rounds in which the two are scraped in turn,
# one scrape each (bcmon-scrape alternate: whichever went first goes second
# the next time), so that both see the same moments of a machine others
# load. CPU time of each is utime + stime of all its threads over the whole
# round: everything it did for its scrapes, also after the client had the
# answer (closing the connection, freeing the answer). The figure
# read just before and after each scrape, which misses that and is mostly
# rounding at a tick a scrape (bcmon's 1,000-series scrape costs less than
# one), is printed beside it as "bracketed". The ratio per round and the
# median ratio over the rounds; median scrape time and peak RSS of both.
# Then a profile of bcmon's
# 10,000-series scrapes (perf, kernel and user space, by symbol), and the
# same scrapes split into phases by bcmon-scrape (netlink dump and parse,
# formatting, gzip). Prints figures; asserts nothing about them.
# timeout: 2400
. /opt/bcmon/lib.sh
ulimit -n 4096

hwm_kb() { awk '/^VmHWM/ { print $2 }' /proc/$1/status; }
series_in() { curl -fsS "$1" | grep -vc '^#'; }
wait_http() {
	n=0
	until curl -fs -o /dev/null "$1"; do
		n=$((n + 1)); [ $n -lt 300 ] || fail "$1 not serving"; sleep 0.1
	done
}

ROUNDS=${BENCH_ROUNDS:-8}
TF=/tmp/textfile
mkdir -p $TF

for target in 1000 10000; do
	unload_bcmon
	insmod "$BCMON_KO" max_memory=1073741824
	bcmon-scrape populate "$target" b || fail "populate $target"
	bcmon-exporter --web.listen-address=127.0.0.1:9477 --no-collector.bpf \
		--no-collector.proc --no-collector.health 2>/tmp/exporter.log &
	EXP=$!
	wait_http http://127.0.0.1:9477/
	# The textfile holds exactly the families of bcmon's counter sets.
	curl -fsS http://127.0.0.1:9477/metrics |
		awk '/^# (HELP|TYPE) bitcraps_b[0-9]+_/ || /^bitcraps_b[0-9]+_/' >$TF/sets.prom.tmp
	mv $TF/sets.prom.tmp $TF/sets.prom
	set_series=$(grep -vc '^#' $TF/sets.prom)
	[ "$set_series" = "$target" ] || fail "textfile holds $set_series series, want $target"
	prometheus-node-exporter --web.listen-address=127.0.0.1:9100 \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory=$TF >/tmp/node.log 2>&1 &
	NODE=$!
	wait_http http://127.0.0.1:9100/metrics
	curl -fsS http://127.0.0.1:9100/metrics | grep -q '^bitcraps_b0_c0_total ' ||
		fail "node_exporter does not serve the textfile"
	bs=$(series_in http://127.0.0.1:9477/metrics)
	ns=$(series_in http://127.0.0.1:9100/metrics)
	case $target in 1000) count=40 ;; *) count=6 ;; esac
	# Warm both, then reset the peak RSS so that it is the scrapes' own.
	bcmon-scrape time 127.0.0.1 9477 /metrics 3 >/dev/null || fail "bcmon warm-up"
	bcmon-scrape time 127.0.0.1 9100 /metrics 3 >/dev/null || fail "node warm-up"
	echo 5 >/proc/$EXP/clear_refs
	echo 5 >/proc/$NODE/clear_refs
	ratios="" bratios="" r=0 bt=0 nt=0 bbt=0 bnt=0 bms="" nms=""
	field() { echo "$2" | sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
	ratio() { awk -v b="$1" -v n="$2" 'BEGIN { if (b > 0) printf "%.2f", n / b; else print "inf" }'; }
	ms_per_scrape() { awk -v t="$1" -v n=$((count * ROUNDS)) 'BEGIN { printf "%.2f", t * 10 / n }'; }
	while [ $r -lt "$ROUNDS" ]; do
		out=$(bcmon-scrape alternate 127.0.0.1 /metrics $count 9477 $EXP 9100 $NODE) ||
			fail "round $((r + 1)): $out"
		b=$(field a_round_ticks "$out") n=$(field b_round_ticks "$out")
		bb=$(field a_ticks "$out") bn=$(field b_ticks "$out")
		bms="$bms $(field a_median_ms "$out")" nms="$nms $(field b_median_ms "$out")"
		bt=$((bt + b)) nt=$((nt + n)) bbt=$((bbt + bb)) bnt=$((bnt + bn))
		q=$(ratio $b $n) bq=$(ratio $bb $bn)
		echo "BENCH textfile series=$target round=$((r + 1)) bcmon_ticks=$b node_ticks=$n scrapes=$count node/bcmon=$q" \
			"bracketed_bcmon_ticks=$bb bracketed_node_ticks=$bn bracketed_node/bcmon=$bq"
		ratios="$ratios $q" bratios="$bratios $bq"
		r=$((r + 1))
	done
	median() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
	echo "BENCH textfile-summary series=$target bcmon_series=$bs node_series=$ns rounds=$ROUNDS scrapes_per_batch=$count" \
		"bcmon_cpu_ms_per_scrape=$(ms_per_scrape $bt) node_cpu_ms_per_scrape=$(ms_per_scrape $nt)" \
		"bcmon_median_ms=$(median $bms) node_median_ms=$(median $nms)" \
		"bcmon_peak_rss_kb=$(hwm_kb $EXP) node_peak_rss_kb=$(hwm_kb $NODE)" \
		"median_ratio=$(median $ratios)" \
		"bracketed_bcmon_cpu_ms_per_scrape=$(ms_per_scrape $bbt)" \
		"bracketed_node_cpu_ms_per_scrape=$(ms_per_scrape $bnt)" \
		"bracketed_median_ratio=$(median $bratios)"
	if [ "$target" = 10000 ]; then
		if command -v perf >/dev/null; then
			perf record -q -g -o /tmp/perf.data -p $EXP -- \
				sh -c 'bcmon-scrape time 127.0.0.1 9477 /metrics 20 >/dev/null' 2>/dev/null ||
				note "perf record failed"
			perf report -q -i /tmp/perf.data --no-children --sort symbol --stdio -g none 2>/dev/null |
				grep -v '^$' | head -n 40 | sed 's/^/PROFILE /'
		else
			note "perf not in the guest: no symbol profile"
		fi
		bcmon-scrape profile 20 | sed 's/^/PROFILE /' || note "phase profile failed"
	fi
	kill $EXP $NODE
	wait $EXP 2>/dev/null || true
	wait $NODE 2>/dev/null || true
done
unload_bcmon
