# Permissions: everyone may read; writing needs CAP_NET_ADMIN or the writer
# group, and a writer-group member may only write and destroy its own sets.
. /opt/bcmon/lib.sh
RUNAS="bcmon-setstest runas"
NOBODY="$RUNAS 65534 65534"
# uid 1000 and 1001 in group 1500 (the writer group)
W1="$RUNAS 1000 1000,1500"
W2="$RUNAS 1001 1001,1500"

# --- no writer group ---
load_bcmon
bcmonctl create rootset c:counter g:gauge
bcmonctl add rootset c 5
# Reads are open.
assert_contains "$($NOBODY bcmonctl --json show rootset)" '"value":5' "unprivileged read"
assert_contains "$($NOBODY bcmonctl sets)" "rootset" "unprivileged list"
$NOBODY bcmonctl status >/dev/null || fail "unprivileged status"
$NOBODY cat /sys/kernel/debug/bcmon/sets/rootset >/dev/null 2>&1 || note "debugfs not readable by uid 65534 (mount permissions)"
# Writes are not.
for cmd in "create nset c:counter" "add rootset c 1" "set rootset g 3" "destroy rootset"; do
	rc=0; out=$($NOBODY bcmonctl $cmd 2>&1) || rc=$?
	assert_eq 1 "$rc" "unprivileged $cmd"
	assert_contains "$out" "permission denied" "unprivileged $cmd message"
done
rc=0; out=$($W1 bcmonctl create w1set c:counter 2>&1) || rc=$?
assert_contains "$out" "permission denied" "group means nothing without writer_gid"
assert_contains "$(bcmonctl --json show rootset)" '"value":5' "value untouched"
unload_bcmon

# --- writer group 1500 ---
insmod "$BCMON_KO" writer_gid=1500
assert_contains "$(bcmonctl --json status)" '"writer_gid":1500' "writer gid in status"
bcmonctl create rootset c:counter
$W1 bcmonctl create w1set c:counter g:gauge
$W2 bcmonctl create w2set c:counter
assert_contains "$(bcmonctl --json sets)" '"name":"w1set","owner_uid":1000' "owner recorded"
assert_contains "$(bcmonctl --json sets)" '"name":"w2set","owner_uid":1001' "owner recorded"
$W1 bcmonctl add w1set c 7
$W1 bcmonctl set w1set g -2
assert_contains "$(bcmonctl --json show w1set)" '"value":7' "member writes own set"
# Not another member's set, nor root's.
for cmd in "add w2set c 1" "destroy w2set" "add rootset c 1" "destroy rootset"; do
	rc=0; out=$($W1 bcmonctl $cmd 2>&1) || rc=$?
	assert_eq 1 "$rc" "member: $cmd"
	assert_contains "$out" "belongs to another user" "member: $cmd message"
done
# Outsiders still cannot write anything.
rc=0; out=$($NOBODY bcmonctl add w1set c 1 2>&1) || rc=$?
assert_contains "$out" "permission denied" "non-member refused"
# Root may touch everything.
bcmonctl add w2set c 3
assert_contains "$(bcmonctl --json show w2set)" '"value":3' "root writes a member's set"
assert_contains "$(bcmonctl --json show w1set)" '"value":7' "w1set unchanged by refusals"
$W1 bcmonctl destroy w1set
bcmonctl destroy w2set
bcmonctl destroy rootset
unload_bcmon
