# Harness self-test: a guest test that exits non-zero must be reported
# as failed while the rest of the run stays clean, and its last words
# shown on the harness's log (what a CI run keeps).
echo "selftest: the last words of a failing test"
exit 1
