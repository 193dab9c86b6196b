# Harness self-test: a kernel WARN must turn the run into a failure.
. /opt/bcmon/lib.sh
insmod "$FIXTURES/bcmon_fixture_warn.ko" warn=1
