// SPDX-License-Identifier: GPL-2.0
/*
 * Exemplars of histogram series: for each bucket, the most recent
 * observation that named its trace (W3C trace and span ids), so that an
 * operator goes from a slow bucket to the trace that landed there
 * (Documentation/tracing.md).
 *
 * - Cost: a series gets its slots with its first exemplar; observations
 *   without one never look at them. Storing one is a bucket search and a
 *   copy under a per-series spinlock; the caller reads the clock once for
 *   all the exemplars of a message (a clock read is the dearest part where
 *   the clock source is slow, as the HPET of an emulated guest).
 * - Memory: the slots are charged to the set like the series, at their
 *   allocated size (the owner's quotas apply), all those a message needs
 *   with one check under bcmon_sets_lock, all or none; a labeled series'
 *   charge grows by them, so deleting it gives them back.
 * - Lifetime: the slots are published once (release) under bcmon_sets_lock
 *   and freed with their series, after the same RCU grace period, so a
 *   reader under rcu_read_lock() that found the series may read them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sets.h"

/* The slots of a series of m, as allocated (and so charged). */
static size_t bcmon_exemplars_size(const struct bcmon_metric *m)
{
	struct bcmon_exemplars *ex;

	return kmalloc_size_roundup(struct_size(ex, slot, m->n_bounds + 1));
}

/*
 * Who may get slots now: a series that has none and nobody else is giving
 * any in this pass, still in its set (a series deleted or a set destroyed
 * since the update found it takes its values and its exemplar with it).
 */
static bool bcmon_exemplars_wanted(const struct bcmon_set *set,
				   const struct bcmon_series *s)
{
	lockdep_assert_held(&bcmon_sets_lock);
	return !s->exemplars && !s->exemplars_claimed && set->registered &&
	       (!s->set || s->linked);
}

int bcmon_exemplars_prepare(struct bcmon_set *set,
			    struct bcmon_exemplars_req *reqs, unsigned int n,
			    struct netlink_ext_ack *extack, int *bad)
{
	unsigned int i, first = n;
	size_t sum = 0;
	int err = 0;

	*bad = -1;
	for (i = 0; i < n; i++)
		reqs[i].slots = NULL;
	/* Allocations first, outside the lock; a series that has slots needs none. */
	for (i = 0; i < n; i++) {
		const struct bcmon_metric *m = &set->metrics[reqs[i].series->metric];
		struct bcmon_exemplars *ex;

		if (smp_load_acquire(&reqs[i].series->exemplars))
			continue;
		ex = kzalloc(bcmon_exemplars_size(m), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!ex) {
			NL_SET_ERR_MSG(extack, "out of memory for exemplar slots");
			*bad = i;
			err = -ENOMEM;
			goto out_free;
		}
		spin_lock_init(&ex->lock);
		ex->n = m->n_bounds + 1;
		reqs[i].slots = ex;
	}

	/* One check of the quota for all of them: all are given, or none. */
	mutex_lock(&bcmon_sets_lock);
	for (i = 0; i < n; i++) {
		struct bcmon_series *s = reqs[i].series;

		if (!reqs[i].slots)
			continue;
		if (!bcmon_exemplars_wanted(set, s)) {
			kfree(reqs[i].slots);	/* the same series twice, or gone */
			reqs[i].slots = NULL;
			continue;
		}
		s->exemplars_claimed = true;
		sum += bcmon_exemplars_size(&set->metrics[s->metric]);
		if (first == n)
			first = i;
	}
	if (sum)
		err = bcmon_set_charge_check(set, sum, extack);
	for (i = 0; i < n; i++) {
		struct bcmon_series *s = reqs[i].series;
		size_t size;

		if (!reqs[i].slots)
			continue;
		s->exemplars_claimed = false;
		if (err)
			continue;
		size = bcmon_exemplars_size(&set->metrics[s->metric]);
		bcmon_set_charge(set, size);
		if (s->set)	/* labeled: deleting the series uncharges them */
			s->mem += size;
		smp_store_release(&s->exemplars, reqs[i].slots);
		reqs[i].slots = NULL;
	}
	if (err) {
		*bad = first;
		/* Refusals are counted where they are reported: labeled metrics. */
		if (set->metrics[reqs[first].series->metric].n_labels)
			bcmon_series_refused(set, reqs[first].series->metric,
					     BCMON_REFUSED_MEMORY_QUOTA);
	}
	mutex_unlock(&bcmon_sets_lock);
out_free:
	for (i = 0; i < n; i++)
		kfree(reqs[i].slots);
	return err;
}

void bcmon_exemplar_store(const struct bcmon_metric *m, struct bcmon_series *s,
			  s64 value, const u8 *trace_id, const u8 *span_id,
			  u64 time_ns)
{
	struct bcmon_exemplars *ex = smp_load_acquire(&s->exemplars);
	struct bcmon_exemplar *slot;
	unsigned long flags;

	if (!ex)		/* the series went away meanwhile */
		return;
	slot = &ex->slot[bcmon_bucket_of(m, value)];
	spin_lock_irqsave(&ex->lock, flags);
	slot->time_ns = time_ns ?: 1;	/* 0 means empty */
	slot->value = value;
	memcpy(slot->trace_id, trace_id, BCMON_TRACE_ID_LEN);
	memcpy(slot->span_id, span_id, BCMON_SPAN_ID_LEN);
	spin_unlock_irqrestore(&ex->lock, flags);
}

bool bcmon_exemplar_read(const struct bcmon_series *s, u32 b,
			 struct bcmon_exemplar *out)
{
	struct bcmon_exemplars *ex = smp_load_acquire(&s->exemplars);
	unsigned long flags;

	if (!ex || b >= ex->n)
		return false;
	spin_lock_irqsave(&ex->lock, flags);
	*out = ex->slot[b];
	spin_unlock_irqrestore(&ex->lock, flags);
	return out->time_ns != 0;
}

void bcmon_exemplars_free(struct bcmon_series *s)
{
	kfree(s->exemplars);
	s->exemplars = NULL;
}
