# A named dump of a set destroyed while it is being read: the reader has
# part of a set that no longer exists and must be told, never handed the
# part as the whole set. Raw netlink (deterministic: destroy after the
# first message): the end of the dump carries NLM_F_DUMP_INTR or an error.
# libbcmon (bcmonctl show racing a destroy): the whole set or an error.
# timeout: 600
. /opt/bcmon/lib.sh
unload_bcmon
insmod "$BCMON_KO" max_buckets=64

bcmon-setstest bigset big 200 || fail "big set"
out=$(bcmon-setstest dumpgone big) || fail "raw named dump: $out"
note "$out"

partial=0 whole=0 gone=0
for i in $(seq 1 $((20))); do
	bcmon-setstest bigset big 200 || fail "big set $i"
	bcmonctl --json show big >/tmp/show.json 2>/tmp/show.err &
	pid=$!
	bcmonctl destroy big
	rc=0; wait $pid || rc=$?
	if [ $rc != 0 ]; then
		gone=$((gone + 1))
		continue
	fi
	n=$(jq '.metrics | length' /tmp/show.json)
	if [ "$n" = 200 ]; then whole=$((whole + 1)); else partial=$((partial + 1)); note "run $i: bcmonctl show printed $n of 200 metrics and exited 0"; fi
done
note "bcmonctl show racing a destroy: $whole whole, $gone refused, $partial partial"
assert_eq 0 "$partial" "partial sets shown as complete"
unload_bcmon
