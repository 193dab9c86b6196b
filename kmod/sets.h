/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counter sets inside bcmon.ko: the registry and per-CPU storage shared by
 * sets.c, the netlink handlers and debugfs.
 */
#ifndef _BCMON_SETS_H
#define _BCMON_SETS_H

#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/xarray.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>

#include "bcmon_api.h"
#include "nhist_window.h"

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
	/* Labeled metrics (Documentation/labels.md). */
	unsigned int max_labels;		/* label names per metric */
	unsigned int max_series;		/* series per labeled metric */
	unsigned int max_label_value_len;	/* bytes, without the NUL */
	unsigned int label_charset;		/* enum bcmon_label_charset */
	/* Native histograms (Documentation/native-histograms.md). */
	unsigned int max_native_buckets;	/* per sign and CPU */
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

/*
 * Hard ceilings for the limit parameters. A dump message must hold a set's
 * header, one metric and one of its series at the limits: nl_sets.c asks
 * netlink for dump buffers that large (bcmon_dump_min_alloc()).
 */
#define BCMON_MAX_BUCKETS_CEILING	64
#define BCMON_MAX_METRICS_CEILING	1024
#define BCMON_MAX_SERIES_CEILING	1000000
#define BCMON_MAX_NATIVE_BUCKETS_CEILING 256
/* A series' key: its label values, each with its NUL, in label order. */
#define BCMON_SERIES_KEY_MAX		(BCMON_LABELS_MAX * BCMON_LABEL_VALUE_MAX)
/* What one series is charged for its hash and xarray entries (estimate). */
#define BCMON_SERIES_INDEX_BYTES	64

struct bcmon_set;

/*
 * A histogram series' most recent exemplar of each bucket (exemplars.c):
 * the trace one observation belonged to. Allocated on the series' first
 * exemplar, so that series which never get one pay nothing, and charged to
 * the set's memory like the series.
 */
struct bcmon_exemplar {
	u64 time_ns;			/* CLOCK_REALTIME; 0: none yet */
	s64 value;
	u8 trace_id[BCMON_TRACE_ID_LEN];
	u8 span_id[BCMON_SPAN_ID_LEN];
};

struct bcmon_exemplars {
	spinlock_t lock;		/* the slots; never held across a sleep */
	u32 n;				/* the metric's n_bounds + 1 */
	struct bcmon_exemplar slot[];
};

/*
 * One series: the values of one tuple of label values of a metric (or the
 * only series of an unlabeled metric, which belongs to the metric). Its
 * per-CPU slots are laid out as its metric's kind says
 * (bcmon_metric_slots()); later kinds (native histograms) add what they
 * need here.
 */
struct bcmon_series {
	struct rhash_head node;		/* bcmon_series_ht (labeled only) */
	refcount_t ref;			/* index + each holder */
	bool linked;			/* in the index; under bcmon_sets_lock */
	u16 metric;			/* index of its metric in the set */
	u16 key_len;
	unsigned long id;		/* in its metric's xarray; never reused */
	u64 set_id;
	struct bcmon_set *set;		/* a reference; NULL: unlabeled */
	u64 __percpu *pcpu;		/* value slots */
	s64 gauge_base;			/* gauge only, under set->gauge_seq */
	size_t mem;			/* bytes charged */
	/* NULL until the first exemplar; set once, under bcmon_sets_lock. */
	struct bcmon_exemplars *exemplars;
	bool exemplars_claimed;		/* being given slots; bcmon_sets_lock */
	struct rcu_head rcu;
	char key[];			/* label values, NUL-terminated, in order */
};

struct bcmon_metric {
	char name[BCMON_NAME_MAX];
	char unit[BCMON_UNIT_MAX];
	char *help;			/* NULL when none */
	u64 *bounds;			/* histogram only, shared by its series */
	s32 scale;
	u32 n_bounds;
	/*
	 * A native histogram (native_table set): the thresholds of its
	 * (schema, scale), schema max(0, native_schema) lowered by
	 * native_reduce; its zero threshold, window size and sign.
	 */
	const struct nhist_table *native_table;
	u64 native_zero;
	s32 native_schema;
	u32 native_max;
	u8 native_reduce;
	bool native_negative;
	u8 kind;
	u8 n_labels;			/* 0: an unlabeled metric */
	/* Unlabeled: its only series, and that series' slots (fast paths). */
	struct bcmon_series *series0;
	u64 __percpu *pcpu;
	/* Labeled: names, series by id, counts (under bcmon_sets_lock). */
	char (*label_names)[BCMON_NAME_MAX];
	struct xarray series;
	unsigned long next_series_id;
	u32 n_series;			/* written under the lock, read anywhere */
	atomic64_t refused[__BCMON_REFUSED_MAX];
};

