/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A native histogram as the exposition writers take it: Prometheus'
 * exponential buckets (Documentation/native-histograms.md) given by index,
 * already in the exported unit. Collectors fill it from bcmon.ko's or the
 * eBPF probes' integer buckets; the protobuf writer sends it as is, and
 * the text formats, which cannot carry it, get classic buckets derived
 * from it exactly (expo_native_to_classic).
 */
#ifndef BCMON_EXPORTER_EXPO_NATIVE_H
#define BCMON_EXPORTER_EXPO_NATIVE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The smallest zero threshold a writer sends, as client_golang does by
 * default: Prometheus 2.42 takes a histogram with no spans, no zero count
 * and a zero threshold of 0 for a classic one. For observations that are
 * integers times 10^scale (scale >= -18), [-2^-128, 2^-128] holds exactly
 * the zeros, so it means "the zero bucket is {0}".
 */
#define EXPO_NATIVE_MIN_ZERO_THRESHOLD 0x1p-128

struct expo_native_bucket {
	int32_t index;		/* holds (B^(index-1), B^index], B = 2^(2^-schema) */
	uint64_t count;
};

struct expo_native {
	int32_t schema;		/* -4..8 */
	double zero_threshold;	/* >= 0, finite */
	uint64_t zero_count;	/* |x| <= zero_threshold */
	/* Strictly ascending indices; zero counts allowed (and left out). */
	const struct expo_native_bucket *positive;
	size_t npositive;
	const struct expo_native_bucket *negative;	/* of |x|, x < 0 */
	size_t nnegative;
};

/*
 * 0 when n is well formed and its buckets add up to count (the histogram's
 * total), else -EINVAL (bad schema, threshold or order) or -ERANGE (the
 * counts do not add up or overflow).
 */
int expo_native_check(const struct expo_native *n, uint64_t count);

/* Upper boundary of bucket index at schema: 2^(index * 2^-schema). */
double expo_native_bound(int32_t schema, int32_t index);

/*
 * Classic buckets derived from n: the upper bounds are every power of two
 * 2^e, e_lo <= e <= e_hi, whatever n's schema, so that a series' le set
 * never changes when its resolution drops. Each native bucket counts whole
 * under the first bound at or above its top. At schemas >= 0 every power
 * of two is a native boundary and the counts are exact; below 0 only the
 * multiples of 2^-schema are, and a bound between two of them counts the
 * buckets that end at or below it: a lower bound of the observations
 * <= it, exact again at the next boundary. Negative values and the zero
 * bucket count under the first bound (the zero threshold must not exceed
 * it: -EINVAL). Writes e_hi - e_lo + 1 bounds and one more count (+Inf);
 * returns the number of bounds, or -EINVAL.
 */
int expo_native_to_classic(const struct expo_native *n, int e_lo, int e_hi,
			   double *bounds, uint64_t *counts);

#endif
