/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libbcmon counter sets: create, destroy, read (one set or all), batched
 * updates, module status. Included by <bcmon/libbcmon.h>.
 *
 * Build an application with -DBCMON_NO_METRICS and every *recording* call
 * (the batch builder and the one-shot add/set/observe helpers) becomes an
 * inline no-op returning 0: the same source, with metrics compiled out.
 *
 * Labeled metrics (Documentation/labels.md): a metric may declare label
 * names (bcmon_metric_spec.label_names); every recording call then names
 * one value per label (the *_labels variants), and each tuple of values is
 * a series the kernel creates on its first update.
 */
#ifndef BCMON_SETS_H
#define BCMON_SETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/bcmon.h>

struct bcmon;

/* --- definitions (create) -------------------------------------------------- */

/*
 * One metric to create. unit/help may be NULL; bounds for histograms only;
 * label_names (n_labels of them, at most BCMON_LABELS_MAX and the module's
 * max_labels) make a labeled metric. A histogram has bounds, native
 * buckets (native: Prometheus' exponential buckets,
 * Documentation/native-histograms.md), or both; the native_* fields are
 * read only when native is set.
 */
struct bcmon_metric_spec {
	const char *name;
	enum bcmon_metric_kind kind;
	const char *unit;		/* base unit, e.g. "seconds" */
	int32_t scale;			/* value * 10^scale = base units */
	const char *help;
	const uint64_t *bounds;		/* ascending upper bounds */
	size_t n_bounds;
	const char *const *label_names;	/* NULL/0: an unlabeled metric */
	size_t n_labels;
	/* Appended for issue 13: zero-initialised specs stay classic. */
	bool native;			/* histogram: native buckets */
	bool native_negative;		/* negative observations allowed */
	int32_t native_schema;		/* -4..8: 2^(2^-schema) the bucket base */
	uint32_t native_max_buckets;	/* per sign and CPU; 0: module default */
	uint64_t native_zero_threshold;	/* |v| <= it (raw units): zero bucket */
};

/* One label of a series, in recording calls and deletions. */
struct bcmon_label {
	const char *name;
	const char *value;
};

/*
 * The trace a histogram observation belongs to (W3C trace context): an
 * exemplar. The module keeps the most recent one of each bucket of each
 * series (Documentation/tracing.md).
 */
struct bcmon_exemplar {
	uint8_t trace_id[BCMON_TRACE_ID_LEN];	/* not all zero */
	uint8_t span_id[BCMON_SPAN_ID_LEN];	/* not all zero */
};

/* Needs CAP_NET_ADMIN or the writer group. */
int bcmon_set_create(struct bcmon *bc, const char *set,
		     const struct bcmon_metric_spec *metrics, size_t n);
/* Needs CAP_NET_ADMIN, or the writer group and ownership of the set. */
int bcmon_set_destroy(struct bcmon *bc, const char *set);
/*
 * Delete the series of a labeled metric that labels name (one per label
 * name, any order): a peer left. -ENOENT when it has no series. Permission
 * as for recording.
 */
int bcmon_series_delete(struct bcmon *bc, const char *set, const char *metric,
			const struct bcmon_label *labels, size_t n);

/* --- values (read) ---------------------------------------------------------- */

/*
 * A metric as read back: neutral data for printers and exporters. Values
 * are in the metric's unit; multiply by 10^scale for base units. The
 * strings and arrays belong to the set they were read with (packed in a
 * few blocks per set rather than fixed-size arrays in every metric: a read
 * of 10,000 metrics is then ~1 MB, not ~4 MB).
 */
/* A bucket's most recent exemplar as read back. */
struct bcmon_exemplar_info {
	uint32_t bucket;		/* index into buckets */
	int64_t value;			/* observed, in the metric's unit */
	uint64_t time_ns;		/* recorded (CLOCK_REALTIME) */
	struct bcmon_exemplar ids;
};

/*
 * A native histogram's buckets as read back: bucket i holds the values x
 * (base units, value * 10^scale) with B^(i-1) < x <= B^i, B =
 * 2^(2^-schema). Counts are absolute, of consecutive buckets from the
 * offset (n_positive 0: no positive observation, positive NULL); the
 * negative ones are the buckets of |x| of negative observations. The
 * library checked that every index offset + k is at most 128 * 2^schema in
 * magnitude (bounds within 2^-128..2^128: finite doubles, and index +- 1
 * cannot overflow).
 */
