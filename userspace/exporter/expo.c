// SPDX-License-Identifier: GPL-2.0
/*
 * Exposition, recording side: validates what collectors write and keeps
 * it as compact records (expo_record.h) for expo_render(). The format
 * references are the Prometheus "Exposition formats" page (text 0.0.4)
 * and the OpenMetrics 1.0 specification.
 */
#include "expo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expo_native.h"
#include "expo_proto.h"
#include "expo_record.h"

struct expo_writer *expo_new(void)
{
	return calloc(1, sizeof(struct expo_writer));
}

void expo_free(struct expo_writer *w)
{
	if (!w)
		return;
	sb_free(&w->rec);
	name_set_free(&w->names);
	free(w);
}

struct expo_size expo_size_of(const struct expo_writer *w)
{
	return (struct expo_size){ w->rec.len, w->names.used };
}

int expo_reserve(struct expo_writer *w, struct expo_size size)
{
	if (!sb_reserve(&w->rec, size.bytes) || name_set_reserve(&w->names, size.families)) {
		w->failed = true;
		return -ENOMEM;
	}
	return 0;
}

size_t expo_series(const struct expo_writer *w)
{
	return w->series;
}

int expo_status(const struct expo_writer *w)
{
	return w->failed || sb_failed(&w->rec) ? -ENOMEM : 0;
}

