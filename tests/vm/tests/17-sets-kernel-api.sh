# The counter-set kernel API, driven by tests/fixtures/bcmon_fixture_sets.ko:
# a set with no metrics is refused at creation (-EINVAL), so it can never
# break the SET_GET dump for everyone; the fixture's real set is listed,
# dumped and written through the API.
. /opt/bcmon/lib.sh
unload_bcmon
load_bcmon
P=/sys/module/bcmon_fixture_sets/parameters
bcmonctl create before c:counter
insmod $FIXTURES/bcmon_fixture_sets.ko
bcmonctl create after c:counter

# Every dump still works, for every user: one listing of all sets, the
# named dump of each, and the single-message GET.
out=$(bcmonctl sets) || fail "bcmonctl sets: $out"
for s in before kernel_fixture after; do
	assert_contains "$out" "$s" "set $s listed"
	bcmonctl --json show "$s" >/dev/null || fail "show $s"
done
su nobody -s /bin/sh -c 'bcmonctl --json sets' >/dev/null || fail "unprivileged dump"
assert_eq -22 "$(cat $P/empty_err)" "a set with no metrics is refused (-EINVAL)"
assert_eq 0 "$(cat $P/create_err)" "the fixture's set is created"
case $out in *kernel_fixture_empty*) fail "the empty set exists" ;; esac

# The API writes; the values read back.
echo 5 >$P/add; echo 7 >$P/add
echo -3 >$P/gauge
echo 50 >$P/observe
json=$(bcmonctl --json show kernel_fixture)
assert_contains "$json" '"name":"c","kind":"counter","unit":"","scale":0,"help":"Fixture counter","value":12' "counter through the API"
assert_contains "$json" '"name":"g","kind":"gauge","unit":"","scale":0,"help":"","value":-3' "gauge through the API"
assert_contains "$json" '"count":1,"sum":50' "histogram through the API"

# Its sets go with the fixture; bcmon stays held while it is loaded.
expect_fail rmmod bcmon 2>/dev/null
rmmod bcmon_fixture_sets
case $(bcmonctl sets) in *kernel_fixture*) fail "fixture set left behind" ;; esac
bcmonctl destroy before
bcmonctl destroy after
unload_bcmon
