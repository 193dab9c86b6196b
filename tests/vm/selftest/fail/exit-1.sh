# Harness self-test: a guest test that exits non-zero must be reported
# as failed while the rest of the run stays clean.
exit 1
