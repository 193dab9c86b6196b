# A writer-group member's subordinate uids are not new writers (review of
# issue 9). newuidmap gives a user with a range in /etc/subuid a user
# namespace in which it may become those uids, and setuid() there keeps the
# supplementary groups, the writer group among them: before the fix every
# such uid counted as another writer, with its own uid_max_sets,
# uid_max_memory and error rate bucket, so one person could take the whole
# users' share of sets, record without any rate limit and fill every rate
# bucket so that the real writers' records were refused. The writer group
# is a grant of the initial user namespace: a caller (or a socket opener)
# in another one is refused. CAP_NET_ADMIN there never counted anyway: the
# family is not netnsok, so it answers only in the initial network
# namespace, whose user namespace is the initial one.
. /opt/bcmon/lib.sh
unload_bcmon
W1="bcmon-setstest runas 1000 1000,1500"
# uid 1000 in the writer group as kuid 200000 + i (its subordinate range).
sub() { i=$1; shift; bcmon-privtest subuid 1000 1000,1500 $((200000 + i)) "$@"; }

refused() {	# refused WHAT EXPECTED-TEXT CMD...: must exit 1 with the text
	what=$1 text=$2; shift 2
	rc=0; out=$("$@" 2>&1) || rc=$?
	assert_eq 1 "$rc" "$what: exit status ($out)"
	assert_contains "$out" "$text" "$what"
}

insmod "$BCMON_KO" writer_gid=1500 uid_max_sets=1 error_user_burst=1
# The harness: the process really runs as kuid 200001, in the group.
ids=$(sub 1 cat /proc/self/status)
assert_contains "$ids" "$(printf 'Uid:\t1\t1\t1\t1')" "uid 1 in the namespace"
# Its groups have no mapping there (65534 inside), but the kernel still
# holds them: gid 1000 and the writer group 1500.
note "$(echo "$ids" | grep -E '^(Uid|Gid|Groups):' | tr '\t\n' '  ')"
echo "$ids" | grep -Eq '^Groups:[[:space:]]*65534 65534[[:space:]]*$' || fail "groups in the namespace: $ids"

$W1 bcmonctl create mine c:counter
refused "a second set for uid 1000" "owns too many sets" $W1 bcmonctl create mine2 c:counter
for i in 1 2 3; do
	refused "set from subordinate uid $i" "user namespace" sub $i bcmonctl create sub$i c:counter
done
case $(bcmonctl sets) in *sub1*) fail "a subordinate uid created a set: $(bcmonctl sets)" ;; esac

# The writer records (its burst of one); each subordinate uid had a rate
# bucket of its own before. Whether the writer's own bucket has refilled
# by the next record depends on how fast the guest runs commands (seconds
# each on the debug kernel), so the rate itself is 18-sets-ownership's.
$W1 bcmonctl error gaming warning "w1 one"
for i in 1 2 3; do
	refused "record from subordinate uid $i" "user namespace" \
		sub $i bcmonctl error gaming warning "sub $i"
done
assert_eq 0 "$(bcmonctl --json errors | jq '[.events[] | select(.uid != 1000 and .origin == "user" and .uid != 0)] | length')" \
	"events from subordinate uids"
assert_eq 1 "$(bcmonctl --json errors | jq '[.events[] | select(.uid == 1000)] | length')" \
	"the writer's own record"
# The writer itself, in a namespace of its own where it is uid 0, is
# refused too: the rule is the namespace, not the uid.
refused "writer in its own user namespace" "user namespace" \
	bcmon-privtest subuid 1000 1000,1500 1000 bcmonctl add mine c 1
# Reading stays open to everyone, in any namespace.
sub 1 bcmonctl show mine >/dev/null
$W1 bcmonctl destroy mine
rmmod bcmon
