# The kernel's own YNL tooling as a second, independent client: the C
# library ynl-gen-c generated from Documentation/netlink/specs/bcmon.yaml
# (bcmon-ynlclient, no libbcmon) does every command, every dump and
# receives events, and every field it reads equals what bcmonctl --json
# (libbcmon over libnl) reads. Both are printed as the same canonical lines
# (the jq programs below turn bcmonctl's JSON into them) and compared.
# timeout: 240
. /opt/bcmon/lib.sh
Y=bcmon-ynlclient
T=/tmp/ynl
mkdir -p $T
unload_bcmon
insmod $FIXTURES/bcmon_fixture_sensors.ko
insmod "$BCMON_KO" sensor_interval_ms=200
P=/sys/module/bcmon_fixture_sensors/parameters

# same WHAT FILE-A FILE-B: identical, or fail showing the difference.
same() {
	if ! cmp -s "$2" "$3"; then
		diff "$2" "$3" | head -n 20
		fail "$1: the YNL client and bcmonctl disagree"
	fi
	note "$1: $(wc -l <"$2") lines agree"
}
orabs() { echo '(if . == null then "-" else tostring end)'; }
A=$(orabs)

# --- do: version and status ------------------------------------------------
$Y version >$T/y || fail "ynl version"
bcmonctl --json version | jq -r '"version \(.version)"' >$T/b
same version $T/y $T/b
$Y status >$T/y || fail "ynl status"
bcmonctl --json status | jq -r "\"status version=\(.version) sets=\(.sets) max_sets=\(.max_sets) max_metrics=\(.max_metrics) max_buckets=\(.max_buckets) memory_used=\(.memory_used) memory_limit=\(.memory_limit) error_ring_size=\(.error_ring_size) errors_recorded=\(.errors_recorded) sensor_interval_ms=\(.sensor_interval_ms) writer_gid=\(.writer_gid | $A)\"" >$T/b
same status $T/y $T/b

# --- writes through the YNL client, reads through both ---------------------
$Y create ynlset || fail "ynl set-create"
$Y update ynlset || fail "ynl set-update"
bcmonctl create bcset 'hits:counter' 'depth:gauge:unit=bytes:scale=0:help=queue depth' \
	'rtt:histogram:unit=seconds:scale=-3:bounds=1,5' || fail "bcmonctl create"
bcmonctl add bcset hits 3 depth -2 && bcmonctl observe bcset rtt 4 || fail "bcmonctl update"
SETS='def m(s): "metric \(s) \(.name) kind=\(.kind) unit=\(.unit) scale=\(.scale) help=\(.help)"
	+ (if .kind == "histogram" then " count=\(.count) sum=\(.sum) buckets=" + ([.buckets[] | "\(.upper_bound):\(.count)"] | join(","))
	   + (if .exemplars then " exemplars=" + ([.exemplars[] | "\(.bucket):\(.value):\(.trace_id):\(.span_id)"] | join(",")) else "" end)
	   else " value=\(.value)" end);
	def set: "set \(.name) owner=\(.owner // "-") uid=\(.owner_uid // "-")", (.name as $s | .metrics[] | m($s));'
$Y show ynlset >$T/y || fail "ynl set-get"
bcmonctl --json show ynlset | jq -r "$SETS set" >$T/b
same "set-get do" $T/y $T/b
grep -q 'metric ynlset msgs kind=counter .* value=42$' $T/y || fail "counter after two adds: $(cat $T/y)"
grep -q 'metric ynlset temp kind=gauge .* value=-7250$' $T/y || fail "gauge set: $(cat $T/y)"
grep -q 'buckets=10:1,100:0,1000:1,+Inf:1 exemplars=3:5000:4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7$' $T/y ||
	fail "histogram buckets and the +Inf exemplar: $(cat $T/y)"
$Y sets >$T/y || fail "ynl set-get dump"
bcmonctl --json sets | jq -r "$SETS .[] | set" >$T/b
same "set-get dump" $T/y $T/b
grep -q '^set bcset ' $T/y || fail "the dump lacks bcmonctl's set"

