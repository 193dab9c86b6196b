// SPDX-License-Identifier: GPL-2.0
/*
 * Exposition, rendering side: recordings (expo_record.h) to the text
 * format 0.0.4 or OpenMetrics 1.0.0. Everything was validated when it was
 * recorded; here are only the formats' spelling rules and the one rule
 * that spans recordings (a family name once per exposition).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "expo_record.h"

struct renderer {
	enum expo_format fmt;
	bool om;
	struct strbuf *out;
	expo_sink_fn sink;
	void *sink_arg;
	int sink_err;
	struct expo_render_stats stats;
	/* the family being rendered */
	enum expo_type type;
	const char *base;
	size_t base_len;
	bool counter_total;	/* sample names get "_total" */
	bool header_due;	/* HELP/TYPE go out with the first sample */
	const char *help;
	uint32_t help_len;
	bool help_plain;	/* the recorder found nothing to escape */
};

/* A reader over one recording's bytes. */
struct cursor {
	const char *p, *end;
};

static void get(struct cursor *c, void *v, size_t n)
{
	memcpy(v, c->p, n);
	c->p += n;
}

static unsigned int get_u8(struct cursor *c)
{
	return (unsigned char)*c->p++;
}

/* The text is passed on when enough has piled up (or at the end). */
static int flush(struct renderer *r, bool last)
{
	if (sb_failed(r->out))
		return -ENOMEM;
	if (r->sink && !r->sink_err && r->out->len &&
	    (last || r->out->len >= EXPO_SINK_CHUNK)) {
		r->sink_err = r->sink(r->sink_arg, r->out->buf, r->out->len);
		sb_reset(r->out);
	}
	return r->sink_err;
}

/* The first of the characters to escape in s[0..n) ('"' only when quote),
 * or end: memchr() per character class is SIMD, where a loop testing each
 * byte cost ~10 instructions a byte of HELP text. */
static const char *next_escape(const char *s, const char *end, bool quote)
{
	const char *a = memchr(s, '\\', (size_t)(end - s));
	const char *b = memchr(s, '\n', (size_t)((a ? a : end) - s));
	const char *first = b ? b : a ? a : end;

	if (quote) {
		const char *q = memchr(s, '"', (size_t)(first - s));

		if (q)
			first = q;
	}
	return first;
}

/* s[0..n) with '\\', newline and (quote) '"' escaped; a run without any
 * (the usual case) is one copy. */
static void put_escaped(struct strbuf *out, const char *s, size_t n, bool quote)
{
	const char *end = s + n;

	for (;;) {
		const char *e = next_escape(s, end, quote);

		sb_putn(out, s, (size_t)(e - s));
		if (e == end)
			return;
		sb_puts(out, *e == '\\' ? "\\\\" : *e == '\n' ? "\\n" : "\\\"");
		s = e + 1;
	}
}

/* HELP: backslash and newline in both formats; OpenMetrics also quotes. */
static void put_help(struct renderer *r, const char *s, size_t n)
{
	put_escaped(r->out, s, n, r->om);
}

static void put_label_value(struct strbuf *out, const char *s, size_t n)
{
	put_escaped(out, s, n, true);
}

