# Harness self-test: a guest that never finishes must hit the wall-clock
# timeout and fail.
# timeout: 100000
sleep 100000
