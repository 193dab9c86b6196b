// SPDX-License-Identifier: GPL-2.0
/*
 * Protobuf exposition with libprotobuf-c. A family's messages are built in
 * an arena (every metric, label, bucket and span of one family), packed
 * into the output with one call, and the arena is reused for the next
 * family: no allocation per sample once it has grown.
 */
#include "expo_proto.h"

#include <errno.h>
#include <math.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.pb-c.h"

typedef Io__Prometheus__Client__MetricFamily pb_family;
typedef Io__Prometheus__Client__Metric pb_metric;
typedef Io__Prometheus__Client__LabelPair pb_label;
typedef Io__Prometheus__Client__Counter pb_counter;
typedef Io__Prometheus__Client__Gauge pb_gauge;
typedef Io__Prometheus__Client__Untyped pb_untyped;
typedef Io__Prometheus__Client__Histogram pb_histogram;
typedef Io__Prometheus__Client__Bucket pb_bucket;
typedef Io__Prometheus__Client__BucketSpan pb_span;
typedef Io__Prometheus__Client__Exemplar pb_exemplar;
typedef Google__Protobuf__Timestamp pb_timestamp;

#define ARENA_CHUNK (64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	alignas(max_align_t) unsigned char data[];
};

struct expo_proto {
	pb_family family;
	enum expo_type type;
	pb_metric **metrics;
	size_t nmetrics, metrics_cap;
	struct arena_chunk *chunk;	/* current chunk; older ones follow */
	bool failed;			/* an allocation failed in this family */
};

static void *arena_alloc(struct expo_proto *p, size_t size)
{
	struct arena_chunk *c = p->chunk;
	size_t at;

	size = (size + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
	if (!c || c->cap - c->used < size) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		c = malloc(sizeof(*c) + cap);
		if (!c) {
			p->failed = true;
			return NULL;
		}
		c->used = 0;
		c->cap = cap;
		c->next = p->chunk;
		p->chunk = c;
	}
	at = c->used;
	c->used += size;
	return c->data + at;
}

/* Keep the newest chunk for the next family, free the others. */
static void arena_reset(struct expo_proto *p)
{
	struct arena_chunk *c = p->chunk, *next;

	if (!c)
		return;
	for (next = c->next; next;) {
		struct arena_chunk *n = next->next;

		free(next);
		next = n;
	}
	c->next = NULL;
	c->used = 0;
}

static char *arena_strdup(struct expo_proto *p, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = arena_alloc(p, n);

	if (d)
		memcpy(d, s, n);
	return d;
}

struct expo_proto *expo_proto_new(void)
{
	return calloc(1, sizeof(struct expo_proto));
}

void expo_proto_free(struct expo_proto *p)
{
	if (!p)
		return;
	arena_reset(p);
	free(p->chunk);
	free(p->metrics);
	free(p);
}

static Io__Prometheus__Client__MetricType pb_type(enum expo_type type)
{
	switch (type) {
	case EXPO_COUNTER:
		return IO__PROMETHEUS__CLIENT__METRIC_TYPE__COUNTER;
	case EXPO_GAUGE:
		return IO__PROMETHEUS__CLIENT__METRIC_TYPE__GAUGE;
	case EXPO_HISTOGRAM:
		return IO__PROMETHEUS__CLIENT__METRIC_TYPE__HISTOGRAM;
	case EXPO_UNTYPED:
		break;
	}
	return IO__PROMETHEUS__CLIENT__METRIC_TYPE__UNTYPED;
}

int expo_proto_family(struct expo_proto *p, const char *name,
		      enum expo_type type, const char *help)
{
	arena_reset(p);
	p->nmetrics = 0;
	p->failed = false;
	io__prometheus__client__metric_family__init(&p->family);
	p->type = type;
	p->family.name = arena_strdup(p, name);
	p->family.help = help ? arena_strdup(p, help) : NULL;
	p->family.has_type = true;
	p->family.type = pb_type(type);
	return p->failed ? -ENOMEM : 0;
}

