# The UAPI stays append-only: bcmonctl and libbcmon as they were before
# labeled metrics (built from tests/compat/BASE by tests/compat/build-prev,
# installed as bcmonctl-prev) still do everything they did against today's
# module, with labeled sets around them: create, write and read unlabeled
# sets, list every set, read a set whose metrics are all labeled (it has
# none for them), status, destroy. They never see a labeled metric as an
# unlabeled one with value 0, and skip the attributes added after them
# (exemplars, native histograms).
. /opt/bcmon/lib.sh
load_bcmon
OLD=bcmonctl-prev
$OLD version >/dev/null || fail "old version"
$OLD status >/dev/null || fail "old status"
$OLD create old c:counter g:gauge "h:histogram:bounds=1,10"
$OLD add old c 5 c 2
$OLD set old g -2
$OLD observe old h 3 h 30
json=$($OLD --json show old)
assert_contains "$json" '"name":"c","kind":"counter","unit":"","scale":0,"help":"","value":7' "old counter"
assert_contains "$json" '"name":"g","kind":"gauge","unit":"","scale":0,"help":"","value":-2' "old gauge"
assert_contains "$json" '"count":2,"sum":33' "old histogram"
# Labeled sets made by today's tools.
bcmonctl create mix plain:counter "bets:counter:labels=peer" "lat:histogram:bounds=5:labels=peer"
bcmonctl add mix plain 4 bets 1 peer=a
bcmonctl observe mix lat 2 peer=a
bcmonctl create onlylabeled "x:counter:labels=peer"
bcmonctl add onlylabeled x 9 peer=z
json=$($OLD --json show mix) || fail "old show of a labeled set: $json"
note "$json"
assert_contains "$json" '"metrics":[{"name":"plain","kind":"counter","unit":"","scale":0,"help":"","value":4}]' \
	"the old reader sees the unlabeled metric only"
json=$($OLD --json show onlylabeled) || fail "old show of an all-labeled set: $json"
assert_contains "$json" '"metrics":[]' "an all-labeled set has no metrics for the old reader"
out=$($OLD sets) || fail "old sets: $out"
note "$out"
for s in old mix onlylabeled; do assert_contains "$out" "$s" "old sets lists $s"; done
$OLD --json sets >/dev/null || fail "old json sets"
# Exemplars (added after labels): the old reader skips them and reads the
# histograms that carry them as before.
bcmonctl observe old h 4 @4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7
json=$($OLD --json show old) || fail "old show of a histogram with an exemplar: $json"
assert_contains "$json" '"count":3,"sum":37' \
	"the old reader reads a histogram with an exemplar"
# Native histograms (added after exemplars): the old reader skips the
# native nests; a histogram with classic bounds and native buckets reads
# as before, a native-only one as a histogram with only +Inf.
bcmonctl create nat "cn:histogram:bounds=10,100:native=3" "on:histogram:native=0:neg"
bcmonctl observe nat cn 5 cn 50 cn 500 on 7 on -7
json=$($OLD --json show nat) || fail "old show of native histograms: $json"
note "$json"
assert_contains "$json" '"count":3,"sum":555,"buckets":[{"upper_bound":10,"count":1},{"upper_bound":100,"count":1},{"upper_bound":"+Inf","count":1}]' \
	"the old reader reads a classic-and-native histogram"
assert_contains "$json" '"count":2,"sum":0,"buckets":[{"upper_bound":"+Inf","count":2}]' \
	"the old reader reads a native-only histogram as +Inf alone"
$OLD observe nat cn 1 || fail "old write to a native histogram"
assert_contains "$(bcmonctl --json show nat)" '"count":4,"sum":556' "written by the old tool"
$OLD destroy nat
$OLD add mix plain 1 || fail "old write to a set with labeled metrics"
assert_contains "$(bcmonctl --json show mix)" '"name":"plain","kind":"counter","unit":"","scale":0,"help":"","value":5}' "written"
# And today's tools read what the old ones wrote.
assert_contains "$(bcmonctl --json show old)" '"name":"c","kind":"counter","unit":"","scale":0,"help":"","value":7' "new reads old"
for s in old mix onlylabeled; do $OLD destroy $s; done
assert_contains "$(bcmonctl --json status)" '"sets":0,' "all gone"
unload_bcmon
