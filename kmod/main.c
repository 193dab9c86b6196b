// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon: observability for BitCraps nodes. Module init and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "bcmon_internal.h"
#include "errors.h"
#include "sensors.h"
#include "sets.h"

/* Limits for counter sets; exceeding one is an error answer, never an OOM. */
struct bcmon_limits bcmon_limits = {
	.max_sets	= 4096,
	.max_metrics	= 256,
	.max_buckets	= 32,
	.max_memory	= 64UL << 20,
	.uid_max_sets	= 2048,
	.uid_max_memory	= 32UL << 20,
	.kernel_reserved_sets	= 64,
	.kernel_reserved_memory	= 8UL << 20,
	.max_labels		= 4,
	.max_series		= 1024,
	.max_label_value_len	= 64,
	.label_charset		= BCMON_LABEL_CHARSET_STRICT,
	.max_native_buckets	= 160,
};
module_param_named(max_sets, bcmon_limits.max_sets, uint, 0444);
MODULE_PARM_DESC(max_sets, "Most counter sets that may exist (default 4096)");
module_param_named(max_metrics, bcmon_limits.max_metrics, uint, 0444);
MODULE_PARM_DESC(max_metrics, "Most metrics in one set (default 256, at most 1024)");
module_param_named(max_buckets, bcmon_limits.max_buckets, uint, 0444);
MODULE_PARM_DESC(max_buckets, "Most bucket bounds in one histogram (default 32, at most 64)");
module_param_named(max_memory, bcmon_limits.max_memory, ulong, 0444);
MODULE_PARM_DESC(max_memory, "Most bytes all sets may hold, per-CPU storage included (default 64 MiB)");
module_param_named(uid_max_sets, bcmon_limits.uid_max_sets, uint, 0444);
MODULE_PARM_DESC(uid_max_sets, "Most counter sets one uid may own (default 2048)");
module_param_named(uid_max_memory, bcmon_limits.uid_max_memory, ulong, 0444);
MODULE_PARM_DESC(uid_max_memory, "Most bytes the sets of one uid may hold (default 32 MiB)");
module_param_named(kernel_reserved_sets, bcmon_limits.kernel_reserved_sets, uint, 0444);
MODULE_PARM_DESC(kernel_reserved_sets, "Of max_sets, how many only kernel-owned sets may use (default 64, below max_sets)");
module_param_named(kernel_reserved_memory, bcmon_limits.kernel_reserved_memory, ulong, 0444);
MODULE_PARM_DESC(kernel_reserved_memory, "Of max_memory, the bytes only kernel-owned sets may use (default 8 MiB, below max_memory)");
module_param_named(max_labels, bcmon_limits.max_labels, uint, 0444);
MODULE_PARM_DESC(max_labels, "Most label names of one metric (default 4, at most " __stringify(BCMON_LABELS_MAX) ")");
module_param_named(max_series, bcmon_limits.max_series, uint, 0444);
MODULE_PARM_DESC(max_series, "Most series of one labeled metric (default 1024, at most " __stringify(BCMON_MAX_SERIES_CEILING) ")");
module_param_named(max_label_value_len, bcmon_limits.max_label_value_len, uint, 0444);
MODULE_PARM_DESC(max_label_value_len, "Longest label value in bytes (default 64, 1.." __stringify(BCMON_LABEL_VALUE_MAX) " - 1)");
module_param_named(max_native_buckets, bcmon_limits.max_native_buckets, uint, 0444);
MODULE_PARM_DESC(max_native_buckets, "Most consecutive buckets per sign and CPU of a native histogram (default 160, " __stringify(NHIST_WINDOW_MIN) ".." __stringify(BCMON_MAX_NATIVE_BUCKETS_CEILING) ")");
static char *label_charset = "strict";
module_param(label_charset, charp, 0444);
MODULE_PARM_DESC(label_charset, "Characters of label values: strict (A-Z a-z 0-9 _ . : @ / + -, the default) or printable (printable ASCII)");

char *bcmon_reserved_set_words = BCMON_EXPORTER_RESERVED_WORDS;
module_param_named(reserved_set_words, bcmon_reserved_set_words, charp, 0444);
MODULE_PARM_DESC(reserved_set_words, "Comma-separated first words of set names refused because the exporter's own metrics begin with them (default " BCMON_EXPORTER_RESERVED_WORDS "; empty: none)");
module_param_named(writer_gid, bcmon_writer_gid, int, 0444);
MODULE_PARM_DESC(writer_gid, "Group whose members may create sets and write their own (-1: none)");

