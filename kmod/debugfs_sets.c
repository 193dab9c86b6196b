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
#include <linux/string_helpers.h>

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

/* One sign's non-empty native buckets: "native pos|neg INDEX COUNT". */
static void bcmon_show_native_window(struct seq_file *m,
				     const struct nhist_window *w,
				     const char *sign)
{
	u32 p;

	if (!w->used)
		return;
	for (p = 0; p < w->n; p++)
		if (w->b[p])
			seq_printf(m, "  native %s %d %llu\n", sign,
				   w->offset + (s32)p, w->b[p]);
}

static void bcmon_show_native(struct seq_file *m, const struct bcmon_metric *mt,
			      const struct bcmon_native_read *nr)
{
	seq_printf(m, "  native schema %d zero_threshold %llu zero_count %llu\n",
		   nr->pos->schema, mt->native_zero, nr->zero);
	bcmon_show_native_window(m, nr->pos, "pos");
	bcmon_show_native_window(m, nr->neg, "neg");
}

static void bcmon_show_histogram(struct seq_file *m, struct bcmon_set *set,
				 const struct bcmon_metric *mt,
				 const struct bcmon_series *s, u64 *buckets,
				 struct bcmon_native_read *nr)
{
	struct bcmon_metric_value v = { .buckets = buckets, .native = nr };
	u64 cumulative = 0;
	u32 b;

	bcmon_series_read(set, mt, s, &v);
	seq_printf(m, "  count %llu sum %lld\n", v.count, v.sum);
	for (b = 0; b <= mt->n_bounds; b++) {
		cumulative += buckets[b];
		if (b < mt->n_bounds)
			seq_printf(m, "  le %-20llu %llu\n", mt->bounds[b], cumulative);
		else
			seq_printf(m, "  le %-20s %llu\n", "+Inf", cumulative);
	}
	if (mt->native_table)
		bcmon_show_native(m, mt, nr);
	if (!mt->n_bounds)
		;	/* only +Inf: no classic estimate */
	else if (v.count)
		seq_printf(m, "  p50 %llu p95 %llu p99 %llu\n",
			   bcmon_percentile(mt, buckets, v.count, 50),
			   bcmon_percentile(mt, buckets, v.count, 95),
			   bcmon_percentile(mt, buckets, v.count, 99));
	else
		seq_puts(m, "  p50 - p95 - p99 -\n");
	for (b = 0; b <= mt->n_bounds; b++) {
		struct bcmon_exemplar e;

		if (!bcmon_exemplar_read(s, b, &e))
			continue;
		if (b < mt->n_bounds)
			seq_printf(m, "  exemplar le %llu", mt->bounds[b]);
		else
			seq_puts(m, "  exemplar le +Inf");
		seq_printf(m, " value %lld trace_id %*phN span_id %*phN time_ns %llu\n",
			   e.value, BCMON_TRACE_ID_LEN, e.trace_id,
			   BCMON_SPAN_ID_LEN, e.span_id, e.time_ns);
	}
}

/*
 * A set file is a sequence of items: the set's line, then each metric, and
 * after a labeled metric each of its series. The iterator walks them under
 * RCU (start to stop) and keeps its place as (metric, series id), so a set
 * with many series is read in pieces without holding anything between two
 * reads; series created or deleted meanwhile appear or not, whole.
 */
struct bcmon_set_iter {
	struct bcmon_set *set;
	loff_t pos;		/* the item the cursor is at */
	bool at_set;		/* the set's line */
	u32 metric;		/* else this metric (n_metrics: the end) ... */
	bool at_series;		/* ... or its series with id >= series */
	unsigned long series;
	struct bcmon_series *s;	/* that series, valid until stop() */
	u64 buckets[BCMON_MAX_BUCKETS_CEILING + 1];
	struct bcmon_native_read *native;	/* buffers, from open */
};

/* Move to the first series of the current metric with id >= it->series. */
static bool bcmon_iter_series(struct bcmon_set_iter *it)
{
	struct bcmon_metric *mt = &it->set->metrics[it->metric];

	it->s = mt->n_labels ? bcmon_series_next_rcu(mt, &it->series) : NULL;
	it->at_series = it->s;
	return it->at_series;
}

