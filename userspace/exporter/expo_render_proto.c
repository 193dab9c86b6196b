// SPDX-License-Identifier: GPL-2.0
/*
 * Exposition, rendering side for the protobuf format: recordings
 * (expo_record.h) to delimited io.prometheus.client.MetricFamily messages
 * through expo_proto.c. The same rule across recordings as the text
 * renderer (a family name once per exposition, the first recording wins);
 * counters are named with "_total", as client_golang names them.
 * Histograms go out with their native buckets when the recording has them
 * ('N' after 'H'), and with their classic buckets unless those were only
 * derived from the native ones; their exemplars on the classic buckets, or
 * in Histogram.exemplars when there are none (expo_proto.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "expo_native.h"
#include "expo_proto.h"
#include "expo_record.h"

struct proto_renderer {
	struct expo_proto *p;
	struct strbuf *out;
	expo_sink_fn sink;
	void *sink_arg;
	int sink_err;
	struct expo_render_stats stats;
	/* scratch, reused from sample to sample */
	struct expo_label labels[EXPO_MAX_LABELS];
	struct strbuf label_text;
	double *bounds;
	uint64_t *counts;
	struct expo_native_bucket *buckets;
	size_t bounds_cap, counts_cap, buckets_cap;
	/* a histogram's exemplars: per bucket, their labels and text */
	const struct expo_exemplar **ex_by_bucket;
	struct expo_exemplar *ex;
	struct expo_label *ex_labels;
	size_t *ex_at;		/* offsets of their names and values in ex_text */
	struct strbuf ex_text;
	size_t ex_by_bucket_cap, ex_cap, ex_labels_cap, ex_at_cap;
};

struct pcursor {
	const char *p;
};

static void pget(struct pcursor *c, void *v, size_t n)
{
	memcpy(v, c->p, n);
	c->p += n;
}

static unsigned int pget_u8(struct pcursor *c)
{
	return (unsigned char)*c->p++;
}

/* Labels as NUL-terminated strings in r->label_text; the count, or -ENOMEM. */
static int read_labels(struct proto_renderer *r, struct pcursor *c)
{
	unsigned int n = pget_u8(c);
	size_t at[EXPO_MAX_LABELS][2];

	sb_reset(&r->label_text);
	for (unsigned int i = 0; i < n; i++) {
		unsigned int nl = pget_u8(c);
		uint32_t vl;

		pget(c, &vl, sizeof(vl));
		at[i][0] = r->label_text.len;
		sb_putn(&r->label_text, c->p, nl);
		sb_putc(&r->label_text, '\0');
		at[i][1] = r->label_text.len;
		sb_putn(&r->label_text, c->p + nl, vl);
		sb_putc(&r->label_text, '\0');
		c->p += nl + vl;
	}
	if (sb_failed(&r->label_text))
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		r->labels[i].name = r->label_text.buf + at[i][0];
		r->labels[i].value = r->label_text.buf + at[i][1];
	}
	return (int)n;
}

static bool grow(void **v, size_t *cap, size_t want, size_t size)
{
	void *p;

	if (want <= *cap)
		return true;
	p = realloc(*v, want * size);
	if (!p)
		return false;
	*v = p;
	*cap = want;
	return true;
}

/*
 * One exemplar's labels: when keep, NUL-terminated copies appended to
 * r->ex_text (the record has lengths, protobuf-c wants C strings) and
 * their offsets to r->ex_at (the text may move while it grows); else only
 * stepped over. false: out of memory (stepped over all the same).
 */
static bool read_exemplar_labels(struct proto_renderer *r, struct pcursor *c,
				 unsigned int n, size_t first, bool keep)
{
	if (keep && !grow((void **)&r->ex_at, &r->ex_at_cap, 2 * (first + n),
			  sizeof(*r->ex_at)))
		keep = false;
	for (unsigned int k = 0; k < n; k++) {
		unsigned int nl = pget_u8(c);
		uint32_t vl;

		pget(c, &vl, sizeof(vl));
		if (keep) {
			r->ex_at[2 * (first + k)] = r->ex_text.len;
			sb_putn(&r->ex_text, c->p, nl);
			sb_putc(&r->ex_text, '\0');
			r->ex_at[2 * (first + k) + 1] = r->ex_text.len;
			sb_putn(&r->ex_text, c->p + nl, vl);
			sb_putc(&r->ex_text, '\0');
		}
		c->p += nl + vl;
	}
	return keep;
}

