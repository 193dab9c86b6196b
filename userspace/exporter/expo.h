/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exposition: collectors record metric families into a writer; the
 * recordings of one scrape are then rendered, in order, as the Prometheus
 * text format 0.0.4 or OpenMetrics 1.0.0. It knows nothing about where
 * numbers come from. Recording is format-free, so that scrapes asking for
 * different formats at the same moment can share one collection.
 *
 * Rules enforced when recording, so that no collector can break a scrape:
 * - metric and label names are validated; "le" is reserved for histograms;
 * - a family name appears once per recording and its samples are
 *   contiguous (a new family ends the previous one); a family whose name
 *   is another's plus or minus "_total", "_count", "_sum", "_bucket",
 *   "_created" or "_info" is refused (-EEXIST) like a duplicate, since the
 *   two could emit the same sample name;
 * - a family whose every read failed (no sample) does not appear at all;
 * - counters are never negative or NaN; histograms get per-bucket counts
 *   with finite, strictly ascending bounds, and come out cumulative with
 *   "+Inf" equal to "_count";
 * - every call either records a whole sample or nothing and returns 0 or
 *   a negative errno.
 * And when rendering:
 * - the same two rules across the recordings of one exposition: a family
 *   that an earlier recording has, or that clashes with one of its
 *   families by a suffix, is left out whole (the first one wins);
 * - counters: OpenMetrics gets the family without "_total" in TYPE/HELP
 *   and the sample with it; the text format uses the "_total" name
 *   everywhere (as client_golang does);
 * - OpenMetrics: a histogram with negative buckets or a negative sum has
 *   neither "_sum" nor "_count" (a sum is exposed if and only if a count
 *   is), and the exposition ends with "# EOF".
 */
#ifndef BCMON_EXPORTER_EXPO_H
#define BCMON_EXPORTER_EXPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

enum expo_format {
	EXPO_FMT_TEXT,		/* text/plain; version=0.0.4 */
	EXPO_FMT_OPENMETRICS,	/* application/openmetrics-text; version=1.0.0 */
	EXPO_FMT_PROTOBUF,	/* io.prometheus.client.MetricFamily, delimited
				 * (expo_render_proto.c): native histograms */
	EXPO_NFORMATS
};

enum expo_type {
	EXPO_COUNTER,
	EXPO_GAUGE,
	EXPO_HISTOGRAM,
	EXPO_UNTYPED,
};

struct expo_label {
	const char *name;
	const char *value;
};

/*
 * An exemplar: one observation of a histogram bucket with a reference to
 * data outside the metrics, typically the trace it belongs to
 * ({trace_id, span_id}). OpenMetrics and protobuf carry them (protobuf on
 * the classic bucket, or in Histogram.exemplars for a histogram sent
 * native only: expo_proto.h); the text format 0.0.4 has no exemplars and
 * leaves them out. Rules (OpenMetrics 1.0): label names valid, names and
 * values together at most 128 characters; the value must fall into its
 * bucket (above the previous bound, at most its own; the first bucket has
 * no lower bound, so a negative value belongs there).
 */
struct expo_exemplar {
	const struct expo_label *labels;
	size_t nlabels;
	double value;
	double timestamp;	/* seconds since the epoch; 0: none */
};

struct expo_histogram {
	size_t nbounds;
	const double *bounds;	/* finite upper bounds, strictly ascending */
	const uint64_t *counts;	/* nbounds + 1 per-bucket counts, last above top */
	double sum;
};

/* A recording of families and their samples. */
struct expo_writer;

struct expo_writer *expo_new(void);
void expo_free(struct expo_writer *w);

/*
 * The room a recording took, to make the next one of the same collector
 * with that room from the start: no buffer grown (and copied) step by
 * step, no name table rehashed, scrape after scrape.
 */
struct expo_size {
	size_t bytes;		/* of records */
	size_t families;	/* names in the clash table */
};
struct expo_size expo_size_of(const struct expo_writer *w);
/* Make room for size; -ENOMEM (and the recording failed) when there is none. */
int expo_reserve(struct expo_writer *w, struct expo_size size);