struct bcmon_native_buckets {
	int32_t schema;			/* <= the metric's: lowered when the
					 * observations span more than
					 * max-buckets */
	uint64_t zero_count;		/* |v| <= the zero threshold */
	int32_t positive_offset;
	int32_t negative_offset;
	size_t n_positive, n_negative;
	const uint64_t *positive;
	const uint64_t *negative;
};

/* One series of a labeled metric as read back. */
struct bcmon_series_info {
	const char *const *label_values; /* one per label name, in order */
	int64_t value;			/* gauge; counter as (uint64_t)value */
	uint64_t count;			/* histogram */
	int64_t sum;			/* histogram */
	const uint64_t *buckets;	/* histogram: n_bounds + 1 counts */
	size_t n_exemplars;		/* histogram: buckets with an exemplar */
	const struct bcmon_exemplar_info *exemplars;	/* by bucket */
	const struct bcmon_native_buckets *native;	/* native histogram */
};

struct bcmon_metric_info {
	const char *name;
	const char *help;		/* "" when none */
	const char *unit;		/* "" when none */
	enum bcmon_metric_kind kind;
	int32_t scale;
	int64_t value;			/* gauge; counter as (uint64_t)value */
	uint64_t count;			/* histogram */
	int64_t sum;			/* histogram */
	size_t n_bounds;
	const uint64_t *bounds;		/* n_bounds ascending upper bounds */
	const uint64_t *buckets;	/* histogram: n_bounds + 1 counts, not
					 * cumulative; the last is +Inf */
	size_t n_exemplars;		/* histogram: buckets with an exemplar */
	const struct bcmon_exemplar_info *exemplars;	/* by bucket */
	/*
	 * A labeled metric (n_labels > 0) has no value of its own
	 * (value/count/sum/buckets above are 0/NULL): its series carry them.
	 */
	size_t n_labels;
	const char *const *label_names;
	size_t n_series;
	struct bcmon_series_info *series;
	uint32_t series_count;		/* the kernel's count when it last said */
	uint64_t refused[__BCMON_REFUSED_MAX];	/* updates refused, by
						 * enum bcmon_refusal */
	/*
	 * A native histogram (native true): its definition as created, and
	 * (unlabeled only; a labeled one's series carry theirs) its buckets.
	 * Classic bounds are optional then: n_bounds 0 leaves one bucket,
	 * +Inf.
	 */
	bool native;
	bool native_negative;
	int32_t native_schema;
	uint32_t native_max_buckets;
	uint64_t native_zero_threshold;
	const struct bcmon_native_buckets *native_buckets;
};

struct bcmon_set_storage;

struct bcmon_set_info {
	char name[BCMON_NAME_MAX];
	uint32_t owner_uid;
	size_t n_metrics;
	struct bcmon_metric_info *metrics;
	struct bcmon_set_storage *storage;	/* private: the metrics' strings
						 * and arrays */
	uint8_t owner;			/* enum bcmon_origin; BCMON_ORIGIN_UNSPEC
					 * from a module too old to say */
	bool has_owner_uid;		/* owner_uid is meaningful (user sets) */
};

struct bcmon_set_list {
	size_t n_sets;
	struct bcmon_set_info *sets;
};

/*
 * Streaming read: fn is called once per set, with the whole set (its parts
 * merged), which is valid only during the call; one set is in memory at a
 * time. set NULL reads every set, else only that one (-ENOENT if absent).
 * A non-zero return from fn stops the read and is returned.
 *
 * If the kernel flags the dump as interrupted (a set created or destroyed
 * meanwhile), reading goes on and -EINTR is returned at the end: every set
 * delivered was read whole, but a set created or destroyed meanwhile may be
 * missing, and so is a set whose parts straddled the change (never
 * delivered as a mix of before and after). Callers that need one
 * consistent list use bcmon_set_dump(), which retries.
 */
typedef int (*bcmon_set_fn)(const struct bcmon_set_info *set, void *arg);
int bcmon_set_foreach(struct bcmon *bc, const char *set, bcmon_set_fn fn,
		      void *arg);

/* One set (complete even when it spans many messages). Free with _free. */
int bcmon_set_get(struct bcmon *bc, const char *set, struct bcmon_set_info *out);
void bcmon_set_info_free(struct bcmon_set_info *info);

/*
 * Every set, all in memory. A dump that the kernel flags as interrupted
 * (sets created or destroyed meanwhile) is retried a few times, then fails
 * with -EINTR. Prefer bcmon_set_foreach() when each set can be handled on
 * its own.
 */