/* Labels as LabelPairs in the arena (a metric's or an exemplar's). */
static int encode_labels(struct expo_proto *p, const struct expo_label *labels,
			 size_t nlabels, pb_label ***out)
{
	pb_label **lp = nlabels ? arena_alloc(p, nlabels * sizeof(*lp)) : NULL;

	*out = lp;
	if (nlabels && !lp)
		return -ENOMEM;
	for (size_t i = 0; i < nlabels; i++) {
		lp[i] = arena_alloc(p, sizeof(*lp[i]));
		if (!lp[i])
			return -ENOMEM;
		io__prometheus__client__label_pair__init(lp[i]);
		lp[i]->name = arena_strdup(p, labels[i].name);
		lp[i]->value = arena_strdup(p, labels[i].value);
		if (!lp[i]->name || !lp[i]->value)
			return -ENOMEM;
	}
	return 0;
}

/* A new metric with its labels, appended to the family; NULL: -ENOMEM. */
static pb_metric *new_metric(struct expo_proto *p, const struct expo_label *labels,
			     size_t nlabels)
{
	pb_metric *m = arena_alloc(p, sizeof(*m));

	if (!m)
		return NULL;
	io__prometheus__client__metric__init(m);
	if (encode_labels(p, labels, nlabels, &m->label))
		return NULL;
	m->n_label = nlabels;
	if (p->nmetrics == p->metrics_cap) {
		size_t cap = p->metrics_cap ? p->metrics_cap * 2 : 64;
		pb_metric **grown = realloc(p->metrics, cap * sizeof(*grown));

		if (!grown) {
			p->failed = true;
			return NULL;
		}
		p->metrics = grown;
		p->metrics_cap = cap;
	}
	p->metrics[p->nmetrics++] = m;
	return m;
}

int expo_proto_value(struct expo_proto *p, const struct expo_label *labels,
		     size_t nlabels, double value)
{
	size_t mark = p->nmetrics;
	pb_metric *m = new_metric(p, labels, nlabels);

	if (!m)
		goto nomem;
	switch (p->type) {
	case EXPO_COUNTER:
		m->counter = arena_alloc(p, sizeof(*m->counter));
		if (!m->counter)
			goto nomem;
		io__prometheus__client__counter__init(m->counter);
		m->counter->has_value = true;
		m->counter->value = value;
		break;
	case EXPO_GAUGE:
		m->gauge = arena_alloc(p, sizeof(*m->gauge));
		if (!m->gauge)
			goto nomem;
		io__prometheus__client__gauge__init(m->gauge);
		m->gauge->has_value = true;
		m->gauge->value = value;
		break;
	case EXPO_UNTYPED:
		m->untyped = arena_alloc(p, sizeof(*m->untyped));
		if (!m->untyped)
			goto nomem;
		io__prometheus__client__untyped__init(m->untyped);
		m->untyped->has_value = true;
		m->untyped->value = value;
		break;
	case EXPO_HISTOGRAM:
		p->nmetrics = mark;
		return -EINVAL;
	}
	return 0;
nomem:
	p->nmetrics = mark;
	return -ENOMEM;
}

/*
 * Spans and deltas of one side's buckets. Gaps of one or two empty buckets
 * are filled with zero deltas rather than opening a span (cheaper on the
 * wire, as client_golang does); buckets with a count of 0 are left out.
 */
static int encode_side(struct expo_proto *p, const struct expo_native_bucket *b,
		       size_t n, size_t *n_span, pb_span ***spans,
		       size_t *n_delta, int64_t **deltas)
{
	pb_span **sp;
	int64_t *d, prev = 0;
	int32_t next = 0;
	size_t ns = 0, nd = 0;

	*n_span = *n_delta = 0;
	if (!n)
		return 0;
	sp = arena_alloc(p, n * sizeof(*sp));
	d = arena_alloc(p, 3 * n * sizeof(*d));
	if (!sp || !d)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int64_t gap = (int64_t)b[i].index - next;

		if (!b[i].count)
			continue;
		if (b[i].count > INT64_MAX)
			return -ERANGE;
		if (!ns || gap > 2) {
			sp[ns] = arena_alloc(p, sizeof(*sp[ns]));
			if (!sp[ns])
				return -ENOMEM;
			io__prometheus__client__bucket_span__init(sp[ns]);
			sp[ns]->has_offset = sp[ns]->has_length = true;
			sp[ns]->offset = ns ? (int32_t)gap : b[i].index;
			sp[ns]->length = 0;
			ns++;
		} else {
			for (; gap > 0; gap--) {
				d[nd++] = -prev;
				prev = 0;
				sp[ns - 1]->length++;
			}
		}
		d[nd++] = (int64_t)b[i].count - prev;
		prev = (int64_t)b[i].count;
		sp[ns - 1]->length++;
		next = b[i].index + 1;
	}
	*n_span = ns;
	*spans = sp;
	*n_delta = nd;
	*deltas = d;
	return 0;
}

