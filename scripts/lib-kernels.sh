# shellcheck shell=bash
# Helpers shared by install-deps, the Makefile, kbuild and the VM harness to
# find the guest kernels. Versions are never written down: Debian kernels
# are resolved from the archive at install time and from /boot afterwards;
# the sanitizer lane's kernel is whatever scripts/build-debug-kernel built.
#
# A kernel is named as `make KERNEL=` names it: a Debian series ("6.1",
# "6.12") or "debug". For a name, these print:
#   kernel_release NAME      its release string (uname -r in the guest)
#   kernel_image NAME        the bootable image
#   kernel_modules_dir NAME  its /lib/modules/<release> (modules.dep, ...)
#   kernel_build_dir NAME    the tree out-of-tree modules build against
#   kernel_slowness NAME     how many times slower than a production guest
#                            it runs (tests scale time limits by it)
# Each fails (status 1, nothing printed) when that kernel is not installed.

_bcmon_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The debug kernel's O= tree (scripts/build-debug-kernel).
_debug_kernel_tree() {
	local t=${BCMON_DEBUG_KERNEL_CACHE:-$_bcmon_root/build/debug-kernel}/current
	[ -e "$t/.done" ] || return 1
	(cd "$t" && pwd -P)
}

# kernel_release MAJOR.MINOR|debug: for a Debian series, the newest
# installed release with both its image and its headers, e.g.
# "6.1.0-40-amd64".
kernel_release() {
	local series=$1 f rel best="" t
	if [ "$series" = debug ]; then
		t=$(_debug_kernel_tree) || return 1
		cat "$t/include/config/kernel.release"
		return
	fi
	for f in /boot/vmlinuz-"$series".*-amd64 /boot/vmlinuz-"$series".*+bpo-amd64; do
		[ -e "$f" ] || continue
		rel=${f#/boot/vmlinuz-}
		[ -d "/usr/src/linux-headers-$rel" ] || continue
		[ -d "/usr/lib/modules/$rel/kernel" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$rel" | sed '/^$/d' | sort -V | tail -n1)
	done
	[ -n "$best" ] || return 1
	echo "$best"
}

kernel_image() {
	local rel t
	if [ "$1" = debug ]; then
		t=$(_debug_kernel_tree) || return 1
		echo "$t/arch/x86/boot/bzImage"
		return
	fi
	rel=$(kernel_release "$1") || return 1
	echo "/boot/vmlinuz-$rel"
}

kernel_modules_dir() {
	local rel t
	rel=$(kernel_release "$1") || return 1
	if [ "$1" = debug ]; then
		t=$(_debug_kernel_tree) || return 1
		echo "$t/modroot/lib/modules/$rel"
		return
	fi
	echo "/usr/lib/modules/$rel"
}

kernel_build_dir() {
	local rel
	if [ "$1" = debug ]; then
		_debug_kernel_tree
		return
	fi
	rel=$(kernel_release "$1") || return 1
	echo "/usr/src/linux-headers-$rel"
}

# The debug kernel (KASAN, lockdep, kmemleak, ...) runs the suite about
# 3-5x slower under TCG than a production kernel; 5 leaves room.
kernel_slowness() {
	case $1 in
	debug) echo 5 ;;
	*) echo 1 ;;
	esac
}

# resolve_kernel_abi SUITE MAJOR.MINOR: ask the archive which kernel ABI the
# linux-image-amd64 metapackage of SUITE points at, e.g. "6.12.48+deb12-amd64".
resolve_kernel_abi() {
	local suite=$1 series=$2 abi
	abi=$(apt-cache show "linux-image-amd64/$suite" 2>/dev/null |
		sed -n 's/^Depends:.*linux-image-\([0-9][^ ,]*-amd64\).*/\1/p' |
		grep "^$series\." | sort -V | tail -n1)
	if [ -z "$abi" ]; then
		echo "no $series kernel found in $suite" >&2
		return 1
	fi
	echo "$abi"
}
