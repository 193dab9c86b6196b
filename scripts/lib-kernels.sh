# shellcheck shell=bash
# Helpers shared by install-deps, the Makefile, kbuild and the VM harness to
# find the guest kernels. Versions are never written down: Debian kernels
# are resolved from the archive at install time and from the disk
# afterwards; the sanitizer lane's kernel is whatever
# scripts/build-debug-kernel built.
#
# A kernel is named as `make KERNEL=` names it: a Debian series ("6.1",
# "6.12", "7.3") or "debug". For a name, these print:
#   kernel_release NAME      its release string (uname -r in the guest)
#   kernel_image NAME        the bootable image
#   kernel_modules_dir NAME  its /lib/modules/<release> (modules.dep, ...)
#   kernel_build_dir NAME    the tree out-of-tree modules build against
#   kernel_root NAME         the Debian root whose toolchain that tree needs:
#                            "" for this machine, else a build root made by
#                            scripts/install-deps (enter it with
#                            scripts/in-root); paths above are as seen from
#                            this machine, so strip the root for inside
#   kernel_series NAME       its MAJOR.MINOR ("6.1" for the debug kernel,
#                            which is built from Debian's 6.1 source)
#   kernel_slowness NAME     how many times slower than a production guest
#                            it runs (tests scale time limits by it)
# Each fails (status 1, nothing printed) when that kernel is not installed.
#
# Where each Debian series comes from:
#   6.1   bookworm            this machine (/boot, /usr/lib/modules, /usr/src)
#   6.12  bookworm-backports  this machine
#   7.3   trixie-backports    the Debian 13 build root: its headers' build
#                             tools (fixdep, modpost) are linked against
#                             Debian 13's glibc and want its gcc-14

_bcmon_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Build roots live outside any clone, so that every work tree and every CI
# clone on this machine shares one (they are machine state, like /usr/src).
BCMON_ROOTS=${BCMON_ROOTS:-/var/lib/bcmon}

# The debug kernel's O= tree (scripts/build-debug-kernel).
_debug_kernel_tree() {
	local t=${BCMON_DEBUG_KERNEL_CACHE:-$_bcmon_root/build/debug-kernel}/current
	[ -e "$t/.done" ] || return 1
	(cd "$t" && pwd -P)
}

# kernel_suite SERIES: the Debian suite the series comes from.
kernel_suite() {
	case $1 in
	6.1) echo bookworm ;;
	6.12) echo bookworm-backports ;;
	7.3) echo trixie-backports ;;
	*) return 1 ;;
	esac
}

kernel_root() {
	case $(kernel_suite "$1") in
	bookworm | bookworm-backports) echo "" ;;
	trixie-backports) echo "$BCMON_ROOTS/trixie" ;;
	*) [ "$1" = debug ] || return 1; echo "" ;;
	esac
}

# kernel_release MAJOR.MINOR|debug: for a Debian series, the newest
# installed release (under the series' root) that has its modules, its
# image and its headers, e.g. "6.1.0-40-amd64". "6.1" never matches 6.12
# ("6.1." is the prefix), and the flavour must be the generic one (the
# release ends in a digit then "-amd64": no -cloud-amd64, no -rt-amd64).
kernel_release() {
	local series=$1 r d rel best="" t
	if [ "$series" = debug ]; then
		t=$(_debug_kernel_tree) || return 1
		cat "$t/include/config/kernel.release"
		return
	fi
	r=$(kernel_root "$series") || return 1
	for d in "$r/usr/lib/modules/$series".*[0-9]-amd64 "$r/usr/lib/modules/$series".*+bpo-amd64; do
		[ -d "$d/kernel" ] || continue
		rel=${d##*/}
		[ -e "$r/boot/vmlinuz-$rel" ] || [ -e "$d/vmlinuz" ] || continue
		[ -d "$r/usr/src/linux-headers-$rel" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$rel" | sed '/^$/d' | sort -V | tail -n1)
	done
	[ -n "$best" ] || return 1
	echo "$best"
}

# The image is /boot/vmlinuz-REL (bookworm's linux-image packages) or, from
# Debian 13's linux-binary packages on, vmlinuz in the modules directory
# (/boot is then only filled by kernel-install hooks).
kernel_image() {
	local rel r t
	if [ "$1" = debug ]; then
		t=$(_debug_kernel_tree) || return 1
		echo "$t/arch/x86/boot/bzImage"
		return
	fi
	rel=$(kernel_release "$1") || return 1
	r=$(kernel_root "$1")
	if [ -e "$r/boot/vmlinuz-$rel" ]; then
		echo "$r/boot/vmlinuz-$rel"
	else
		echo "$r/usr/lib/modules/$rel/vmlinuz"
	fi
}

kernel_modules_dir() {
	local rel t
	rel=$(kernel_release "$1") || return 1
	if [ "$1" = debug ]; then
		t=$(_debug_kernel_tree) || return 1
		echo "$t/modroot/lib/modules/$rel"
		return
	fi
	echo "$(kernel_root "$1")/usr/lib/modules/$rel"
}

kernel_build_dir() {
	local rel
	if [ "$1" = debug ]; then
		_debug_kernel_tree
		return
	fi
	rel=$(kernel_release "$1") || return 1
	echo "$(kernel_root "$1")/usr/src/linux-headers-$rel"
}

kernel_series() {
	local rel
	[ "$1" = debug ] || { echo "$1"; return; }
	rel=$(kernel_release debug) || return 1
	echo "$rel" | cut -d. -f1-2
}

# The debug kernel (KASAN, lockdep, kmemleak, ...) runs the suite about
# 3-5x slower under TCG than a production kernel; 5 leaves room.
kernel_slowness() {
	case $1 in
	debug) echo 5 ;;
	*) echo 1 ;;
	esac
}

# resolve_kernel_abi SUITE MAJOR.MINOR [APT-CACHE...]: ask the archive which
# kernel ABI the linux-image-amd64 metapackage of SUITE points at, e.g.
# "6.12.48+deb12-amd64". APT-CACHE is the command to ask with: this
# machine's apt-cache by default; for a build root's suites, the root's own.
resolve_kernel_abi() {
	local suite=$1 series=$2 abi
	shift 2
	[ $# -gt 0 ] || set -- apt-cache
	abi=$("$@" show "linux-image-amd64/$suite" 2>/dev/null |
		sed -n 's/^Depends:.*linux-image-\([0-9][^ ,]*-amd64\).*/\1/p' |
		grep "^$series\." | sort -V | tail -n1)
	if [ -z "$abi" ]; then
		echo "no $series kernel found in $suite" >&2
		return 1
	fi
	echo "$abi"
}