static int encode_native(struct expo_proto *p, pb_histogram *h,
			 const struct expo_native *nat)
{
	int err;

	h->has_schema = true;
	h->schema = nat->schema;
	h->has_zero_threshold = true;
	h->zero_threshold = nat->zero_threshold;
	h->has_zero_count = true;
	h->zero_count = nat->zero_count;
	err = encode_side(p, nat->positive, nat->npositive, &h->n_positive_span,
			  &h->positive_span, &h->n_positive_delta, &h->positive_delta);
	if (!err)
		err = encode_side(p, nat->negative, nat->nnegative, &h->n_negative_span,
				  &h->negative_span, &h->n_negative_delta,
				  &h->negative_delta);
	if (err)
		return err;
	/* Empty: a no-op span says "native" to Prometheus 3 (metrics.proto). */
	if (!h->n_positive_span && !h->n_negative_span) {
		pb_span **sp = arena_alloc(p, sizeof(*sp));

		if (!sp || !(sp[0] = arena_alloc(p, sizeof(*sp[0]))))
			return -ENOMEM;
		io__prometheus__client__bucket_span__init(sp[0]);
		sp[0]->has_offset = sp[0]->has_length = true;
		h->n_positive_span = 1;
		h->positive_span = sp;
	}
	return 0;
}

/* The latest time a Timestamp holds: 9999-12-31T23:59:59Z. */
#define TIMESTAMP_MAX_S 253402300799.0

/*
 * Seconds since the epoch as a Timestamp, to the microsecond: a double of
 * the present time (2^30..2^32 s) holds it to 0.24..0.48 us, so digits
 * below the microsecond are the double's rounding, not the clock's.
 * Rounding them off keeps a time given to the millisecond exact
 * (1700000000.123 s is 123000000 ns, not 122999906, which Prometheus,
 * truncating to milliseconds, would keep as .122). NULL for none: 0, or
 * beyond what a Timestamp may hold (the writer has refused negative and
 * non-finite times).
 */
static int encode_timestamp(struct expo_proto *p, double t, pb_timestamp **out)
{
	pb_timestamp *ts;
	double s;
	long long us;

	*out = NULL;
	if (t <= 0 || t > TIMESTAMP_MAX_S)
		return 0;
	s = floor(t);
	us = llround((t - s) * 1e6);	/* t - s is exact */
	ts = arena_alloc(p, sizeof(*ts));
	if (!ts)
		return -ENOMEM;
	google__protobuf__timestamp__init(ts);
	ts->seconds = (int64_t)s;
	if (us >= 1000000) {	/* rounded up into the next second */
		ts->seconds++;
		us -= 1000000;
	}
	ts->nanos = (int32_t)(us * 1000);
	*out = ts;
	return 0;
}

static int encode_exemplar(struct expo_proto *p, const struct expo_exemplar *e,
			   pb_exemplar **out)
{
	pb_exemplar *x = arena_alloc(p, sizeof(*x));
	int err;

	*out = x;
	if (!x)
		return -ENOMEM;
	io__prometheus__client__exemplar__init(x);
	err = encode_labels(p, e->labels, e->nlabels, &x->label);
	if (err)
		return err;
	x->n_label = e->nlabels;
	x->has_value = true;
	x->value = e->value;
	return encode_timestamp(p, e->timestamp, &x->timestamp);
}

/*
 * Classic buckets, cumulative, without "+Inf" (implicit in protobuf: the
 * count) unless an exemplar of the "+Inf" bucket needs a bucket to go on
 * (client_golang adds it the same way). ex: NULL or nbounds + 1 entries.
 */
static int encode_classic(struct expo_proto *p, pb_histogram *h,
			  const struct expo_histogram *c,
			  const struct expo_exemplar *const *ex)
{
	bool inf = ex && ex[c->nbounds];
	size_t n = c->nbounds + inf;
	uint64_t cum = 0;
	int err;

	if (!n)
		return 0;
	h->bucket = arena_alloc(p, n * sizeof(*h->bucket));
	if (!h->bucket)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		pb_bucket *b = arena_alloc(p, sizeof(*b));

		if (!b)
			return -ENOMEM;
		io__prometheus__client__bucket__init(b);
		cum += c->counts[i];
		b->has_cumulative_count = b->has_upper_bound = true;
		b->cumulative_count = cum;
		b->upper_bound = i < c->nbounds ? c->bounds[i] : INFINITY;
		if (ex && ex[i]) {
			err = encode_exemplar(p, ex[i], &b->exemplar);
			if (err)
				return err;
		}
		h->bucket[i] = b;
	}
	h->n_bucket = n;
	return 0;
}

