// SPDX-License-Identifier: GPL-2.0
/*
 * Series of labeled metrics (Documentation/labels.md): one per tuple of
 * label values, created by the first update that names it, deleted
 * explicitly.
 *
 * - Lookup: one module-wide rhashtable from (set id, metric, values) to the
 *   series, read under RCU without a lock. Its hash is jhash with the
 *   table's random seed, so tuples cannot be chosen to collide.
 * - Order: each labeled metric keeps an xarray from series id to series;
 *   ids come from a per-metric counter and are never reused, so a dump or
 *   debugfs reader resumes at "the first id >= n" whatever was created or
 *   deleted meanwhile.
 * - Changes (create, delete, unlink at set destruction) happen under
 *   bcmon_sets_lock, which also guards the memory charge: a series counts
 *   against the set owner's quota like the set itself.
 * - Lifetime: the index holds one reference on each linked series, every
 *   other holder (a netlink request, a kernel API user) its own; each
 *   series holds a reference on its set. The memory is freed an RCU grace
 *   period after the last reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/jhash.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "bcmon_internal.h"
#include "sets.h"

static struct rhashtable bcmon_series_ht;

/* What identifies a series in a lookup: the same fields as in the series. */
struct bcmon_series_key {
	u64 set_id;
	u16 metric;
	u16 len;
	const char *values;
};

static u32 bcmon_series_hash(u64 set_id, u16 metric, const char *values,
			     u16 len, u32 seed)
{
	return jhash(values, len, jhash_3words((u32)set_id,
					       (u32)(set_id >> 32), metric,
					       seed));
}

static u32 bcmon_series_key_hashfn(const void *data, u32 len, u32 seed)
{
	const struct bcmon_series_key *k = data;

	return bcmon_series_hash(k->set_id, k->metric, k->values, k->len, seed);
}

static u32 bcmon_series_obj_hashfn(const void *data, u32 len, u32 seed)
{
	const struct bcmon_series *s = data;

	return bcmon_series_hash(s->set_id, s->metric, s->key, s->key_len, seed);
}

static int bcmon_series_obj_cmpfn(struct rhashtable_compare_arg *arg,
				  const void *obj)
{
	const struct bcmon_series_key *k = arg->key;
	const struct bcmon_series *s = obj;

	return !(s->set_id == k->set_id && s->metric == k->metric &&
		 s->key_len == k->len && !memcmp(s->key, k->values, k->len));
}

static const struct rhashtable_params bcmon_series_params = {
	.head_offset		= offsetof(struct bcmon_series, node),
	.hashfn			= bcmon_series_key_hashfn,
	.obj_hashfn		= bcmon_series_obj_hashfn,
	.obj_cmpfn		= bcmon_series_obj_cmpfn,
	.automatic_shrinking	= true,
};

/* --- label values ------------------------------------------------------- */

static bool bcmon_label_char_ok(char c)
{
	if (bcmon_limits.label_charset == BCMON_LABEL_CHARSET_PRINTABLE)
		return c >= 0x20 && c <= 0x7e;
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("_.:@/+-", c);
}