/*
 * Per-CPU slots of a series (one allocation per series keeps each far below
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
	bool has_native;		/* a metric has native buckets */
	seqlock_t gauge_seq;		/* gauge sets vs. gauge reads */
	struct dentry *debugfs;
	struct rcu_head rcu;
	u16 *by_name;			/* metric indices sorted by name */
	char name[BCMON_NAME_MAX];
	struct bcmon_metric metrics[];
};

/*
 * A reader's buffers for the native buckets of one reading, for any native
 * histogram of the module (windows of max_native_buckets): the merged
 * buckets of every CPU and the copy of one CPU's. After a reading, zero,
 * pos and neg hold the histogram's native buckets, both windows at the
 * same schema (pos->schema).
 */
struct bcmon_native_read {
	u64 zero;
	struct nhist_window *pos, *neg;		/* merged */
	struct nhist_window *cpu_pos, *cpu_neg;	/* one CPU's copy */
};

/*
 * Process context (kvmalloc: a few KiB, no high-order page needed); NULL
 * without memory. Free with bcmon_native_read_free() (NULL is fine).
 */
struct bcmon_native_read *bcmon_native_read_alloc(gfp_t gfp);
void bcmon_native_read_free(struct bcmon_native_read *r);

/*
 * One metric's value, summed over all possible CPUs. A histogram's count,
 * sum and buckets (classic and native) come from one reading: count is the
 * sum of the buckets, of the native ones as of the classic ones, and sum
 * the sum of the values of exactly the observations counted.
 */
