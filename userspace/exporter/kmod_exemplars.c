// SPDX-License-Identifier: GPL-2.0
/*
 * Counter-set exemplars for the exposition writer (kmod_exemplars.h).
 */
#include "kmod_exemplars.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "buckets.h"

/* Lowercase hex of n bytes into out (2n characters and a NUL). */
static void hex(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * n] = '\0';
}

void kmod_exemplar_convert(const struct bcmon_exemplar_info *in, int scale,
			   struct kmod_exemplar *out)
{
	hex(in->ids.trace_id, BCMON_TRACE_ID_LEN, out->trace_id);
	hex(in->ids.span_id, BCMON_SPAN_ID_LEN, out->span_id);
	out->labels[0] = (struct expo_label){ "trace_id", out->trace_id };
	out->labels[1] = (struct expo_label){ "span_id", out->span_id };
	out->ex.labels = out->labels;
	out->ex.nlabels = 2;
	/* As the sum is scaled, so that the two agree to the last digit. */
	out->ex.value = scale_to_base((double)in->value, scale);
	/* Never 0 (the writer's "no timestamp"): the module stamps the time. */
	out->ex.timestamp = (double)in->time_ns / 1e9;
}

/* Is v in bucket b by bcmon.ko's own rule (bcmon_bucket_of())? */
static bool in_module_bucket(const struct bcmon_metric_info *m, size_t b, int64_t v)
{
	if (b > m->n_bounds)
		return false;
	if (v < 0)		/* no bound below the first */
		return b == 0;
	return (b == 0 || (uint64_t)v > m->bounds[b - 1]) &&
	       (b == m->n_bounds || (uint64_t)v <= m->bounds[b]);
}

/*
 * Make v, a value of bucket b (by the module's rule) in base units, one
 * the writer accepts there: above bound b - 1, at most bound b, with the
 * bounds as the histogram is written. Value and bounds go through the
 * same conversion to double and the same rounded division (or
 * multiplication) by 10^|scale|, which never reverses two numbers: v
 * stays at most bound b. But it may meet bound b - 1: integers above 2^53
 * share doubles (2^53 + 1 is 2^53), and so do close values divided by a
 * power of ten. The writer would refuse that as outside the bucket, and
 * the whole histogram with it; v becomes the next double above the bound
 * instead, a change within the conversion's own rounding that keeps it
 * where the module counted it. false only when bounds b - 1 and b are
 * one double, a histogram the writer refuses anyway.
 */
static bool fit_bucket(double *v, size_t b, const double *bounds, size_t nbounds)
{
	if (b > 0 && *v <= bounds[b - 1])
		*v = nextafter(bounds[b - 1], INFINITY);
	return b == nbounds || *v <= bounds[b];
}

/* Room for nbuckets; a histogram without exemplars never gets here. */
static int reserve(struct kmod_exemplars *x, size_t nbuckets)
{
	const struct expo_exemplar **by_bucket;
	struct kmod_exemplar *slot;

	if (nbuckets <= x->cap)
		return 0;
	by_bucket = realloc(x->by_bucket, nbuckets * sizeof(*by_bucket));
	if (!by_bucket)
		return -ENOMEM;
	x->by_bucket = by_bucket;
	slot = realloc(x->slot, nbuckets * sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	x->slot = slot;
	x->cap = nbuckets;
	return 0;
}

/* No exemplar yet in any of nbuckets (room made when n > 0). */
static int begin(struct kmod_exemplars *x, size_t nbuckets, size_t n,
		 const struct expo_exemplar *const **out)
{
	int err;

	*out = NULL;
	if (!n)
		return 0;
	err = reserve(x, nbuckets);
	if (err)
		return err;
	for (size_t b = 0; b < nbuckets; b++)
		x->by_bucket[b] = NULL;
	return 0;
}

/* The writer's array when some exemplar was kept; how many were. */
static int finish(struct kmod_exemplars *x, size_t kept,
		  const struct expo_exemplar *const **out)
{
	if (kept)
		*out = (const struct expo_exemplar *const *)x->by_bucket;
	return (int)kept;
}

int kmod_exemplars_prepare(struct kmod_exemplars *x, const struct bcmon_metric_info *m,
			   const double *bounds, const struct bcmon_exemplar_info *in,
			   size_t n, const struct expo_exemplar *const **out)
{
	size_t kept = 0;
	int err = begin(x, m->n_bounds + 1, n, out);

	if (err || !n)
		return err;
	for (size_t i = 0; i < n; i++) {
		size_t b = in[i].bucket;

		/*
		 * Never so from bcmon.ko (and libbcmon refuses a bucket out
		 * of range or twice): left out, not the histogram.
		 */
		if (!in_module_bucket(m, b, in[i].value) || x->by_bucket[b])
			continue;
		kmod_exemplar_convert(&in[i], m->scale, &x->slot[b]);
		if (!fit_bucket(&x->slot[b].ex.value, b, bounds, m->n_bounds))
			continue;
		x->by_bucket[b] = &x->slot[b].ex;
		kept++;
	}
	return finish(x, kept, out);
}

/* The bucket of bounds (nbounds, ascending) that holds v: the first v <= its bound. */
static size_t bucket_of(double v, const double *bounds, size_t nbounds)
{
	size_t lo = 0, hi = nbounds;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v <= bounds[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

int kmod_exemplars_place(struct kmod_exemplars *x, const struct bcmon_metric_info *m,
			 const double *bounds, size_t nbounds,
			 const struct bcmon_exemplar_info *in, size_t n,
			 const struct expo_exemplar *const **out)
{
	size_t kept = 0;
	int err = begin(x, nbounds + 1, n, out);

	if (err || !n)
		return err;
	for (size_t i = 0; i < n; i++) {
		size_t b = bucket_of(scale_to_base((double)in[i].value, m->scale), bounds,
				     nbounds);

		if (!in_module_bucket(m, in[i].bucket, in[i].value) || x->by_bucket[b])
			continue;
		kmod_exemplar_convert(&in[i], m->scale, &x->slot[b]);
		x->by_bucket[b] = &x->slot[b].ex;
		kept++;
	}
	return finish(x, kept, out);
}

void kmod_exemplars_free(struct kmod_exemplars *x)
{
	free(x->by_bucket);
	free(x->slot);
	*x = (struct kmod_exemplars){ 0 };
}
