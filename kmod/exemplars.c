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
 * - Memory: the slots are charged to the set like the series (the owner's
 *   quotas apply); a labeled series' charge grows by them, so deleting it
 *   gives them back.
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

static size_t bcmon_exemplars_size(const struct bcmon_metric *m)
{
	struct bcmon_exemplars *ex;

	return struct_size(ex, slot, m->n_bounds + 1);
}

int bcmon_exemplars_prepare(struct bcmon_set *set, struct bcmon_metric *m,
			    struct bcmon_series *s,
			    struct netlink_ext_ack *extack)
{
	size_t size = bcmon_exemplars_size(m);
	struct bcmon_exemplars *ex;
	int err = 0;

	if (smp_load_acquire(&s->exemplars))
		return 0;
	ex = kzalloc(size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!ex) {
		NL_SET_ERR_MSG(extack, "out of memory for the series' exemplars");
		return -ENOMEM;
	}
	spin_lock_init(&ex->lock);
	ex->n = m->n_bounds + 1;

	mutex_lock(&bcmon_sets_lock);
	/*
	 * A series deleted or a set destroyed since the update found it: its
	 * values go with it, and so does the exemplar (none is kept).
	 */
	if (s->exemplars || !set->registered || (s->set && !s->linked))
		goto out_unlock;
	err = bcmon_set_charge_check(set, size, extack);
	if (err) {
		bcmon_series_refused(set, s->metric, BCMON_REFUSED_MEMORY_QUOTA);
		goto out_unlock;
	}
	bcmon_set_charge(set, size);
	if (s->set)		/* labeled: deleting the series uncharges it */
		s->mem += size;
	smp_store_release(&s->exemplars, ex);
	ex = NULL;
out_unlock:
	mutex_unlock(&bcmon_sets_lock);
	kfree(ex);
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

u32 bcmon_exemplars_count(const struct bcmon_series *s)
{
	struct bcmon_exemplars *ex = smp_load_acquire(&s->exemplars);
	u32 b, n = 0;

	for (b = 0; ex && b < ex->n; b++)
		n += READ_ONCE(ex->slot[b].time_ns) != 0;
	return n;
}

void bcmon_exemplars_free(struct bcmon_series *s)
{
	kfree(s->exemplars);
	s->exemplars = NULL;
}
