/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Native-histogram buckets in integers: shared by bcmon.ko, the eBPF
 * probes, the exporter and the unit tests (kmod/nhist.c builds the tables;
 * this header looks values up). No floating point anywhere.
 *
 * The definition is Prometheus' (model/histogram): for schema s the base
 * is B = 2^(2^-s), and bucket i holds the values x with B^(i-1) < x <= B^i,
 * in the *exported* unit. A metric records integers v whose exported value
 * is x = v * 10^scale (nanoseconds with scale -9 are exported as seconds).
 * Values with |x| <= the zero threshold go to the zero bucket; a negative
 * x goes to the negative bucket of |x|'s index.
 *
 * Method (Documentation/native-histograms.md has the derivation): write
 * |v| = M * 2^(k-63) with 2^63 <= M < 2^64 (k = fls64(|v|) - 1, M = |v|
 * shifted left until its top bit is set). Then
 *
 *	x <= B^i  <=>  M <= C(i - k * 2^s),
 *	C(j) = floor(2^(63 + j/2^s) * 10^-scale)
 *
 * because M is an integer. C depends only on (schema, scale), not on v;
 * the table keeps the 2^s values of C that an M in [2^63, 2^64) can fall
 * under: c[t] = C(first + t), where C(first - 1) < 2^63 <= C(first) and
 * C(first + 2^s) >= 2^64. The index of v is k * 2^s + first + t with t
 * the number of entries below M: at most s + 1 comparisons.
 *
 * Schemas below 0 use the schema 0 table: an index at schema s - 1 is
 * ceil(i / 2) of the index i at schema s (the two buckets 2i - 1 and 2i
 * of schema s make bucket i of schema s - 1), and ceil(ceil(y/a)/b) =
 * ceil(y/(ab)), so reducing by n schemas at once is ceil(i / 2^n) =
 * (i + 2^n - 1) >> n with an arithmetic shift: exact, and what a
 * histogram does when it lowers its resolution.
 */
#ifndef _BCMON_NHIST_H
#define _BCMON_NHIST_H

#if defined(__KERNEL__)
#include <linux/bitops.h>
#include <linux/types.h>
#elif !defined(__bpf__)
#include <linux/types.h>
#endif
/* eBPF programs get __u64 and friends from vmlinux.h. */

#define NHIST_SCHEMA_MIN	(-4)
#define NHIST_SCHEMA_MAX	8
#define NHIST_SCALE_MIN		(-18)
#define NHIST_SCALE_MAX		18
/* Entries of the largest table (schema NHIST_SCHEMA_MAX). */
#define NHIST_TABLE_MAX		(1 << NHIST_SCHEMA_MAX)

/*
 * The thresholds of one (schema, scale), schema 0..NHIST_SCHEMA_MAX.
 * Built once by nhist_table_build() and only read afterwards, so it can be
 * shared by every histogram with the same (schema, scale).
 */
struct nhist_table {
	__s32 schema;
	__s32 scale;
	__s32 first;		/* C(first) is c[0] */
	__u32 n;		/* 1 << schema */
	__u64 c[];		/* C(first + t), strictly ascending, in [2^63, 2^64) */
};

static inline unsigned long nhist_table_size(int schema)
{
	return sizeof(struct nhist_table) + (sizeof(__u64) << schema);
}

/*
 * Fill t (nhist_table_size(schema) bytes) for a schema in
 * 0..NHIST_SCHEMA_MAX and a scale in NHIST_SCALE_MIN..NHIST_SCALE_MAX.
 * 0, -EINVAL (out of range), or -ERANGE if a threshold could not be
 * certified exact (never for the supported ranges: the unit test builds
 * them all). Sleeps never; uses about 400 bytes of stack.
 */
int nhist_table_build(struct nhist_table *t, int schema, int scale);

/* 1-based index of the most significant bit; 0 for 0. */
static inline unsigned int nhist_fls64(__u64 v)
{
#if defined(__KERNEL__)
	return fls64(v);
#else
	return v ? 64 - (unsigned int)__builtin_clzll(v) : 0;
#endif
}

/*
 * Bucket index at the table's schema of a magnitude mag >= 1 (in raw
 * units): the i with B^(i-1) < mag * 10^scale <= B^i.
 */
static inline __s32 nhist_index_table(const struct nhist_table *t, __u64 mag)
{
	unsigned int k = nhist_fls64(mag) - 1;
	__u64 m = mag << (63 - k);
	unsigned int pos = 0, step;

	for (step = t->n >> 1; step; step >>= 1)
		if (t->c[pos + step - 1] < m)
			pos += step;
	if (t->c[pos] < m)
		pos++;
	return (__s32)(k << t->schema) + t->first + (__s32)pos;
}

/* The index at schema s - by of the bucket with index i at schema s. */
static inline __s32 nhist_index_reduce(__s32 i, unsigned int by)
{
	return (i + (__s32)((1u << by) - 1)) >> by;
}

/* Where an observation goes. */
enum nhist_where {
	NHIST_ZERO,		/* |x| <= zero threshold */
	NHIST_POSITIVE,
	NHIST_NEGATIVE,		/* bucket of |x| among the negative ones */
};

/*
 * Classify a raw value v against zero_threshold (raw units, >= 0) and set
 * *index to its bucket at schema t->schema - reduce for the positive and
 * negative cases. reduce lowers the resolution below the table's schema
 * (schemas below 0 use the schema 0 table with reduce = -schema).
 */
static inline enum nhist_where nhist_classify(const struct nhist_table *t,
					      unsigned int reduce,
					      __u64 zero_threshold, __s64 v,
					      __s32 *index)
{
	/* Unsigned negation: |S64_MIN| is 2^63, which fits. */
	__u64 mag = v < 0 ? -(__u64)v : (__u64)v;

	if (mag <= zero_threshold)
		return NHIST_ZERO;
	*index = nhist_index_reduce(nhist_index_table(t, mag), reduce);
	return v < 0 ? NHIST_NEGATIVE : NHIST_POSITIVE;
}

#endif /* _BCMON_NHIST_H */
