/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded window of native-histogram buckets (kmod/nhist.h defines the
 * buckets): n counts for consecutive bucket indices starting at offset, at
 * the window's own schema. Shared by bcmon.ko (one window per CPU and sign
 * of a histogram; and the reader's merge) and the unit tests.
 *
 * Adding a bucket outside the window first slides the window when the
 * buckets it holds and the new one fit in n, else lowers the resolution by
 * one schema (every bucket j moves to ceil(j / 2), exactly the union of
 * two neighbours) and tries again: an observation is never dropped, and
 * the resolution only drops when the buckets in use span more than n, as
 * client libraries do with their bucket limit. From n >= NHIST_WINDOW_MIN
 * every value fits by schema NHIST_SCHEMA_MIN: at schema -4 one bucket is
 * 16 octaves, and u64 magnitudes at any scale -18..18 span under 128.
 *
 * Merging windows (the CPUs' shares at read time) is adding each bucket
 * of each into an accumulator window with its count: the result has the
 * highest schema at which all of them fit in n.
 *
 * No locking here: the caller serialises writers of one window (bcmon.ko:
 * each CPU its own, with interrupts off) and gives readers a copy.
 */
#ifndef _BCMON_NHIST_WINDOW_H
#define _BCMON_NHIST_WINDOW_H

#include "nhist.h"

#if !defined(__KERNEL__) && !defined(__bpf__)
#include <stdbool.h>
#endif

#define NHIST_WINDOW_MIN	8

struct nhist_window {
	__s32 schema;		/* current resolution */
	__s32 offset;		/* bucket index of b[0] */
	__u32 n;		/* counts in b[] */
	__u32 used;		/* 0 until the first bucket (offset unset) */
	__u64 b[];
};

static inline unsigned long nhist_window_size(__u32 n)
{
	return sizeof(struct nhist_window) + n * sizeof(__u64);
}

static inline void nhist_window_init(struct nhist_window *w, __u32 n, __s32 schema)
{
	__u32 i;

	w->schema = schema;
	w->offset = 0;
	w->n = n;
	w->used = 0;
	for (i = 0; i < n; i++)
		w->b[i] = 0;
}

/* Positions of the first and last non-zero count; false when none. */
static inline bool nhist_window_span(const struct nhist_window *w, __u32 *lo, __u32 *hi)
{
	__u32 i;
	bool any = false;

	for (i = 0; i < w->n; i++) {
		if (!w->b[i])
			continue;
		if (!any)
			*lo = i;
		*hi = i;
		any = true;
	}
	return any;
}

/*
 * One schema lower: bucket j goes to ceil(j / 2). In place, ascending: a
 * count never moves up (ceil(j/2) - ceil(a/2) <= j - a for j >= a, the
 * lowest used index a becoming the new first position).
 */
static inline void nhist_window_halve(struct nhist_window *w)
{
	__u32 lo, hi, p;
	__s32 noff;

	w->schema--;
	if (!nhist_window_span(w, &lo, &hi)) {
		w->used = 0;
		return;
	}
	noff = nhist_index_reduce(w->offset + (__s32)lo, 1);
	for (p = lo; p <= hi; p++) {
		__u64 c = w->b[p];
		__u32 q;

		if (!c)
			continue;
		w->b[p] = 0;
		q = (__u32)(nhist_index_reduce(w->offset + (__s32)p, 1) - noff);
		w->b[q] += c;
	}
	w->offset = noff;
}

/* Move the counts so that b[0] is bucket noff (all of them fit). */
static inline void nhist_window_slide(struct nhist_window *w, __s32 noff)
{
	__s32 d = w->offset - noff;	/* positions to move up (< 0: down) */
	__u32 i;

	if (d > 0) {
		for (i = w->n; i-- > 0;) {
			w->b[i] = (__s32)i >= d ? w->b[i - d] : 0;
		}
	} else if (d < 0) {
		for (i = 0; i < w->n; i++)
			w->b[i] = i + (__u32)-d < w->n ? w->b[i + (__u32)-d] : 0;
	}
	w->offset = noff;
}

/*
 * Count `count` observations in the bucket with index idx at schema
 * `schema` (the histogram's own, >= w->schema). Returns how many times the
 * resolution was lowered, or -1 if it could not fit (impossible for
 * n >= NHIST_WINDOW_MIN and indices of u64 magnitudes).
 */
static inline int nhist_window_add(struct nhist_window *w, __s32 idx, int schema,
				   __u64 count)
{
	int halvings = 0;

	for (;;) {
		__s32 i = nhist_index_reduce(idx, (unsigned int)(schema - w->schema));
		__u32 lo, hi;
		__s64 a, z;

		if (w->used && i >= w->offset && (__s64)i - w->offset < w->n) {
			w->b[i - w->offset] += count;
			return halvings;
		}
		if (!w->used || !nhist_window_span(w, &lo, &hi)) {
			/* empty: centre the window on the new bucket */
			w->offset = i - (__s32)(w->n / 2);
			w->used = 1;
			continue;
		}
		a = (__s64)w->offset + lo;
		z = (__s64)w->offset + hi;
		if (i < a)
			a = i;
		if (i > z)
			z = i;
		if (z - a < w->n) {
			/* fits: slide, leaving equal room on both sides */
			nhist_window_slide(w, (__s32)(a - (w->n - (z - a + 1)) / 2));
			continue;
		}
		if (w->schema <= NHIST_SCHEMA_MIN)
			return -1;
		nhist_window_halve(w);
		halvings++;
	}
}

/* Add every bucket of src into acc (both n >= 1; acc's schema may drop). */
static inline int nhist_window_merge(struct nhist_window *acc,
				     const struct nhist_window *src)
{
	int halvings = 0, h;
	__u32 i;

	if (!src->used)
		return 0;
	for (i = 0; i < src->n; i++) {
		if (!src->b[i])
			continue;
		while (acc->schema > src->schema) {
			nhist_window_halve(acc);
			halvings++;
		}
		h = nhist_window_add(acc, src->offset + (__s32)i, src->schema, src->b[i]);
		if (h < 0)
			return h;
		halvings += h;
	}
	return halvings;
}

#endif /* _BCMON_NHIST_WINDOW_H */
