// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs view of counter sets: /sys/kernel/debug/bcmon/sets/<name>, one
 * read-only text file per set, and the "status" file.
 *
 * Lifetime: a set's file is removed (debugfs_remove() waits for readers
 * inside our show function) before the registry drops its reference, so
 * show() may use the set it was created with. A file held open after that
 * only returns errors. The whole tree goes first in module exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "bcmon_internal.h"
#include "sets.h"

static struct dentry *bcmon_sets_dir;	/* under bcmon_sets_lock */

static const char *const bcmon_kind_names[] = {
	[BCMON_KIND_COUNTER]	= "counter",
	[BCMON_KIND_GAUGE]	= "gauge",
	[BCMON_KIND_HISTOGRAM]	= "histogram",
};

/*
 * Estimate the q-th percentile (q in percent) from bucket counts: find the
 * bucket holding the rank and interpolate linearly between its bounds (the
 * first bucket starts at 0). A rank in +Inf reports the top finite bound,
 * as Prometheus' histogram_quantile() does.
 */
static u64 bcmon_percentile(const struct bcmon_metric *m, const u64 *buckets,
			    u64 count, unsigned int q)
{
	u64 rank = count * q;	/* in hundredths of an observation */
	u64 below = 0, lower, upper;
	u32 b;

	for (b = 0; b < m->n_bounds; b++) {
		if ((below + buckets[b]) * 100 >= rank && buckets[b]) {
			lower = b ? m->bounds[b - 1] : 0;
			upper = m->bounds[b];
			return lower + mul_u64_u64_div_u64(upper - lower,
							   rank - below * 100,
							   buckets[b] * 100);
		}
		below += buckets[b];
	}
	return m->bounds[m->n_bounds - 1];
}

static void bcmon_show_histogram(struct seq_file *m, struct bcmon_set *set,
				 unsigned int i, u64 *buckets)
{
	const struct bcmon_metric *mt = &set->metrics[i];
	struct bcmon_metric_value v = { .buckets = buckets };
	u64 cumulative = 0;
	u32 b;

	bcmon_metric_read(set, i, &v);
	seq_printf(m, "  count %llu sum %lld\n", v.count, v.sum);
	for (b = 0; b <= mt->n_bounds; b++) {
		cumulative += buckets[b];
		if (b < mt->n_bounds)
			seq_printf(m, "  le %-20llu %llu\n", mt->bounds[b], cumulative);
		else
			seq_printf(m, "  le %-20s %llu\n", "+Inf", cumulative);
	}
	if (v.count)
		seq_printf(m, "  p50 %llu p95 %llu p99 %llu\n",
			   bcmon_percentile(mt, buckets, v.count, 50),
			   bcmon_percentile(mt, buckets, v.count, 95),
			   bcmon_percentile(mt, buckets, v.count, 99));
	else
		seq_puts(m, "  p50 - p95 - p99 -\n");
}

static int bcmon_set_show(struct seq_file *m, void *unused)
{
	struct bcmon_set *set = m->private;
	struct bcmon_metric_value v;
	u64 *buckets;
	unsigned int i;

	buckets = kcalloc(BCMON_MAX_BUCKETS_CEILING + 1, sizeof(u64), GFP_KERNEL);
	if (!buckets)
		return -ENOMEM;
	if (bcmon_owner_is_kernel(&set->owner))
		seq_printf(m, "set %s owner kernel metrics %u\n", set->name,
			   set->n_metrics);
	else
		seq_printf(m, "set %s owner uid %u metrics %u\n", set->name,
			   from_kuid_munged(&init_user_ns, set->owner.uid),
			   set->n_metrics);
	for (i = 0; i < set->n_metrics; i++) {
		const struct bcmon_metric *mt = &set->metrics[i];

		seq_printf(m, "%s %s unit %s scale %d", mt->name,
			   bcmon_kind_names[mt->kind],
			   mt->unit[0] ? mt->unit : "-", mt->scale);
		if (mt->kind == BCMON_KIND_HISTOGRAM) {
			seq_putc(m, '\n');
		} else {
			bcmon_metric_read(set, i, &v);
			if (mt->kind == BCMON_KIND_COUNTER)
				seq_printf(m, " value %llu\n", (u64)v.value);
			else
				seq_printf(m, " value %lld\n", v.value);
		}
		if (mt->help)
			seq_printf(m, "  help %s\n", mt->help);
		if (mt->kind == BCMON_KIND_HISTOGRAM)
			bcmon_show_histogram(m, set, i, buckets);
	}
	kfree(buckets);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bcmon_set);

void bcmon_debugfs_set_added(struct bcmon_set *set)
{
	lockdep_assert_held(&bcmon_sets_lock);
	if (IS_ERR_OR_NULL(bcmon_sets_dir))
		return;
	set->debugfs = debugfs_create_file(set->name, 0444, bcmon_sets_dir,
					   set, &bcmon_set_fops);
}

void bcmon_debugfs_set_removed(struct bcmon_set *set)
{
	lockdep_assert_held(&bcmon_sets_lock);
	if (IS_ERR_OR_NULL(bcmon_sets_dir))
		return;		/* the whole tree is gone already */
	debugfs_remove(set->debugfs);
	set->debugfs = NULL;
}

static void bcmon_status_show_one(const struct bcmon_status_provider *p,
				  void *arg)
{
	if (p->show)
		p->show(arg);
}

static int bcmon_status_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "version %s\n", BCMON_VERSION);
	seq_printf(m, "sets %u\n", bcmon_sets_count());
	seq_printf(m, "max_sets %u\n", bcmon_limits.max_sets);
	seq_printf(m, "max_metrics %u\n", bcmon_limits.max_metrics);
	seq_printf(m, "max_buckets %u\n", bcmon_limits.max_buckets);
	seq_printf(m, "memory_used %lu\n", bcmon_sets_mem_used());
	seq_printf(m, "memory_limit %lu\n", bcmon_limits.max_memory);
	seq_printf(m, "uid_max_sets %u\n", bcmon_limits.uid_max_sets);
	seq_printf(m, "uid_max_memory %lu\n", bcmon_limits.uid_max_memory);
	seq_printf(m, "kernel_reserved_sets %u\n", bcmon_limits.kernel_reserved_sets);
	seq_printf(m, "kernel_reserved_memory %lu\n", bcmon_limits.kernel_reserved_memory);
	seq_printf(m, "reserved_set_words %s\n",
		   bcmon_reserved_set_words && *bcmon_reserved_set_words ?
		   bcmon_reserved_set_words : "-");
	if (bcmon_writer_gid >= 0)
		seq_printf(m, "writer_gid %d\n", bcmon_writer_gid);
	else
		seq_puts(m, "writer_gid -\n");
	bcmon_status_for_each(bcmon_status_show_one, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bcmon_status);

void bcmon_debugfs_sets_init(struct dentry *root)
{
	debugfs_create_file("status", 0444, root, NULL, &bcmon_status_fops);
	mutex_lock(&bcmon_sets_lock);
	bcmon_sets_dir = debugfs_create_dir("sets", root);
	mutex_unlock(&bcmon_sets_lock);
}

/* Called before the tree is removed: no set file may appear afterwards. */
void bcmon_debugfs_sets_exit(void)
{
	mutex_lock(&bcmon_sets_lock);
	bcmon_sets_dir = NULL;
	mutex_unlock(&bcmon_sets_lock);
}
