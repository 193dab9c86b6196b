// SPDX-License-Identifier: LGPL-2.1
/*
 * Native histograms in set replies (Documentation/native-histograms.md):
 * the definition nest of a metric and the buckets nest of an unlabeled
 * metric or of a series. The counts arrive as binary attributes, so their
 * length is checked here, and copied (netlink aligns attributes to 4
 * bytes, not 8) into the part's block that sets_parse.c sized with
 * native_buckets_words().
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/bcmon.h>

#include "attr_walk.h"
#include "sets_native.h"

#define SCHEMA_MIN (-4)
#define SCHEMA_MAX 8

/* Words of the part's block the struct takes, before its counts. */
#define NATIVE_WORDS	((sizeof(struct bcmon_native_buckets) + sizeof(uint64_t) - 1) / \
			 sizeof(uint64_t))

size_t native_buckets_words(const struct nlattr *nest)
{
	const struct nlattr *a;
	size_t words = NATIVE_WORDS;
	int rem;

	for_each_nested_attr(a, nest, rem)
		if (attr_type(a) == BCMON_NATIVE_BUCKETS_A_POSITIVE_COUNTS ||
		    attr_type(a) == BCMON_NATIVE_BUCKETS_A_NEGATIVE_COUNTS)
			words += (size_t)attr_len(a) / sizeof(uint64_t);
	return words;
}

int native_def_parse(const struct nlattr *nest, struct bcmon_metric_info *m)
{
	const struct nlattr *a;
	bool schema = false;
	int rem;

	for_each_nested_attr(a, nest, rem) {
		switch (attr_type(a)) {
		case BCMON_NATIVE_A_SCHEMA:
			if (attr_len(a) < 4)
				return -EPROTO;
			m->native_schema = (int32_t)attr_u32(a);
			schema = true;
			break;
		case BCMON_NATIVE_A_ZERO_THRESHOLD:
			if (attr_len(a) < 8)
				return -EPROTO;
			m->native_zero_threshold = attr_u64(a);
			break;
		case BCMON_NATIVE_A_MAX_BUCKETS:
			if (attr_len(a) < 4)
				return -EPROTO;
			m->native_max_buckets = attr_u32(a);
			break;
		case BCMON_NATIVE_A_NEGATIVE:
			m->native_negative = true;
			break;
		}
	}
	if (!schema || m->native_schema < SCHEMA_MIN || m->native_schema > SCHEMA_MAX)
		return -EPROTO;
	m->native = true;
	return 0;
}

/* One sign's offset and counts, as found in the nest. */
struct native_span {
	const struct nlattr *offset, *counts;
};

/*
 * The largest |index| a reply may have at schema: buckets within 2^128 of
 * 1 in the base unit. The kernel's stay well inside (u64 values at scale
 * -18..18 lie within 2^-60..2^125), and within it index - 1, index + 1 and
 * the bounds 2^(index * 2^-schema) of every bucket are finite and exact
 * to compute for a reader.
 */
static int64_t index_limit(int32_t schema)
{
	return schema >= 0 ? (int64_t)128 << schema : (int64_t)128 >> -schema;
}

/*
 * A sign's counts into words: both attributes or neither, a whole and
 * non-zero number of u64s, and every index offset + k within
 * index_limit(schema). Returns the counts taken.
 */
static int take_span(const struct native_span *sp, int32_t schema, uint64_t *words,
		     int32_t *offset, const uint64_t **counts, size_t *n)
{
	int64_t limit = index_limit(schema);
	size_t len;

	if (!sp->offset && !sp->counts)
		return 0;
	if (!sp->offset || !sp->counts || attr_len(sp->offset) < 4)
		return -EPROTO;
	len = (size_t)attr_len(sp->counts);
	if (!len || len % sizeof(uint64_t))
		return -EPROTO;
	*offset = (int32_t)attr_u32(sp->offset);
	*n = len / sizeof(uint64_t);
	if (*offset < -limit || (int64_t)*offset + (int64_t)*n - 1 > limit)
		return -EPROTO;
	memcpy(words, attr_data(sp->counts), len);
	*counts = words;
	return (int)*n;
}

int native_buckets_parse(const struct nlattr *nest, const struct bcmon_metric_info *m,
			 uint64_t *words, const struct bcmon_native_buckets **out)
{
	struct bcmon_native_buckets *nb = (struct bcmon_native_buckets *)words;
	struct native_span pos = { 0 }, neg = { 0 };
	const struct nlattr *a;
	bool schema = false, zero = false;
	int rem, np, nn;

	if (!m->native)
		return -EPROTO;
	memset(nb, 0, sizeof(*nb));
	for_each_nested_attr(a, nest, rem) {
		switch (attr_type(a)) {
		case BCMON_NATIVE_BUCKETS_A_SCHEMA:
			if (attr_len(a) < 4)
				return -EPROTO;
			nb->schema = (int32_t)attr_u32(a);
			schema = true;
			break;
		case BCMON_NATIVE_BUCKETS_A_ZERO_COUNT:
			if (attr_len(a) < 8)
				return -EPROTO;
			nb->zero_count = attr_u64(a);
			zero = true;
			break;
		case BCMON_NATIVE_BUCKETS_A_POSITIVE_OFFSET:
			pos.offset = a;
			break;
		case BCMON_NATIVE_BUCKETS_A_POSITIVE_COUNTS:
			pos.counts = a;
			break;
		case BCMON_NATIVE_BUCKETS_A_NEGATIVE_OFFSET:
			neg.offset = a;
			break;
		case BCMON_NATIVE_BUCKETS_A_NEGATIVE_COUNTS:
			neg.counts = a;
			break;
		}
	}
	/* The kernel only ever lowers the resolution it was created with. */
	if (!schema || !zero || nb->schema < SCHEMA_MIN || nb->schema > m->native_schema)
		return -EPROTO;
	/* Without the negative flag the kernel refuses negative values. */
	if (!m->native_negative && (neg.offset || neg.counts))
		return -EPROTO;
	np = take_span(&pos, nb->schema, words + NATIVE_WORDS, &nb->positive_offset,
		       &nb->positive, &nb->n_positive);
	if (np < 0)
		return np;
	nn = take_span(&neg, nb->schema, words + NATIVE_WORDS + np, &nb->negative_offset,
		       &nb->negative, &nb->n_negative);
	if (nn < 0)
		return nn;
	*out = nb;
	return (int)NATIVE_WORDS + np + nn;
}
