/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exemplars of counter-set histograms in the exposition's form. bcmon.ko
 * keeps each bucket's most recent exemplar per series; each becomes the
 * labels trace_id and span_id (lowercase hex, 32 and 16 characters: the
 * names Prometheus and OpenTelemetry use), the value in base units like
 * the histogram's sum, and the time in seconds since the epoch.
 * Apart from the kmod collector so that it is tested without a kernel.
 */
#ifndef BCMON_EXPORTER_KMOD_EXEMPLARS_H
#define BCMON_EXPORTER_KMOD_EXEMPLARS_H

#include <stddef.h>

#include <bcmon/sets.h>

#include "expo.h"

/* One exemplar as the writer takes it, with the text its labels point to. */
struct kmod_exemplar {
	struct expo_exemplar ex;
	struct expo_label labels[2];
	char trace_id[2 * BCMON_TRACE_ID_LEN + 1];
	char span_id[2 * BCMON_SPAN_ID_LEN + 1];
};

/*
 * Room for one histogram's exemplars, reused from histogram to histogram
 * (zero-initialized to start; grown to the largest histogram that has
 * exemplars, so histograms without any never allocate).
 */
struct kmod_exemplars {
	const struct expo_exemplar **by_bucket;	/* each bucket's, or NULL */
	struct kmod_exemplar *slot;
	size_t cap;				/* buckets both have room for */
};

/* in as out (labels pointing into out), its value scaled by 10^scale. */
void kmod_exemplar_convert(const struct bcmon_exemplar_info *in, int scale,
			   struct kmod_exemplar *out);

/*
 * The exemplars of a reading of histogram m (n of them, by bucket; the
 * metric's or a series'), whose bounds are as the histogram is written
 * (base units): *out gets the m->n_bounds + 1 pointers
 * expo_histogram_exemplars() takes, or NULL when none is kept. Every
 * exemplar bcmon.ko can hold is kept, in a form the writer accepts in its
 * bucket (fit_bucket() in kmod_exemplars.c); one that is not in its
 * bucket by the module's own rule is left out. Returns how many were
 * kept, or -ENOMEM.
 */
int kmod_exemplars_prepare(struct kmod_exemplars *x, const struct bcmon_metric_info *m,
			   const double *bounds, const struct bcmon_exemplar_info *in,
			   size_t n, const struct expo_exemplar *const **out);
/*
 * The same for a native-only histogram m (no bounds: its one module bucket
 * is +Inf) written with classic buckets derived from its native ones
 * (nbounds bounds, base units): each exemplar goes to the derived bucket
 * its value, as written, falls in, so the writer always accepts it.
 */
int kmod_exemplars_place(struct kmod_exemplars *x, const struct bcmon_metric_info *m,
			 const double *bounds, size_t nbounds,
			 const struct bcmon_exemplar_info *in, size_t n,
			 const struct expo_exemplar *const **out);
void kmod_exemplars_free(struct kmod_exemplars *x);

#endif