int expo_family(struct expo_writer *w, const char *name, enum expo_type type,
		const char *help);
/*
 * The same in two steps, for a collector that writes the same families
 * scrape after scrape: expo_family_encode() validates the family and
 * appends its record to out (0; -EINVAL and nothing appended for an
 * invalid one; -ENOMEM), which the collector keeps; expo_family_add()
 * then adds that record, unchanged, to a recording as expo_family()
 * would have (the name clash rules are applied per recording, every
 * time), with no name checked, hashed or encoded again.
 */
int expo_family_encode(struct strbuf *out, const char *name, enum expo_type type,
		       const char *help);
int expo_family_add(struct expo_writer *w, const char *rec, size_t len);
int expo_sample(struct expo_writer *w, const struct expo_label *labels,
		size_t nlabels, double value);
int expo_sample_u64(struct expo_writer *w, const struct expo_label *labels,
		    size_t nlabels, uint64_t value);
int expo_sample_i64(struct expo_writer *w, const struct expo_label *labels,
		    size_t nlabels, int64_t value);
int expo_histogram(struct expo_writer *w, const struct expo_label *labels,
		   size_t nlabels, const struct expo_histogram *h);
/* The same with exemplars: nbounds + 1 pointers, each bucket's exemplar or
 * NULL. An invalid exemplar refuses the whole histogram (-EINVAL). */
int expo_histogram_exemplars(struct expo_writer *w, const struct expo_label *labels,
			     size_t nlabels, const struct expo_histogram *h,
			     const struct expo_exemplar *const *exemplars);
/*
 * A histogram with native buckets too (expo_native.h): h is its classic
 * form, which the text formats serve; the protobuf format sends the native
 * buckets and, unless classic_derived (h only re-expresses the native
 * buckets, so sending it would add nothing), h's buckets beside them. The
 * native buckets must add up to h's count.
 */
struct expo_native;
int expo_histogram_native(struct expo_writer *w, const struct expo_label *labels,
			  size_t nlabels, const struct expo_histogram *h,
			  bool classic_derived, const struct expo_native *native);
/* The same with exemplars of h's buckets, as expo_histogram_exemplars(). */
int expo_histogram_native_exemplars(struct expo_writer *w, const struct expo_label *labels,
				    size_t nlabels, const struct expo_histogram *h,
				    bool classic_derived, const struct expo_native *native,
				    const struct expo_exemplar *const *exemplars);
/* Samples recorded (histogram lines each count). */
size_t expo_series(const struct expo_writer *w);
/* -ENOMEM once a record was lost to a failed allocation, else 0. */
int expo_status(const struct expo_writer *w);

/*
 * Optional output sink: instead of keeping all the text in out, hand it
 * on as it grows. At the end of a sample, once out holds EXPO_SINK_CHUNK
 * bytes or more, and at the end, sink gets out's text and out is emptied.
 * A sink's error ends the rendering.
 */
#define EXPO_SINK_CHUNK (64 * 1024)
typedef int (*expo_sink_fn)(void *arg, const char *text, size_t len);

struct expo_render_stats {
	size_t series;		/* sample lines written */
	size_t dropped;		/* families left out: an earlier recording has them */
};

/*
 * Render recordings parts[0..nparts) (NULL entries are skipped) as one
 * exposition in fmt into out (or through sink). 0, -ENOMEM, or the sink's
 * error. stats may be NULL.
 */
int expo_render(const struct expo_writer *const *parts, size_t nparts,
		enum expo_format fmt, struct strbuf *out, expo_sink_fn sink,
		void *sink_arg, struct expo_render_stats *stats);

/* Shared helpers, exposed for other writers and tests. */
const char *expo_content_type(enum expo_format fmt);
bool expo_metric_name_valid(const char *name);
bool expo_label_name_valid(const char *name);
/* Shortest text that parses back to v; "+Inf", "-Inf", "NaN". In the
 * OpenMetrics form integral values get ".0" (canonical for "le"). */
void expo_format_double(char *buf, size_t len, double v, bool openmetrics);

#endif
