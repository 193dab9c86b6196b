# Malformed ERROR_RECORD / ERROR_GET / SENSORS_GET requests: each answered
# with the expected errno and an extack message (bcmon-errtest checks both),
# none of them records anything, and the module keeps answering.
. /opt/bcmon/lib.sh
unload_bcmon
insmod "$BCMON_KO"
bcmon-errtest badinput || fail "bad input cases"
assert_contains "$(cat /sys/kernel/debug/bcmon/errors)" "recorded 0" "nothing recorded"
bcmonctl error other info "still works"
assert_contains "$(bcmonctl errors)" "still works" "module answers afterwards"
bcmonctl sensors >/dev/null || fail "sensors after bad input"
rmmod bcmon