/* The next item; false at the end. Under rcu_read_lock(). */
static bool bcmon_iter_advance(struct bcmon_set_iter *it)
{
	u32 n = it->set->n_metrics;

	it->pos++;
	if (it->at_set) {
		it->at_set = false;
		it->metric = 0;
		it->at_series = false;
		return it->metric < n;
	}
	if (it->metric >= n)
		return false;
	/* From a metric to its first series, from a series to the next. */
	if (!it->at_series)
		it->series = 0;
	else if (it->series == ULONG_MAX)
		goto next_metric;
	else
		it->series++;
	if (bcmon_iter_series(it))
		return true;
next_metric:
	it->metric++;
	it->at_series = false;
	return it->metric < n;
}

static void *bcmon_set_seq_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	struct bcmon_set_iter *it = m->private;

	rcu_read_lock();
	if (*pos != it->pos || !*pos) {
		/* A new read or a seek: walk from the top. */
		it->pos = 0;
		it->at_set = true;
		it->at_series = false;
		it->metric = 0;
		while (it->pos < *pos)
			if (!bcmon_iter_advance(it))
				return NULL;
		return it;
	}
	/* Where the previous read stopped; that series may be gone now. */
	if (it->metric >= it->set->n_metrics)
		return NULL;
	if (it->at_series && !bcmon_iter_series(it)) {
		it->metric++;
		if (it->metric >= it->set->n_metrics)
			return NULL;
	}
	return it;
}

static void *bcmon_set_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct bcmon_set_iter *it = v;

	if (!bcmon_iter_advance(it)) {
		*pos = it->pos;
		return NULL;
	}
	*pos = it->pos;
	return it;
}

static void bcmon_set_seq_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static void bcmon_show_set_line(struct seq_file *m, struct bcmon_set *set)
{
	if (bcmon_owner_is_kernel(&set->owner))
		seq_printf(m, "set %s owner kernel metrics %u\n", set->name,
			   set->n_metrics);
	else
		seq_printf(m, "set %s owner uid %u metrics %u\n", set->name,
			   from_kuid_munged(&init_user_ns, set->owner.uid),
			   set->n_metrics);
}

/* A metric's lines; a labeled one says how many series and refusals. */
static void bcmon_show_metric(struct seq_file *m, struct bcmon_set_iter *it)
{
	struct bcmon_set *set = it->set;
	const struct bcmon_metric *mt = &set->metrics[it->metric];
	struct bcmon_metric_value v = {};
	unsigned int l;

	seq_printf(m, "%s %s unit %s scale %d", mt->name,
		   bcmon_kind_names[mt->kind], mt->unit[0] ? mt->unit : "-",
		   mt->scale);
	if (mt->n_labels) {
		seq_puts(m, " labels ");
		for (l = 0; l < mt->n_labels; l++)
			seq_printf(m, "%s%s", l ? "," : "", mt->label_names[l]);
		seq_printf(m, " series %u refused series_limit=%lld memory_quota=%lld label_value=%lld\n",
			   READ_ONCE(mt->n_series),
			   atomic64_read(&mt->refused[BCMON_REFUSED_SERIES_LIMIT]),
			   atomic64_read(&mt->refused[BCMON_REFUSED_MEMORY_QUOTA]),
			   atomic64_read(&mt->refused[BCMON_REFUSED_LABEL_VALUE]));
	} else if (mt->kind == BCMON_KIND_HISTOGRAM) {
		seq_putc(m, '\n');
	} else {
		bcmon_series_read(set, mt, mt->series0, &v);
		if (mt->kind == BCMON_KIND_COUNTER)
			seq_printf(m, " value %llu\n", (u64)v.value);
		else
			seq_printf(m, " value %lld\n", v.value);
	}
	if (mt->help)
		seq_printf(m, "  help %s\n", mt->help);
	if (mt->kind == BCMON_KIND_HISTOGRAM && !mt->n_labels)
		bcmon_show_histogram(m, set, mt, mt->series0, it->buckets,
				     it->native);
}

