// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs view of the error events (errors.c): the "errors" file and the
 * lines of the "status" file about them. Presentation only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

#include "bcmon_internal.h"
#include "errors.h"

/* debugfs "errors": the ring, oldest first (newest last), then the totals. */
#define ERRORS_SHOW_BATCH 16

static int errors_show(struct seq_file *m, void *v)
{
	struct bcmon_error_event *batch;
	u64 t[__BCMON_ERR_CAT_MAX][__BCMON_SEV_MAX];
	u64 from = 0, oldest, next, end = 0;
	unsigned int n, i, c, s;

	batch = kmalloc_array(ERRORS_SHOW_BATCH, sizeof(*batch), GFP_KERNEL);
	if (!batch)
		return -ENOMEM;

	seq_printf(m, "%-8s %-20s %-11s %-8s %-18s %s\n",
		   "seq", "time_ns", "category", "severity", "origin", "message");
	for (;;) {
		n = bcmon_errors_copy(from, batch, ERRORS_SHOW_BATCH, &oldest,
				      &next);
		if (!end)
			end = next;	/* stop at what existed when we began */
		for (i = 0; i < n && batch[i].seq < end; i++) {
			char origin[24];

			if (batch[i].from.origin == BCMON_ORIGIN_KERNEL)
				strscpy(origin, "kernel", sizeof(origin));
			else
				snprintf(origin, sizeof(origin), "uid=%u,pid=%u",
					 from_kuid_munged(&init_user_ns,
							  batch[i].from.uid),
					 batch[i].from.pid);
			seq_printf(m, "%-8llu %-20llu %-11s %-8s %-18s %s\n",
				   batch[i].seq, batch[i].timestamp_ns,
				   bcmon_error_category_name(batch[i].category),
				   bcmon_severity_name(batch[i].severity),
				   origin, batch[i].message);
			from = batch[i].seq + 1;
		}
		if (i < n || n < ERRORS_SHOW_BATCH || from >= end)
			break;
	}
	kfree(batch);

	bcmon_errors_totals(t);
	seq_printf(m, "\nring_size %u recorded %llu\n", bcmon_errors_ring_size(),
		   end - 1);
	seq_printf(m, "%-11s %10s %10s %10s %10s\n", "totals",
		   "info", "warning", "error", "critical");
	for (c = 0; c < __BCMON_ERR_CAT_MAX; c++) {
		seq_printf(m, "%-11s", bcmon_error_category_name(c));
		for (s = 0; s < __BCMON_SEV_MAX; s++)
			seq_printf(m, " %10llu", t[c][s]);
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(errors);

/* Lines of the debugfs "status" file. */
static void errors_status_show(struct seq_file *m)
{
	seq_printf(m, "error_ring_size %u\nerrors_recorded %llu\n",
		   bcmon_errors_ring_size(), bcmon_errors_recorded());
	seq_printf(m, "error_user_rate %u\nerror_user_burst %u\n",
		   bcmon_errors_user_rate(), bcmon_errors_user_burst());
}

static const struct bcmon_status_provider errors_status_lines = {
	.show		= errors_status_show,
};

void bcmon_errors_debugfs_init(struct dentry *dir)
{
	debugfs_create_file("errors", 0444, dir, NULL, &errors_fops);
	bcmon_status_register(&errors_status_lines);
}