/* "00".."99": two digits per division, half the divisions of one at a time. */
static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Decimal digits of v into buf (at least 21 bytes); returns the start. */
static const char *u64_text(char *buf, size_t len, uint64_t v)
{
	char *p = buf + len - 1;

	*p = '\0';
	while (v >= 100) {
		unsigned int two = (unsigned int)(v % 100);

		v /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * two, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	return p;
}

static const char *type_name(const struct renderer *r)
{
	switch (r->type) {
	case EXPO_COUNTER:
		return "counter";
	case EXPO_GAUGE:
		return "gauge";
	case EXPO_HISTOGRAM:
		return "histogram";
	case EXPO_UNTYPED:
		break;
	}
	return r->om ? "unknown" : "untyped";
}

/* The name in TYPE/HELP: OpenMetrics names a counter family without "_total". */
static void put_family_name(struct renderer *r)
{
	sb_putn(r->out, r->base, r->base_len);
	if (r->counter_total && !r->om)
		sb_puts(r->out, "_total");
}

static size_t put_raw_bytes(char *p, const char *s, size_t n)
{
	copy_short(p, s, n);
	return n;
}

/*
 * HELP and TYPE of a family whose help needs no escape (nearly every one):
 * one reservation and plain copies, where the general path below makes a
 * dozen appends. False when it does not apply.
 */
static bool put_header_plain(struct renderer *r, const char *help, uint32_t help_len)
{
	size_t name_len = r->base_len + (r->counter_total && !r->om ? 6 : 0);
	const char *type = type_name(r);
	size_t type_len = strlen(type), n;
	char *p;

	if (help_len == EXPO_NO_HELP ||
	    (!r->help_plain && next_escape(help, help + help_len, r->om) != help + help_len))
		return false;
	n = 7 + name_len + 1 + help_len + 1 + 7 + name_len + 1 + type_len + 1;
	if (!sb_reserve(r->out, n))
		return true;	/* failed: sticky in r->out */
	p = r->out->buf + r->out->len;
	for (int line = 0; line < 2; line++) {
		p += put_raw_bytes(p, line ? "# TYPE " : "# HELP ", 7);
		p += put_raw_bytes(p, r->base, r->base_len);
		if (name_len > r->base_len)
			p += put_raw_bytes(p, "_total", 6);
		*p++ = ' ';
		p += line ? put_raw_bytes(p, type, type_len) : put_raw_bytes(p, help, help_len);
		*p++ = '\n';
	}
	*p = '\0';
	r->out->len = (size_t)(p - r->out->buf);
	return true;
}

static void put_header(struct renderer *r, const char *help, uint32_t help_len)
{
	if (put_header_plain(r, help, help_len))
		return;
	if (help_len != EXPO_NO_HELP) {
		sb_puts(r->out, "# HELP ");
		put_family_name(r);
		sb_putc(r->out, ' ');
		put_help(r, help, help_len);
		sb_putc(r->out, '\n');
	}
	sb_puts(r->out, "# TYPE ");
	put_family_name(r);
	sb_putc(r->out, ' ');
	sb_puts(r->out, type_name(r));
	sb_putc(r->out, '\n');
}

/* name[suffix]{labels[,le="x"]} and the space before the value. */
static void put_series(struct renderer *r, const char *suffix, const char *labels,
		       const char *le)
{
	struct cursor c = { labels, NULL };
	unsigned int n = get_u8(&c);

	sb_putn(r->out, r->base, r->base_len);
	if (r->counter_total)
		sb_puts(r->out, "_total");
	sb_puts(r->out, suffix);
	if (n || le) {
		sb_putc(r->out, '{');
		for (unsigned int i = 0; i < n; i++) {
			unsigned int nl = get_u8(&c);
			uint32_t vl;

			get(&c, &vl, sizeof(vl));
			if (i)
				sb_putc(r->out, ',');
			sb_putn(r->out, c.p, nl);
			sb_puts(r->out, "=\"");
			put_label_value(r->out, c.p + nl, vl);
			sb_putc(r->out, '"');
			c.p += nl + vl;
		}
		if (le) {
			if (n)
				sb_putc(r->out, ',');
			sb_puts(r->out, "le=\"");
			sb_puts(r->out, le);
			sb_putc(r->out, '"');
		}
		sb_putc(r->out, '}');
	}
	sb_putc(r->out, ' ');
	r->stats.series++;
}

/* Step over a labels block; returns where it began. */
static const char *skip_labels(struct cursor *c)
{
	const char *start = c->p;
	unsigned int n = get_u8(c);

	for (unsigned int i = 0; i < n; i++) {
		unsigned int nl = get_u8(c);
		uint32_t vl;

		get(c, &vl, sizeof(vl));
		c->p += nl + vl;
	}
	return start;
}

static void put_line_end(struct renderer *r, const char *value)
{
	sb_puts(r->out, value);
	sb_putc(r->out, '\n');
}

/*
 * "name[_total] 123\n" for an unsigned value without labels, the most
 * common line of all (every metric of a counter set): one reservation
 * and plain stores instead of half a dozen appends.
 */
static bool render_plain_u64(struct renderer *r, uint64_t u)
{
	char num[24];
	const char *digits = u64_text(num, sizeof(num), u);
	size_t nd = (size_t)(num + sizeof(num) - 1 - digits);
	char *p;

	if (!sb_reserve(r->out, r->base_len + 6 + 1 + nd + 1))
		return false;
	p = r->out->buf + r->out->len;
	copy_short(p, r->base, r->base_len);
	p += r->base_len;
	if (r->counter_total) {
		memcpy(p, "_total", 6);
		p += 6;
	}
	*p++ = ' ';
	copy_short(p, digits, nd);
	p += nd;
	*p++ = '\n';
	*p = '\0';
	r->out->len = (size_t)(p - r->out->buf);
	r->stats.series++;
	return true;
}

static void render_value(struct renderer *r, int tag, const char *labels, struct cursor *c)
{
	char num[40];
	uint64_t u;
	int64_t i;
	double d;

	if (tag == REC_U64 && !labels[0]) {
		get(c, &u, sizeof(u));
		render_plain_u64(r, u);
		return;
	}
	put_series(r, "", labels, NULL);
	switch (tag) {
	case REC_U64:
		get(c, &u, sizeof(u));
		put_line_end(r, u64_text(num, sizeof(num), u));
		break;
	case REC_I64: {
		size_t at;

		get(c, &i, sizeof(i));
		/* The magnitude's digits (INT64_MIN's too), then the sign. */
		at = (size_t)(u64_text(num + 1, sizeof(num) - 1,
				       i < 0 ? 0 - (uint64_t)i : (uint64_t)i) - num);
		if (i < 0)
			num[--at] = '-';
		put_line_end(r, num + at);
		break;
	}
	default:
		get(c, &d, sizeof(d));
		expo_format_double(num, sizeof(num), d, r->om);
		put_line_end(r, num);
	}
}

/* " # {labels} value [timestamp]" after a bucket's count (OpenMetrics). */
static void put_exemplar(struct renderer *r, struct cursor *c)
{
	struct cursor lc = { c->p, NULL };
	unsigned int n = get_u8(&lc);
	char num[40];
	double value, ts;

	sb_puts(r->out, " # {");
	for (unsigned int i = 0; i < n; i++) {
		unsigned int nl = get_u8(&lc);
		uint32_t vl;

		get(&lc, &vl, sizeof(vl));
		if (i)
			sb_putc(r->out, ',');
		sb_putn(r->out, lc.p, nl);
		sb_puts(r->out, "=\"");
		put_label_value(r->out, lc.p + nl, vl);
		sb_putc(r->out, '"');
		lc.p += nl + vl;
	}
	get(&lc, &value, sizeof(value));
	get(&lc, &ts, sizeof(ts));
	c->p = lc.p;
	sb_puts(r->out, "} ");
	expo_format_double(num, sizeof(num), value, true);
	sb_puts(r->out, num);
	if (ts > 0) {
		/* Milliseconds: what Prometheus keeps. */
		snprintf(num, sizeof(num), " %.3f", ts);
		sb_puts(r->out, num);
	}
}

/* A bucket's count and, in OpenMetrics, its exemplar; steps over it. */
static void put_bucket_end(struct renderer *r, struct cursor *ex, const char *count)
{
	sb_puts(r->out, count);
	if (ex && get_u8(ex)) {
		struct renderer quiet;
		struct strbuf none;

		if (r->om) {
			put_exemplar(r, ex);
		} else {
			/* The text format has no exemplars: step over it. */
			quiet = *r;
			sb_init(&none);
			quiet.out = &none;
			put_exemplar(&quiet, ex);
			sb_free(&none);
		}
	}
	sb_putc(r->out, '\n');
}

static void render_histogram(struct renderer *r, const char *labels, struct cursor *c)
{
	char num[40], le[40];
	uint32_t nb;
	uint64_t cum;
	double sum, bound;
	const char *bounds, *counts;
	struct cursor ex, *exp = NULL;

	get(c, &nb, sizeof(nb));
	get(c, &sum, sizeof(sum));
	bounds = c->p;
	counts = bounds + (size_t)nb * sizeof(double);
	c->p = counts + ((size_t)nb + 1) * sizeof(uint64_t);
	if (get_u8(c)) {
		ex.p = c->p;
		exp = &ex;
	}
	for (uint32_t i = 0; i < nb; i++) {
		memcpy(&bound, bounds + (size_t)i * sizeof(double), sizeof(bound));
		memcpy(&cum, counts + (size_t)i * sizeof(uint64_t), sizeof(cum));
		expo_format_double(le, sizeof(le), bound, r->om);
		put_series(r, "_bucket", labels, le);
		put_bucket_end(r, exp, u64_text(num, sizeof(num), cum));
	}
	memcpy(&cum, counts + (size_t)nb * sizeof(uint64_t), sizeof(cum));
	put_series(r, "_bucket", labels, "+Inf");
	put_bucket_end(r, exp, u64_text(num, sizeof(num), cum));
	if (exp)
		c->p = ex.p;
	/*
	 * OpenMetrics: with negative buckets (or a negative sum) the sum is
	 * no longer a counter and MUST NOT be exposed, and a count is exposed
	 * if and only if a sum is; the text format has no such rule.
	 */
	memcpy(&bound, bounds, sizeof(bound));
	if (r->om && (sum < 0 || (nb && bound < 0)))
		return;
	put_series(r, "_count", labels, NULL);
	put_line_end(r, u64_text(num, sizeof(num), cum));
	expo_format_double(num, sizeof(num), sum, r->om);
	put_series(r, "_sum", labels, NULL);
	put_line_end(r, num);
}

/* A family record's fields; the clash keys were computed when it was
 * recorded, so rendering never hashes a name. Returns the end of it. */
const char *expo_family_record_read(const char *p, struct expo_family_rec *f)
{
	uint16_t stem_len;

	f->help_plain = (unsigned char)*p & EXPO_HELP_PLAIN;
	f->type = (enum expo_type)((unsigned char)*p++ & ~EXPO_HELP_PLAIN);
	memcpy(&f->name_len, p, sizeof(f->name_len));
	p += sizeof(f->name_len);
	memcpy(&f->help_len, p, sizeof(f->help_len));
	p += sizeof(f->help_len);
	memcpy(&f->clash.key.hash, p, sizeof(uint32_t));
	p += sizeof(uint32_t);
	memcpy(&stem_len, p, sizeof(stem_len));
	p += sizeof(stem_len);
	memcpy(&f->clash.stem.hash, p, sizeof(uint32_t));
	p += sizeof(uint32_t);
	f->name = p;
	f->clash.key.name = f->clash.stem.name = p;
	f->clash.key.len = f->name_len;
	f->clash.stem.len = stem_len;
	f->clash.has_stem = stem_len != 0;
	f->help = p + f->name_len + 1;
	return f->help + (f->help_len == EXPO_NO_HELP ? 0 : f->help_len);
}

/* A family that an earlier recording has, or clashes with by a suffix,
 * is left out whole. */
bool expo_render_earlier_has(const struct expo_writer *const *parts, size_t k,
			     const struct name_clash *clash)
{
	for (size_t j = 0; j < k; j++)
		if (parts[j] && name_set_clashes_keys(&parts[j]->names, clash))
			return true;
	return false;
}

static int render_part(struct renderer *r, const struct expo_writer *const *parts, size_t k)
{
	struct cursor c = { parts[k]->rec.buf, parts[k]->rec.buf + parts[k]->rec.len };
	bool skip = false;
	int err;

	while (c.p < c.end) {
		int tag = (int)get_u8(&c);

		if (tag == REC_FAMILY) {
			struct expo_family_rec f;

			c.p = expo_family_record_read(c.p, &f);
			r->type = f.type;
			r->base = f.name;
			r->base_len = f.name_len;
			r->counter_total = r->type == EXPO_COUNTER;
			r->help = f.help;
			r->help_len = f.help_len;
			r->help_plain = f.help_plain;
			skip = expo_render_earlier_has(parts, k, &f.clash);
			if (skip)
				r->stats.dropped++;
			r->header_due = !skip;
			continue;
		}
		if (tag == REC_NATIVE) {	/* the text formats show the classic form */
			c.p += expo_native_record_len(c.p);
			continue;
		}
		{
			const char *labels = skip_labels(&c);

			if (r->header_due && !skip) {
				put_header(r, r->help, r->help_len);
				r->header_due = false;
			}
			if (tag == REC_HISTOGRAM) {
				if (skip) {
					struct renderer quiet = *r;
					struct strbuf none;

					/* Step over it (exemplars vary in size). */
					sb_init(&none);
					quiet.out = &none;
					render_histogram(&quiet, labels, &c);
					sb_free(&none);
					continue;
				}
				render_histogram(r, labels, &c);
			} else if (skip) {
				c.p += 8;
				continue;
			} else {
				render_value(r, tag, labels, &c);
			}
		}
		err = flush(r, false);
		if (err)
			return err;
	}
	return 0;
}

int expo_render(const struct expo_writer *const *parts, size_t nparts,
		enum expo_format fmt, struct strbuf *out, expo_sink_fn sink,
		void *sink_arg, struct expo_render_stats *stats)
{
	struct renderer r = {
		.fmt = fmt,
		.om = fmt == EXPO_FMT_OPENMETRICS,
		.out = out,
		.sink = sink,
		.sink_arg = sink_arg,
	};
	int err = 0;

	if (fmt == EXPO_FMT_PROTOBUF)
		return expo_render_proto(parts, nparts, out, sink, sink_arg, stats);
	for (size_t k = 0; !err && k < nparts; k++) {
		if (!parts[k])
			continue;
		if (expo_status(parts[k]))
			return -ENOMEM;
		err = render_part(&r, parts, k);
	}
	if (!err && r.om)
		sb_puts(out, "# EOF\n");
	if (!err)
		err = flush(&r, true);
	if (stats)
		*stats = r.stats;
	return err;
}
