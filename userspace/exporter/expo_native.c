// SPDX-License-Identifier: GPL-2.0
#include "expo_native.h"

#include <errno.h>
#include <math.h>

#define SCHEMA_MIN (-4)
#define SCHEMA_MAX 8

/*
 * Indices at schema within 2^-128..2^128 of 1 (what any u64 raw value at a
 * scale of -18..18 takes), so that index +- 1 and every bound are finite.
 */
static int64_t index_limit(int32_t schema)
{
	return schema >= 0 ? (int64_t)128 << schema : (int64_t)128 >> -schema;
}

static int add_buckets(const struct expo_native_bucket *b, size_t n,
		       int32_t schema, uint64_t *total)
{
	int64_t limit = index_limit(schema);

	for (size_t i = 0; i < n; i++) {
		if ((i && b[i].index <= b[i - 1].index) ||
		    b[i].index < -limit || b[i].index > limit)
			return -EINVAL;
		if (b[i].count > UINT64_MAX - *total)
			return -ERANGE;
		*total += b[i].count;
	}
	return 0;
}

int expo_native_check(const struct expo_native *n, uint64_t count)
{
	uint64_t total = n->zero_count;
	int err;

	if (n->schema < SCHEMA_MIN || n->schema > SCHEMA_MAX ||
	    !(n->zero_threshold >= 0) || !isfinite(n->zero_threshold))
		return -EINVAL;
	err = add_buckets(n->positive, n->npositive, n->schema, &total);
	if (!err)
		err = add_buckets(n->negative, n->nnegative, n->schema, &total);
	if (err)
		return err;
	return total == count ? 0 : -ERANGE;
}

/* floor(a / b) and ceil(a / b) for b > 0, any sign of a. */
static long floor_div(long a, long b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static long ceil_div(long a, long b)
{
	return -floor_div(-a, b);
}

double expo_native_bound(int32_t schema, int32_t index)
{
	long per_octave;

	if (schema <= 0)
		return ldexp(1, (int)(index * (1l << -schema)));
	per_octave = 1l << schema;
	/* 2^(q + r/2^s) with 0 <= r < 2^s: exact for r == 0 */
	return ldexp(exp2((double)(index - floor_div(index, per_octave) * per_octave) /
			  (double)per_octave),
		     (int)floor_div(index, per_octave));
}

/*
 * The exponent of the smallest power of two, at the schema's boundaries,
 * at or above the top of bucket index.
 */
static long top_exponent(int32_t schema, int32_t index)
{
	if (schema >= 0)
		return ceil_div(index, 1l << schema);
	return (long)index * (1l << -schema);
}

int expo_native_to_classic(const struct expo_native *n, int e_lo, int e_hi,
			   double *bounds, uint64_t *counts)
{
	long first = e_lo, last = e_hi;
	long nb = last - first + 1;
	uint64_t below = n->zero_count;

	if (n->schema < SCHEMA_MIN || n->schema > SCHEMA_MAX || e_lo > e_hi)
		return -EINVAL;
	if (nb && n->zero_threshold > ldexp(1, (int)first))
		return -EINVAL;
	for (long i = 0; i <= nb; i++)
		counts[i] = 0;
	for (long i = 0; i < nb; i++)
		bounds[i] = ldexp(1, (int)(first + i));
	for (size_t i = 0; i < n->nnegative; i++)
		below += n->negative[i].count;
	counts[0] += below;	/* nb == 0: counts[0] is +Inf */
	for (size_t i = 0; i < n->npositive; i++) {
		long top = top_exponent(n->schema, n->positive[i].index);
		long at = top <= first ? 0 : top > last ? nb : top - first;

		counts[at] += n->positive[i].count;
	}
	return (int)nb;
}
