/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counter sets inside bcmon.ko: the registry and per-CPU storage shared by
 * sets.c, the netlink handlers and debugfs.
 */
#ifndef _BCMON_SETS_H
#define _BCMON_SETS_H

#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>

#include "bcmon_api.h"

struct dentry;
struct netlink_ext_ack;
struct nlattr;

/* Module limits (module parameters, see main.c). */
struct bcmon_limits {
	unsigned int max_sets;
	unsigned int max_metrics;	/* per set */
	unsigned int max_buckets;	/* bounds per histogram */
	unsigned long max_memory;	/* bytes held by all sets */
	/* Quotas of each uid; the reserves are for kernel-owned sets only. */
	unsigned int uid_max_sets;
	unsigned long uid_max_memory;
	unsigned int kernel_reserved_sets;
	unsigned long kernel_reserved_memory;
};

/*
 * Who owns a set: the kernel (an owner no uid can match: kernel API users,
 * whose set names carry BCMON_KERNEL_SET_PREFIX) or a uid.
 */
struct bcmon_owner {
	u8 origin;			/* BCMON_ORIGIN_KERNEL or _USER */
	kuid_t uid;			/* BCMON_ORIGIN_USER only */
};

static inline bool bcmon_owner_is_kernel(const struct bcmon_owner *o)
{
	return o->origin == BCMON_ORIGIN_KERNEL;
}
extern struct bcmon_limits bcmon_limits;

/*
 * Module parameter: comma-separated first words of set names that belong
 * to the exporter's own families (BCMON_EXPORTER_RESERVED_WORDS).
 */
extern char *bcmon_reserved_set_words;
/* Is words a valid list for reserved_set_words? (module init) */
bool bcmon_reserved_words_valid(const char *words);

/* Serialises registry changes (create, unregister, debugfs teardown). */
extern struct mutex bcmon_sets_lock;

/* Hard ceilings for the limit parameters: a dump message must hold one metric. */
#define BCMON_MAX_BUCKETS_CEILING	64
#define BCMON_MAX_METRICS_CEILING	1024

struct bcmon_metric {
	char name[BCMON_NAME_MAX];
	char unit[BCMON_UNIT_MAX];
	char *help;			/* NULL when none */
	u64 *bounds;			/* histogram only */
	s64 gauge_base;			/* gauge only, under set->gauge_seq */
	s32 scale;
	u32 n_bounds;
	u64 __percpu *pcpu;		/* this metric's per-CPU slots */
	u8 kind;
};

/*
 * Per-CPU slots of a metric (one allocation per metric keeps each far below
 * the per-CPU allocator's unit size): counter and gauge one (a gauge's slot
 * holds the sum of its deltas, its value is gauge_base + that sum); a
 * histogram n_bounds + 1 bucket counts (the last is +Inf), then the sum,
 * then a sequence count that makes each CPU's buckets and sum one reading
 * (sets.c, bcmon_histogram_add()).
 */
struct bcmon_set {
	struct hlist_node hnode;	/* bcmon_set_hash, by name */
	struct list_head node;		/* bcmon_set_list, by id */
	u64 id;				/* creation order, never reused */
	refcount_t ref;			/* registry + each holder */
	bool registered;		/* under bcmon_sets_lock */
	struct bcmon_owner owner;
	size_t mem;			/* bytes charged to the memory limit */
	u32 n_metrics;
	seqlock_t gauge_seq;		/* gauge sets vs. gauge reads */
	struct dentry *debugfs;
	struct rcu_head rcu;
	u16 *by_name;			/* metric indices sorted by name */
	char name[BCMON_NAME_MAX];
	struct bcmon_metric metrics[];
};

/*
 * One metric's value, summed over all possible CPUs. A histogram's count,
 * sum and buckets come from one reading: count is the sum of the buckets
 * and sum the sum of the values of exactly the observations counted.
 */
struct bcmon_metric_value {
	s64 value;			/* counter (as u64) or gauge */
	u64 count;			/* histogram */
	s64 sum;			/* histogram */
	u64 *buckets;			/* histogram, n_bounds + 1, caller's buffer or NULL */
};

int bcmon_sets_init(void);
void bcmon_sets_exit(void);

/* Validation shared with netlink; extack may be NULL. */
bool bcmon_name_valid(const char *name);

/*
 * Create from definitions on behalf of owner; errors carry an extack text.
 * Names with BCMON_KERNEL_SET_PREFIX are the kernel's and only its; the
 * quotas of a user owner and the kernel's reserve apply.
 */
struct bcmon_set *bcmon_set_create_owned(const char *name,
					 const struct bcmon_metric_def *defs,
					 unsigned int n,
					 const struct bcmon_owner *owner,
					 struct netlink_ext_ack *extack,
					 int *bad_metric);

/* Find a registered set by name; takes a reference. NULL when none. */
struct bcmon_set *bcmon_set_get(const char *name);
void bcmon_set_put(struct bcmon_set *set);

/*
 * Unregister set (no-op if already gone). Returns 0 or -ENOENT when it
 * was not registered any more. Does not drop the caller's reference.
 */
int bcmon_set_unregister(struct bcmon_set *set);

/* Lookup by name under rcu_read_lock() or bcmon_sets_lock, no reference. */
struct bcmon_set *bcmon_set_lookup_rcu(const char *name);

/* First registered set with id >= *id under rcu_read_lock(); sets *id. */
struct bcmon_set *bcmon_set_next_rcu(u64 *id);

/* Index of the metric called name, or -1. */
int bcmon_metric_find(const struct bcmon_set *set, const char *name);

/* Apply one update; the kind/op check must have been done (bcmon_op_valid). */
bool bcmon_op_valid(const struct bcmon_metric *m, u8 op, s64 value);
void bcmon_metric_apply(struct bcmon_set *set, unsigned int i, u8 op,
			s64 value);

void bcmon_metric_read(struct bcmon_set *set, unsigned int i,
		       struct bcmon_metric_value *out);

/* One per-CPU slot of a metric summed over all possible CPUs. */
u64 bcmon_metric_slot_sum(const struct bcmon_metric *m, u32 slot);

/* Registry state for status and dump consistency. */
unsigned int bcmon_sets_count(void);
unsigned long bcmon_sets_mem_used(void);
unsigned int bcmon_sets_generation(void);

/*
 * Called by sets.c under bcmon_sets_lock when a set appears or disappears
 * (netlink.c, debugfs.c): announcements go out in registry order.
 */
void bcmon_nl_notify_set(u8 event_type, const char *name);
void bcmon_debugfs_set_added(struct bcmon_set *set);
void bcmon_debugfs_set_removed(struct bcmon_set *set);
void bcmon_debugfs_sets_init(struct dentry *root);
void bcmon_debugfs_sets_exit(void);

#endif /* _BCMON_SETS_H */
