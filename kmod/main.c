// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon: observability for BitCraps nodes. Module init and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "bcmon_internal.h"
#include "errors.h"

static int __init bcmon_init(void)
{
	int err;

	err = bcmon_debugfs_init();
	if (err)
		return err;

	err = bcmon_errors_init();
	if (err)
		goto err_remove_debugfs;
	bcmon_errors_debugfs_init(bcmon_debugfs_root());

	err = bcmon_netlink_init();
	if (err)
		goto err_free_errors;

	pr_info("version %s loaded\n", BCMON_VERSION);
	return 0;

err_free_errors:
	bcmon_errors_exit();
err_remove_debugfs:
	bcmon_debugfs_exit();
	return err;
}

static void __exit bcmon_exit(void)
{
	/* debugfs first: no reader may reach state that is going away. */
	bcmon_debugfs_exit();
	/* No announcement may be in flight once the family is gone. */
	bcmon_errors_stop_notify();
	bcmon_netlink_exit();
	bcmon_errors_exit();
	pr_info("unloaded\n");
}

module_init(bcmon_init);
module_exit(bcmon_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bcmon: counters, error events and sensors for BitCraps nodes");
MODULE_VERSION(BCMON_VERSION);
