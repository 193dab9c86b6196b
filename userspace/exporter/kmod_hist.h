/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One reading of a counter-set histogram (the metric's or a series') into
 * the exposition writer: classic buckets, exemplars (kmod_exemplars.h) and,
 * for a native histogram (issue 13), its native buckets
 * (Documentation/native-histograms.md) as an expo_native in base units.
 * The protobuf format sends those, beside the metric's classic buckets
 * when it has bounds; the text formats serve the classic buckets: the
 * metric's own, or for a native-only metric classic buckets derived from
 * the native ones exactly (expo_native_to_classic()). Apart from the kmod
 * collector so that it is tested without a kernel.
 */
#ifndef BCMON_EXPORTER_KMOD_HIST_H
#define BCMON_EXPORTER_KMOD_HIST_H

#include <stddef.h>
#include <stdint.h>

#include <bcmon/sets.h>

#include "expo.h"
#include "expo_native.h"
#include "kmod_exemplars.h"

struct kmod_hist_reading {
	const uint64_t *buckets;	/* n_bounds + 1 */
	int64_t sum;
	size_t n_exemplars;
	const struct bcmon_exemplar_info *exemplars;
	const struct bcmon_native_buckets *native;	/* NULL: classic only */
};

/*
 * Room reused from histogram to histogram (zero-initialized to start,
 * grown to the largest; classic-only histograms without exemplars never
 * allocate).
 */
struct kmod_hist_room {
	struct kmod_exemplars ex;
	struct expo_native_bucket *native;
	size_t native_cap;
	double *bounds;			/* derived classic buckets */
	size_t bounds_cap;
	uint64_t *counts;
	size_t counts_cap;
};

/*
 * Write reading r of histogram m with labels; bounds are m's bounds in
 * base units (buckets_scaled()). -EINVAL for a reading without buckets,
 * the writer's refusal of one it cannot take (-ERANGE: native counts that
 * do not add up to the classic ones; -EINVAL), -ENOMEM.
 */
int kmod_hist_write(struct expo_writer *w, struct kmod_hist_room *room,
		    const struct bcmon_metric_info *m, const double *bounds,
		    const struct expo_label *labels, size_t nlabels,
		    const struct kmod_hist_reading *r);
void kmod_hist_room_free(struct kmod_hist_room *room);

#endif