int bcmon_set_dump(struct bcmon *bc, struct bcmon_set_list *out);
void bcmon_set_list_free(struct bcmon_set_list *list);

/* Index of metric name in info, or -1. */
int bcmon_set_info_find(const struct bcmon_set_info *info, const char *name);
/* Index of the label name in m, or -1. */
int bcmon_metric_label_index(const struct bcmon_metric_info *m, const char *name);

/* Name of an enum bcmon_refusal: "series_limit", ... (NULL if out of range). */
const char *bcmon_refusal_name(enum bcmon_refusal reason);

/* --- status ------------------------------------------------------------------ */

struct bcmon_status {
	char version[64];
	uint32_t sets, max_sets, max_metrics, max_buckets;
	uint64_t mem_used, mem_limit;
	bool has_writer_gid;
	uint32_t writer_gid;
	bool has_error_ring_size, has_errors_recorded, has_sensor_interval;
	uint32_t error_ring_size;
	uint64_t errors_recorded;
	uint32_t sensor_interval_ms;
	bool has_labels;		/* a module with labeled metrics */
	uint32_t max_labels, max_series, max_label_value_len;
	uint8_t label_charset;		/* enum bcmon_label_charset */
	char reserved_set_words[256];	/* "" when none or not said */
	uint32_t max_native_buckets;	/* 0: a module without native
					 * histograms */
};

int bcmon_get_status(struct bcmon *bc, struct bcmon_status *out);

/* --- recording ---------------------------------------------------------------- */

/*
 * The batch builder packs many updates of one set into as few messages as
 * possible: an update is only queued, and the batch is sent when it holds
 * max_entries updates (0: 256) or on bcmon_batch_flush(). The kernel checks
 * a whole message before applying any of it.
 */
struct bcmon_batch;

#ifndef BCMON_NO_METRICS

struct bcmon_batch *bcmon_batch_new(struct bcmon *bc, const char *set,
				    size_t max_entries);
/* Counter (delta >= 0) or gauge add. */
int bcmon_batch_add(struct bcmon_batch *b, const char *metric, int64_t delta);
int bcmon_batch_set(struct bcmon_batch *b, const char *metric, int64_t value);
int bcmon_batch_observe(struct bcmon_batch *b, const char *metric,
			int64_t value);
/*
 * The same for a labeled metric: labels names the series (one value per
 * label name, any order). An update whose labels do not fit the message
 * being filled sends it first; each message is applied all or nothing.
 */
int bcmon_batch_add_labels(struct bcmon_batch *b, const char *metric,
			   const struct bcmon_label *labels, size_t n,
			   int64_t delta);
int bcmon_batch_set_labels(struct bcmon_batch *b, const char *metric,
			   const struct bcmon_label *labels, size_t n,
			   int64_t value);
int bcmon_batch_observe_labels(struct bcmon_batch *b, const char *metric,
			       const struct bcmon_label *labels, size_t n,
			       int64_t value);
/*
 * A histogram observation with its exemplar (labels NULL/0 for an
 * unlabeled metric). The kernel refuses an exemplar on anything else.
 */
int bcmon_batch_observe_exemplar(struct bcmon_batch *b, const char *metric,
				 const struct bcmon_label *labels, size_t n,
				 int64_t value, const struct bcmon_exemplar *ex);
/* Send what is queued; 0 when nothing is. */
int bcmon_batch_flush(struct bcmon_batch *b);
/* Updates queued and not yet sent. */
size_t bcmon_batch_pending(const struct bcmon_batch *b);
/* Free without sending. */
void bcmon_batch_free(struct bcmon_batch *b);

/* One update in one message each. */
int bcmon_add(struct bcmon *bc, const char *set, const char *metric,
	      int64_t delta);
int bcmon_gauge_set(struct bcmon *bc, const char *set, const char *metric,
	      int64_t value);
int bcmon_observe(struct bcmon *bc, const char *set, const char *metric,
		  int64_t value);
int bcmon_add_labels(struct bcmon *bc, const char *set, const char *metric,
		     const struct bcmon_label *labels, size_t n, int64_t delta);
int bcmon_gauge_set_labels(struct bcmon *bc, const char *set,
			   const char *metric, const struct bcmon_label *labels,
			   size_t n, int64_t value);
int bcmon_observe_labels(struct bcmon *bc, const char *set, const char *metric,
			 const struct bcmon_label *labels, size_t n,
			 int64_t value);
int bcmon_observe_exemplar(struct bcmon *bc, const char *set,
			   const char *metric, const struct bcmon_label *labels,
			   size_t n, int64_t value,
			   const struct bcmon_exemplar *ex);

