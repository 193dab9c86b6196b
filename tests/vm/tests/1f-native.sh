# Native histograms in counter sets (issue 13): Prometheus' exponential
# buckets with a schema, zero threshold and bucket limit chosen at creation,
# per CPU, in integers (kmod/nhist.c), beside classic bounds or alone:
# - bad definitions, and negative observations into a histogram without
#   negative buckets, are refused with an errno and a message;
# - values observed through netlink land in exactly the buckets that
#   kmod/nhist.c computes in userspace, with the zero bucket, count, sum and
#   classic buckets of the same observations, unlabeled and labeled, from
#   schema 8 down to -4 (bcmon-nativetest check);
# - every CPU observing at once, from hard interrupts, values up to 2^63
#   apart into windows of 8 buckets while readers read: the resolution is
#   lowered, no observation is lost, every bucket is exact at the schema
#   the reading reports, and it was lowered no further than needed
#   (kernel API, tests/fixtures/bcmon_fixture_native.ko);
# - debugfs shows the native buckets; the memory is charged and returned.
. /opt/bcmon/lib.sh
load_bcmon
TMP=$(mktemp -d)
DBG=/sys/kernel/debug/bcmon
P=/sys/module/bcmon_fixture_native/parameters
mem() { bcmonctl --json status | jq .memory_used; }

out=$(bcmon-nativetest badinput nbad) || fail "$out"
note "$(echo "$out" | grep -c '^ok:') refusals and acceptances as expected"

# --- through netlink ------------------------------------------------------------
VALUES="0 1 1 2 3 7 10 11 12 999 1000 1001 1024 1025 65536 1000000 123456789
1000000000 4294967296 999999999999 1000000000000000000 9223372036854775807"
NEGATIVE="-1 -2 -1000 -1000000000 -4294967296 -9223372036854775808"
m0=$(mem)
bcmon-nativetest create ns || fail "create"
[ "$(mem)" -gt "$m0" ] || fail "native histograms charged nothing"
# shellcheck disable=SC2086
{
	bcmon-nativetest observe ns n - $VALUES $NEGATIVE &&
	bcmon-nativetest observe ns nc - $VALUES &&
	bcmon-nativetest observe ns nl x $VALUES $NEGATIVE &&
	bcmon-nativetest observe ns nl y 5 6 7 &&
	bcmon-nativetest observe ns n4 - $VALUES
} || fail "observations refused"
for v in $VALUES $NEGATIVE; do echo "$v 1"; done >$TMP/all
for v in 5 6 7; do echo "$v 1"; done >$TMP/y
for check in "n - all" "nc - all nonneg" "nl x all" "nl y y" "n4 - all nonneg"; do
	set -- $check
	out=$(bcmon-nativetest check ns "$1" "$2" "$TMP/$3" $4) || fail "$out"
	note "$out"
done
# n: 8 buckets for values 2^0..2^63 apart: the resolution went down.
schema=$(bcmon-nativetest check ns n - $TMP/all | sed -n 's/.*: schema \(-*[0-9]*\) .*/\1/p') ||
	fail "check n again"
[ "$schema" -lt 0 ] || fail "n kept schema $schema with 8 buckets"
assert_contains "$(cat $DBG/sets/ns)" "  native schema $schema zero_threshold 0 zero_count 1" "debugfs native line"
grep -q '^  native neg ' $DBG/sets/ns || fail "debugfs shows no negative bucket"
bcmonctl destroy ns || fail "destroy ns"
for i in 1 2 3 4 5 6 7 8 9 10; do [ "$(mem)" = "$m0" ] && break; sleep 0.2; done
assert_eq "$m0" "$(mem)" "memory returned after destroy"

# --- every CPU at once, through the kernel API ------------------------------------
insmod $FIXTURES/bcmon_fixture_native.ko
assert_eq 0 "$(cat $P/create_err)" "kernel_native created"
for v in 3 1000 -5 1000000000; do echo "$v" >$P/observe; done
secs=$((4 * ${BCMON_SLOW:-1}))
echo $((secs * 1000)) >$P/storm_ms
reads=0
while [ "$(cat $P/storm_ms)" = 1 ]; do
	cat $DBG/sets/kernel_native >/dev/null || fail "debugfs read"
	# A reading during the storm cannot match a reference: read only.
	bcmon-nativetest check kernel_native n - /dev/null >/dev/null 2>&1 || :
	reads=$((reads + 1))
done
assert_eq 0 "$(cat $P/unexpected)" "observations through the kernel API refused or accepted unexpectedly"
cat $P/reference_storm >$TMP/storm
cat $P/reference_observed >$TMP/observed
cat $TMP/storm $TMP/observed >$TMP/both
total=$(awk '{ n += $2 } END { print n }' $TMP/storm)
note "$total storm observations on $(nproc) CPUs, $reads readings during the storm"
[ "$total" -ge 1000 ] || fail "storm too short: $total observations"
for check in "n - both" "nc - both nonneg" "nl a observed" "nl b storm"; do
	set -- $check
	out=$(bcmon-nativetest check kernel_native "$1" "$2" "$TMP/$3" $4) || fail "$out"
	note "$out"
done
rmmod bcmon_fixture_native
unload_bcmon