static int __init bcmon_check_limits(void)
{
	if (!bcmon_limits.max_sets || !bcmon_limits.max_metrics ||
	    !bcmon_limits.max_buckets || !bcmon_limits.max_memory ||
	    bcmon_limits.max_metrics > BCMON_MAX_METRICS_CEILING ||
	    bcmon_limits.max_buckets > BCMON_MAX_BUCKETS_CEILING) {
		pr_err("limits out of range: 1 <= max_metrics <= %u, 1 <= max_buckets <= %u, others > 0\n",
		       BCMON_MAX_METRICS_CEILING, BCMON_MAX_BUCKETS_CEILING);
		return -EINVAL;
	}
	if (!bcmon_limits.uid_max_sets || !bcmon_limits.uid_max_memory ||
	    bcmon_limits.kernel_reserved_sets >= bcmon_limits.max_sets ||
	    bcmon_limits.kernel_reserved_memory >= bcmon_limits.max_memory) {
		pr_err("quotas out of range: uid_max_sets, uid_max_memory > 0, kernel_reserved_sets < max_sets, kernel_reserved_memory < max_memory\n");
		return -EINVAL;
	}
	if (!bcmon_limits.max_labels || bcmon_limits.max_labels > BCMON_LABELS_MAX ||
	    !bcmon_limits.max_series ||
	    bcmon_limits.max_series > BCMON_MAX_SERIES_CEILING ||
	    !bcmon_limits.max_label_value_len ||
	    bcmon_limits.max_label_value_len >= BCMON_LABEL_VALUE_MAX) {
		pr_err("label limits out of range: 1 <= max_labels <= %u, 1 <= max_series <= %u, 1 <= max_label_value_len <= %u\n",
		       BCMON_LABELS_MAX, BCMON_MAX_SERIES_CEILING,
		       BCMON_LABEL_VALUE_MAX - 1);
		return -EINVAL;
	}
	if (bcmon_limits.max_native_buckets < NHIST_WINDOW_MIN ||
	    bcmon_limits.max_native_buckets > BCMON_MAX_NATIVE_BUCKETS_CEILING) {
		pr_err("max_native_buckets out of range: %u..%u\n",
		       NHIST_WINDOW_MIN, BCMON_MAX_NATIVE_BUCKETS_CEILING);
		return -EINVAL;
	}
	if (!strcmp(label_charset, "strict")) {
		bcmon_limits.label_charset = BCMON_LABEL_CHARSET_STRICT;
	} else if (!strcmp(label_charset, "printable")) {
		bcmon_limits.label_charset = BCMON_LABEL_CHARSET_PRINTABLE;
	} else {
		pr_err("label_charset must be strict or printable\n");
		return -EINVAL;
	}
	if (!bcmon_reserved_words_valid(bcmon_reserved_set_words)) {
		pr_err("reserved_set_words must be comma-separated words [a-z][a-z0-9]*, not \"kernel\"\n");
		return -EINVAL;
	}
	return 0;
}

static int __init bcmon_init(void)
{
	int err;

	err = bcmon_check_limits();
	if (err)
		return err;

	err = bcmon_sets_init();
	if (err)
		return err;

	err = bcmon_debugfs_init();
	if (err)
		goto err_sets;

	err = bcmon_errors_init();
	if (err)
		goto err_remove_debugfs;

	err = bcmon_sensors_init();
	if (err)
		goto err_free_errors;

	err = bcmon_netlink_init();
	if (err)
		goto err_free_sensors;

	/* Sensor events go out on the family: watch only once it exists. */
	err = bcmon_sensors_start();
	if (err)
		goto err_unregister_netlink;

	/*
	 * Their debugfs files last: once they exist, nothing below them is
	 * torn down again except in bcmon_exit(), which removes debugfs first.
	 */
	bcmon_errors_debugfs_init(bcmon_debugfs_root());
	bcmon_sensors_debugfs_init(bcmon_debugfs_root());

	pr_info("version %s loaded\n", BCMON_VERSION);
	return 0;

err_unregister_netlink:
	bcmon_errors_stop_notify();
	bcmon_netlink_exit();
err_free_sensors:
	bcmon_sensors_exit();
err_free_errors:
	bcmon_errors_exit();
err_remove_debugfs:
	bcmon_debugfs_exit();
err_sets:
	bcmon_sets_exit();
	return err;
}

static void __exit bcmon_exit(void)
{
	/* debugfs first: no reader may reach state that is going away. */
	bcmon_debugfs_exit();
	/* No announcement may be in flight once the family is gone. */
	bcmon_sensors_stop();
	bcmon_errors_stop_notify();
	bcmon_netlink_exit();
	bcmon_sensors_exit();
	bcmon_errors_exit();
	bcmon_sets_exit();
	pr_info("unloaded\n");
}

module_init(bcmon_init);
module_exit(bcmon_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bcmon: counters, error events and sensors for BitCraps nodes");
MODULE_VERSION(BCMON_VERSION);
