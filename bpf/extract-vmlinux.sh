#!/usr/bin/env bash
# extract-vmlinux.sh BZIMAGE OUT: write the ELF vmlinux carried compressed
# inside a bzImage (/boot/vmlinuz-*) to OUT. Used to generate vmlinux.h from
# the BTF of the oldest supported guest kernel, so that the build does not
# depend on the build machine's own kernel. Tries every xz, zstd and gzip
# magic in the image and keeps the first payload that decompresses to ELF.
set -euo pipefail
img=$1 out=$2
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

try() {	# try OFFSET DECOMPRESSOR...: decompress from OFFSET, accept ELF
	local off=$1; shift
	tail -c +$((off + 1)) "$img" | "$@" >"$tmp" 2>/dev/null || true
	[ "$(head -c 4 "$tmp" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]
}

scan() {	# scan MAGIC_REGEX DECOMPRESSOR...
	local magic=$1 off; shift
	for off in $(LC_ALL=C grep -obUaP "$magic" "$img" | cut -d: -f1); do
		if try "$off" "$@"; then
			mv "$tmp" "$out"
			exit 0
		fi
	done
}

scan '\xfd7zXZ\x00' xz -dcq
scan '\x28\xb5\x2f\xfd' zstd -dcq
scan '\x1f\x8b\x08' gzip -dcq
echo "extract-vmlinux: no ELF payload found in $img" >&2
exit 1
