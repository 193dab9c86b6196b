# Exemplars through bcmon-exporter (issue 14): each bucket's most recent
# exemplar that bcmon.ko keeps comes out on its bucket line in OpenMetrics
# (# {trace_id="...",span_id="..."} value timestamp) for an unlabeled and a
# labeled histogram, in base units for a scaled one (milliseconds to
# seconds) and at the exact time the module stamped (to the millisecond);
# a negative value in the first bucket, a value on a bound in that bound's,
# a value scaling puts on the bound below (2^53 + 1 is the double 2^53)
# still in its bucket, never the histogram dropped; none in the text format
# 0.0.4; the same exemplars, field by field, in a protobuf scrape (decoded
# by bcmon-proto-exemplars with libprotobuf-c, the guest has no protoc).
# timeout: 300
. /opt/bcmon/lib.sh
. "$(dirname "$0")/exporter-lib.sh.inc"
load_bcmon
T1=4bf92f3577b34da6a3ce929d0e0e4736 S1=00f067aa0ba902b7
T2=0af7651916cd43dd8448eb211c80319c S2=b7ad6b7169203331
P53=9007199254740992	# 2^53

bcmonctl create ex "lat:histogram:bounds=10,100" \
	"plat:histogram:bounds=10,100:labels=peer" \
	"wait:histogram:unit=seconds:scale=-3:bounds=5,50" \
	"big:histogram:bounds=$P53,$((2 * P53))" "none:histogram:bounds=10"
bcmonctl observe ex lat 7 @$T1:$S1 lat 50 plat 60 peer=b none 3
# Newer: replaces bucket 0's (7); a bound's own value; above every bound.
bcmonctl observe ex lat -3 @$T2:$S2 lat 100 @$T1:$S2 lat 500 @$T2:$S1 \
	plat 50 peer=a @$T2:$S1 wait 5 @$T1:$S2 wait 20 @$T2:$S2 \
	big $((P53 + 1)) @$T1:$S1
JSON=$(bcmonctl --json show ex)
note "$JSON"

# time_ns VALUE TRACE SPAN: the module's time of that exemplar (as text:
# jq would read it as a double).
time_ns() {
	t=$(echo "$JSON" | sed -n "s/.*\"value\":$1,\"timestamp_ns\":\([0-9]*\),\"trace_id\":\"$2\",\"span_id\":\"$3\".*/\1/p")
	[ -n "$t" ] || fail "no exemplar $1 $2:$3 in bcmonctl's JSON"
	echo "$t"
}
# om_time NS: the exporter's OpenMetrics time, NS / 1e9 in doubles printed
# to the millisecond (busybox awk does both with the same libc).
om_time() {
	awk -v t="$1" 'BEGIN { printf "%.3f", t / 1e9 }'
}
# om_line PREFIX TRACE SPAN VALUE RAW: the exact bucket line; RAW is the
# value as bcmonctl shows it (in the metric's unit).
om_line() {
	ts=$(om_time "$(time_ns "$5" "$2" "$3")")
	grep -qxF "$1 # {trace_id=\"$2\",span_id=\"$3\"} $4 $ts" "$M" ||
		fail "no line '$1 # {trace_id=\"$2\",span_id=\"$3\"} $4 $ts' in: $(grep -F "$(echo "$1" | cut -d'{' -f1)" "$M")"
}

exporter_start --no-collector.bpf
M=/tmp/m.om
curl -fsS -H 'Accept: application/openmetrics-text; version=1.0.0' -o "$M" "$URL/metrics" ||
	fail "OpenMetrics scrape"
