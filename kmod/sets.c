// SPDX-License-Identifier: GPL-2.0
/*
 * Counter sets: the registry (a name hash for lookups and an id-ordered list
 * for resumable dumps, both RCU-readable and changed under bcmon_sets_lock),
 * per-CPU storage, and the exported kernel API.
 *
 * Lifetime: the registry holds one reference on each registered set; every
 * other holder (a kernel API user, a netlink request) holds its own. The
 * memory is freed an RCU grace period after the last reference goes, so a
 * reader inside rcu_read_lock() may use a set it found without a reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
#include <linux/err.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/stringhash.h>

#include "bcmon_internal.h"
#include "sets.h"

DEFINE_MUTEX(bcmon_sets_lock);
static DEFINE_HASHTABLE(bcmon_set_hash, 8);
static LIST_HEAD(bcmon_set_list);
static u64 bcmon_next_id = 1;
static unsigned int bcmon_nr_sets;
static atomic_long_t bcmon_mem_used = ATOMIC_LONG_INIT(0);
/* Registered user-owned sets and their bytes, under bcmon_sets_lock. */
static unsigned int bcmon_nr_user_sets;
static unsigned long bcmon_user_mem;
/* Bumped on every create and destroy: dumps use it to flag interruption. */
static atomic_t bcmon_sets_gen = ATOMIC_INIT(1);
/* Presentation following the registry; set at module init only. */
static const struct bcmon_sets_observer *bcmon_observers[BCMON_SETS_OBSERVERS];

int bcmon_sets_observe(const struct bcmon_sets_observer *o)
{
	unsigned int i;

	for (i = 0; i < BCMON_SETS_OBSERVERS; i++) {
		if (!bcmon_observers[i]) {
			bcmon_observers[i] = o;
			return 0;
		}
	}
	return -ENOSPC;
}

enum bcmon_sets_change { BCMON_SET_ADDED, BCMON_SET_UNLISTING, BCMON_SET_REMOVED };

/* Tell every observer, in registration order; under bcmon_sets_lock. */
static void bcmon_sets_tell(struct bcmon_set *set, enum bcmon_sets_change what)
{
	const struct bcmon_sets_observer *o;
	unsigned int i;

	lockdep_assert_held(&bcmon_sets_lock);
	for (i = 0; i < BCMON_SETS_OBSERVERS && bcmon_observers[i]; i++) {
		o = bcmon_observers[i];
		if (what == BCMON_SET_ADDED && o->set_added)
			o->set_added(set);
		else if (what == BCMON_SET_UNLISTING && o->set_unlisting)
			o->set_unlisting(set);
		else if (what == BCMON_SET_REMOVED && o->set_removed)
			o->set_removed(set);
	}
}