int bcmon_label_value_check(const char *value, struct netlink_ext_ack *extack)
{
	size_t len = strnlen(value, BCMON_LABEL_VALUE_MAX), i;

	if (!len) {
		NL_SET_ERR_MSG(extack, "a label value must not be empty (Prometheus reads an empty label as no label)");
		return -EINVAL;
	}
	if (len > bcmon_limits.max_label_value_len) {
		NL_SET_ERR_MSG(extack, "label value too long (module limit max_label_value_len)");
		return -E2BIG;
	}
	for (i = 0; i < len; i++) {
		if (!bcmon_label_char_ok(value[i])) {
			if (bcmon_limits.label_charset == BCMON_LABEL_CHARSET_PRINTABLE)
				NL_SET_ERR_MSG(extack, "label value has a character outside printable ASCII (module parameter label_charset)");
			else
				NL_SET_ERR_MSG(extack, "label value has a character outside A-Z a-z 0-9 _ . : @ / + - (module parameter label_charset)");
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Append value (checked) to the key being built in buf (room for
 * BCMON_SERIES_KEY_MAX bytes, *len used): values are NUL-terminated and
 * concatenated in the metric's label order.
 */
void bcmon_series_key_add(char *buf, u16 *len, const char *value)
{
	size_t n = strlen(value) + 1;

	memcpy(buf + *len, value, n);
	*len += n;
}

/* --- lookup ------------------------------------------------------------------ */

struct bcmon_series *bcmon_series_lookup_rcu(struct bcmon_set *set,
					     unsigned int metric,
					     const char *key, u16 len)
{
	struct bcmon_series_key k = {
		.set_id = set->id, .metric = metric, .len = len, .values = key,
	};

	return rhashtable_lookup(&bcmon_series_ht, &k, bcmon_series_params);
}

/*
 * Under bcmon_sets_lock: the linked series with this key (nothing can
 * unlink it while the lock is held, so no reference is needed).
 */
static struct bcmon_series *bcmon_series_lookup_locked(struct bcmon_set *set,
						       unsigned int metric,
						       const char *key, u16 len)
{
	struct bcmon_series *s;

	lockdep_assert_held(&bcmon_sets_lock);
	rcu_read_lock();
	s = bcmon_series_lookup_rcu(set, metric, key, len);
	rcu_read_unlock();
	return s && s->linked ? s : NULL;
}

/* The linked series with this key, with a reference; NULL when none. */
static struct bcmon_series *bcmon_series_find_get(struct bcmon_set *set,
						  unsigned int metric,
						  const char *key, u16 len)
{
	struct bcmon_series *s;

	rcu_read_lock();
	s = bcmon_series_lookup_rcu(set, metric, key, len);
	if (s && !refcount_inc_not_zero(&s->ref))
		s = NULL;
	rcu_read_unlock();
	return s;
}

struct bcmon_series *bcmon_series_next_rcu(struct bcmon_metric *m,
					   unsigned long *id)
{
	return xa_find(&m->series, id, ULONG_MAX, XA_PRESENT);
}

/* --- lifetime ------------------------------------------------------------------ */

static void bcmon_series_free_rcu(struct rcu_head *head)
{
	struct bcmon_series *s = container_of(head, struct bcmon_series, rcu);

	free_percpu(s->pcpu);	/* safe in atomic context */
	bcmon_exemplars_free(s);
	if (s->set)
		bcmon_set_put(s->set);
	kfree(s);
}

void bcmon_series_put(struct bcmon_series *s)
{
	if (!IS_ERR_OR_NULL(s) && refcount_dec_and_test(&s->ref))
		call_rcu(&s->rcu, bcmon_series_free_rcu);
}
EXPORT_SYMBOL_GPL(bcmon_series_put);

/* Bytes one series of m with a key of len bytes holds, as charged. */
static size_t bcmon_series_mem(const struct bcmon_metric *m, u16 len)
{
	/* The struct, its key, its slots on every CPU, its index entries. */
	return sizeof(struct bcmon_series) + len +
	       (size_t)bcmon_metric_slots(m) * sizeof(u64) * num_possible_cpus() +
	       BCMON_SERIES_INDEX_BYTES;
}

/*
 * A new series, not linked: one reference (the caller's). set NULL makes
 * the series of an unlabeled metric, which belongs to the metric and holds
 * no set reference.
 */
struct bcmon_series *bcmon_series_alloc(struct bcmon_set *set,
					const struct bcmon_metric *m,
					unsigned int metric, const char *key,
					u16 len)
{
	struct bcmon_series *s;

	s = kzalloc(struct_size(s, key, len), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!s)
		return NULL;
	s->pcpu = __alloc_percpu_gfp(bcmon_metric_slots(m) * sizeof(u64),
				     sizeof(u64), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!s->pcpu) {
		kfree(s);
		return NULL;
	}
	bcmon_series_slots_init(m, s);
	refcount_set(&s->ref, 1);
	s->metric = metric;
	s->key_len = len;
	memcpy(s->key, key, len);
	s->mem = bcmon_series_mem(m, len);
	if (set) {
		s->set_id = set->id;
		s->set = set;
		refcount_inc(&set->ref);
	}
	return s;
}

/* The series of an unlabeled metric, freed with its set (no RCU needed). */
void bcmon_series_free_now(struct bcmon_series *s)
{
	if (!s)
		return;
	free_percpu(s->pcpu);
	bcmon_exemplars_free(s);
	kfree(s);
}

/* Take s out of the index; under bcmon_sets_lock. Drops the index's reference. */
static void bcmon_series_unlink(struct bcmon_set *set, struct bcmon_series *s)
{
	struct bcmon_metric *m = &set->metrics[s->metric];

	lockdep_assert_held(&bcmon_sets_lock);
	s->linked = false;
	rhashtable_remove_fast(&bcmon_series_ht, &s->node, bcmon_series_params);
	xa_erase_bh(&m->series, s->id);
	WRITE_ONCE(m->n_series, m->n_series - 1);
	bcmon_set_uncharge(set, s->mem);
	bcmon_series_put(s);
}

void bcmon_set_unlink_series(struct bcmon_set *set)
{
	struct bcmon_series *s;
	unsigned long id;
	unsigned int i;

	lockdep_assert_held(&bcmon_sets_lock);
	for (i = 0; i < set->n_metrics; i++) {
		if (!set->metrics[i].n_labels)
			continue;
		xa_for_each(&set->metrics[i].series, id, s)
			bcmon_series_unlink(set, s);
	}
}

int bcmon_series_delete_key(struct bcmon_set *set, unsigned int metric,
			    const char *key, u16 len)
{
	struct bcmon_series *s;
	int err = -ENOENT;

	mutex_lock(&bcmon_sets_lock);
	s = bcmon_series_lookup_locked(set, metric, key, len);
	if (s) {
		bcmon_series_unlink(set, s);
		err = 0;
	}
	mutex_unlock(&bcmon_sets_lock);
	return err;
}

/* --- creation ------------------------------------------------------------------ */

static void bcmon_refused(struct bcmon_metric *m, enum bcmon_refusal why)
{
	atomic64_inc(&m->refused[why]);
}

void bcmon_series_refused(struct bcmon_set *set, unsigned int metric,
			  enum bcmon_refusal why)
{
	bcmon_refused(&set->metrics[metric], why);
}

/*
 * Link the new series of reqs (those with ->fresh set) under
 * bcmon_sets_lock, after checking every bound for all of them: nothing is
 * linked unless all are. A series someone else linked meanwhile is used
 * instead of ours.
 */
static int bcmon_series_link_all(struct bcmon_set *set,
				 struct bcmon_series_req *reqs, unsigned int n,
				 struct netlink_ext_ack *extack, int *bad)
{
	unsigned int i, j, linked = 0;
	size_t mem = 0;
	int err;

	lockdep_assert_held(&bcmon_sets_lock);
	if (!set->registered) {
		NL_SET_ERR_MSG(extack, "the set was destroyed");
		return -ENOENT;
	}
	/*
	 * Lost races: the tuple got its series since we looked. Every req
	 * that shares our new series (the same tuple twice in a batch) moves
	 * to the existing one.
	 */
	for (i = 0; i < n; i++) {
		struct bcmon_series *s, *ours = reqs[i].series;

		if (!reqs[i].fresh)
			continue;
		s = bcmon_series_lookup_locked(set, reqs[i].metric, reqs[i].key,
					       reqs[i].key_len);
		if (!s)
			continue;
		for (j = i; j < n; j++) {
			if (reqs[j].series != ours)
				continue;
			refcount_inc(&s->ref);
			bcmon_series_put(ours);
			reqs[j].series = s;
			reqs[j].fresh = false;
		}
	}
	/* Bounds: series per metric, then memory, for all at once. */
	for (i = 0; i < n; i++) {
		struct bcmon_metric *m = &set->metrics[reqs[i].metric];
		unsigned int more = 0;

		if (!reqs[i].fresh)
			continue;
		mem += reqs[i].series->mem;
		for (j = 0; j < n; j++)
			more += reqs[j].fresh && reqs[j].metric == reqs[i].metric;
		if (m->n_series + more > bcmon_limits.max_series) {
			*bad = i;
			bcmon_refused(m, BCMON_REFUSED_SERIES_LIMIT);
			NL_SET_ERR_MSG(extack, "too many series in this metric (module limit max_series)");
			return -ENOSPC;
		}
	}
	if (!mem)
		return 0;
	err = bcmon_set_charge_check(set, mem, extack);
	if (err) {
		for (i = 0; i < n && !reqs[i].fresh; i++)
			;
		*bad = i;
		bcmon_refused(&set->metrics[reqs[i].metric], BCMON_REFUSED_MEMORY_QUOTA);
		return err;
	}
	/* Ids in the xarrays first: only dumps use them, so a failure here
	 * unpublishes nothing a writer could have found. */
	for (i = 0; i < n; i++) {
		struct bcmon_metric *m = &set->metrics[reqs[i].metric];
		struct bcmon_series *s = reqs[i].series;

		if (!reqs[i].fresh)
			continue;
		s->id = m->next_series_id;
		err = xa_insert_bh(&m->series, s->id, s, GFP_KERNEL_ACCOUNT);
		if (err)
			goto err_unreserve;
		m->next_series_id++;
		linked = i + 1;
	}
	for (i = 0; i < n; i++) {
		struct bcmon_metric *m = &set->metrics[reqs[i].metric];
		struct bcmon_series *s = reqs[i].series;

		if (!reqs[i].fresh)
			continue;
		err = rhashtable_insert_fast(&bcmon_series_ht, &s->node,
					     bcmon_series_params);
		if (err) {
			/*
			 * The table could not grow. Series linked before this
			 * one stay (empty, counted, deletable); this one and
			 * the rest are dropped and the batch refused.
			 */
			for (j = i; j < n; j++)
				if (reqs[j].fresh)
					xa_erase_bh(&set->metrics[reqs[j].metric].series,
						 reqs[j].series->id);
			NL_SET_ERR_MSG(extack, "out of memory for the series index");
			*bad = i;
			return err;
		}
		s->linked = true;
		refcount_inc(&s->ref);	/* the index's reference */
		WRITE_ONCE(m->n_series, m->n_series + 1);
		bcmon_set_charge(set, s->mem);
		reqs[i].fresh = false;
	}
	return 0;

err_unreserve:
	for (j = 0; j < linked; j++)
		if (reqs[j].fresh)
			xa_erase_bh(&set->metrics[reqs[j].metric].series,
				 reqs[j].series->id);
	NL_SET_ERR_MSG(extack, "out of memory creating series");
	*bad = i;
	return err;
}

int bcmon_series_resolve(struct bcmon_set *set, struct bcmon_series_req *reqs,
			 unsigned int n, struct netlink_ext_ack *extack,
			 int *bad)
{
	unsigned int i, j, fresh = 0;
	int err = 0;

	*bad = -1;
	for (i = 0; i < n; i++)
		reqs[i].series = NULL;
	for (i = 0; i < n; i++) {
		struct bcmon_series_req *r = &reqs[i];

		r->fresh = false;
		r->series = bcmon_series_find_get(set, r->metric, r->key,
						  r->key_len);
		if (r->series)
			continue;
		/* Two updates of one new tuple in a batch share its series. */
		for (j = 0; j < i; j++) {
			if (reqs[j].fresh && reqs[j].metric == r->metric &&
			    reqs[j].key_len == r->key_len &&
			    !memcmp(reqs[j].key, r->key, r->key_len)) {
				r->series = reqs[j].series;
				refcount_inc(&r->series->ref);
				break;
			}
		}
		if (r->series)
			continue;
		r->series = bcmon_series_alloc(set, &set->metrics[r->metric],
					       r->metric, r->key, r->key_len);
		if (!r->series) {
			NL_SET_ERR_MSG(extack, "out of memory creating series");
			*bad = i;
			err = -ENOMEM;
			goto err_put;
		}
		r->fresh = true;
		fresh++;
	}
	if (!fresh)
		return 0;
	mutex_lock(&bcmon_sets_lock);
	err = bcmon_series_link_all(set, reqs, n, extack, bad);
	mutex_unlock(&bcmon_sets_lock);
	if (!err)
		return 0;
err_put:
	bcmon_series_reqs_put(reqs, n);
	return err;
}

void bcmon_series_reqs_put(struct bcmon_series_req *reqs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		bcmon_series_put(reqs[i].series);
		reqs[i].series = NULL;
	}
}

/* --- init/exit ----------------------------------------------------------------- */

int bcmon_series_init(void)
{
	return rhashtable_init(&bcmon_series_ht, &bcmon_series_params);
}

/* After every set is gone: the table is empty. */
void bcmon_series_exit(void)
{
	rhashtable_destroy(&bcmon_series_ht);
}
