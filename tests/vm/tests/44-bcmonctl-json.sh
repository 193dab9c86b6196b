# bcmonctl's output for programs: --json anywhere before "--", valid JSON
# whatever characters an error message holds, per-bucket counts named by
# their upper bound, decimal numbers ("010" is ten), --version.
# (bcmon.ko refuses messages that are not printable ASCII since f180fcb, so
# bytes that are not UTF-8 cannot reach bcmonctl from this module; the
# U+FFFD replacement for an older module's is unit-tested, test_parse.)
# timeout: 120
. /opt/bcmon/lib.sh
load_bcmon

case $(bcmonctl --version) in "bcmonctl $(cat /opt/bcmon/VERSION)") ;;
	*) fail "--version: $(bcmonctl --version 2>&1)" ;; esac
assert_eq "{\"bcmonctl\":\"$(cat /opt/bcmon/VERSION)\"}" "$(bcmonctl --version --json)" "--version --json"

bcmonctl create node bets:counter "lat:histogram:bounds=1,5,10"
bcmonctl add node bets 010
bcmonctl observe node lat 3 lat 7 lat 7 lat 20
# --json after the command, and after its arguments.
json=$(bcmonctl show node --json)
echo "$json" | jq -e . >/dev/null || fail "show node --json: $json"
assert_eq 10 "$(echo "$json" | jq '.metrics[] | select(.name == "bets") | .value')" "010 is ten"
assert_contains "$json" '"buckets":[{"upper_bound":1,"count":0},{"upper_bound":5,"count":1},{"upper_bound":10,"count":2},{"upper_bound":"+Inf","count":1}]' "per-bucket counts"
assert_eq "$json" "$(bcmonctl --json show node)" "--json before and after the command"
expect_fail bcmonctl add node bets 0x10
expect_fail bcmonctl add node bets ' 5'

# A message with JSON's own special characters, one the module refuses
# (not printable ASCII), and "--json" as a word after "--".
bcmonctl error network error 'peer sent "quoted" \back\slash {json}'
expect_fail bcmonctl error network error "peer $(printf 'sent \377\376 and \300\257')"
bcmonctl -j error network warning -- --json is a word here
bcmonctl errors --json >/tmp/errors.json
jq -e . /tmp/errors.json >/dev/null || fail "errors --json is not JSON"
jq -e '[.events[] | select(.message == "peer sent \"quoted\" \\back\\slash {json}")] | length == 1' \
	/tmp/errors.json >/dev/null || fail "quotes and backslashes not kept: $(grep -o 'peer sent[^}]*' /tmp/errors.json)"
grep -q "$(printf '\377')" /tmp/errors.json && fail "raw non-UTF-8 bytes in the JSON"
jq -e '[.events[] | select(.message == "--json is a word here")] | length == 1' /tmp/errors.json >/dev/null ||
	fail "words after -- were not kept: $(cat /tmp/errors.json)"
bcmonctl destroy node
unload_bcmon