/* One series: {name="value",...} as PromQL writes it, then its values. */
static void bcmon_show_series(struct seq_file *m, struct bcmon_set_iter *it)
{
	const struct bcmon_metric *mt = &it->set->metrics[it->metric];
	const struct bcmon_series *s = it->s;
	struct bcmon_metric_value v = {};
	const char *value = s->key;
	unsigned int l;

	seq_puts(m, "  {");
	for (l = 0; l < mt->n_labels; l++) {
		seq_printf(m, "%s%s=\"", l ? "," : "", mt->label_names[l]);
		/* Only the printable charset has quotes and backslashes. */
		seq_escape_str(m, value, ESCAPE_SPECIAL, "\"\\");
		seq_putc(m, '"');
		value += strlen(value) + 1;
	}
	seq_putc(m, '}');
	switch (mt->kind) {
	case BCMON_KIND_COUNTER:
		bcmon_series_read(it->set, mt, s, &v);
		seq_printf(m, " value %llu\n", (u64)v.value);
		break;
	case BCMON_KIND_GAUGE:
		bcmon_series_read(it->set, mt, s, &v);
		seq_printf(m, " value %lld\n", v.value);
		break;
	default:
		seq_putc(m, '\n');
		bcmon_show_histogram(m, it->set, mt, s, it->buckets, it->native);
	}
}

static int bcmon_set_seq_show(struct seq_file *m, void *v)
{
	struct bcmon_set_iter *it = v;

	if (it->at_set)
		bcmon_show_set_line(m, it->set);
	else if (it->at_series)
		bcmon_show_series(m, it);
	else
		bcmon_show_metric(m, it);
	return 0;
}

static const struct seq_operations bcmon_set_seq_ops = {
	.start	= bcmon_set_seq_start,
	.next	= bcmon_set_seq_next,
	.stop	= bcmon_set_seq_stop,
	.show	= bcmon_set_seq_show,
};

static int bcmon_set_open(struct inode *inode, struct file *file)
{
	struct bcmon_set_iter *it;

	it = __seq_open_private(file, &bcmon_set_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->set = inode->i_private;
	if (it->set->has_native) {
		it->native = bcmon_native_read_alloc(GFP_KERNEL_ACCOUNT);
		if (!it->native) {
			seq_release_private(inode, file);
			return -ENOMEM;
		}
	}
	it->at_set = true;
	return 0;
}

static int bcmon_set_release(struct inode *inode, struct file *file)
{
	struct bcmon_set_iter *it = ((struct seq_file *)file->private_data)->private;

	bcmon_native_read_free(it->native);
	return seq_release_private(inode, file);
}

static const struct file_operations bcmon_set_fops = {
	.owner		= THIS_MODULE,
	.open		= bcmon_set_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= bcmon_set_release,
};

static void bcmon_debugfs_set_added(struct bcmon_set *set)
{
	lockdep_assert_held(&bcmon_sets_lock);
	if (IS_ERR_OR_NULL(bcmon_sets_dir))
		return;
	set->debugfs = debugfs_create_file(set->name, 0444, bcmon_sets_dir,
					   set, &bcmon_set_fops);
}

static void bcmon_debugfs_set_removed(struct bcmon_set *set)
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
	seq_printf(m, "max_native_buckets %u\n", bcmon_limits.max_native_buckets);
	seq_printf(m, "memory_used %lu\n", bcmon_sets_mem_used());
	seq_printf(m, "memory_limit %lu\n", bcmon_limits.max_memory);
	seq_printf(m, "uid_max_sets %u\n", bcmon_limits.uid_max_sets);
	seq_printf(m, "uid_max_memory %lu\n", bcmon_limits.uid_max_memory);
	seq_printf(m, "kernel_reserved_sets %u\n", bcmon_limits.kernel_reserved_sets);
	seq_printf(m, "kernel_reserved_memory %lu\n", bcmon_limits.kernel_reserved_memory);
	seq_printf(m, "max_labels %u\n", bcmon_limits.max_labels);
	seq_printf(m, "max_series %u\n", bcmon_limits.max_series);
	seq_printf(m, "max_label_value_len %u\n", bcmon_limits.max_label_value_len);
	seq_printf(m, "label_charset %s\n",
		   bcmon_limits.label_charset == BCMON_LABEL_CHARSET_PRINTABLE ?
		   "printable" : "strict");
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

/* A file per set, created and removed as the registry changes. */
static const struct bcmon_sets_observer bcmon_debugfs_sets_observer = {
	.set_added	= bcmon_debugfs_set_added,
	.set_unlisting	= bcmon_debugfs_set_removed,
};

void bcmon_debugfs_sets_init(struct dentry *root)
{
	/* First observer: a set's file goes before anything else of it. */
	if (bcmon_sets_observe(&bcmon_debugfs_sets_observer))
		pr_err("cannot follow the set registry: no set files\n");
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