/*
 * A native-only histogram's exemplars: Histogram.exemplars (field 16),
 * each with a timestamp (the schema's rule; Prometheus drops the others
 * there). Bucket order is ascending value, the order client_golang keeps.
 * A Prometheus that predates field 16 skips it as an unknown field: such
 * a histogram's exemplars then reach it only through OpenMetrics.
 */
static int encode_native_exemplars(struct expo_proto *p, pb_histogram *h,
				   size_t nbounds, const struct expo_exemplar *const *ex)
{
	size_t n = 0;
	int err;

	for (size_t i = 0; i <= nbounds; i++)
		n += ex[i] && ex[i]->timestamp > 0;
	if (!n)
		return 0;
	h->exemplars = arena_alloc(p, n * sizeof(*h->exemplars));
	if (!h->exemplars)
		return -ENOMEM;
	for (size_t i = 0; i <= nbounds; i++) {
		if (!ex[i] || !(ex[i]->timestamp > 0))
			continue;
		err = encode_exemplar(p, ex[i], &h->exemplars[h->n_exemplars]);
		if (err)
			return err;
		h->n_exemplars++;
	}
	return 0;
}

int expo_proto_histogram(struct expo_proto *p, const struct expo_label *labels,
			 size_t nlabels, const struct expo_histogram *classic,
			 bool with_classic, const struct expo_native *native)
{
	return expo_proto_histogram_exemplars(p, labels, nlabels, classic, with_classic,
					      native, NULL);
}

int expo_proto_histogram_exemplars(struct expo_proto *p, const struct expo_label *labels,
				   size_t nlabels, const struct expo_histogram *classic,
				   bool with_classic, const struct expo_native *native,
				   const struct expo_exemplar *const *ex)
{
	size_t mark = p->nmetrics;
	uint64_t count = 0;
	pb_histogram *h;
	pb_metric *m;
	int err = -ENOMEM;

	if (p->type != EXPO_HISTOGRAM)
		return -EINVAL;
	for (size_t i = 0; i <= classic->nbounds; i++)
		count += classic->counts[i];
	if (native && (err = expo_native_check(native, count)))
		return err;
	m = new_metric(p, labels, nlabels);
	h = m ? arena_alloc(p, sizeof(*h)) : NULL;
	if (!h)
		goto fail;
	io__prometheus__client__histogram__init(h);
	m->histogram = h;
	h->has_sample_count = h->has_sample_sum = true;
	h->sample_count = count;
	h->sample_sum = classic->sum;
	err = with_classic ? encode_classic(p, h, classic, ex) : 0;
	if (!err && native)
		err = encode_native(p, h, native);
	/*
	 * Without classic buckets the exemplars have no bucket to go on. (A
	 * histogram with both kinds keeps them on its classic buckets only:
	 * Prometheus reads those for the native form too when field 16 is
	 * empty, and sending each twice would add nothing.)
	 */
	if (!err && ex && !with_classic)
		err = encode_native_exemplars(p, h, classic->nbounds, ex);
	if (!err)
		return 0;
fail:
	p->nmetrics = mark;
	return err;
}

int expo_proto_flush(struct expo_proto *p, struct strbuf *out)
{
	unsigned char varint[10];
	size_t size, n = 0;
	uint64_t v;

	if (p->failed)
		return -ENOMEM;
	if (!p->nmetrics)
		return 0;
	p->family.n_metric = p->nmetrics;
	p->family.metric = p->metrics;
	size = io__prometheus__client__metric_family__get_packed_size(&p->family);
	for (v = size; v >= 0x80; v >>= 7)
		varint[n++] = (unsigned char)(v | 0x80);
	varint[n++] = (unsigned char)v;
	if (!sb_reserve(out, n + size + 1))
		return -ENOMEM;
	memcpy(out->buf + out->len, varint, n);
	out->len += n;
	out->len += io__prometheus__client__metric_family__pack(&p->family,
								 (uint8_t *)out->buf + out->len);
	p->nmetrics = 0;
	p->family.n_metric = 0;
	arena_reset(p);
	return 0;
}
