// SPDX-License-Identifier: GPL-2.0
#include "kmod_hist.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "buckets.h"
#include "log.h"

/* Grow *p (of *cap elements of size) to n elements at least. */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *q;

	if (n <= *cap)
		return 0;
	q = realloc(*p, n * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

/* One sign's counts from offset as the writer's (index, count) buckets. */
static void native_side(const uint64_t *counts, size_t n, int32_t offset,
			struct expo_native_bucket *out)
{
	/* libbcmon checked that offset + n - 1 fits an int32_t. */
	for (size_t k = 0; k < n; k++)
		out[k] = (struct expo_native_bucket){ (int32_t)(offset + (int64_t)k), counts[k] };
}

/*
 * nb in base units: the indices are already of x = v * 10^scale (the
 * module bins by the base unit), so only the zero threshold, a raw value,
 * is scaled, as the sum is.
 */
static int native_of(struct kmod_hist_room *room, const struct bcmon_metric_info *m,
		     const struct bcmon_native_buckets *nb, struct expo_native *out)
{
	size_t n = nb->n_positive + nb->n_negative;
	int err = grow((void **)&room->native, &room->native_cap, n ? n : 1,
		       sizeof(*room->native));

	if (err)
		return err;
	native_side(nb->positive, nb->n_positive, nb->positive_offset, room->native);
	native_side(nb->negative, nb->n_negative, nb->negative_offset,
		    room->native + nb->n_positive);
	*out = (struct expo_native){
		.schema = nb->schema,
		/*
		 * A raw threshold of 0 (only zero itself) goes out as the
		 * smallest threshold: 0 with no buckets and no zero count is
		 * what Prometheus 2.42 takes for a classic histogram.
		 */
		.zero_threshold = fmax(scale_to_base((double)m->native_zero_threshold, m->scale),
				       EXPO_NATIVE_MIN_ZERO_THRESHOLD),
		.zero_count = nb->zero_count,
		.positive = room->native,
		.npositive = nb->n_positive,
		.negative = room->native + nb->n_positive,
		.nnegative = nb->n_negative,
	};
	return 0;
}

/*
 * The powers of two 2^e_lo..2^e_hi that derived classic buckets may have:
 * from the first at or above both the zero threshold and the smallest
 * value above zero (one raw unit) to the last below the largest value a
 * metric holds (2^63 raw units): at most 64 of them, fixed by the metric's
 * definition so that the buckets' "le" values do not change from scrape
 * to scrape or between series (expo_native_to_classic() keeps all of
 * them whatever the reading's schema).
 */
static void classic_range(const struct bcmon_metric_info *m, int *e_lo, int *e_hi)
{
	double zero = scale_to_base((double)m->native_zero_threshold, m->scale);
	double low = fmax(zero, scale_to_base(1, m->scale));

	*e_lo = (int)ceil(log2(low));
	while (ldexp(1, *e_lo) < low)	/* log2's rounding, never below */
		(*e_lo)++;
	*e_hi = (int)floor(63 + m->scale * log2(10));
	if (*e_hi < *e_lo)
		*e_hi = *e_lo;
}

/* h: classic buckets derived from nat, in room. */
static int derived_classic(struct kmod_hist_room *room, const struct bcmon_metric_info *m,
			   const struct expo_native *nat, struct expo_histogram *h)
{
	int e_lo, e_hi, nb, err;

	classic_range(m, &e_lo, &e_hi);
	/* e_hi - e_lo + 1 bounds at most, and +Inf */
	err = grow((void **)&room->bounds, &room->bounds_cap, (size_t)(e_hi - e_lo) + 1,
		   sizeof(*room->bounds));
	if (!err)
		err = grow((void **)&room->counts, &room->counts_cap, (size_t)(e_hi - e_lo) + 2,
			   sizeof(*room->counts));
	if (err)
		return err;
	nb = expo_native_to_classic(nat, e_lo, e_hi, room->bounds, room->counts);
	if (nb < 0)
		return nb;
	h->nbounds = (size_t)nb;
	h->bounds = room->bounds;
	h->counts = room->counts;
	return 0;
}

int kmod_hist_write(struct expo_writer *w, struct kmod_hist_room *room,
		    const struct bcmon_metric_info *m, const double *bounds,
		    const struct expo_label *labels, size_t nlabels,
		    const struct kmod_hist_reading *r)
{
	const struct expo_exemplar *const *by_bucket = NULL;
	struct expo_histogram h = {
		.nbounds = m->n_bounds,
		.bounds = bounds,
		.counts = r->buckets,
		.sum = scale_to_base((double)r->sum, m->scale),
	};
	struct expo_native nat;
	bool derived = r->native && !m->n_bounds;
	int kept = 0, err;

	if (!r->buckets)
		return -EINVAL;
	if (r->native) {
		err = native_of(room, m, r->native, &nat);
		/*
		 * A native-only metric's classic counts are derived from its
		 * native ones: check those against the module's count (its one
		 * +Inf bucket) first, or a bad reading would pass as its own
		 * proof.
		 */
		if (!err && derived)
			err = expo_native_check(&nat, r->buckets[0]);
		if (!err && derived)
			err = derived_classic(room, m, &nat, &h);
		if (err)
			return err;
	}
	/*
	 * The module's exemplars are of its classic buckets; a native-only
	 * metric has one, +Inf, and its exemplar goes to the derived bucket
	 * its value falls in.
	 */
	if (r->n_exemplars)
		kept = derived ? kmod_exemplars_place(&room->ex, m, h.bounds, h.nbounds,
						      r->exemplars, r->n_exemplars, &by_bucket) :
			kmod_exemplars_prepare(&room->ex, m, bounds, r->exemplars,
					       r->n_exemplars, &by_bucket);
	if (kept < 0)
		return kept;
	if ((size_t)kept < r->n_exemplars)
		log_debug("histogram %s: %zu of its exemplars not in their buckets, left out",
			  m->name, r->n_exemplars - (size_t)kept);
	if (!r->native)
		return expo_histogram_exemplars(w, labels, nlabels, &h, by_bucket);
	return expo_histogram_native_exemplars(w, labels, nlabels, &h, derived, &nat, by_bucket);
}

void kmod_hist_room_free(struct kmod_hist_room *room)
{
	kmod_exemplars_free(&room->ex);
	free(room->native);
	free(room->bounds);
	free(room->counts);
	*room = (struct kmod_hist_room){ 0 };
}
