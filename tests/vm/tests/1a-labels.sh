# Labeled metrics (issue 10): series made on first use, shown by bcmonctl
# (table, --json), debugfs and the dump; deleted explicitly; every bound and
# name rule refused with its errno and an extack message; refusals counted
# per metric; series count against the owner's quota; the label charsets;
# the kernel API (series handle, delete while held, destroy while held).
. /opt/bcmon/lib.sh
unload_bcmon
insmod "$BCMON_KO" max_series=2
DBG=/sys/kernel/debug/bcmon

# --- bad input: errno + extack for each rule ------------------------------
bcmon-labeltest badinput || fail "bad input cases"
json=$(bcmonctl --json show bl)
note "$json"
# A refused batch created no series and changed no value.
case $json in *batch_ok*) fail "a refused batch created a series" ;; esac
assert_contains "$json" '"name":"plain","kind":"counter","unit":"","scale":0,"help":"","value":0' \
	"a refused batch applied nothing"
# Refusals for a bound are counted in their metric: six values of c
# (empty, space, quote, newline, too long, the batch's) and one series past
# max_series in cap. Malformed requests (wrong labels) are not bounds.
assert_contains "$json" '"name":"c","kind":"counter","unit":"","scale":0,"help":"","labels":["peer"],"series_count":0,"refused":{"series_limit":0,"memory_quota":0,"label_value":6}' \
	"label value refusals counted"
assert_contains "$json" '"name":"cap","kind":"counter","unit":"","scale":0,"help":"","labels":["peer"],"series_count":2,"refused":{"series_limit":1,"memory_quota":0,"label_value":0}' \
	"series limit refusal counted"
bcmonctl destroy bl

# --- functional: bcmonctl, debugfs ------------------------------------------
bcmonctl create gaming "bets:counter:labels=peer:help=Bets by peer" \
	"stake:histogram:bounds=10,100:labels=peer,table" plain:counter "lvl:gauge:labels=peer"
bcmonctl add gaming bets 1 peer=ab12 bets 2 peer=cd34 plain 5
bcmonctl add gaming bets 3 peer=ab12
bcmonctl observe gaming stake 50 peer=ab12 table=1 stake 500 table=1 peer=ab12
bcmonctl set gaming lvl -4 peer=x1
json=$(bcmonctl --json show gaming)
assert_contains "$json" '"series":[{"labels":{"peer":"ab12"},"value":4},{"labels":{"peer":"cd34"},"value":2}]' "bets series"
assert_contains "$json" '{"labels":{"peer":"ab12","table":"1"},"count":2,"sum":550,"buckets":[{"upper_bound":10,"count":0},{"upper_bound":100,"count":1},{"upper_bound":"+Inf","count":1}]}' "histogram series"
assert_contains "$json" '{"name":"plain","kind":"counter","unit":"","scale":0,"help":"","value":5}' "unlabeled metric as before"
assert_contains "$json" '"series":[{"labels":{"peer":"x1"},"value":-4}]' "gauge series"
txt=$(bcmonctl show gaming)
assert_contains "$txt" '  {peer="cd34"}  2' "table lists series"
dbg=$(cat $DBG/sets/gaming)
assert_contains "$dbg" 'bets counter unit - scale 0 labels peer series 2 refused series_limit=0 memory_quota=0 label_value=0' "debugfs metric line"
assert_contains "$dbg" '  {peer="ab12"} value 4' "debugfs series line"
assert_contains "$dbg" '  {peer="ab12",table="1"}' "debugfs histogram series"
assert_contains "$(cat $DBG/status)" 'max_series 2' "limits in debugfs status"
assert_contains "$(bcmonctl --json status)" '"max_labels":4,"max_series":2,"max_label_value_len":64,"label_charset":"strict"' "limits in GET_STATUS"

# A third series of bets is past max_series=2: refused, nothing applied.
rc=0; out=$(bcmonctl add gaming bets 1 peer=ef56 plain 1 2>&1) || rc=$?
assert_eq 1 "$rc" "series limit refused"
assert_contains "$out" "too many series in this metric (module limit max_series)" "reason"
assert_contains "$(bcmonctl --json show gaming)" '"name":"plain","kind":"counter","unit":"","scale":0,"help":"","value":5}' "nothing of the refused batch applied"

# Delete: the series is gone; the slot is free again; a new one starts at 0.
bcmonctl delete gaming bets peer=ab12
rc=0; out=$(bcmonctl delete gaming bets peer=ab12 2>&1) || rc=$?
assert_eq 1 "$rc" "second delete refused"
assert_contains "$out" "no series with these label values" "ENOENT reason"
expect_fail bcmonctl add gaming bets 1 peer=ef56 bets 1 peer=ab12	# 2 new, 1 free
bcmonctl add gaming bets 7 peer=ab12
json=$(bcmonctl --json show gaming)
assert_contains "$json" '"series":[{"labels":{"peer":"cd34"},"value":2},{"labels":{"peer":"ab12"},"value":7}]' "re-created series starts at 0, after the older ones"
bcmonctl destroy gaming
unload_bcmon