struct bcmon_metric_value {
	s64 value;			/* counter (as u64) or gauge */
	u64 count;			/* histogram */
	s64 sum;			/* histogram */
	u64 *buckets;			/* histogram, n_bounds + 1, caller's buffer or NULL */
	/* native histogram: its buckets, into the caller's buffers, or NULL */
	struct bcmon_native_read *native;
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

/* The same for one series of m (m's only one, or a labeled one). */
void bcmon_series_apply(struct bcmon_set *set, const struct bcmon_metric *m,
			struct bcmon_series *s, u8 op, s64 value);
void bcmon_series_read(struct bcmon_set *set, const struct bcmon_metric *m,
		       const struct bcmon_series *s,
		       struct bcmon_metric_value *out);

/* Per-CPU u64 slots of each series of m. */
u32 bcmon_metric_slots(const struct bcmon_metric *m);
/* Lay out a new series' slots (native windows) before its first use. */
void bcmon_series_slots_init(const struct bcmon_metric *m,
			     struct bcmon_series *s);
/* The bucket of a histogram value: 0..n_bounds (the last is +Inf). */
u32 bcmon_bucket_of(const struct bcmon_metric *m, s64 value);

/* --- exemplars of histogram series (exemplars.c) --- */

/* A series (of a histogram of the set) that is to keep an exemplar. */
struct bcmon_exemplars_req {
	struct bcmon_series *series;
	struct bcmon_exemplars *slots;	/* internal */
};
/*
 * Give every series of reqs that has none its exemplar slots, charged to
 * set, all or none: 0, or -ENOMEM / the quota's -ENOSPC or -EDQUOT with a
 * message (counted as a memory_quota refusal of a labeled metric), *bad
 * the req to blame. A series deleted or a set destroyed meanwhile gets
 * none (0: what it is sent goes with it). Process context.
 */
int bcmon_exemplars_prepare(struct bcmon_set *set,
			    struct bcmon_exemplars_req *reqs, unsigned int n,
			    struct netlink_ext_ack *extack, int *bad);
/*
 * Keep an observation's exemplar, recorded at time_ns (CLOCK_REALTIME), in
 * the slots prepared for s (none: the series went away, nothing kept).
 * Any context but NMI.
 */
void bcmon_exemplar_store(const struct bcmon_metric *m, struct bcmon_series *s,
			  s64 value, const u8 *trace_id, const u8 *span_id,
			  u64 time_ns);
/* Copy bucket b's exemplar of s; false when it has none. Any context. */
bool bcmon_exemplar_read(const struct bcmon_series *s, u32 b,
			 struct bcmon_exemplar *out);
void bcmon_exemplars_free(struct bcmon_series *s);

/* Memory of a registered set's series (under bcmon_sets_lock). */
int bcmon_set_charge_check(struct bcmon_set *set, size_t mem,
			   struct netlink_ext_ack *extack);
void bcmon_set_charge(struct bcmon_set *set, size_t mem);
void bcmon_set_uncharge(struct bcmon_set *set, size_t mem);

/* --- series of labeled metrics (series.c) --- */
int bcmon_series_init(void);
void bcmon_series_exit(void);

/* 0, or -EINVAL (empty, charset) / -E2BIG (length) with a message. */
int bcmon_label_value_check(const char *value, struct netlink_ext_ack *extack);
/* Append a checked value to a key of *len bytes (room: BCMON_SERIES_KEY_MAX). */
void bcmon_series_key_add(char *key, u16 *len, const char *value);
/*
 * The key of values (one per label name, in order) of labeled metric;
 * counts a value refused for its length or charset. 0 or -EINVAL/-E2BIG.
 */
int bcmon_series_key_of(struct bcmon_set *set, unsigned int metric,
			const char *const *values, unsigned int n, char *key,
			u16 *len, struct netlink_ext_ack *extack);

/* Under rcu_read_lock(): the linked series with this key, or NULL. */
struct bcmon_series *bcmon_series_lookup_rcu(struct bcmon_set *set,
					     unsigned int metric,
					     const char *key, u16 len);
/* Under rcu_read_lock(): the first series of m with id >= *id; sets *id. */
struct bcmon_series *bcmon_series_next_rcu(struct bcmon_metric *m,
					   unsigned long *id);

/* One series a request needs: found, or created with the others. */
struct bcmon_series_req {
	u16 metric;
	u16 key_len;
	const char *key;
	struct bcmon_series *series;	/* out: with a reference */
	bool fresh;			/* internal */
};
/*
 * Find or create the series of every req, all or nothing: no series is
 * created unless every one fits the bounds (max_series, the memory
 * quotas; refusals counted in the metric). Process context. On error
 * *bad is the req to blame (or -1) and no req holds a series.
 */
int bcmon_series_resolve(struct bcmon_set *set, struct bcmon_series_req *reqs,
			 unsigned int n, struct netlink_ext_ack *extack,
			 int *bad);
void bcmon_series_reqs_put(struct bcmon_series_req *reqs, unsigned int n);
/* Delete the series with this key: 0 or -ENOENT. Process context. */
int bcmon_series_delete_key(struct bcmon_set *set, unsigned int metric,
			    const char *key, u16 len);
void bcmon_series_refused(struct bcmon_set *set, unsigned int metric,
			  enum bcmon_refusal why);

struct bcmon_series *bcmon_series_alloc(struct bcmon_set *set,
					const struct bcmon_metric *m,
					unsigned int metric, const char *key,
					u16 len);
void bcmon_series_free_now(struct bcmon_series *s);
/* At unregister (bcmon_sets_lock): unlink every series of set. */
void bcmon_set_unlink_series(struct bcmon_set *set);

/* Registry state for status and dump consistency. */
unsigned int bcmon_sets_count(void);
unsigned long bcmon_sets_mem_used(void);
unsigned int bcmon_sets_generation(void);

/*
 * What presentation (debugfs files, netlink events) needs to follow the
 * registry, called under bcmon_sets_lock in the order the observers
 * registered, so that announcements go out in registry order: set_added
 * once a set is listed, set_unlisting just before it is taken out (its
 * readers can still find it), set_removed once it is out. The core knows
 * nothing else of who watches. Register at module init, before any set
 * exists (BCMON_SETS_OBSERVERS at most); never unregistered.
 */
struct bcmon_sets_observer {
	void (*set_added)(struct bcmon_set *set);
	void (*set_unlisting)(struct bcmon_set *set);
	void (*set_removed)(struct bcmon_set *set);
};
#define BCMON_SETS_OBSERVERS	4
int bcmon_sets_observe(const struct bcmon_sets_observer *o);

#endif /* _BCMON_SETS_H */
