// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon debugfs tree: read-only text for people at /sys/kernel/debug/bcmon/.
 * All control goes through generic netlink.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "bcmon_internal.h"
#include "sets.h"

static struct dentry *bcmon_dir;

struct dentry *bcmon_debugfs_root(void)
{
	return bcmon_dir;
}

static int version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", BCMON_VERSION);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(version);

int bcmon_debugfs_init(void)
{
	/* debugfs failures are not fatal by design; the module works without. */
	bcmon_dir = debugfs_create_dir("bcmon", NULL);
	debugfs_create_file("version", 0444, bcmon_dir, NULL, &version_fops);
	bcmon_debugfs_sets_init(bcmon_dir);
	return 0;
}

void bcmon_debugfs_exit(void)
{
	bcmon_debugfs_sets_exit();
	debugfs_remove_recursive(bcmon_dir);
	bcmon_dir = NULL;
}
