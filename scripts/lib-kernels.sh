# shellcheck shell=bash
# Helpers shared by install-deps, the Makefile and the VM harness to find
# the two Debian guest kernels. Versions are never written down: they are
# resolved from the archive at install time and from /boot afterwards.

# kernel_release MAJOR.MINOR: print the newest installed Debian kernel
# release of that series with both its image and its headers, e.g.
# "6.1.0-40-amd64". Fails when there is none.
kernel_release() {
	local series=$1 f rel best=""
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
