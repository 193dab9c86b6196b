# Native histograms of counter sets through bcmonctl and bcmon-exporter
# (issue 13): a scrape negotiated as protobuf carries each one as a native
# histogram whose every bucket (index and count, both signs), zero bucket,
# count and sum are those bcmon.ko reports (bcmonctl --json), for a
# native-only, a classic-and-native (its classic buckets beside, exactly
# its bounds) and a labeled histogram with negative values; the text
# formats serve classic buckets: the metric's own bounds, or buckets
# derived from the native ones whose cumulative counts match the native
# buckets below each bound. Decoded by bcmon-proto-exemplars --native
# (libprotobuf-c; the guest has no protoc).
# timeout: 300
. /opt/bcmon/lib.sh
. "$(dirname "$0")/exporter-lib.sh.inc"
load_bcmon
TMP=$(mktemp -d)

bcmonctl create nat "rtt:histogram:unit=seconds:scale=-9:native=3" \
	"lat:histogram:unit=seconds:scale=-6:bounds=1000,5000,10000,50000,100000,500000,1000000:native=3" \
	"pl:histogram:unit=seconds:scale=-9:native=0:max=8:neg:labels=peer"
# 0 goes to the zero bucket; 2^k ns boundaries and their neighbours.
bcmonctl observe nat rtt 0 rtt 1 rtt 1024 rtt 1025 rtt 1000000 rtt 1000000 \
	rtt 999999999 rtt 1000000000 rtt 123456789012 \
	lat 800 lat 1000 lat 1001 lat 72000 lat 2500000 \
	pl 5 peer=a pl -5 peer=a pl 1000000000 peer=a pl -3000000000000 peer=a \
	pl 7 peer=b
JSON=$(bcmonctl --json show nat)
note "$JSON"

# Buckets as bcmonctl reads them: "FAMILY{LABELS} pos|neg INDEX COUNT".
from_ctl() {
	echo "$JSON" | jq -r --arg m "$1" --arg fam "$2" '.. | objects | select(.name? == $m) |
		(if .series then .series[] | {l: ("{peer=\"" + .labels.peer + "\"}"), n: .native_buckets}
		 else {l: "{}", n: .native_buckets} end) as {l: $l, n: $n} |
		($n.positive[] | "\($fam)\($l) pos \(.index) \(.count)"),
		($n.negative[] | "\($fam)\($l) neg \(.index) \(.count)")' | sort
}
# The native histograms of a protobuf scrape, in the same form.
exporter_start --no-collector.bpf
curl -fsS -o $TMP/scrape.pb \
	-H 'Accept: application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited' \
	"$URL/metrics" || fail "protobuf scrape"
bcmon-proto-exemplars --native <$TMP/scrape.pb >$TMP/native.txt || fail "malformed protobuf"
for m in rtt:bitcraps_nat_rtt_seconds lat:bitcraps_nat_lat_seconds pl:bitcraps_nat_pl_seconds; do
	fam=${m#*:}
	from_ctl "${m%%:*}" "$fam" >$TMP/ctl.txt
	grep -E "^$fam\{[^}]*\} (pos|neg) " $TMP/native.txt | sort >$TMP/pb.txt
	[ -s $TMP/ctl.txt ] || fail "no native buckets of ${m%%:*} from bcmonctl"
	cmp -s $TMP/ctl.txt $TMP/pb.txt ||
		fail "$fam: native buckets differ: bcmonctl $(cat $TMP/ctl.txt) protobuf $(cat $TMP/pb.txt)"
	note "$fam: $(wc -l <$TMP/pb.txt) native buckets as bcmon.ko has them"
done
line=$(grep '^bitcraps_nat_rtt_seconds{} schema ' $TMP/native.txt)
# 1 ns to 123 s is 37 octaves: over 160 buckets at schema 3, so the
# module lowered it to 2 (148), as bcmonctl says too.
rtt_schema=$(echo "$JSON" | jq '.. | objects | select(.name? == "rtt") | .native_buckets.schema')
assert_eq 2 "$rtt_schema" "rtt's schema after the reduction"
case $line in *" schema 2 "*" zero_count 1 count 9 "*) ;; *) fail "rtt schema/zero/count: $line" ;; esac
line=$(grep '^bitcraps_nat_pl_seconds{peer="a"} schema ' $TMP/native.txt)
# 5 ns to 3000 s in both signs, 8 buckets: schema 0 lowered to -3.
case $line in *" schema -3 zero_threshold 2.93873587705"*" zero_count 0 count 4 "*) ;;
*) fail "pl{a}: $line" ;; esac
grep -q '^bitcraps_nat_pl_seconds{peer="a"} neg ' $TMP/native.txt || fail "no negative bucket of pl{a}"
# The classic buckets beside the native ones: exactly lat's bounds (in
# protobuf the +Inf bucket is the count, as client libraries send it).
assert_eq "0.001 2
0.005 3
0.01 3
0.05 3
0.1 4
0.5 4
1 4" "$(sed -n 's/^bitcraps_nat_lat_seconds{} le //p' $TMP/native.txt)" "lat's classic buckets in protobuf (+Inf is the count)"
grep -q '^bitcraps_nat_rtt_seconds{} le ' $TMP/native.txt &&
	fail "a native-only histogram sent with classic buckets in protobuf"

# Text: lat's own bounds; rtt's derived from its native buckets.
scrape $TMP/m.txt
assert_eq 2 "$(value $TMP/m.txt 'bitcraps_nat_lat_seconds_bucket{le="0.001"}')" "lat le 0.001 in text"
assert_eq 5 "$(value $TMP/m.txt 'bitcraps_nat_lat_seconds_count')" "lat count in text"
assert_eq 9 "$(value $TMP/m.txt 'bitcraps_nat_rtt_seconds_bucket{le="+Inf"}')" "rtt +Inf in text"
# Each derived bound is a power of two, a native boundary: the cumulative
# count below it is the zero bucket plus the native buckets up to it
# (bucket i ends at 2^(i/2^schema): inside the bound 2^e when i <= e*2^schema).
grep '^bitcraps_nat_rtt_seconds_bucket{le="' $TMP/m.txt | grep -v '+Inf' |
while read -r series count; do
	le=${series#*le=\"}
	le=${le%\"\}}
	# busybox awk has no ^: le = 2^e and w = 2^schema by halving/doubling.
	want=$(awk -v le="$le" '
		BEGIN { e = 0; x = le + 0; while (x < 1) { x *= 2; e-- } while (x > 1) { x /= 2; e++ } }
		/^bitcraps_nat_rtt_seconds\{\} schema / { n += $7; w = 1; for (k = 0; k < $3; k++) w *= 2 }
		/^bitcraps_nat_rtt_seconds\{\} pos / { if ($3 <= e * w) n += $4 }
		END { print n }' $TMP/native.txt)
	[ "$count" = "$want" ] || fail "rtt le=$le: $count in text, $want from the native buckets"
done
n=$(grep -c '^bitcraps_nat_rtt_seconds_bucket{le="' $TMP/m.txt)
note "rtt: $n derived classic buckets in text"
[ "$n" -gt 10 ] || fail "too few derived buckets: $n"
exporter_stop
bcmonctl destroy nat
unload_bcmon