# --- errors: record through both, dump through both -------------------------
$Y error network warning "from the ynl client" || fail "ynl error-record"
bcmonctl error consensus critical "from bcmonctl" || fail "bcmonctl error"
# jq reads numbers as doubles: the nanosecond timestamps are compared as
# text, taken from bcmonctl's JSON as printed.
$Y errors >$T/yr || fail "ynl error-get dump"
sed 's/ ts=[0-9]*//' $T/yr >$T/y
bcmonctl --json errors >$T/bj
grep -o 'ts=[0-9]*' $T/yr | cut -d= -f2 >$T/yts
grep -o '"timestamp_ns":[0-9]*' $T/bj | cut -d: -f2 >$T/bts
same "error timestamps" $T/yts $T/bts
jq -r '(.events[] | "error seq=\(.seq) \(.category) \(.severity) origin=\(.origin // "-") uid=\(.uid // "-") pid=\(.pid // "-") \(.message)"), (.totals[] | "total \(.category) \(.severity) \(.count)")' $T/bj >$T/b
same "error-get dump" $T/y $T/b
grep -q 'network warning origin=user .* from the ynl client$' $T/y || fail "ynl-recorded error"

# --- sensors ----------------------------------------------------------------
$Y sensors >$T/y || fail "ynl sensors-get dump"
bcmonctl --json sensors | jq -r "(.zones[] | \"zone \(.id) type=\(.type // \"-\") temp=\(.temp_mc | $A)\", (.id as \$z | .trips[] | \"trip \(\$z) \(.id) type=\(.type) temp=\(.temp_mc) hyst=\(.hyst_mc)\")),
	(.cooling[] | \"cooling \(.id) type=\(.type) cur=\(.cur_state) max=\(.max_state)\"),
	(.supplies[] | \"supply \(.name) type=\(.type // \"-\") online=\(.online | $A) status=\(.status // \"-\" | ascii_downcase | gsub(\" \"; \"-\")) capacity=\(.capacity | $A) voltage=\(.voltage_uv | $A) current=\(.current_ua | $A) energy_now=\(.energy_now_uwh | $A) energy_full=\(.energy_full_uwh | $A) charge_now=\(.charge_now_uah | $A) charge_full=\(.charge_full_uah | $A) temp=\(.temp_dc | $A)\"),
	\"throttling \(if .throttling then 1 else 0 end)\"" >$T/b
same "sensors-get dump" $T/y $T/b
grep -q '^supply bcmon_battery type=Battery ' $T/y || fail "no fixture battery: $(cat $T/y)"

# --- events: both clients subscribed at once see the same notifications ----
$Y watch 6 60 >$T/ye 2>$T/yw &
YP=$!
bcmonctl --json watch --count 6 --timeout 60 >$T/be 2>$T/bw &
BP=$!
i=0; until grep -q watching $T/yw && grep -q watching $T/bw; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "watchers never subscribed"; sleep 0.1
done
bcmonctl create evset 'n:counter'
$Y error resource error "event from the ynl client"
echo 2 >$P/cooling_state
sleep 1
echo 0 >$P/cooling_state
sleep 1
$Y destroy evset || fail "ynl set-destroy"
$Y destroy ynlset || fail "ynl set-destroy ynlset"
wait $YP || fail "ynl watcher: $(cat $T/yw)"
wait $BP || fail "bcmonctl watcher: $(cat $T/bw)"
jq -r '"event \(.event | gsub("_"; "-"))"
	+ (if .set then " set=\(.set)" else "" end)
	+ (if .seq then " seq=\(.seq) \(.category) \(.severity) \(.message)" else "" end)
	+ (if .supply then " supply=\(.supply) status=\(.status // "-" | ascii_downcase | gsub(" "; "-")) capacity=\(.capacity // "-")" else "" end)
	+ (if .zone != null then " zone=\(.zone)" else "" end)
	+ (if .trip != null then " trip=\(.trip)" else "" end)
	+ (if .throttling != null then " throttling=\(if .throttling then 1 else 0 end)" else "" end)' $T/be >$T/b
same events $T/ye $T/b
for e in set-created error throttle-start throttle-stop set-destroyed; do
	grep -q "^event $e" $T/ye || fail "no $e event: $(cat $T/ye)"
done

bcmonctl destroy bcset
rmmod bcmon
rmmod bcmon_fixture_sensors