bool bcmon_name_valid(const char *name)
{
	size_t i, len = strnlen(name, BCMON_NAME_MAX);

	if (len == 0 || len >= BCMON_NAME_MAX)
		return false;
	if (name[0] < 'a' || name[0] > 'z')
		return false;
	for (i = 1; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

/* Help text goes to debugfs and Prometheus: printable ASCII only. */
static bool bcmon_help_valid(const char *help)
{
	size_t len = strnlen(help, BCMON_HELP_MAX);

	return len < BCMON_HELP_MAX && bcmon_str_printable(help);
}

static u32 bcmon_name_hash(const char *name)
{
	return full_name_hash(NULL, name, strlen(name));
}

struct bcmon_set *bcmon_set_lookup_rcu(const char *name)
{
	struct bcmon_set *set;
	u32 h = bcmon_name_hash(name);

	hash_for_each_possible_rcu(bcmon_set_hash, set, hnode, h,
				   lockdep_is_held(&bcmon_sets_lock))
		if (!strcmp(set->name, name))
			return set;
	return NULL;
}

struct bcmon_set *bcmon_set_get(const char *name)
{
	struct bcmon_set *set;

	rcu_read_lock();
	set = bcmon_set_lookup_rcu(name);
	if (set && !refcount_inc_not_zero(&set->ref))
		set = NULL;
	rcu_read_unlock();
	return set;
}

struct bcmon_set *bcmon_set_next_rcu(u64 *id)
{
	struct bcmon_set *set;

	list_for_each_entry_rcu(set, &bcmon_set_list, node) {
		if (set->id >= *id) {
			*id = set->id;
			return set;
		}
	}
	return NULL;
}

/*
 * Free a set whose labeled series are all unlinked (they hold references on
 * the set, so none is left when this runs).
 */
static void bcmon_set_free(struct bcmon_set *set)
{
	unsigned int i;

	for (i = 0; i < set->n_metrics; i++) {
		struct bcmon_metric *m = &set->metrics[i];

		kfree(m->help);
		kfree(m->bounds);
		kfree(m->native_table);
		kfree(m->label_names);
		bcmon_series_free_now(m->series0);
		xa_destroy(&m->series);
	}
	kfree(set->by_name);
	kfree(set);
}

static void bcmon_set_free_rcu(struct rcu_head *head)
{
	struct bcmon_set *set = container_of(head, struct bcmon_set, rcu);

	atomic_long_sub(set->mem, &bcmon_mem_used);
	bcmon_set_free(set);	/* free_percpu() is safe in atomic context */
}

void bcmon_set_put(struct bcmon_set *set)
{
	if (set && refcount_dec_and_test(&set->ref))
		call_rcu(&set->rcu, bcmon_set_free_rcu);
}

static int bcmon_cmp_by_name(const void *a, const void *b, const void *priv)
{
	const struct bcmon_set *set = priv;

	return strcmp(set->metrics[*(const u16 *)a].name,
		      set->metrics[*(const u16 *)b].name);
}

int bcmon_metric_find(const struct bcmon_set *set, const char *name)
{
	unsigned int lo = 0, hi = set->n_metrics;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		unsigned int i = set->by_name[mid];
		int c = strcmp(name, set->metrics[i].name);

		if (!c)
			return i;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Check one definition; on error leave a message in extack. */
static int bcmon_def_check(const struct bcmon_metric_def *d,
			   struct netlink_ext_ack *extack)
{
	unsigned int i;

	if (!d->name || !bcmon_name_valid(d->name)) {
		NL_SET_ERR_MSG(extack, "metric name must match [a-z][a-z0-9_]* and be at most 63 bytes");
		return -EINVAL;
	}
	if (d->help && !bcmon_help_valid(d->help)) {
		NL_SET_ERR_MSG(extack, "metric help must be printable ASCII, at most 255 bytes");
		return -EINVAL;
	}
	if (d->unit && d->unit[0] &&
	    (strnlen(d->unit, BCMON_UNIT_MAX) >= BCMON_UNIT_MAX ||
	     !bcmon_name_valid(d->unit))) {
		NL_SET_ERR_MSG(extack, "metric unit must match [a-z][a-z0-9_]* and be at most 31 bytes");
		return -EINVAL;
	}
	if (d->scale < -18 || d->scale > 18) {
		NL_SET_ERR_MSG(extack, "metric scale must be within -18..18");
		return -EINVAL;
	}
	if (d->n_labels > bcmon_limits.max_labels) {
		NL_SET_ERR_MSG(extack, "too many label names (module limit max_labels)");
		return -E2BIG;
	}
	for (i = 0; i < d->n_labels; i++) {
		unsigned int j;

		if (!d->label_names || !d->label_names[i] ||
		    !bcmon_name_valid(d->label_names[i])) {
			NL_SET_ERR_MSG(extack, "label name must match [a-z][a-z0-9_]* and be at most 63 bytes");
			return -EINVAL;
		}
		/* Prometheus gives these meaning: histogram buckets, summaries. */
		if (!strcmp(d->label_names[i], "le") ||
		    !strcmp(d->label_names[i], "quantile")) {
			NL_SET_ERR_MSG(extack, "label names le and quantile are reserved");
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (!strcmp(d->label_names[i], d->label_names[j])) {
				NL_SET_ERR_MSG(extack, "duplicate label name in metric");
				return -EINVAL;
			}
		}
	}
	if (!d->native && (d->native_negative || d->native_schema ||
			   d->native_max_buckets || d->native_zero_threshold)) {
		NL_SET_ERR_MSG(extack, "native bucket settings without a native histogram");
		return -EINVAL;
	}
	switch (d->kind) {
	case BCMON_KIND_COUNTER:
	case BCMON_KIND_GAUGE:
		if (d->n_bounds) {
			NL_SET_ERR_MSG(extack, "bucket bounds are only allowed on histograms");
			return -EINVAL;
		}
		if (d->native) {
			NL_SET_ERR_MSG(extack, "native buckets are only allowed on histograms");
			return -EINVAL;
		}
		return 0;
	case BCMON_KIND_HISTOGRAM:
		break;
	default:
		NL_SET_ERR_MSG(extack, "metric kind must be counter, gauge or histogram");
		return -EINVAL;
	}
	if (d->native) {
		if (d->native_schema < NHIST_SCHEMA_MIN ||
		    d->native_schema > NHIST_SCHEMA_MAX) {
			NL_SET_ERR_MSG(extack, "native schema must be within -4..8");
			return -ERANGE;
		}
		if (d->native_max_buckets &&
		    (d->native_max_buckets < NHIST_WINDOW_MIN ||
		     d->native_max_buckets > bcmon_limits.max_native_buckets)) {
			NL_SET_ERR_MSG(extack, "native bucket limit must be at least 8 and at most the module limit max_native_buckets");
			return -ERANGE;
		}
	}
	if (!d->n_bounds && !d->native) {
		NL_SET_ERR_MSG(extack, "a histogram needs bucket bounds or a native schema");
		return -EINVAL;
	}
	if (d->n_bounds > bcmon_limits.max_buckets) {
		NL_SET_ERR_MSG(extack, "too many bucket bounds (module limit max_buckets)");
		return -E2BIG;
	}
	for (i = 1; i < d->n_bounds; i++) {
		if (d->bounds[i] <= d->bounds[i - 1]) {
			NL_SET_ERR_MSG(extack, "bucket bounds must be strictly ascending");
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Native part of a histogram's per-CPU slots, after its classic ones
 * (buckets, sum, sequence; see bcmon_histogram_add()): the zero bucket's
 * count, then a window of max consecutive bucket counts for positive
 * values and, if the metric allows negative values, one for them. A
 * window's header (schema, offset, n, used) takes two slots.
 */
#define BCMON_NATIVE_WINDOW_SLOTS(max)	(2 + (max))
#define BCMON_NATIVE_ZERO(m)		((m)->n_bounds + 3)
#define BCMON_NATIVE_POS(m)		((m)->n_bounds + 4)
#define BCMON_NATIVE_NEG(m)		(BCMON_NATIVE_POS(m) + \
					 BCMON_NATIVE_WINDOW_SLOTS((m)->native_max))

static u32 bcmon_native_slots(bool negative, u32 max)
{
	BUILD_BUG_ON(sizeof(struct nhist_window) != 2 * sizeof(u64));
	return 1 + (negative ? 2 : 1) * BCMON_NATIVE_WINDOW_SLOTS(max);
}

/* The window size of a native histogram defined by d. */
static u32 bcmon_def_native_max(const struct bcmon_metric_def *d)
{
	return d->native_max_buckets ?: bcmon_limits.max_native_buckets;
}

static u32 bcmon_def_slots(const struct bcmon_metric_def *d)
{
	/* Histogram: buckets (bounds + the +Inf one), sum, sequence. */
	if (d->kind != BCMON_KIND_HISTOGRAM)
		return 1;
	return d->n_bounds + 3 +
	       (d->native ? bcmon_native_slots(d->native_negative,
					      bcmon_def_native_max(d)) : 0);
}

u32 bcmon_metric_slots(const struct bcmon_metric *m)
{
	if (m->kind != BCMON_KIND_HISTOGRAM)
		return 1;
	return m->n_bounds + 3 +
	       (m->native_table ? bcmon_native_slots(m->native_negative,
						     m->native_max) : 0);
}

/* What a native histogram's threshold table takes (as allocated). */
static size_t bcmon_native_table_mem(int schema)
{
	return kmalloc_size_roundup(nhist_table_size(max(schema, 0)));
}

static size_t bcmon_def_native_table_size(const struct bcmon_metric_def *d)
{
	return d->native ? bcmon_native_table_mem(d->native_schema) : 0;
}

/* The thresholds a native histogram defined by d looks its values up in. */
static int bcmon_metric_native_init(struct bcmon_metric *m,
				    const struct bcmon_metric_def *d,
				    size_t *mem)
{
	int schema = max(d->native_schema, 0);
	struct nhist_table *t;
	int err;

	t = kmalloc(nhist_table_size(schema), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!t)
		return -ENOMEM;
	/* -ERANGE (a threshold not proven exact) never happens in range. */
	err = nhist_table_build(t, schema, d->scale);
	if (err) {
		kfree(t);
		return err;
	}
	m->native_table = t;
	m->native_schema = d->native_schema;
	m->native_reduce = schema - d->native_schema;
	m->native_zero = d->native_zero_threshold;
	m->native_max = bcmon_def_native_max(d);
	m->native_negative = d->native_negative;
	*mem += bcmon_native_table_mem(d->native_schema);
	return 0;
}

/* Every CPU's native windows empty, at the metric's schema. */
void bcmon_series_slots_init(const struct bcmon_metric *m,
			     struct bcmon_series *s)
{
	int cpu;

	if (!m->native_table)
		return;
	for_each_possible_cpu(cpu) {
		u64 *slot = per_cpu_ptr(s->pcpu, cpu);

		nhist_window_init((struct nhist_window *)&slot[BCMON_NATIVE_POS(m)],
				  m->native_max, m->native_schema);
		if (m->native_negative)
			nhist_window_init((struct nhist_window *)&slot[BCMON_NATIVE_NEG(m)],
					  m->native_max, m->native_schema);
	}
}

/*
 * Fill metric index i of a new set from d. An unlabeled metric gets its only
 * series now; a labeled one gets its series on the updates that name them.
 */
static int bcmon_metric_init(struct bcmon_metric *m, unsigned int i,
			     const struct bcmon_metric_def *d, size_t *mem)
{
	unsigned int l;

	strscpy(m->name, d->name, sizeof(m->name));
	if (d->unit)
		strscpy(m->unit, d->unit, sizeof(m->unit));
	m->kind = d->kind;
	m->scale = d->scale;
	m->n_bounds = d->n_bounds;
	/* Before the unlabeled series: its slots are laid out from this. */
	if (d->native) {
		int err = bcmon_metric_native_init(m, d, mem);

		if (err)
			return err;
	}
	if (d->n_labels) {
		m->label_names = kcalloc(d->n_labels, BCMON_NAME_MAX,
					 GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!m->label_names)
			return -ENOMEM;
		for (l = 0; l < d->n_labels; l++)
			strscpy(m->label_names[l], d->label_names[l], BCMON_NAME_MAX);
		m->n_labels = d->n_labels;
		*mem += d->n_labels * BCMON_NAME_MAX;
	} else {
		m->series0 = bcmon_series_alloc(NULL, m, i, "", 0);
		if (!m->series0)
			return -ENOMEM;
		m->pcpu = m->series0->pcpu;
		*mem += m->series0->mem;
	}
	if (d->help && d->help[0]) {
		m->help = kstrdup(d->help, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!m->help)
			return -ENOMEM;
		*mem += strlen(d->help) + 1;
	}
	if (d->n_bounds) {
		m->bounds = kmemdup(d->bounds, d->n_bounds * sizeof(u64),
				    GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!m->bounds)
			return -ENOMEM;
		*mem += d->n_bounds * sizeof(u64);
	}
	return 0;
}

/*
 * Build an unregistered set; the caller checked the definitions and the
 * limits. __GFP_NOWARN: a failure is answered with -ENOMEM, not a splat.
 */
static struct bcmon_set *bcmon_set_alloc(const char *name,
					 const struct bcmon_metric_def *defs,
					 unsigned int n,
					 const struct bcmon_owner *owner,
					 size_t *mem)
{
	struct bcmon_set *set;
	unsigned int i;
	int err;

	set = kzalloc(struct_size(set, metrics, n), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!set)
		return ERR_PTR(-ENOMEM);
	*mem = struct_size(set, metrics, n) + n * sizeof(u16);
	strscpy(set->name, name, sizeof(set->name));
	set->owner = *owner;
	refcount_set(&set->ref, 1);
	seqlock_init(&set->gauge_seq);
	INIT_LIST_HEAD(&set->node);
	set->n_metrics = n;
	/*
	 * Before anything can fail: bcmon_set_free() destroys them all. That
	 * runs in an RCU callback (softirq), where xa_destroy() takes the
	 * xa_lock, so every other taker (series.c, process context under
	 * bcmon_sets_lock) disables softirqs: XA_FLAGS_LOCK_BH and the _bh
	 * calls (lockdep reported the inconsistent {IN-SOFTIRQ-W} ->
	 * {SOFTIRQ-ON-W} usage on the debug kernel).
	 */
	for (i = 0; i < n; i++)
		xa_init_flags(&set->metrics[i].series, XA_FLAGS_LOCK_BH);

	for (i = 0; i < n; i++) {
		err = bcmon_metric_init(&set->metrics[i], i, &defs[i], mem);
		if (err)
			goto err_free;
		set->has_native |= defs[i].native;
	}
	set->by_name = kcalloc(n ? n : 1, sizeof(u16), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!set->by_name) {
		err = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < n; i++)
		set->by_name[i] = i;
	return set;

err_free:
	bcmon_set_free(set);
	return ERR_PTR(err);
}

/* Would n definitions fit the per-set slot size and the memory limit? */
static size_t bcmon_defs_estimate(const struct bcmon_metric_def *defs,
				  unsigned int n)
{
	size_t mem = sizeof(struct bcmon_set);
	unsigned int i;

	for (i = 0; i < n; i++) {
		mem += sizeof(struct bcmon_metric) + sizeof(u16);
		mem += defs[i].n_bounds * sizeof(u64);
		mem += bcmon_def_native_table_size(&defs[i]);
		mem += defs[i].n_labels * BCMON_NAME_MAX;
		if (!defs[i].n_labels)
			mem += sizeof(struct bcmon_series) + BCMON_SERIES_INDEX_BYTES +
			       bcmon_def_slots(&defs[i]) * sizeof(u64) * num_possible_cpus();
		if (defs[i].help)
			mem += strlen(defs[i].help) + 1;
	}
	return mem;
}

/*
 * Is the first word of name (up to the first '_', or all of it) one of the
 * reserved words? Then the set could produce, shadow or clash with a family
 * the exporter serves for itself: every such family begins with a reserved
 * word, and a set's families begin with the set's name and an '_'.
 */
static bool bcmon_reserved_set_name(const char *name)
{
	size_t first = strcspn(name, "_");
	const char *w = bcmon_reserved_set_words;

	while (w && *w) {
		size_t len = strcspn(w, ",");

		if (len == first && !strncmp(w, name, len))
			return true;
		w += len;
		if (*w == ',')
			w++;
	}
	return false;
}

bool bcmon_reserved_words_valid(const char *words)
{
	const char *w = words;

	while (w && *w) {
		size_t len = strcspn(w, ","), i;

		if (!len || w[0] < 'a' || w[0] > 'z' ||
		    (len == strlen("kernel") && !strncmp(w, "kernel", len)))
			return false;
		for (i = 1; i < len; i++)
			if (!((w[i] >= 'a' && w[i] <= 'z') ||
			      (w[i] >= '0' && w[i] <= '9')))
				return false;
		w += len;
		if (*w == ',' && !*++w)
			return false;	/* a trailing comma */
	}
	return true;
}

static bool bcmon_kernel_name(const char *name)
{
	return !strncmp(name, BCMON_KERNEL_SET_PREFIX,
			strlen(BCMON_KERNEL_SET_PREFIX));
}

/* Sets and bytes the registered sets of uid hold; under bcmon_sets_lock. */
static void bcmon_uid_usage(kuid_t uid, unsigned int *sets,
			    unsigned long *mem)
{
	struct bcmon_set *set;

	lockdep_assert_held(&bcmon_sets_lock);
	*sets = 0;
	*mem = 0;
	list_for_each_entry(set, &bcmon_set_list, node) {
		if (bcmon_owner_is_kernel(&set->owner) ||
		    !uid_eq(set->owner.uid, uid))
			continue;
		(*sets)++;
		*mem += set->mem;
	}
}

/*
 * May owner register one more set (new_set) or more series of mem bytes?
 * Every set counts against max_sets and max_memory; a user's also against
 * what the kernel's reserve leaves and against its uid's quota. 0, or
 * -ENOSPC / -EDQUOT with a message.
 */
static int bcmon_charge_check(const struct bcmon_owner *owner, size_t mem,
			      bool new_set, struct netlink_ext_ack *extack)
{
	const struct bcmon_limits *l = &bcmon_limits;
	unsigned long uid_mem;
	unsigned int uid_sets;

	lockdep_assert_held(&bcmon_sets_lock);
	if (new_set && bcmon_nr_sets >= l->max_sets) {
		NL_SET_ERR_MSG(extack, "too many sets (module limit max_sets)");
		return -ENOSPC;
	}
	if (atomic_long_read(&bcmon_mem_used) + mem > l->max_memory) {
		NL_SET_ERR_MSG(extack, "memory limit for sets reached (module limit max_memory)");
		return -ENOSPC;
	}
	if (bcmon_owner_is_kernel(owner))
		return 0;
	if (new_set && bcmon_nr_user_sets >= l->max_sets - l->kernel_reserved_sets) {
		NL_SET_ERR_MSG(extack, "too many sets: the rest is reserved for the kernel (module limits max_sets, kernel_reserved_sets)");
		return -ENOSPC;
	}
	if (bcmon_user_mem + mem > l->max_memory - l->kernel_reserved_memory) {
		NL_SET_ERR_MSG(extack, "memory limit for sets reached: the rest is reserved for the kernel (module limits max_memory, kernel_reserved_memory)");
		return -ENOSPC;
	}
	bcmon_uid_usage(owner->uid, &uid_sets, &uid_mem);
	if (new_set && uid_sets >= l->uid_max_sets) {
		NL_SET_ERR_MSG(extack, "this user owns too many sets (module limit uid_max_sets)");
		return -EDQUOT;
	}
	if (uid_mem + mem > l->uid_max_memory) {
		NL_SET_ERR_MSG(extack, "this user's sets hold too much memory (module limit uid_max_memory)");
		return -EDQUOT;
	}
	return 0;
}

int bcmon_set_charge_check(struct bcmon_set *set, size_t mem,
			   struct netlink_ext_ack *extack)
{
	return bcmon_charge_check(&set->owner, mem, false, extack);
}

/* Series of mem bytes joined or left a registered set; bcmon_sets_lock. */
void bcmon_set_charge(struct bcmon_set *set, size_t mem)
{
	lockdep_assert_held(&bcmon_sets_lock);
	set->mem += mem;
	atomic_long_add(mem, &bcmon_mem_used);
	if (!bcmon_owner_is_kernel(&set->owner))
		bcmon_user_mem += mem;
}

void bcmon_set_uncharge(struct bcmon_set *set, size_t mem)
{
	lockdep_assert_held(&bcmon_sets_lock);
	set->mem -= mem;
	atomic_long_sub(mem, &bcmon_mem_used);
	if (!bcmon_owner_is_kernel(&set->owner))
		bcmon_user_mem -= mem;
}

struct bcmon_set *bcmon_set_create_owned(const char *name,
					 const struct bcmon_metric_def *defs,
					 unsigned int n,
					 const struct bcmon_owner *owner,
					 struct netlink_ext_ack *extack,
					 int *bad_metric)
{
	struct bcmon_set *set;
	unsigned int i, j;
	size_t mem;
	u32 h;
	int err;

	*bad_metric = -1;
	if (!name || !bcmon_name_valid(name)) {
		NL_SET_ERR_MSG(extack, "set name must match [a-z][a-z0-9_]* and be at most 63 bytes");
		return ERR_PTR(-EINVAL);
	}
	/* One namespace per owner class: nobody squats a kernel user's name. */
	if (bcmon_owner_is_kernel(owner) && !bcmon_kernel_name(name)) {
		NL_SET_ERR_MSG(extack, "a kernel-owned set name must start with " BCMON_KERNEL_SET_PREFIX);
		return ERR_PTR(-EINVAL);
	}
	if (!bcmon_owner_is_kernel(owner) && bcmon_kernel_name(name)) {
		NL_SET_ERR_MSG(extack, "set names starting with " BCMON_KERNEL_SET_PREFIX " are reserved for the kernel");
		return ERR_PTR(-EINVAL);
	}
	if (bcmon_reserved_set_name(name)) {
		NL_SET_ERR_MSG(extack, "the first word of this set name is reserved for the exporter's own metrics (module parameter reserved_set_words)");
		return ERR_PTR(-EINVAL);
	}
	/*
	 * A set without metrics is refused rather than supported: it would
	 * export nothing, netlink never allowed one, and a dump must be able
	 * to tell "this set is complete" from "nothing of it fit".
	 */
	if (!n || !defs) {
		NL_SET_ERR_MSG(extack, "a set needs at least one metric");
		return ERR_PTR(-EINVAL);
	}
	if (n > bcmon_limits.max_metrics) {
		NL_SET_ERR_MSG(extack, "too many metrics in one set (module limit max_metrics)");
		return ERR_PTR(-E2BIG);
	}
	for (i = 0; i < n; i++) {
		err = bcmon_def_check(&defs[i], extack);
		if (err) {
			*bad_metric = i;
			return ERR_PTR(err);
		}
		for (j = 0; j < i; j++) {
			if (!strcmp(defs[i].name, defs[j].name)) {
				*bad_metric = i;
				NL_SET_ERR_MSG(extack, "duplicate metric name in set");
				return ERR_PTR(-EINVAL);
			}
		}
	}
	/* Refuse before allocating: a limit is an answer, not an OOM splat. */
	if (atomic_long_read(&bcmon_mem_used) + bcmon_defs_estimate(defs, n) >
	    bcmon_limits.max_memory) {
		NL_SET_ERR_MSG(extack, "memory limit for sets reached (module limit max_memory)");
		return ERR_PTR(-ENOSPC);
	}

	set = bcmon_set_alloc(name, defs, n, owner, &mem);
	if (IS_ERR(set)) {
		NL_SET_ERR_MSG(extack, "out of memory creating set");
		return set;
	}
	set->mem = mem;
	/* Updates find metrics by name: binary search over this index. */
	sort_r(set->by_name, n, sizeof(u16), bcmon_cmp_by_name, NULL, set);

	mutex_lock(&bcmon_sets_lock);
	if (bcmon_set_lookup_rcu(name)) {
		NL_SET_ERR_MSG(extack, "a set with this name already exists");
		err = -EEXIST;
		goto err_unlock;
	}
	err = bcmon_charge_check(owner, mem, true, extack);
	if (err)
		goto err_unlock;
	atomic_long_add(mem, &bcmon_mem_used);
	if (!bcmon_owner_is_kernel(owner)) {
		bcmon_nr_user_sets++;
		bcmon_user_mem += mem;
	}
	set->id = bcmon_next_id++;
	h = bcmon_name_hash(name);
	refcount_inc(&set->ref);	/* the registry's reference */
	set->registered = true;
	hash_add_rcu(bcmon_set_hash, &set->hnode, h);
	list_add_tail_rcu(&set->node, &bcmon_set_list);
	bcmon_nr_sets++;
	/* Listed before counted: a dump that saw the set sees the bump. */
	smp_mb__before_atomic();
	atomic_inc(&bcmon_sets_gen);
	/* Under the lock: a destroy cannot be announced before this create. */
	bcmon_sets_tell(set, BCMON_SET_ADDED);
	mutex_unlock(&bcmon_sets_lock);
	return set;

err_unlock:
	mutex_unlock(&bcmon_sets_lock);
	bcmon_set_free(set);
	return ERR_PTR(err);
}

int bcmon_set_unregister(struct bcmon_set *set)
{
	mutex_lock(&bcmon_sets_lock);
	if (!set->registered) {
		mutex_unlock(&bcmon_sets_lock);
		return -ENOENT;
	}
	set->registered = false;
	/* debugfs: the file goes first, after it no reader can open the set. */
	bcmon_sets_tell(set, BCMON_SET_UNLISTING);
	/* The series' references on the set go with them. */
	bcmon_set_unlink_series(set);
	hash_del_rcu(&set->hnode);
	list_del_rcu(&set->node);
	bcmon_nr_sets--;
	if (!bcmon_owner_is_kernel(&set->owner)) {
		bcmon_nr_user_sets--;
		bcmon_user_mem -= set->mem;
	}
	/* Unlisted before counted (see bcmon_set_create_owned()). */
	smp_mb__before_atomic();
	atomic_inc(&bcmon_sets_gen);
	bcmon_sets_tell(set, BCMON_SET_REMOVED);
	mutex_unlock(&bcmon_sets_lock);

	bcmon_set_put(set);	/* the registry's reference */
	return 0;
}

unsigned int bcmon_sets_count(void)
{
	return READ_ONCE(bcmon_nr_sets);
}

unsigned long bcmon_sets_mem_used(void)
{
	return atomic_long_read(&bcmon_mem_used);
}

unsigned int bcmon_sets_generation(void)
{
	return atomic_read(&bcmon_sets_gen);
}

/* --- values --------------------------------------------------------------- */

bool bcmon_op_valid(const struct bcmon_metric *m, u8 op, s64 value)
{
	switch (op) {
	case BCMON_OP_ADD:
		return m->kind == BCMON_KIND_GAUGE ||
		       (m->kind == BCMON_KIND_COUNTER && value >= 0);
	case BCMON_OP_SET:
		return m->kind == BCMON_KIND_GAUGE;
	case BCMON_OP_OBSERVE:
		return m->kind == BCMON_KIND_HISTOGRAM &&
		       (value >= 0 || !m->native_table || m->native_negative);
	}
	return false;
}

/* Bucket of value: the first bound >= value, else +Inf (index n_bounds). */
u32 bcmon_bucket_of(const struct bcmon_metric *m, s64 value)
{
	u32 lo = 0, hi = m->n_bounds;

	if (value < 0)
		return 0;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if ((u64)value <= m->bounds[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static void bcmon_gauge_store(struct bcmon_set *set, struct bcmon_series *s,
			      s64 value)
{
	unsigned long flags;
	s64 deltas = 0;
	int cpu;

	/*
	 * The value is base + the per-CPU deltas. Setting computes the base
	 * from the deltas seen now: an add that lands before the sum is
	 * overwritten, one that lands after it survives, as if it had come
	 * after the set. Nobody writes into another CPU's slot.
	 *
	 * Interrupts off, not only bottom halves: the kernel API allows a set
	 * from hard interrupt context and with interrupts disabled, where
	 * re-enabling bottom halves WARNs, and a set interrupted on its CPU
	 * by another set of the same set would spin on the held lock.
	 */
	write_seqlock_irqsave(&set->gauge_seq, flags);
	for_each_possible_cpu(cpu)
		deltas += READ_ONCE(*per_cpu_ptr(s->pcpu, cpu));
	WRITE_ONCE(s->gauge_base, value - deltas);
	write_sequnlock_irqrestore(&set->gauge_seq, flags);
}

/*
 * Histogram slots of one CPU: the n_bounds + 1 bucket counts, the sum,
 * then a sequence count that is odd while an observation is half written.
 * An observation changes two slots of its CPU (its bucket and the sum);
 * only that CPU writes them, with interrupts disabled so that its
 * observations never interleave (NMI is not a supported context), and a
 * reader takes each CPU's slots as they were between two of its
 * observations. So every reading describes one set of observations:
 * count == the sum of the buckets, and sum is the sum of exactly those
 * values. (Not one instant across CPUs: observations on other CPUs made
 * while a reading runs may or may not be in it, whole.) Every series of a
 * histogram has its own slots in this layout; the bounds are the metric's.
 */
#define BCMON_HIST_SUM(m)	((m)->n_bounds + 1)
#define BCMON_HIST_SEQ(m)	((m)->n_bounds + 2)

/*
 * A native histogram's share of an observation on this CPU, inside its
 * sequence section: the zero bucket, or a bucket of the sign's window. A
 * window lowers its resolution when the new bucket and those it holds span
 * more than native_max (at most 12 times, each O(native_max), with
 * interrupts off); it always fits by schema -4 from 8 buckets on (the
 * bucket limit's floor), which tests/unit/test_nhist_window.c checks for
 * every u64 magnitude, so nothing is dropped.
 */
static void bcmon_native_add(const struct bcmon_metric *m, u64 *slot,
			     enum nhist_where where, s32 idx)
{
	struct nhist_window *w;

	if (where == NHIST_ZERO) {
		WRITE_ONCE(slot[BCMON_NATIVE_ZERO(m)], slot[BCMON_NATIVE_ZERO(m)] + 1);
		return;
	}
	/* bcmon_op_valid() refused negative values without their window. */
	w = (struct nhist_window *)&slot[where == NHIST_NEGATIVE ?
					 BCMON_NATIVE_NEG(m) : BCMON_NATIVE_POS(m)];
	nhist_window_add(w, idx, m->native_schema, 1);
}

struct bcmon_native_read *bcmon_native_read_alloc(gfp_t gfp)
{
	size_t wsize = nhist_window_size(bcmon_limits.max_native_buckets);
	struct bcmon_native_read *r;
	char *p;

	r = kvmalloc(sizeof(*r) + 4 * wsize, gfp | __GFP_NOWARN);
	if (!r)
		return NULL;
	p = (char *)(r + 1);
	r->pos = (struct nhist_window *)p;
	r->neg = (struct nhist_window *)(p + wsize);
	r->cpu_pos = (struct nhist_window *)(p + 2 * wsize);
	r->cpu_neg = (struct nhist_window *)(p + 3 * wsize);
	return r;
}

void bcmon_native_read_free(struct bcmon_native_read *r)
{
	kvfree(r);
}

static void bcmon_native_read_start(const struct bcmon_metric *m,
				    struct bcmon_native_read *r)
{
	r->zero = 0;
	nhist_window_init(r->pos, m->native_max, m->native_schema);
	nhist_window_init(r->neg, m->native_max, m->native_schema);
}

/* Both signs at the lower of their two resolutions: one schema for all. */
static void bcmon_native_read_finish(struct bcmon_native_read *r)
{
	while (r->pos->schema > r->neg->schema)
		nhist_window_halve(r->pos);
	while (r->neg->schema > r->pos->schema)
		nhist_window_halve(r->neg);
}

/*
 * Merge a CPU's copied windows (cpu_pos, cpu_neg) into the reading: the
 * accumulators keep the highest schema at which every CPU's buckets fit.
 */
static void bcmon_native_read_merge(const struct bcmon_metric *m,
				    struct bcmon_native_read *r, u64 zero)
{
	r->zero += zero;
	nhist_window_merge(r->pos, r->cpu_pos);
	if (m->native_negative)
		nhist_window_merge(r->neg, r->cpu_neg);
}

static void bcmon_histogram_add(const struct bcmon_metric *m,
				struct bcmon_series *s, s64 value)
{
	u32 b = bcmon_bucket_of(m, value);
	enum nhist_where where = NHIST_ZERO;
	unsigned long flags;
	u64 *slot, seq;
	s32 idx = 0;

	/* The native bucket depends on the value only: outside the section. */
	if (m->native_table)
		where = nhist_classify(m->native_table, m->native_reduce,
				       m->native_zero, value, &idx);
	local_irq_save(flags);
	slot = this_cpu_ptr(s->pcpu);
	seq = slot[BCMON_HIST_SEQ(m)];
	WRITE_ONCE(slot[BCMON_HIST_SEQ(m)], seq + 1);
	smp_wmb();		/* odd before the values change */
	WRITE_ONCE(slot[b], slot[b] + 1);
	WRITE_ONCE(slot[BCMON_HIST_SUM(m)], slot[BCMON_HIST_SUM(m)] + value);
	if (m->native_table)
		bcmon_native_add(m, slot, where, idx);
	smp_wmb();		/* the values before even again */
	WRITE_ONCE(slot[BCMON_HIST_SEQ(m)], seq + 2);
	local_irq_restore(flags);
}

/* One CPU's histogram slots as copied by a reader. */
struct bcmon_hist_copy {
	const struct bcmon_metric *m;
	const u64 *slot;
	struct bcmon_native_read *nr;	/* native buckets wanted: into cpu_* */
	u64 sum, count, zero, b_count[BCMON_MAX_BUCKETS_CEILING + 1];
};

static void bcmon_hist_copy_slots(struct bcmon_hist_copy *c)
{
	const struct bcmon_metric *m = c->m;
	const u64 *slot = c->slot;
	u32 b;

	c->count = 0;
	for (b = 0; b <= m->n_bounds; b++) {
		c->b_count[b] = READ_ONCE(slot[b]);
		c->count += c->b_count[b];
	}
	c->sum = READ_ONCE(slot[BCMON_HIST_SUM(m)]);
	if (c->nr) {
		/*
		 * Used only once the sequence shows no observation changed it
		 * meanwhile; the header's n is the metric's and never changes.
		 */
		size_t wbytes = nhist_window_size(m->native_max);

		c->zero = READ_ONCE(slot[BCMON_NATIVE_ZERO(m)]);
		memcpy(c->nr->cpu_pos, &slot[BCMON_NATIVE_POS(m)], wbytes);
		if (m->native_negative)
			memcpy(c->nr->cpu_neg, &slot[BCMON_NATIVE_NEG(m)], wbytes);
	}
}

/*
 * On the CPU that owns the slots, from the IPI (interrupts off): its
 * observations run with interrupts off too, so none is half written.
 */
static void bcmon_hist_copy_local(void *arg)
{
	bcmon_hist_copy_slots(arg);
}

/* Optimistic copies before asking the owning CPU for one. */
#define BCMON_HIST_READ_TRIES	16

/*
 * Add one CPU's buckets and sum, as they were between two observations,
 * to out (buckets into out->buckets when given). A reader racing with
 * that CPU's observations retries; a CPU that keeps observing faster than
 * a copy takes (a native histogram's windows are up to 4 KiB) would starve
 * it, so after BCMON_HIST_READ_TRIES the copy is made on that CPU by an
 * IPI. Process context (the IPI needs interrupts enabled here).
 */
static void bcmon_histogram_read_cpu(const struct bcmon_metric *m,
				     const struct bcmon_series *s, int cpu,
				     struct bcmon_metric_value *out)
{
	struct bcmon_hist_copy c = {
		.m = m,
		.slot = per_cpu_ptr(s->pcpu, cpu),
		.nr = m->native_table ? out->native : NULL,
	};
	unsigned int tries = 0;
	u64 seq;
	u32 b;

	for (;; tries++) {
		/* An offline CPU observes nothing: the loop ends there. */
		if (tries >= BCMON_HIST_READ_TRIES &&
		    !smp_call_function_single(cpu, bcmon_hist_copy_local, &c, 1))
			break;
		seq = READ_ONCE(c.slot[BCMON_HIST_SEQ(m)]);
		if (seq & 1) {
			cpu_relax();
			continue;
		}
		smp_rmb();	/* the values after an even sequence */
		bcmon_hist_copy_slots(&c);
		smp_rmb();	/* the values before the sequence again */
		if (READ_ONCE(c.slot[BCMON_HIST_SEQ(m)]) == seq)
			break;
	}
	if (c.nr)
		bcmon_native_read_merge(m, c.nr, c.zero);
	out->count += c.count;
	out->sum += (s64)c.sum;
	if (out->buckets)
		for (b = 0; b <= m->n_bounds; b++)
			out->buckets[b] += c.b_count[b];
}

void bcmon_series_apply(struct bcmon_set *set, const struct bcmon_metric *m,
			struct bcmon_series *s, u8 op, s64 value)
{
	switch (op) {
	case BCMON_OP_ADD:
		this_cpu_add(*s->pcpu, (u64)value);
		break;
	case BCMON_OP_SET:
		bcmon_gauge_store(set, s, value);
		break;
	case BCMON_OP_OBSERVE:
		bcmon_histogram_add(m, s, value);
		break;
	}
}

void bcmon_metric_apply(struct bcmon_set *set, unsigned int i, u8 op,
			s64 value)
{
	struct bcmon_metric *m = &set->metrics[i];

	bcmon_series_apply(set, m, m->series0, op, value);
}

/*
 * Every possible CPU's slot. A plain loop with cpu_possible(), not
 * for_each_possible_cpu(): that one calls find_next_bit() per CPU, for
 * every metric of every read (a dump of 10,000 counters).
 */
static u64 bcmon_slot_sum(const struct bcmon_series *s)
{
	unsigned int cpu;
	u64 sum = 0;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpu_possible(cpu))
			sum += READ_ONCE(*per_cpu_ptr(s->pcpu, cpu));
	return sum;
}

void bcmon_series_read(struct bcmon_set *set, const struct bcmon_metric *m,
		       const struct bcmon_series *s,
		       struct bcmon_metric_value *out)
{
	unsigned int seq;
	int cpu;

	switch (m->kind) {
	case BCMON_KIND_COUNTER:
		out->value = bcmon_slot_sum(s);
		break;
	case BCMON_KIND_GAUGE:
		do {
			seq = read_seqbegin(&set->gauge_seq);
			out->value = READ_ONCE(s->gauge_base) +
				     (s64)bcmon_slot_sum(s);
		} while (read_seqretry(&set->gauge_seq, seq));
		break;
	case BCMON_KIND_HISTOGRAM:
		out->count = 0;
		out->sum = 0;
		if (out->buckets)
			memset(out->buckets, 0,
			       (m->n_bounds + 1) * sizeof(*out->buckets));
		if (m->native_table && out->native)
			bcmon_native_read_start(m, out->native);
		for_each_possible_cpu(cpu)
			bcmon_histogram_read_cpu(m, s, cpu, out);
		if (m->native_table && out->native)
			bcmon_native_read_finish(out->native);
		break;
	}
}

void bcmon_metric_read(struct bcmon_set *set, unsigned int i,
		       struct bcmon_metric_value *out)
{
	const struct bcmon_metric *m = &set->metrics[i];

	bcmon_series_read(set, m, m->series0, out);
}

/* --- kernel API ------------------------------------------------------------- */

struct bcmon_set *bcmon_set_create(const char *name,
				   const struct bcmon_metric_def *defs,
				   unsigned int n)
{
	static const struct bcmon_owner kernel = { .origin = BCMON_ORIGIN_KERNEL };
	struct netlink_ext_ack extack = {};
	struct bcmon_set *set;
	int bad;

	set = bcmon_set_create_owned(name, defs, n, &kernel, &extack, &bad);
	if (IS_ERR(set) && extack._msg)
		pr_debug("set %s not created: %s\n", name, extack._msg);
	return set;
}
EXPORT_SYMBOL_GPL(bcmon_set_create);

void bcmon_set_destroy(struct bcmon_set *set)
{
	if (IS_ERR_OR_NULL(set))
		return;
	bcmon_set_unregister(set);
	bcmon_set_put(set);	/* the creator's reference */
}
EXPORT_SYMBOL_GPL(bcmon_set_destroy);

static int bcmon_api_record(struct bcmon_set *set, unsigned int metric,
			    u8 op, s64 value)
{
	if (unlikely(metric >= set->n_metrics ||
		     set->metrics[metric].n_labels ||
		     !bcmon_op_valid(&set->metrics[metric], op, value)))
		return -EINVAL;
	bcmon_metric_apply(set, metric, op, value);
	return 0;
}

int bcmon_counter_add(struct bcmon_set *set, unsigned int metric, u64 delta)
{
	if (unlikely(metric >= set->n_metrics ||
		     set->metrics[metric].kind != BCMON_KIND_COUNTER ||
		     set->metrics[metric].n_labels))
		return -EINVAL;
	this_cpu_add(*set->metrics[metric].pcpu, delta);
	return 0;
}
EXPORT_SYMBOL_GPL(bcmon_counter_add);

u64 __percpu *bcmon_counter_handle(struct bcmon_set *set, unsigned int metric)
{
	if (metric >= set->n_metrics ||
	    set->metrics[metric].kind != BCMON_KIND_COUNTER ||
	    set->metrics[metric].n_labels)
		return NULL;
	return set->metrics[metric].pcpu;
}
EXPORT_SYMBOL_GPL(bcmon_counter_handle);

int bcmon_gauge_add(struct bcmon_set *set, unsigned int metric, s64 delta)
{
	return bcmon_api_record(set, metric, BCMON_OP_ADD, delta);
}
EXPORT_SYMBOL_GPL(bcmon_gauge_add);

int bcmon_gauge_set(struct bcmon_set *set, unsigned int metric, s64 value)
{
	return bcmon_api_record(set, metric, BCMON_OP_SET, value);
}
EXPORT_SYMBOL_GPL(bcmon_gauge_set);

int bcmon_histogram_observe(struct bcmon_set *set, unsigned int metric,
			    s64 value)
{
	return bcmon_api_record(set, metric, BCMON_OP_OBSERVE, value);
}
EXPORT_SYMBOL_GPL(bcmon_histogram_observe);

/* --- kernel API: series of labeled metrics ------------------------------------ */

int bcmon_series_key_of(struct bcmon_set *set, unsigned int metric,
			const char *const *values, unsigned int n, char *key,
			u16 *len, struct netlink_ext_ack *extack)
{
	unsigned int i;
	int err;

	*len = 0;
	if (metric >= set->n_metrics || !set->metrics[metric].n_labels) {
		NL_SET_ERR_MSG(extack, "not a labeled metric");
		return -EINVAL;
	}
	if (n != set->metrics[metric].n_labels || !values) {
		NL_SET_ERR_MSG(extack, "one value per label name needed");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		err = values[i] ? bcmon_label_value_check(values[i], extack) : -EINVAL;
		if (err) {
			bcmon_series_refused(set, metric, BCMON_REFUSED_LABEL_VALUE);
			return err;
		}
		bcmon_series_key_add(key, len, values[i]);
	}
	return 0;
}

struct bcmon_series *bcmon_series_get(struct bcmon_set *set,
				      unsigned int metric,
				      const char *const *values,
				      unsigned int n)
{
	struct netlink_ext_ack extack = {};
	char key[BCMON_SERIES_KEY_MAX];
	struct bcmon_series_req req = { .metric = metric, .key = key };
	int err, bad;

	might_sleep();
	err = bcmon_series_key_of(set, metric, values, n, key, &req.key_len,
				  &extack);
	if (!err)
		err = bcmon_series_resolve(set, &req, 1, &extack, &bad);
	if (err) {
		if (extack._msg)
			pr_debug("set %s metric %u: no series: %s\n", set->name,
				 metric, extack._msg);
		return ERR_PTR(err);
	}
	return req.series;
}
EXPORT_SYMBOL_GPL(bcmon_series_get);

int bcmon_series_delete(struct bcmon_set *set, unsigned int metric,
			const char *const *values, unsigned int n)
{
	struct netlink_ext_ack extack = {};
	char key[BCMON_SERIES_KEY_MAX];
	u16 len;
	int err;

	might_sleep();
	err = bcmon_series_key_of(set, metric, values, n, key, &len, &extack);
	return err ?: bcmon_series_delete_key(set, metric, key, len);
}
EXPORT_SYMBOL_GPL(bcmon_series_delete);

static const struct bcmon_metric *bcmon_series_metric(const struct bcmon_series *s)
{
	return &s->set->metrics[s->metric];
}

u64 __percpu *bcmon_series_counter_handle(struct bcmon_series *s)
{
	if (bcmon_series_metric(s)->kind != BCMON_KIND_COUNTER)
		return NULL;
	return s->pcpu;
}
EXPORT_SYMBOL_GPL(bcmon_series_counter_handle);

static int bcmon_series_record(struct bcmon_series *s, u8 op, s64 value)
{
	const struct bcmon_metric *m = bcmon_series_metric(s);

	if (unlikely(!bcmon_op_valid(m, op, value)))
		return -EINVAL;
	bcmon_series_apply(s->set, m, s, op, value);
	return 0;
}

int bcmon_series_add(struct bcmon_series *s, s64 delta)
{
	return bcmon_series_record(s, BCMON_OP_ADD, delta);
}
EXPORT_SYMBOL_GPL(bcmon_series_add);

int bcmon_series_gauge_set(struct bcmon_series *s, s64 value)
{
	return bcmon_series_record(s, BCMON_OP_SET, value);
}
EXPORT_SYMBOL_GPL(bcmon_series_gauge_set);

int bcmon_series_observe(struct bcmon_series *s, s64 value)
{
	return bcmon_series_record(s, BCMON_OP_OBSERVE, value);
}
EXPORT_SYMBOL_GPL(bcmon_series_observe);

/* --- init/exit -------------------------------------------------------------- */

int bcmon_sets_init(void)
{
	return bcmon_series_init();
}

/*
 * Every remaining set was created through netlink (a kernel user holds a
 * module reference on bcmon until it is gone). The debugfs tree and the
 * netlink family are already unregistered, so nobody can reach them.
 */
void bcmon_sets_exit(void)
{
	struct bcmon_set *set, *tmp;

	mutex_lock(&bcmon_sets_lock);
	list_for_each_entry_safe(set, tmp, &bcmon_set_list, node) {
		set->registered = false;
		bcmon_set_unlink_series(set);
		hash_del_rcu(&set->hnode);
		list_del_rcu(&set->node);
		bcmon_nr_sets--;
		if (!bcmon_owner_is_kernel(&set->owner)) {
			bcmon_nr_user_sets--;
			bcmon_user_mem -= set->mem;
		}
		bcmon_set_put(set);
	}
	mutex_unlock(&bcmon_sets_lock);
	/*
	 * Every series' free (an RCU callback) drops its set reference, which
	 * may queue the set's own free: the second barrier waits for those.
	 */
	rcu_barrier();
	rcu_barrier();	/* every bcmon_set_free_rcu() has run */
	bcmon_series_exit();
}
