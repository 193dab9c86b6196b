/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libbcmon internals: the attribute walk of the set-reply readers
 * (sets_parse.c, sets_native.c), inline.
 */
#ifndef BCMON_LIB_ATTR_WALK_H
#define BCMON_LIB_ATTR_WALK_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <netlink/attr.h>

/*
 * The attribute walk of a metric, inline: libnl's nla_*() are calls into a
 * shared library, several per attribute, and a scrape of 10,000 metrics
 * walks some 100,000 attributes three times. Same checks as libnl's
 * nla_ok()/nla_next() (length within the remainder, 4-byte alignment).
 */
static inline int attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static inline int attr_len(const struct nlattr *a)
{
	return (int)a->nla_len - NLA_HDRLEN;
}

static inline void *attr_data(const struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static inline bool attr_ok(const struct nlattr *a, int rem)
{
	return rem >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) && a->nla_len <= rem;
}

static inline struct nlattr *attr_next(const struct nlattr *a, int *rem)
{
	int step = NLA_ALIGN(a->nla_len);

	*rem -= step;
	return (struct nlattr *)((char *)a + step);
}

#define for_each_nested_attr(pos, nest, rem)					\
	for (pos = attr_data(nest), rem = attr_len(nest); attr_ok(pos, rem);	\
	     pos = attr_next(pos, &rem))

/* Fixed-size values, read after the caller checked that they fit. */
static inline uint64_t attr_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, attr_data(a), sizeof(v));
	return v;
}

static inline uint32_t attr_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, attr_data(a), sizeof(v));
	return v;
}

static inline uint8_t attr_u8(const struct nlattr *a)
{
	return *(const uint8_t *)attr_data(a);
}

#endif /* BCMON_LIB_ATTR_WALK_H */