/* Each kept exemplar's labels point into the text, now that it is whole. */
static void link_exemplar_labels(struct proto_renderer *r, uint32_t nb)
{
	size_t k = 0;

	for (uint32_t i = 0; i <= nb; i++) {
		struct expo_exemplar *e = &r->ex[i];

		if (!r->ex_by_bucket[i])
			continue;
		e->labels = &r->ex_labels[k];
		for (size_t j = 0; j < e->nlabels; j++, k++) {
			r->ex_labels[k].name = r->ex_text.buf + r->ex_at[2 * k];
			r->ex_labels[k].value = r->ex_text.buf + r->ex_at[2 * k + 1];
		}
	}
}

/*
 * A histogram's exemplars, after its cumulative counts: *out is NULL when
 * it has none (or skip: only step over them), else nb + 1 pointers, each
 * bucket's exemplar or NULL, valid until the next histogram. 0 or -ENOMEM;
 * the cursor is past them either way.
 */
static int read_exemplars(struct proto_renderer *r, struct pcursor *c, uint32_t nb,
			  bool skip, const struct expo_exemplar *const **out)
{
	size_t nlabels = 0;
	bool keep = !skip;

	*out = NULL;
	if (!pget_u8(c))
		return 0;
	if (keep)
		keep = grow((void **)&r->ex_by_bucket, &r->ex_by_bucket_cap, (size_t)nb + 1,
			    sizeof(*r->ex_by_bucket)) &&
		       grow((void **)&r->ex, &r->ex_cap, (size_t)nb + 1, sizeof(*r->ex));
	sb_reset(&r->ex_text);
	for (uint32_t i = 0; i <= nb; i++) {
		/* r->ex has room for every bucket if keep is true here */
		struct expo_exemplar scratch, *e = keep ? &r->ex[i] : &scratch;
		unsigned int n;

		if (keep)
			r->ex_by_bucket[i] = NULL;
		if (!pget_u8(c))
			continue;
		n = pget_u8(c);
		if (keep && !grow((void **)&r->ex_labels, &r->ex_labels_cap, nlabels + n,
				  sizeof(*r->ex_labels)))
			keep = false;
		keep = read_exemplar_labels(r, c, n, nlabels, keep);
		pget(c, &e->value, sizeof(e->value));
		pget(c, &e->timestamp, sizeof(e->timestamp));
		if (!keep)
			continue;
		e->nlabels = n;
		nlabels += n;
		r->ex_by_bucket[i] = e;
	}
	if (skip)
		return 0;
	if (!keep || sb_failed(&r->ex_text))
		return -ENOMEM;
	link_exemplar_labels(r, nb);
	*out = (const struct expo_exemplar *const *)r->ex_by_bucket;
	return 0;
}

/* The 'H' record (and its 'N', if next) as a protobuf histogram. */
static int render_histogram(struct proto_renderer *r, int nlabels, struct pcursor *c,
			    const char *end, bool skip)
{
	const struct expo_exemplar *const *ex;
	struct expo_histogram h;
	struct expo_native nat;
	uint32_t nb, npos = 0, nneg = 0;
	uint64_t prev = 0;
	bool has_native = false, derived = false;
	double sum;
	int err;

	pget(c, &nb, sizeof(nb));
	pget(c, &sum, sizeof(sum));
	if (!grow((void **)&r->bounds, &r->bounds_cap, (size_t)nb + 1, sizeof(double)) ||
	    !grow((void **)&r->counts, &r->counts_cap, (size_t)nb + 1, sizeof(uint64_t)))
		return -ENOMEM;
	pget(c, r->bounds, (size_t)nb * sizeof(double));
	for (uint32_t i = 0; i <= nb; i++) {
		uint64_t cum;

		pget(c, &cum, sizeof(cum));
		r->counts[i] = cum - prev;	/* per bucket */
		prev = cum;
	}
	err = read_exemplars(r, c, nb, skip, &ex);
	if (err)
		return err;
	if (c->p < end && *c->p == REC_NATIVE) {
		c->p++;
		has_native = true;
		derived = pget_u8(c);
		pget(c, &nat.schema, sizeof(nat.schema));
		pget(c, &nat.zero_threshold, sizeof(nat.zero_threshold));
		pget(c, &nat.zero_count, sizeof(nat.zero_count));
		pget(c, &npos, sizeof(npos));
		pget(c, &nneg, sizeof(nneg));
		if (!grow((void **)&r->buckets, &r->buckets_cap, (size_t)npos + nneg + 1,
			  sizeof(*r->buckets)))
			return -ENOMEM;
		for (uint32_t i = 0; i < npos + nneg; i++) {
			pget(c, &r->buckets[i].index, sizeof(r->buckets[i].index));
			pget(c, &r->buckets[i].count, sizeof(r->buckets[i].count));
		}
		nat.positive = r->buckets;
		nat.npositive = npos;
		nat.negative = r->buckets + npos;
		nat.nnegative = nneg;
	}
	if (skip)
		return 0;
	h = (struct expo_histogram){ nb, r->bounds, r->counts, sum };
	r->stats.series++;
	return expo_proto_histogram_exemplars(r->p, r->labels, (size_t)nlabels, &h, !derived,
					      has_native ? &nat : NULL, ex);
}

