# Helpers for guest test scripts: ". /opt/bcmon/lib.sh" at the top.
# A test fails by exiting non-zero; fail() says why on the console.
set -e
BCMON_KO=/opt/bcmon/kmod/bcmon.ko
FIXTURES=/opt/bcmon/fixtures
BPF_DIR=/opt/bcmon/bpf

fail() { echo "FAILED: $*"; exit 1; }
note() { echo "# $*"; }

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

# assert_contains HAYSTACK NEEDLE WHAT
assert_contains() {
	case $1 in *"$2"*) ;; *) fail "$3: '$2' not found in: $1" ;; esac
}

# expect_fail CMD...: the command must exit non-zero.
expect_fail() {
	if "$@"; then fail "expected failure: $*"; fi
}

load_bcmon() {
	grep -q '^bcmon ' /proc/modules || insmod "$BCMON_KO" "$@"
}

unload_bcmon() {
	! grep -q '^bcmon ' /proc/modules || rmmod bcmon
}