# --- memory quota: series count against the owner's uid_max_memory -------
insmod "$BCMON_KO" writer_gid=1500 uid_max_memory=200000 max_series=100000
W1="bcmon-setstest runas 1001 1500"
$W1 bcmonctl create quota "n:counter:labels=peer"
rc=0; $W1 bcmon-labeltest series quota n 5000 50 >/tmp/q.out 2>&1 || rc=$?
note "$(tail -n 1 /tmp/q.out)"
assert_eq 1 "$rc" "a writer's series stop at its memory quota"
grep -q "this user's sets hold too much memory (module limit uid_max_memory)" /tmp/q.out ||
	fail "EDQUOT reason: $(cat /tmp/q.out)"
json=$(bcmonctl --json show quota)
n=$(echo "$json" | jq '.metrics[0].series | length')
refused=$(echo "$json" | jq '.metrics[0].refused.memory_quota')
note "$n series before the quota, $refused refused"
[ "$n" -gt 100 ] && [ "$n" -lt 5000 ] || fail "$n series within a 200 kB quota"
assert_eq 1 "$refused" "quota refusal counted"
used=$(bcmonctl --json status | jq .memory_used)
[ "$used" -le 200000 ] || fail "memory used $used above the quota"
# Deleting gives the charge back: one more series fits again.
bcmonctl delete quota n peer=s0
$W1 bcmonctl add quota n 1 peer=again || fail "a series fits after a delete"
$W1 bcmonctl destroy quota
n=0	# the set's own memory goes an RCU grace period after the destroy
until bcmonctl --json status | grep -q '"memory_used":0,'; do
	n=$((n + 1)); [ $n -lt 50 ] || fail "memory not given back: $(bcmonctl --json status)"
	sleep 0.1
done
unload_bcmon

# --- charsets: printable allows spaces and quotes, escaped where shown ----
insmod "$BCMON_KO" label_charset=printable max_label_value_len=20
bcmonctl create pr "c:counter:labels=who"
bcmonctl add pr c 1 'who=Ann "the" Bee\x'
assert_contains "$(cat $DBG/sets/pr)" '{who="Ann \"the\" Bee\\x"} value 1' "debugfs escapes quotes and backslashes"
assert_contains "$(bcmonctl --json show pr)" '{"labels":{"who":"Ann \"the\" Bee\\x"},"value":1}' "JSON escapes"
rc=0; out=$(bcmonctl add pr c 1 who=abcdefghijklmnopqrstu 2>&1) || rc=$?
assert_eq 1 "$rc" "21 bytes over max_label_value_len=20"
assert_contains "$out" "label value too long (module limit max_label_value_len)" "length reason"
bcmonctl destroy pr
unload_bcmon
expect_fail insmod "$BCMON_KO" label_charset=utf8
expect_fail insmod "$BCMON_KO" max_labels=9
expect_fail insmod "$BCMON_KO" max_label_value_len=128
expect_fail insmod "$BCMON_KO" max_series=0

# --- the kernel API ------------------------------------------------------------
load_bcmon
insmod $FIXTURES/bcmon_fixture_labels.ko
P=/sys/module/bcmon_fixture_labels/parameters
echo a >$P/hold; assert_eq 0 "$(cat $P/err)" "series a held"
echo 5 >$P/add; echo 2 >$P/series_add
echo b >$P/hold; echo 1 >$P/add
echo a:17 >$P/level; assert_eq 0 "$(cat $P/err)" "gauge series"
echo a:50 >$P/observe; echo a:5 >$P/observe
json=$(bcmonctl --json show kernel_labels)
assert_contains "$json" '"series":[{"labels":{"peer":"a"},"value":7},{"labels":{"peer":"b"},"value":1}]' "adds through the handle"
assert_contains "$json" '"series":[{"labels":{"peer":"a"},"value":17}]' "gauge set"
assert_contains "$json" '{"labels":{"peer":"a"},"count":2,"sum":55' "observations"
echo 1 >$P/wrong; assert_eq 0 "$(cat $P/err)" "every wrong call refused"
# netlink cannot write a kernel-owned set, labels or not.
expect_fail bcmonctl add kernel_labels hits 1 peer=a
# Delete the held series: gone from the dump; adds through the handle go
# nowhere visible and harm nothing; holding it again makes a new one.
echo b >$P/delete; assert_eq 0 "$(cat $P/err)" "delete while held"
echo 3 >$P/add
json=$(bcmonctl --json show kernel_labels)
assert_contains "$json" '"series":[{"labels":{"peer":"a"},"value":7}]' "b deleted"
echo b >$P/hold; echo 1 >$P/add
assert_contains "$(bcmonctl --json show kernel_labels)" '{"labels":{"peer":"b"},"value":1}' "b anew from 0"
# Destroy the set while a series is held, add through it, unload.
echo 1 >$P/destroy
expect_fail bcmonctl show kernel_labels
rmmod bcmon_fixture_labels
unload_bcmon