/* The family built so far goes out; the text is passed on when due. */
static int flush_family(struct proto_renderer *r, bool last)
{
	int err = expo_proto_flush(r->p, r->out);

	if (err)
		return err;
	if (r->sink && !r->sink_err && r->out->len &&
	    (last || r->out->len >= EXPO_SINK_CHUNK)) {
		r->sink_err = r->sink(r->sink_arg, r->out->buf, r->out->len);
		sb_reset(r->out);
	}
	return r->sink_err;
}

static int render_part(struct proto_renderer *r, const struct expo_writer *const *parts,
		       size_t k)
{
	const char *end = parts[k]->rec.buf + parts[k]->rec.len;
	struct pcursor c = { parts[k]->rec.buf };
	bool skip = false, have_family = false;
	int err = 0;

	while (!err && c.p < end) {
		int tag = (int)pget_u8(&c), n;

		if (tag == REC_FAMILY) {
			char name[EXPO_NAME_MAX + sizeof("_total")];
			struct expo_family_rec f;
			uint32_t help_len;
			const char *help;
			char *help_copy = NULL;
			enum expo_type type;

			err = have_family ? flush_family(r, false) : 0;
			if (err)
				break;
			c.p = expo_family_record_read(c.p, &f);
			type = f.type;
			help = f.help;
			help_len = f.help_len;
			memcpy(name, f.name, f.name_len);
			name[f.name_len] = '\0';
			skip = expo_render_earlier_has(parts, k, &f.clash);
			if (skip) {
				r->stats.dropped++;
				have_family = false;
				continue;
			}
			if (type == EXPO_COUNTER)
				strcat(name, "_total");
			if (help_len != EXPO_NO_HELP) {
				help_copy = malloc((size_t)help_len + 1);
				if (!help_copy)
					return -ENOMEM;
				memcpy(help_copy, help, help_len);
				help_copy[help_len] = '\0';
			}
			err = expo_proto_family(r->p, name, type, help_copy);
			free(help_copy);
			have_family = true;
			continue;
		}
		n = read_labels(r, &c);
		if (n < 0)
			return n;
		if (tag == REC_HISTOGRAM) {
			err = render_histogram(r, n, &c, end, skip);
		} else {
			uint64_t u;
			int64_t i;
			double d;

			pget(&c, &d, sizeof(d));
			if (skip)
				continue;
			memcpy(&u, &d, sizeof(u));
			memcpy(&i, &d, sizeof(i));
			r->stats.series++;
			err = expo_proto_value(r->p, r->labels, (size_t)n,
					       tag == REC_U64 ? (double)u :
					       tag == REC_I64 ? (double)i : d);
		}
	}
	if (!err && have_family)
		err = flush_family(r, false);
	return err;
}

int expo_render_proto(const struct expo_writer *const *parts, size_t nparts,
		      struct strbuf *out, expo_sink_fn sink, void *sink_arg,
		      struct expo_render_stats *stats)
{
	struct proto_renderer r = { .out = out, .sink = sink, .sink_arg = sink_arg };
	int err = 0;

	r.p = expo_proto_new();
	if (!r.p)
		return -ENOMEM;
	sb_init(&r.label_text);
	sb_init(&r.ex_text);
	for (size_t k = 0; !err && k < nparts; k++) {
		if (!parts[k])
			continue;
		if (expo_status(parts[k])) {
			err = -ENOMEM;
			break;
		}
		err = render_part(&r, parts, k);
	}
	if (!err)
		err = flush_family(&r, true);
	if (stats)
		*stats = r.stats;
	sb_free(&r.label_text);
	sb_free(&r.ex_text);
	free(r.ex_by_bucket);
	free(r.ex);
	free(r.ex_labels);
	free(r.ex_at);
	free(r.bounds);
	free(r.counts);
	free(r.buckets);
	expo_proto_free(r.p);
	return err;
}
