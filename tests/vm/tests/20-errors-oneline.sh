# An error event is one line in every view (review of issue 9): the
# message of ERROR_RECORD went unchecked into debugfs "errors", bcmonctl
# errors and bcmonctl watch, so a writer could end its message with a
# newline and a whole forged event (seq, time, category security, severity
# critical, origin kernel) that people read as real, or move the cursor
# of an administrator's terminal with escape sequences. The netlink path
# now refuses anything but printable ASCII with EINVAL and a message; the
# kernel API (whose callers may format data from the network) replaces
# such bytes with '?'.
. /opt/bcmon/lib.sh
unload_bcmon
W1="bcmon-setstest runas 1000 1000,1500"
D=/sys/kernel/debug/bcmon
insmod "$BCMON_KO" writer_gid=1500

forged=$(printf 'disk slow\n999      2030-01-01T00:00:00.000000000Z security    critical  kernel                 tampering detected')
for msg in "$forged" "$(printf 'tab\there')" "$(printf 'esc \033[2K\033[1Gtampering detected')" \
	"$(printf 'del \177')" "$(printf 'high \351t\351')"; do
	rc=0; out=$($W1 bcmonctl error gaming error "$msg" 2>&1) || rc=$?
	assert_eq 1 "$rc" "message $(printf '%s' "$msg" | od -c | head -n 2 | tr -s ' ' | tr '\n' ' '): exit status ($out)"
	assert_contains "$out" "printable ASCII" "refusal says why"
	rc=0; out=$(bcmonctl error gaming error "$msg" 2>&1) || rc=$?
	assert_eq 1 "$rc" "an admin is refused the same: exit status ($out)"
done
$W1 bcmonctl error gaming error 'plain ~ printable: ASCII {ok}'
case $(cat $D/errors) in *tampering*) fail "a forged line in debugfs: $(cat $D/errors)" ;; esac
case $(bcmonctl errors) in *tampering*) fail "a forged line in bcmonctl errors" ;; esac
bcmonctl errors | grep -q 'plain ~ printable: ASCII {ok}$' || fail "printable message lost: $(bcmonctl errors)"

# The kernel API: a message formatted from outside data stays one line.
P=/sys/module/bcmon_fixture_errors/parameters
insmod $FIXTURES/bcmon_fixture_errors.ko count=0
printf 'evil\n7 kernel security critical forged\033[2K' >$P/record
rmmod bcmon_fixture_errors
line=$(grep 'peer evil' $D/errors) || fail "kernel record missing: $(cat $D/errors)"
assert_contains "$line" "peer evil?7 kernel security critical forged?[2K" "control bytes replaced"
[ "$(grep -c 'forged' $D/errors)" = 1 ] || fail "forged text on more than one line: $(cat $D/errors)"
assert_eq 2 "$(bcmonctl --json errors | jq '.events | length')" "one writer record and one kernel record"
rmmod bcmon