const char *expo_content_type(enum expo_format fmt)
{
	if (fmt == EXPO_FMT_PROTOBUF)
		return EXPO_PROTO_CONTENT_TYPE;
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

/* Bit 1: may start a metric name, bit 2: may follow ([a-zA-Z_:], [0-9]). */
static const unsigned char metric_chars[256] = {
	['_'] = 3, [':'] = 3,
	['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2,
	['5'] = 2, ['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
	['a'] = 3, ['b'] = 3, ['c'] = 3, ['d'] = 3, ['e'] = 3, ['f'] = 3, ['g'] = 3,
	['h'] = 3, ['i'] = 3, ['j'] = 3, ['k'] = 3, ['l'] = 3, ['m'] = 3, ['n'] = 3,
	['o'] = 3, ['p'] = 3, ['q'] = 3, ['r'] = 3, ['s'] = 3, ['t'] = 3, ['u'] = 3,
	['v'] = 3, ['w'] = 3, ['x'] = 3, ['y'] = 3, ['z'] = 3,
	['A'] = 3, ['B'] = 3, ['C'] = 3, ['D'] = 3, ['E'] = 3, ['F'] = 3, ['G'] = 3,
	['H'] = 3, ['I'] = 3, ['J'] = 3, ['K'] = 3, ['L'] = 3, ['M'] = 3, ['N'] = 3,
	['O'] = 3, ['P'] = 3, ['Q'] = 3, ['R'] = 3, ['S'] = 3, ['T'] = 3, ['U'] = 3,
	['V'] = 3, ['W'] = 3, ['X'] = 3, ['Y'] = 3, ['Z'] = 3,
};

/*
 * The length of a valid metric name, 0 for an invalid one. A table, not
 * comparisons: this runs once per family, 10,000 times a scrape.
 */
static size_t metric_name_len(const char *name)
{
	size_t i;

	if (!name || !(metric_chars[(unsigned char)name[0]] & 1))
		return 0;
	for (i = 1; name[i]; i++)
		if (!(metric_chars[(unsigned char)name[i]] & 2))
			return 0;
	return i <= EXPO_NAME_MAX ? i : 0;
}

bool expo_metric_name_valid(const char *name)
{
	return metric_name_len(name) != 0;
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
	return i <= EXPO_NAME_MAX;
}

static bool has_suffix(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

/*
 * A value with at most nine decimals (durations from nanoseconds, CPU
 * seconds from ticks) between 1e-4 and 1e6, in plain digits: the same text
 * as the %.15g below gives it, without printf and strtod. n / 1e9 is one
 * correctly rounded division of exact operands (n < 2^53), so it equals
 * the value the decimal parses back to; and the decimal has at most 15
 * significant digits there, so %.15g would print exactly it.
 */
static bool format_nanos(char *buf, size_t len, double v)
{
	double a = fabs(v);
	uint64_t n, whole;
	char digits[32], *p = buf;
	int nd = 0, frac;

	if (!(a >= 1e-4 && a < 1e6) || len < 24)
		return false;
	n = (uint64_t)llround(a * 1e9);
	if ((double)n / 1e9 != a)
		return false;
	whole = n / 1000000000u;
	frac = (int)(n % 1000000000u);
	if (v < 0)
		*p++ = '-';
	do {
		digits[nd++] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole);
	while (nd)
		*p++ = digits[--nd];
	if (frac) {
		int width = 9;

		while (frac % 10 == 0) {
			frac /= 10;
			width--;
		}
		*p++ = '.';
		for (int i = width - 1; i >= 0; i--) {
			p[i] = (char)('0' + frac % 10);
			frac /= 10;
		}
		p += width;
	}
	*p = '\0';
	return true;
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
	if (v == floor(v) && fabs(v) < 1e15 && len >= 24) {
		/* An integer: its digits, without printf's general machinery
		 * (most doubles a scrape writes are counts, sizes, bounds). */
		uint64_t u = (uint64_t)fabs(v);
		char digits[20], *p = buf;
		int n = 0;

		do {
			digits[n++] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (v < 0)
			*p++ = '-';
		while (n)
			*p++ = digits[--n];
		if (openmetrics) {
			*p++ = '.';
			*p++ = '0';
		}
		*p = '\0';
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, len, openmetrics ? "%.0f.0" : "%.0f", v);
		return;
	}
	if (format_nanos(buf, len, v))
		return;
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	/* "1e+15" is a valid number in both formats; nothing to add. */
}

static void put_u8(struct strbuf *sb, unsigned int v)
{
	sb_putc(sb, (char)v);
}

static void put_raw(struct strbuf *sb, const void *v, size_t n)
{
	sb_putn(sb, v, n);
}

/*
 * A family record, validated, appended to rec (expo_record.h): the name
 * (a counter's without "_total"), its clash keys' hashes and the help.
 * Nothing is appended when the family is invalid (-EINVAL); -ENOMEM when
 * rec could not grow.
 */
static int family_encode(struct strbuf *rec, const char *name, enum expo_type type,
			 const char *help)
{
	uint32_t help_len = EXPO_NO_HELP;
	struct name_clash clash;
	uint16_t name_len, stem_len;
	size_t n = metric_name_len(name);
	unsigned int plain = 0;

	if (!n || type > EXPO_UNTYPED)
		return -EINVAL;
	if (type == EXPO_COUNTER && has_suffix(name, n, "_total"))
		n -= strlen("_total");
	if (!n)
		return -EINVAL;
	if (help) {
		size_t hl = strlen(help);

		if (hl >= EXPO_NO_HELP)
			return -EINVAL;
		help_len = (uint32_t)hl;
		/* Found once here, not looked for at every rendering. */
		if (!strpbrk(help, "\\\n\""))
			plain = EXPO_HELP_PLAIN;
	}
	name_clash_keys(&clash, name, n);
	name_len = (uint16_t)n;
	stem_len = clash.has_stem ? (uint16_t)clash.stem.len : 0;
	put_u8(rec, REC_FAMILY);
	put_u8(rec, (unsigned int)type | plain);
	put_raw(rec, &name_len, sizeof(name_len));
	put_raw(rec, &help_len, sizeof(help_len));
	/* The name's hashes, so that rendering never hashes it again. */
	put_raw(rec, &clash.key.hash, sizeof(uint32_t));
	put_raw(rec, &stem_len, sizeof(stem_len));
	put_raw(rec, &clash.stem.hash, sizeof(uint32_t));
	sb_putn(rec, name, n);
	put_u8(rec, 0);
	if (help)
		sb_putn(rec, help, help_len);
	return sb_failed(rec) ? -ENOMEM : 0;
}

/*
 * The family record at rec goes into w unless its name is taken: names are
 * unique per recording in either spelling of a counter, and no two differ
 * only by a suffix a sibling would derive.
 */
static int family_add(struct expo_writer *w, const char *rec, size_t len, bool in_place)
{
	struct expo_family_rec f;
	int err;

	expo_family_record_read(rec + 1, &f);
	err = name_set_add_clash(&w->names, &f.clash);
	if (err)
		return err;
	if (!in_place)
		sb_putn(&w->rec, rec, len);
	if (sb_failed(&w->rec)) {
		w->failed = true;
		return -ENOMEM;
	}
	w->have_family = true;
	w->type = f.type;
	return 0;
}

/*
 * The family's record goes out at once, its help copied straight from the
 * caller; one that never gets a sample is a few bytes the renderer steps
 * over without a header (it writes HELP and TYPE with the first sample).
 * It is encoded at the end of the recording and taken back when refused.
 */
int expo_family(struct expo_writer *w, const char *name, enum expo_type type,
		const char *help)
{
	size_t at = w->rec.len;
	int err;

	/* Until this family is accepted, samples have nowhere to go. */
	w->have_family = false;
	if (expo_status(w))
		return -ENOMEM;
	err = family_encode(&w->rec, name, type, help);
	if (err == -ENOMEM)
		w->failed = true;
	if (!err)
		err = family_add(w, w->rec.buf + at, w->rec.len - at, true);
	if (err && !sb_failed(&w->rec) && w->rec.len > at) {
		w->rec.len = at;	/* nothing of a refused family stays */
		w->rec.buf[at] = '\0';
	}
	return err;
}

int expo_family_encode(struct strbuf *out, const char *name, enum expo_type type,
		       const char *help)
{
	size_t at = out->len;
	int err = family_encode(out, name, type, help);

	if (err && !sb_failed(out) && out->buf) {
		out->len = at;
		out->buf[at] = '\0';
	}
	return err;
}

int expo_family_add(struct expo_writer *w, const char *rec, size_t len)
{
	w->have_family = false;
	if (expo_status(w))
		return -ENOMEM;
	return family_add(w, rec, len, false);
}

static int check_labels(const struct expo_writer *w,
			const struct expo_label *labels, size_t nlabels)
{
	if (nlabels > EXPO_MAX_LABELS)
		return -EINVAL;
	for (size_t i = 0; i < nlabels; i++) {
		if (!expo_label_name_valid(labels[i].name) || !labels[i].value ||
		    strlen(labels[i].value) >= UINT32_MAX)
			return -EINVAL;
		if (w->type == EXPO_HISTOGRAM && !strcmp(labels[i].name, "le"))
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(labels[i].name, labels[j].name))
				return -EINVAL;
	}
	return 0;
}

static void record_labels(struct expo_writer *w, const struct expo_label *labels,
			  size_t nlabels)
{
	put_u8(&w->rec, (unsigned int)nlabels);
	for (size_t i = 0; i < nlabels; i++) {
		size_t nl = strlen(labels[i].name);
		uint32_t vl = (uint32_t)strlen(labels[i].value);

		put_u8(&w->rec, (unsigned int)nl);
		put_raw(&w->rec, &vl, sizeof(vl));
		sb_putn(&w->rec, labels[i].name, nl);
		sb_putn(&w->rec, labels[i].value, vl);
	}
}

/*
 * Checks first, then the record: a refused sample leaves nothing behind.
 * Only running out of memory can stop a record half-way, and that fails
 * the whole recording (expo_status()).
 */
static int begin_sample(struct expo_writer *w, const struct expo_label *labels,
			size_t nlabels, int tag)
{
	int err;

	if (!w->have_family)
		return -EINVAL;
	if ((w->type == EXPO_HISTOGRAM) != (tag == REC_HISTOGRAM))
		return -EINVAL;
	err = check_labels(w, labels, nlabels);
	if (err)
		return err;
	if (expo_status(w))
		return -ENOMEM;
	put_u8(&w->rec, (unsigned int)tag);
	record_labels(w, labels, nlabels);
	return 0;
}

static int end_sample(struct expo_writer *w, size_t lines)
{
	if (sb_failed(&w->rec)) {
		w->failed = true;
		return -ENOMEM;
	}
	w->series += lines;
	return 0;
}

static int record_value(struct expo_writer *w, const struct expo_label *labels,
			size_t nlabels, int tag, const void *value)
{
	int err = begin_sample(w, labels, nlabels, tag);

	if (err)
		return err;
	put_raw(&w->rec, value, 8);
	return end_sample(w, 1);
}

int expo_sample(struct expo_writer *w, const struct expo_label *labels,
		size_t nlabels, double value)
{
	/* A counter's value is never NaN or negative (OpenMetrics). */
	if (w->have_family && w->type == EXPO_COUNTER && !(value >= 0))
		return -ERANGE;
	return record_value(w, labels, nlabels, REC_DOUBLE, &value);
}

int expo_sample_u64(struct expo_writer *w, const struct expo_label *labels,
		    size_t nlabels, uint64_t value)
{
	return record_value(w, labels, nlabels, REC_U64, &value);
}

int expo_sample_i64(struct expo_writer *w, const struct expo_label *labels,
		    size_t nlabels, int64_t value)
{
	if (w->have_family && w->type == EXPO_COUNTER && value < 0)
		return -ERANGE;
	return record_value(w, labels, nlabels, REC_I64, &value);
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

	if (e->nlabels > EXPO_MAX_LABELS)
		return false;
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

int expo_histogram(struct expo_writer *w, const struct expo_label *labels,
		   size_t nlabels, const struct expo_histogram *h)
{
	return expo_histogram_exemplars(w, labels, nlabels, h, NULL);
}

int expo_histogram_exemplars(struct expo_writer *w, const struct expo_label *labels,
			     size_t nlabels, const struct expo_histogram *h,
			     const struct expo_exemplar *const *ex)
{
	uint64_t cum = 0;
	uint32_t nb;
	int err;

	if (h->nbounds >= UINT32_MAX / 16)
		return -EINVAL;
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

	err = begin_sample(w, labels, nlabels, REC_HISTOGRAM);
	if (err)
		return err;
	nb = (uint32_t)h->nbounds;
	put_raw(&w->rec, &nb, sizeof(nb));
	put_raw(&w->rec, &h->sum, sizeof(h->sum));
	put_raw(&w->rec, h->bounds, h->nbounds * sizeof(double));
	cum = 0;
	for (size_t i = 0; i <= h->nbounds; i++) {
		cum += h->counts[i];
		put_raw(&w->rec, &cum, sizeof(cum));
	}
	put_u8(&w->rec, ex != NULL);
	for (size_t i = 0; ex && i <= h->nbounds; i++) {
		put_u8(&w->rec, ex[i] != NULL);
		if (!ex[i])
			continue;
		record_labels(w, ex[i]->labels, ex[i]->nlabels);
		put_raw(&w->rec, &ex[i]->value, sizeof(double));
		put_raw(&w->rec, &ex[i]->timestamp, sizeof(double));
	}
	/* buckets, +Inf, _count and (usually) _sum */
	return end_sample(w, h->nbounds + 3);
}

int expo_histogram_native(struct expo_writer *w, const struct expo_label *labels,
			  size_t nlabels, const struct expo_histogram *h,
			  bool classic_derived, const struct expo_native *nat)
{
	return expo_histogram_native_exemplars(w, labels, nlabels, h, classic_derived, nat,
					       NULL);
}

int expo_histogram_native_exemplars(struct expo_writer *w, const struct expo_label *labels,
				    size_t nlabels, const struct expo_histogram *h,
				    bool classic_derived, const struct expo_native *nat,
				    const struct expo_exemplar *const *ex)
{
	uint64_t count = 0;
	uint32_t npos = 0, nneg = 0;
	int err;

	for (size_t i = 0; i <= h->nbounds; i++)
		count += h->counts[i];	/* overflow: refused below */
	err = expo_native_check(nat, count);
	if (!err)
		err = expo_histogram_exemplars(w, labels, nlabels, h, ex);
	if (err)
		return err;
	for (size_t i = 0; i < nat->npositive; i++)
		npos += nat->positive[i].count != 0;
	for (size_t i = 0; i < nat->nnegative; i++)
		nneg += nat->negative[i].count != 0;
	put_u8(&w->rec, REC_NATIVE);
	put_u8(&w->rec, classic_derived);
	put_raw(&w->rec, &nat->schema, sizeof(nat->schema));
	put_raw(&w->rec, &nat->zero_threshold, sizeof(nat->zero_threshold));
	put_raw(&w->rec, &nat->zero_count, sizeof(nat->zero_count));
	put_raw(&w->rec, &npos, sizeof(npos));
	put_raw(&w->rec, &nneg, sizeof(nneg));
	for (int side = 0; side < 2; side++) {
		const struct expo_native_bucket *b = side ? nat->negative : nat->positive;
		size_t n = side ? nat->nnegative : nat->npositive;

		for (size_t i = 0; i < n; i++) {
			if (!b[i].count)
				continue;
			put_raw(&w->rec, &b[i].index, sizeof(b[i].index));
			put_raw(&w->rec, &b[i].count, sizeof(b[i].count));
		}
	}
	return expo_status(w);
}

size_t expo_native_record_len(const char *p)
{
	uint32_t npos, nneg;
	size_t head = 1 + 4 + 8 + 8;

	memcpy(&npos, p + head, sizeof(npos));
	memcpy(&nneg, p + head + 4, sizeof(nneg));
	return head + 8 + ((size_t)npos + nneg) * (4 + 8);
}
