#!/usr/bin/env bash
# Host test: the core of bcmon.ko calls no presentation code (issue 10
# item 6): sets, series, errors and sensors register nothing with debugfs
# or netlink and name none of their functions; presentation registers with
# them (scripts/check-layering). Failed before the split: sets.c called
# bcmon_nl_notify_set and bcmon_debugfs_set_added, errors.c and sensors.c
# had their debugfs files and GET_STATUS fields, sensors_events.c sent
# netlink messages. The check itself must fail on each way of calling up
# (so that it cannot pass by seeing nothing) and on a missing core file.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
check=$root/scripts/check-layering
"$check"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Each line, appended to a copy of a core file, must make the check fail.
while IFS='|' read -r file line; do
	rm -rf "$tmp/kmod"
	cp -r "$root/kmod" "$tmp/kmod"
	printf '%s\n' "$line" >>"$tmp/kmod/$file"
	if "$check" "$tmp/kmod" >/dev/null 2>&1; then
		echo "check-layering missed, in $file: $line" >&2
		exit 1
	fi
done <<'CASES'
sets.c|static void f(void) { bcmon_nl_event_send(NULL, NULL, 0); }
sets.c|static void f(void) { bcmon_nl_event_send
errors.c|static void *p = bcmon_notify_error;
series.c|#  include <linux/debugfs.h>
sensors.c|#include<net/genetlink.h>
sensors_events.c|static void f(void) { debugfs_create_u32("x", 0, NULL, NULL); }
sensors_thermal.c|static void f(struct seq_file *m) { seq_puts(m, "x"); }
sensors_supply.c|static int f(struct sk_buff *s) { return nla_put_u8(s, 1, 0); }
errors.c|static void f(void) { bcmon_errors_debugfs_init(NULL); }
sets.c|static void f(void) { bcmon_status_for_each(NULL, NULL); }
CASES
rm -rf "$tmp/kmod"
cp -r "$root/kmod" "$tmp/kmod"
rm "$tmp/kmod/errors.c"
if "$check" "$tmp/kmod" >/dev/null 2>&1; then
	echo "check-layering passed with errors.c missing" >&2
	exit 1
fi
echo "check-layering: 10 injected ways of calling up, and a missing file, all caught"