#else /* BCMON_NO_METRICS: recording compiled out */

static inline struct bcmon_batch *bcmon_batch_new(struct bcmon *bc,
						  const char *set,
						  size_t max_entries)
{
	static char bcmon_noop_batch;

	(void)bc; (void)set; (void)max_entries;
	return (struct bcmon_batch *)(void *)&bcmon_noop_batch;
}
static inline int bcmon_batch_add(struct bcmon_batch *b, const char *metric,
				  int64_t delta)
{ (void)b; (void)metric; (void)delta; return 0; }
static inline int bcmon_batch_set(struct bcmon_batch *b, const char *metric,
				  int64_t value)
{ (void)b; (void)metric; (void)value; return 0; }
static inline int bcmon_batch_observe(struct bcmon_batch *b,
				      const char *metric, int64_t value)
{ (void)b; (void)metric; (void)value; return 0; }
static inline int bcmon_batch_flush(struct bcmon_batch *b)
{ (void)b; return 0; }
static inline size_t bcmon_batch_pending(const struct bcmon_batch *b)
{ (void)b; return 0; }
static inline void bcmon_batch_free(struct bcmon_batch *b)
{ (void)b; }
static inline int bcmon_add(struct bcmon *bc, const char *set,
			    const char *metric, int64_t delta)
{ (void)bc; (void)set; (void)metric; (void)delta; return 0; }
static inline int bcmon_gauge_set(struct bcmon *bc, const char *set,
			    const char *metric, int64_t value)
{ (void)bc; (void)set; (void)metric; (void)value; return 0; }
static inline int bcmon_observe(struct bcmon *bc, const char *set,
				const char *metric, int64_t value)
{ (void)bc; (void)set; (void)metric; (void)value; return 0; }
static inline int bcmon_batch_add_labels(struct bcmon_batch *b,
					 const char *metric,
					 const struct bcmon_label *labels,
					 size_t n, int64_t delta)
{ (void)b; (void)metric; (void)labels; (void)n; (void)delta; return 0; }
static inline int bcmon_batch_set_labels(struct bcmon_batch *b,
					 const char *metric,
					 const struct bcmon_label *labels,
					 size_t n, int64_t value)
{ (void)b; (void)metric; (void)labels; (void)n; (void)value; return 0; }
static inline int bcmon_batch_observe_labels(struct bcmon_batch *b,
					     const char *metric,
					     const struct bcmon_label *labels,
					     size_t n, int64_t value)
{ (void)b; (void)metric; (void)labels; (void)n; (void)value; return 0; }
static inline int bcmon_add_labels(struct bcmon *bc, const char *set,
				   const char *metric,
				   const struct bcmon_label *labels, size_t n,
				   int64_t delta)
{ (void)bc; (void)set; (void)metric; (void)labels; (void)n; (void)delta; return 0; }
static inline int bcmon_gauge_set_labels(struct bcmon *bc, const char *set,
					 const char *metric,
					 const struct bcmon_label *labels,
					 size_t n, int64_t value)
{ (void)bc; (void)set; (void)metric; (void)labels; (void)n; (void)value; return 0; }
static inline int bcmon_observe_labels(struct bcmon *bc, const char *set,
				       const char *metric,
				       const struct bcmon_label *labels,
				       size_t n, int64_t value)
{ (void)bc; (void)set; (void)metric; (void)labels; (void)n; (void)value; return 0; }
static inline int bcmon_batch_observe_exemplar(struct bcmon_batch *b,
					       const char *metric,
					       const struct bcmon_label *labels,
					       size_t n, int64_t value,
					       const struct bcmon_exemplar *ex)
{ (void)b; (void)metric; (void)labels; (void)n; (void)value; (void)ex; return 0; }
static inline int bcmon_observe_exemplar(struct bcmon *bc, const char *set,
					 const char *metric,
					 const struct bcmon_label *labels,
					 size_t n, int64_t value,
					 const struct bcmon_exemplar *ex)
{ (void)bc; (void)set; (void)metric; (void)labels; (void)n; (void)value; (void)ex; return 0; }

#endif /* BCMON_NO_METRICS */

/* Names of kinds for people: "counter", "gauge", "histogram" (NULL if bad). */
const char *bcmon_kind_name(enum bcmon_metric_kind kind);
/* Parse a kind name; 0 (BCMON_KIND_UNSPEC) when unknown. */
enum bcmon_metric_kind bcmon_kind_parse(const char *name);

#endif /* BCMON_SETS_H */
