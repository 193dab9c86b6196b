#!/usr/bin/env bash
# Host test: `make install DESTDIR=...` stages a complete installation:
# programs that run, a header + library + pkg-config file that an
# application compiles and links against, man pages that render, a systemd
# unit that systemd accepts with a low exposure score, an example config
# the exporter accepts, and a complete DKMS source tree (the real dkms
# builds it for every guest kernel: scripts/dkms-build, and the guests load
# the result: tests/vm/dkms/).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
version=$(cat VERSION)
fail() { echo "62-install: $*"; exit 1; }

make -s install DESTDIR="$dest" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "make install failed"; }
p=$dest/usr/local
for f in bin/bcmonctl bin/bcmon-exporter bin/bcmon-sim lib/libbcmon.a lib/libbcmon.so.2 \
	lib/libbcmon-net.a lib/pkgconfig/bcmon.pc include/bcmon/libbcmon.h include/linux/bcmon.h \
	share/man/man8/bcmonctl.8 share/man/man8/bcmon-exporter.8 share/man/man1/bcmon-sim.1 \
	lib/systemd/system/bcmon-exporter.service share/bcmon/rules/bcmon-alerts.yml \
	share/bcmon/grafana/bcmon.json; do
	[ -e "$p/$f" ] || fail "missing $f"
done
[ -e "$dest/etc/bcmon/exporter.yml" ] || fail "missing example config"
[ -e "$dest/usr/src/bcmon-$version/dkms.conf" ] || fail "missing dkms.conf"

# Programs run from the staged tree.
for b in bcmonctl bcmon-exporter bcmon-sim; do
	"$p/bin/$b" --help >/dev/null || fail "$b --help"
done

# An application builds against the installed header and library.
cat >"$tmp/app.c" <<'C'
#include <errno.h>
#include <stdio.h>
#include <bcmon/libbcmon.h>
int main(void)
{
	struct bcmon *bc;
	int err = bcmon_open(&bc);

	if (!err)
		bcmon_close(bc);
	printf("bcmon_open: %d\n", err);
	return err && err != -ENOENT;	/* no module on this host is fine */
}
C
export PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$p/lib/pkgconfig:/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/share/pkgconfig
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror -o "$tmp/app" "$tmp/app.c" $(pkg-config --cflags --libs bcmon) ||
	fail "cannot build against the installed header and library"
LD_LIBRARY_PATH=$p/lib "$tmp/app" || fail "linked application failed"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror -o "$tmp/app-static" "$tmp/app.c" $(pkg-config --static --cflags --libs bcmon) \
	-Wl,-Bstatic -lbcmon -Wl,-Bdynamic || fail "static link"

# Man pages render cleanly and are the programs' own --help.
for m in man8/bcmonctl.8 man8/bcmon-exporter.8 man1/bcmon-sim.1; do
	if ! groff -man -Tutf8 -ww -z "$p/share/man/$m" 2>"$tmp/groff" || [ -s "$tmp/groff" ]; then
		cat "$tmp/groff"; fail "$m does not render cleanly"
	fi
done
grep -q -- 'collector.kmod' "$p/share/man/man8/bcmon-exporter.8" || fail "exporter man page lacks its flags"
grep -q -- '--loaded-dice' "$p/share/man/man1/bcmon-sim.1" || fail "sim man page lacks its options"

# The unit: systemd accepts it and its exposure stays below 3.0 ("OK").
unit=$tmp/bcmon-exporter.service
sed "s|/usr/local/bin/|$p/bin/|" "$p/lib/systemd/system/bcmon-exporter.service" >"$unit"
command -v systemd-analyze >/dev/null || fail "systemd-analyze missing (scripts/install-deps)"
systemd-analyze verify --man=no "$unit" || fail "systemd-analyze verify"
systemd-analyze security --offline=yes --threshold=30 "$unit" >"$tmp/sec" ||
	{ tail -n 3 "$tmp/sec"; fail "unit exposure above 3.0"; }
tail -n 1 "$tmp/sec"

# The example config is one the exporter accepts.
"$p/bin/bcmon-exporter" --config.file="$dest/etc/bcmon/exporter.yml" \
	--web.listen-address=127.0.0.1:0 --no-collector.bpf --no-collector.kmod >"$tmp/exp.log" 2>&1 &
pid=$!
sleep 1
kill "$pid" 2>/dev/null || { cat "$tmp/exp.log"; fail "exporter rejected the example config"; }
wait "$pid" || true
grep -q 'level=error' "$tmp/exp.log" && { cat "$tmp/exp.log"; fail "exporter errors with the example config"; }

# DKMS: the staged source tree is the one `make install-dkms-src` makes,
# which scripts/dkms-build hands to the real dkms for every guest kernel at
# build time; tests/vm/dkms/03-dkms-load.sh loads that module in each
# guest. Here: the tree is complete and its dkms.conf is what dkms reads.
src=$dest/usr/src/bcmon-$version
for f in kmod/Kbuild kmod/compat.h kmod/compat-probe.sh kmod/compat-probe.mk \
	kmod/compat-probes.c include/uapi/linux/bcmon.h; do
	[ -e "$src/$f" ] || fail "DKMS tree lacks $f"
done
[ -x "$src/kmod/compat-probe.sh" ] || fail "DKMS tree: compat-probe.sh not executable"
# shellcheck disable=SC1091,SC2034
( kernel_source_dir=/lib/modules/KREL/build dkms_tree=/var/lib/dkms
  . "$src/dkms.conf"
  [ "$PACKAGE_VERSION" = "$version" ] || fail "dkms.conf version $PACKAGE_VERSION"
  [ "${BUILT_MODULE_NAME[0]}" = bcmon ] || fail "dkms.conf module name"
  case ${MAKE[0]} in *BCMON_ROOT=*) ;; *) fail "dkms.conf MAKE lacks BCMON_ROOT" ;; esac
  case $CLEAN in *BCMON_ROOT=*) ;; *) fail "dkms.conf CLEAN lacks BCMON_ROOT" ;; esac
) || exit 1
echo "62-install: staged install complete, DKMS source tree complete"
