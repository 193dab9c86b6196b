/* SPDX-License-Identifier: GPL-2.0 */
/* How a counter set's metric is named in the exposition (pure, tested). */
#ifndef BCMON_EXPORTER_SETNAMES_H
#define BCMON_EXPORTER_SETNAMES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * "<set>_<metric>[_<unit>]" without the namespace and without "_total"
 * (the writer adds that to counters): a metric already ending in its unit
 * is not suffixed twice, and a counter's own "_total" is dropped so that
 * "bets_total" and "bets" both become "<set>_bets_total" on the wire.
 */
void set_metric_suffix(const char *set, const char *metric, const char *unit,
		       bool counter, char *out, size_t len);

/*
 * The exporter's own namespace (Documentation/labels.md): every family the
 * exporter serves for itself begins with a word of
 * BCMON_EXPORTER_RESERVED_WORDS, and a set whose name begins with one
 * (its first word, up to the first '_') is never served, so that no set
 * can produce, shadow or clash with those families.
 */
bool first_word_reserved(const char *name);

#endif