grep -q '^# EOF$' "$M" || fail "not OpenMetrics"
om_line 'bitcraps_ex_lat_bucket{le="10.0"} 2' $T2 $S2 -3.0 -3
om_line 'bitcraps_ex_lat_bucket{le="100.0"} 4' $T1 $S2 100.0 100
om_line 'bitcraps_ex_lat_bucket{le="+Inf"} 5' $T2 $S1 500.0 500
assert_eq 5 "$(value "$M" bitcraps_ex_lat_count)" "the histogram itself"
om_line 'bitcraps_ex_plat_bucket{peer="a",le="100.0"} 1' $T2 $S1 50.0 50
assert_eq 0 "$(grep -c 'bitcraps_ex_plat_bucket{peer="b".* # ' "$M")" "series b has none"
om_line 'bitcraps_ex_wait_seconds_bucket{le="0.005"} 1' $T1 $S2 0.005 5
om_line 'bitcraps_ex_wait_seconds_bucket{le="0.05"} 2' $T2 $S2 0.02 20
assert_eq 0.025 "$(value "$M" bitcraps_ex_wait_seconds_sum)" "sum in the same base units"
# 2^53 + 1 in (2^53, 2^54] is the double 2^53, the bound below: served as
# the next double, 2^53 + 2, in its bucket.
om_line 'bitcraps_ex_big_bucket{le="18014398509481984"} 1' $T1 $S1 \
	9007199254740994 $((P53 + 1))
assert_eq 1 "$(value "$M" bitcraps_ex_big_count)" "that histogram served"
assert_eq 0 "$(grep -c '^bitcraps_ex_none_bucket.* # ' "$M")" "none without exemplars"
assert_eq 7 "$(grep -c ' # {' "$M")" "exactly the module's seven exemplars"
assert_eq 0 "$(value "$M" 'bitcraps_module_set_metrics_skipped{reason="invalid"}')" \
	"no histogram refused"

T=/tmp/m.txt
scrape "$T"
assert_eq 0 "$(grep -c ' # {' "$T")" "no exemplars in the text format"
assert_eq 2 "$(value "$T" 'bitcraps_ex_lat_bucket{le="10"}')" "text: the same histogram"
promtool_clean "$T"

# Protobuf (what Prometheus negotiates with native histograms on): each on
# its classic bucket, +Inf's on an explicit +Inf bucket; the time to the
# microsecond (a double of the time holds no more), so within 1 us of the
# module's nanoseconds.
P=/tmp/m.pb
curl -fsS -o "$P" -H 'Accept: application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited' \
	"$URL/metrics" || fail "protobuf scrape"
bcmon-proto-exemplars <"$P" >/tmp/pb.txt || fail "protobuf stream malformed"
note "$(cat /tmp/pb.txt)"
# pb_line PREFIX TRACE SPAN VALUE RAW
pb_line() {
	want=$(time_ns "$5" "$2" "$3")
	line=$(grep -F "$1 # {trace_id=\"$2\",span_id=\"$3\"} $4 " /tmp/pb.txt) ||
		fail "protobuf: no '$1 # {trace_id=\"$2\",span_id=\"$3\"} $4 ...' in: $(cat /tmp/pb.txt)"
	ts=${line##* }
	sec=${ts%.*} ns=${ts#*.}
	ns=${ns#"${ns%%[!0]*}"}		# no leading zeros: not octal
	diff=$((sec * 1000000000 + ${ns:-0} - want))
	[ "${diff#-}" -lt 1000 ] || fail "protobuf time $ts of $1: $diff ns from the module's $want"
}
pb_line 'bitcraps_ex_lat{} le="10"' $T2 $S2 -3 -3
pb_line 'bitcraps_ex_lat{} le="100"' $T1 $S2 100 100
pb_line 'bitcraps_ex_lat{} le="+Inf"' $T2 $S1 500 500
pb_line 'bitcraps_ex_plat{peer="a"} le="100"' $T2 $S1 50 50
pb_line 'bitcraps_ex_wait_seconds{} le="0.005"' $T1 $S2 0.005 5
pb_line 'bitcraps_ex_wait_seconds{} le="0.05"' $T2 $S2 0.02 20
pb_line 'bitcraps_ex_big{} le="18014398509481984"' $T1 $S1 9007199254740994 $((P53 + 1))
assert_eq 7 "$(wc -l </tmp/pb.txt)" "the same seven in protobuf"

exporter_stop
bcmonctl destroy ex
unload_bcmon
