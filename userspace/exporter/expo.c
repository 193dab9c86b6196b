// SPDX-License-Identifier: GPL-2.0
/*
 * Exposition writer. See expo.h for the rules; the format references are
 * the Prometheus "Exposition formats" page (text 0.0.4) and the
 * OpenMetrics 1.0 specification (ABNF for escaping and "# EOF").
 */
#include "expo.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 256

/*
 * Family names already used in this exposition: open addressing over
 * offsets into one growing array of names, rather than a pointer and a
 * malloc'd copy per name (at 100,000 families: 3.5 MB instead of 5 MB).
 */
struct name_set {
	uint32_t *slot;		/* offset + 1 into chars; 0: empty */
	size_t cap;
	size_t used;
	char *chars;		/* the names, each NUL-terminated */
	size_t chars_len, chars_cap;
};

struct expo_writer {
	enum expo_format fmt;
	struct strbuf *out;
	struct name_set names;
	size_t series;
	/* current family */
	bool have_family;
	bool header_written;
	enum expo_type type;
	char family[NAME_MAX_LEN + 16];	/* name in TYPE/HELP */
	char sample[NAME_MAX_LEN + 16];	/* name on sample lines */
	size_t family_len, sample_len;
	bool have_help;
	struct strbuf help;		/* reused: no allocation per family */
	expo_sink_fn sink;		/* NULL: the text stays in out */
	void *sink_arg;
	int sink_err;
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static const char *name_at(const struct name_set *ns, uint32_t slot)
{
	return ns->chars + slot - 1;
}

static bool name_set_grow(struct name_set *ns)
{
	size_t cap = ns->cap ? ns->cap * 2 : 64;
	uint32_t *slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return false;
	for (size_t i = 0; i < ns->cap; i++) {
		size_t j;

		if (!ns->slot[i])
			continue;
		for (j = fnv1a(name_at(ns, ns->slot[i])) & (cap - 1); slot[j];
		     j = (j + 1) & (cap - 1))
			;
		slot[j] = ns->slot[i];
	}
	free(ns->slot);
	ns->slot = slot;
	ns->cap = cap;
	return true;
}

/* Copy name to the end of chars; its slot value, or 0 when out of memory. */
static uint32_t name_set_store(struct name_set *ns, const char *name)
{
	size_t n = strlen(name) + 1;
	uint32_t at;

	if (ns->chars_len + n > UINT32_MAX - 1)
		return 0;
	if (ns->chars_len + n > ns->chars_cap) {
		size_t cap = ns->chars_cap ? ns->chars_cap * 2 : 4096;
		char *chars;

		while (cap < ns->chars_len + n)
			cap *= 2;
		chars = realloc(ns->chars, cap);
		if (!chars)
			return 0;
		ns->chars = chars;
		ns->chars_cap = cap;
	}
	memcpy(ns->chars + ns->chars_len, name, n);
	at = (uint32_t)ns->chars_len + 1;
	ns->chars_len += n;
	return at;
}

/* 0 added, -EEXIST already there, -ENOMEM. */
static int name_set_add(struct name_set *ns, const char *name)
{
	size_t j;

	if ((ns->used + 1) * 2 > ns->cap && !name_set_grow(ns))
		return -ENOMEM;
	for (j = fnv1a(name) & (ns->cap - 1); ns->slot[j]; j = (j + 1) & (ns->cap - 1))
		if (!strcmp(name_at(ns, ns->slot[j]), name))
			return -EEXIST;
	ns->slot[j] = name_set_store(ns, name);
	if (!ns->slot[j])
		return -ENOMEM;
	ns->used++;
	return 0;
}

static bool name_set_has(const struct name_set *ns, const char *name)
{
	size_t j;

	if (!ns->cap)
		return false;
	for (j = fnv1a(name) & (ns->cap - 1); ns->slot[j]; j = (j + 1) & (ns->cap - 1))
		if (!strcmp(name_at(ns, ns->slot[j]), name))
			return true;
	return false;
}

/*
 * Suffixes that samples or other families derive from a family's name:
 * counters' "_total" and "_created", histograms' "_bucket", "_count",
 * "_sum", info metrics' "_info". Two families whose names differ by one
 * of them can emit the same sample name (a histogram "lat" and a gauge
 * "lat_count") or be read as one family by a parser.
 */
static const char *const sibling_suffixes[] = {
	"_total", "_count", "_sum", "_bucket", "_created", "_info",
};

/* Does base equal a family already declared, give or take a suffix? */
static bool clashes_with_sibling(const struct name_set *ns, const char *base)
{
	char name[NAME_MAX_LEN + 16];
	size_t n = strlen(base);

	for (size_t i = 0; i < sizeof(sibling_suffixes) / sizeof(sibling_suffixes[0]); i++) {
		const char *sfx = sibling_suffixes[i];
		size_t m = strlen(sfx);

		if (n + m < sizeof(name)) {
			memcpy(name, base, n);
			memcpy(name + n, sfx, m + 1);
			if (name_set_has(ns, name))
				return true;
		}
		if (n > m && !strcmp(base + n - m, sfx)) {
			memcpy(name, base, n - m);
			name[n - m] = '\0';
			if (name_set_has(ns, name))
				return true;
		}
	}
	return false;
}

static void name_set_free(struct name_set *ns)
{
	free(ns->slot);
	free(ns->chars);
	memset(ns, 0, sizeof(*ns));
}

struct expo_writer *expo_new(enum expo_format fmt, struct strbuf *out)
{
	struct expo_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->fmt = fmt;
	w->out = out;
	return w;
}

void expo_free(struct expo_writer *w)
{
	if (!w)
		return;
	name_set_free(&w->names);
	sb_free(&w->help);
	free(w);
}

void expo_set_sink(struct expo_writer *w, expo_sink_fn sink, void *arg)
{
	w->sink = sink;
	w->sink_arg = arg;
}

/* A sample (or the exposition) is complete: pass the text on if due. */
static int sample_done(struct expo_writer *w, bool last)
{
	if (sb_failed(w->out))
		return -ENOMEM;
	if (w->sink && !w->sink_err && w->out->len &&
	    (last || w->out->len >= EXPO_SINK_CHUNK)) {
		w->sink_err = w->sink(w->sink_arg, w->out->buf, w->out->len);
		sb_reset(w->out);
	}
	return w->sink_err;
}

enum expo_format expo_format_of(const struct expo_writer *w)
{
	return w->fmt;
}

size_t expo_series(const struct expo_writer *w)
{
	return w->series;
}

const char *expo_content_type(enum expo_format fmt)
{
	if (fmt == EXPO_FMT_OPENMETRICS)
		return "application/openmetrics-text; version=1.0.0; charset=utf-8";
	return "text/plain; version=0.0.4; charset=utf-8";
}

static bool is_alpha_(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool expo_metric_name_valid(const char *name)
{
	size_t i;

	if (!name || !(is_alpha_(name[0]) || name[0] == ':'))
		return false;
	for (i = 1; name[i]; i++)
		if (!(is_alpha_(name[i]) || is_digit(name[i]) || name[i] == ':'))
			return false;
	return i <= NAME_MAX_LEN;
}

/* Label names starting with "__" are reserved for Prometheus itself. */
bool expo_label_name_valid(const char *name)
{
	size_t i;

	if (!name || !is_alpha_(name[0]) || !strncmp(name, "__", 2))
		return false;
	for (i = 1; name[i]; i++)
		if (!(is_alpha_(name[i]) || is_digit(name[i])))
			return false;
	return i <= NAME_MAX_LEN;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * %.15g round-trips most values with the fewest digits; only when it does
 * not are 16 and then 17 digits needed (17 always suffice for a double).
 */
void expo_format_double(char *buf, size_t len, double v, bool openmetrics)
{
	if (isnan(v)) {
		snprintf(buf, len, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(buf, len, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (v == 0) {
		snprintf(buf, len, openmetrics ? "0.0" : "0");
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, len, openmetrics ? "%.0f.0" : "%.0f", v);
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	/* "1e+15" is a valid number in both formats; nothing to add. */
}

/* HELP: backslash and newline in both formats; OpenMetrics also quotes. */
static void put_help(struct expo_writer *w, const char *s)
{
	bool om = w->fmt == EXPO_FMT_OPENMETRICS;
	const char *run = s;

	for (; *s; s++) {
		const char *esc;

		if (*s == '\\')
			esc = "\\\\";
		else if (*s == '\n')
			esc = "\\n";
		else if (*s == '"' && om)
			esc = "\\\"";
		else
			continue;
		sb_putn(w->out, run, (size_t)(s - run));
		sb_puts(w->out, esc);
		run = s + 1;
	}
	sb_putn(w->out, run, (size_t)(s - run));
}

static void put_label_value(struct strbuf *out, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *esc;

		switch (*s) {
		case '\\':
			esc = "\\\\";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '"':
			esc = "\\\"";
			break;
		default:
			continue;
		}
		sb_putn(out, run, (size_t)(s - run));
		sb_puts(out, esc);
		run = s + 1;
	}
	sb_putn(out, run, (size_t)(s - run));
}

/* Decimal digits of v into buf (at least 21 bytes); returns buf. */
static const char *u64_text(char *buf, size_t len, uint64_t v)
{
	char *p = buf + len - 1;

	*p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

static const char *type_name(const struct expo_writer *w)
{
	switch (w->type) {
	case EXPO_COUNTER:
		return "counter";
	case EXPO_GAUGE:
		return "gauge";
	case EXPO_HISTOGRAM:
		return "histogram";
	case EXPO_UNTYPED:
		break;
	}
	return w->fmt == EXPO_FMT_OPENMETRICS ? "unknown" : "untyped";
}

int expo_family(struct expo_writer *w, const char *name, enum expo_type type,
		const char *help)
{
	char base[NAME_MAX_LEN + 8];
	size_t n;
	int err;

	/* Until this family is accepted, samples have nowhere to go. */
	w->have_family = false;
	if (!expo_metric_name_valid(name))
		return -EINVAL;
	n = strlen(name);
	memcpy(base, name, n + 1);
	if (type == EXPO_COUNTER && has_suffix(base, "_total"))
		base[n - strlen("_total")] = '\0';
	if (!base[0])
		return -EINVAL;
	/*
	 * Names are unique per exposition in either spelling of a counter,
	 * and no two differ only by a suffix a sibling would derive.
	 */
	if (clashes_with_sibling(&w->names, base))
		return -EEXIST;
	err = name_set_add(&w->names, base);
	if (err)
		return err;

	w->have_help = help != NULL;
	if (help) {
		sb_reset(&w->help);
		sb_puts(&w->help, help);
		if (sb_failed(&w->help))
			return -ENOMEM;
	}
	w->have_family = true;
	w->header_written = false;
	w->type = type;
	/* Plain copies: this runs once per family, 100,000 times a scrape. */
	n = strlen(base);
	memcpy(w->sample, base, n + 1);
	if (type == EXPO_COUNTER)
		memcpy(w->sample + n, "_total", sizeof("_total"));
	w->sample_len = strlen(w->sample);
	if (type == EXPO_COUNTER && w->fmt == EXPO_FMT_OPENMETRICS) {
		memcpy(w->family, base, n + 1);
		w->family_len = n;
	} else {
		memcpy(w->family, w->sample, w->sample_len + 1);
		w->family_len = w->sample_len;
	}
	return 0;
}

static void put_header(struct expo_writer *w)
{
	if (w->header_written)
		return;
	if (w->have_help) {
		sb_puts(w->out, "# HELP ");
		sb_putn(w->out, w->family, w->family_len);
		sb_putc(w->out, ' ');
		put_help(w, sb_str(&w->help));
		sb_putc(w->out, '\n');
	}
	sb_puts(w->out, "# TYPE ");
	sb_putn(w->out, w->family, w->family_len);
	sb_putc(w->out, ' ');
	sb_puts(w->out, type_name(w));
	sb_putc(w->out, '\n');
	w->header_written = true;
}

static int check_labels(const struct expo_writer *w,
			const struct expo_label *labels, size_t nlabels)
{
	for (size_t i = 0; i < nlabels; i++) {
		if (!expo_label_name_valid(labels[i].name) || !labels[i].value)
			return -EINVAL;
		if (w->type == EXPO_HISTOGRAM && !strcmp(labels[i].name, "le"))
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(labels[i].name, labels[j].name))
				return -EINVAL;
	}
	return 0;
}

/* name{labels[,le="x"]} */
static void put_series(struct expo_writer *w, const char *suffix,
		       const struct expo_label *labels, size_t nlabels,
		       const char *le)
{
	sb_putn(w->out, w->sample, w->sample_len);
	sb_puts(w->out, suffix);
	if (nlabels || le) {
		sb_putc(w->out, '{');
		for (size_t i = 0; i < nlabels; i++) {
			if (i)
				sb_putc(w->out, ',');
			sb_puts(w->out, labels[i].name);
			sb_puts(w->out, "=\"");
			put_label_value(w->out, labels[i].value);
			sb_putc(w->out, '"');
		}
		if (le) {
			if (nlabels)
				sb_putc(w->out, ',');
			sb_puts(w->out, "le=\"");
			sb_puts(w->out, le);
			sb_putc(w->out, '"');
		}
		sb_putc(w->out, '}');
	}
	sb_putc(w->out, ' ');
	w->series++;
}

static int begin_sample(struct expo_writer *w, const struct expo_label *labels,
			size_t nlabels, bool histogram)
{
	int err;

	if (!w->have_family)
		return -EINVAL;
	if ((w->type == EXPO_HISTOGRAM) != histogram)
		return -EINVAL;
	err = check_labels(w, labels, nlabels);
	if (err)
		return err;
	put_header(w);
	return 0;
}

static int end_line(struct expo_writer *w, const char *value)
{
	sb_puts(w->out, value);
	sb_putc(w->out, '\n');
	return sample_done(w, false);
}

int expo_sample(struct expo_writer *w, const struct expo_label *labels,
		size_t nlabels, double value)
{
	char num[40];
	int err;

	/* A counter's value is never NaN or negative (OpenMetrics). */
	if (w->have_family && w->type == EXPO_COUNTER && !(value >= 0))
		return -ERANGE;
	err = begin_sample(w, labels, nlabels, false);
	if (err)
		return err;
	expo_format_double(num, sizeof(num), value, w->fmt == EXPO_FMT_OPENMETRICS);
	put_series(w, "", labels, nlabels, NULL);
	return end_line(w, num);
}

int expo_sample_u64(struct expo_writer *w, const struct expo_label *labels,
		    size_t nlabels, uint64_t value)
{
	char num[32];
	int err;

	err = begin_sample(w, labels, nlabels, false);
	if (err)
		return err;
	put_series(w, "", labels, nlabels, NULL);
	return end_line(w, u64_text(num, sizeof(num), value));
}

int expo_sample_i64(struct expo_writer *w, const struct expo_label *labels,
		    size_t nlabels, int64_t value)
{
	char num[32];
	int err;

	if (w->have_family && w->type == EXPO_COUNTER && value < 0)
		return -ERANGE;
	err = begin_sample(w, labels, nlabels, false);
	if (err)
		return err;
	snprintf(num, sizeof(num), "%" PRId64, value);
	put_series(w, "", labels, nlabels, NULL);
	return end_line(w, num);
}

/* Characters (UTF-8 code points) of s, for the exemplar length limit. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

#define EXEMPLAR_MAX_CHARS	128

/* Is e a valid exemplar for bucket i of h? */
static bool exemplar_valid(const struct expo_histogram *h, size_t i,
			   const struct expo_exemplar *e)
{
	size_t chars = 0;

	for (size_t k = 0; k < e->nlabels; k++) {
		if (!expo_label_name_valid(e->labels[k].name) || !e->labels[k].value)
			return false;
		chars += utf8_chars(e->labels[k].name) + utf8_chars(e->labels[k].value);
	}
	if (chars > EXEMPLAR_MAX_CHARS || !isfinite(e->value) || !isfinite(e->timestamp) ||
	    e->timestamp < 0)
		return false;
	return (i == 0 || e->value > h->bounds[i - 1]) &&
	       (i == h->nbounds || e->value <= h->bounds[i]);
}

/* " # {labels} value [timestamp]" after a bucket's count (OpenMetrics). */
static void put_exemplar(struct expo_writer *w, const struct expo_exemplar *e)
{
	char num[40];

	sb_puts(w->out, " # {");
	for (size_t k = 0; k < e->nlabels; k++) {
		if (k)
			sb_putc(w->out, ',');
		sb_puts(w->out, e->labels[k].name);
		sb_puts(w->out, "=\"");
		put_label_value(w->out, e->labels[k].value);
		sb_putc(w->out, '"');
	}
	sb_puts(w->out, "} ");
	expo_format_double(num, sizeof(num), e->value, true);
	sb_puts(w->out, num);
	if (e->timestamp > 0) {
		/* Milliseconds: what Prometheus keeps. */
		snprintf(num, sizeof(num), " %.3f", e->timestamp);
		sb_puts(w->out, num);
	}
}

static void put_bucket_end(struct expo_writer *w, const struct expo_exemplar *e,
			   const char *count)
{
	sb_puts(w->out, count);
	if (e && w->fmt == EXPO_FMT_OPENMETRICS)
		put_exemplar(w, e);
	sb_putc(w->out, '\n');
}

int expo_histogram(struct expo_writer *w, const struct expo_label *labels,
		   size_t nlabels, const struct expo_histogram *h)
{
	return expo_histogram_exemplars(w, labels, nlabels, h, NULL);
}

int expo_histogram_exemplars(struct expo_writer *w, const struct expo_label *labels,
			     size_t nlabels, const struct expo_histogram *h,
			     const struct expo_exemplar *const *ex)
{
	bool om = w->fmt == EXPO_FMT_OPENMETRICS;
	char num[40], le[40];
	uint64_t cum = 0;
	int err;

	for (size_t i = 0; i < h->nbounds; i++) {
		if (!isfinite(h->bounds[i]))
			return -EINVAL;
		if (i && !(h->bounds[i] > h->bounds[i - 1]))
			return -EINVAL;
	}
	for (size_t i = 0; ex && i <= h->nbounds; i++)
		if (ex[i] && !exemplar_valid(h, i, ex[i]))
			return -EINVAL;
	for (size_t i = 0; i <= h->nbounds; i++)
		if (h->counts[i] > UINT64_MAX - cum)
			return -EOVERFLOW;
		else
			cum += h->counts[i];
	if (isnan(h->sum))
		return -EINVAL;
	err = begin_sample(w, labels, nlabels, true);
	if (err)
		return err;

	cum = 0;
	for (size_t i = 0; i < h->nbounds; i++) {
		cum += h->counts[i];
		expo_format_double(le, sizeof(le), h->bounds[i], om);
		put_series(w, "_bucket", labels, nlabels, le);
		put_bucket_end(w, ex ? ex[i] : NULL, u64_text(num, sizeof(num), cum));
	}
	cum += h->counts[h->nbounds];
	put_series(w, "_bucket", labels, nlabels, "+Inf");
	put_bucket_end(w, ex ? ex[h->nbounds] : NULL, u64_text(num, sizeof(num), cum));
	put_series(w, "_count", labels, nlabels, NULL);
	sb_puts(w->out, u64_text(num, sizeof(num), cum));
	sb_putc(w->out, '\n');
	/* OpenMetrics: with negative buckets (or a negative sum) the sum is no
	 * longer a counter and MUST NOT be exposed; the text format has no
	 * such rule. */
	if (om && (h->sum < 0 || (h->nbounds && h->bounds[0] < 0)))
		return sample_done(w, false);
	expo_format_double(num, sizeof(num), h->sum, om);
	put_series(w, "_sum", labels, nlabels, NULL);
	return end_line(w, num);
}

int expo_finish(struct expo_writer *w)
{
	w->have_family = false;
	if (w->fmt == EXPO_FMT_OPENMETRICS)
		sb_puts(w->out, "# EOF\n");
	return sample_done(w, true);
}
