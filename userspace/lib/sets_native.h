/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libbcmon internals: a native histogram's definition (BCMON_METRIC_A_NATIVE)
 * and buckets (BCMON_*_A_NATIVE_BUCKETS) in set replies, read and checked
 * for sets_parse.c. Malformed nests are -EPROTO, never a read out of bounds.
 */
#ifndef BCMON_LIB_SETS_NATIVE_H
#define BCMON_LIB_SETS_NATIVE_H

#include <stddef.h>
#include <stdint.h>

#include <bcmon/libbcmon.h>
#include <netlink/attr.h>

/* Words of a part's block one buckets nest may take: never fewer. */
size_t native_buckets_words(const struct nlattr *nest);

/* The definition nest into m's native_* fields (m->native set). */
int native_def_parse(const struct nlattr *nest, struct bcmon_metric_info *m);

/*
 * One buckets nest of native histogram m into words (at least
 * native_buckets_words(nest) of them): *out points at the result there.
 * Returns the words used, or -EPROTO.
 */
int native_buckets_parse(const struct nlattr *nest, const struct bcmon_metric_info *m,
			 uint64_t *words, const struct bcmon_native_buckets **out);

#endif /* BCMON_LIB_SETS_NATIVE_H */
