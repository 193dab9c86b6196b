/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The families of counter sets' metrics, kept from scrape to scrape.
 *
 * A metric's family (its name <ns>_<set>_<metric>[_<unit>][_total], type
 * and help) depends only on its definition, which is the same scrape after
 * scrape; naming, validating, hashing and encoding it again every time was
 * most of a large scrape's work. Here each metric keeps the family record
 * expo_family_encode() made for it, with a copy of what it was made from
 * (namespace, set name, metric name, unit, kind, help), and the record is
 * reused only while that copy compares equal, byte for byte, to the
 * metric as read now: a set destroyed and created again under the same
 * name with other metrics, or a reload with another namespace, gets its
 * families made afresh. Only the encoding is reused: expo_family_add()
 * applies the per-recording name rules every time.
 *
 * One cache, used by the kmod collector's runs, which never overlap.
 * Sets not read in a scrape are forgotten at its end; memory is
 * a copy of each metric's definition and record (about 100 bytes for a
 * counter without help).
 */
#ifndef BCMON_EXPORTER_KMOD_FAMILIES_H
#define BCMON_EXPORTER_KMOD_FAMILIES_H

#include <stdbool.h>
#include <stddef.h>

#include <bcmon/libbcmon.h>

struct kmod_family_set;

/* A scrape begins; names get namespace ns (everything is forgotten if it
 * changed). */
void kmod_families_begin(const char *ns);
/* It ended: the sets it did not read are forgotten (read to its end or not). */
void kmod_families_end(void);
void kmod_families_free(void);

/* The families of the set named set with n metrics; NULL when out of
 * memory (the caller then encodes without the cache). */
struct kmod_family_set *kmod_families_of(const char *set, size_t n);
/* Metric i's record, if made from a definition equal to m's: true, and
 * *rec, *len, or the error encoding gave (*err, *len 0). */
bool kmod_family_get(const struct kmod_family_set *fs, size_t i,
		     const struct bcmon_metric_info *m, const char **rec, size_t *len,
		     int *err);
/* Keep for metric i what encoding m's family gave: rec[0..len) or err
 * (-EINVAL). Not kept when out of memory (the next scrape tries again). */
void kmod_family_put(struct kmod_family_set *fs, size_t i, const struct bcmon_metric_info *m,
		     const char *rec, size_t len, int err);

#endif
