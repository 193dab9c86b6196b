// SPDX-License-Identifier: GPL-2.0
/* Exposition writer: both formats, byte for byte. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expo.h"

struct fixture {
	struct strbuf out;
	enum expo_format fmt;
	struct expo_writer *w;
};

static struct expo_writer *open_writer(struct fixture *f, enum expo_format fmt)
{
	sb_init(&f->out);
	f->fmt = fmt;
	f->w = expo_new();
	assert_non_null(f->w);
	return f->w;
}

/* The recording rendered alone, afresh: 0 or the renderer's error. */
static int finish(struct fixture *f)
{
	const struct expo_writer *parts[] = { f->w };

	sb_reset(&f->out);
	return expo_render(parts, 1, f->fmt, &f->out, NULL, NULL, NULL);
}

static const char *text(struct fixture *f)
{
	assert_int_equal(finish(f), 0);
	return sb_str(&f->out);
}

static void close_writer(struct fixture *f)
{
	expo_free(f->w);
	sb_free(&f->out);
}

static void counter_text_format(void **state)
{
	struct fixture f;
	struct expo_writer *w = open_writer(&f, EXPO_FMT_TEXT);
	struct expo_label l[2] = { { "category", "network" }, { "severity", "error" } };

	(void)state;
	assert_int_equal(expo_family(w, "bitcraps_errors_total", EXPO_COUNTER,
				     "Errors by category."), 0);
	assert_int_equal(expo_sample_u64(w, l, 2, 18446744073709551615ULL), 0);
	assert_int_equal(finish(&f), 0);
	assert_string_equal(text(&f),
		"# HELP bitcraps_errors_total Errors by category.\n"
		"# TYPE bitcraps_errors_total counter\n"
		"bitcraps_errors_total{category=\"network\",severity=\"error\"} 18446744073709551615\n");
	close_writer(&f);
}

/* OpenMetrics: family without _total in HELP/TYPE, sample with it, EOF. */
static void counter_openmetrics(void **state)
{
	struct fixture f;
	struct expo_writer *w = open_writer(&f, EXPO_FMT_OPENMETRICS);

	(void)state;
	assert_int_equal(expo_family(w, "bitcraps_bets_total", EXPO_COUNTER, "Bets."), 0);
	assert_int_equal(expo_sample_u64(w, NULL, 0, 7), 0);
	/* A counter named without the suffix gets it on its samples. */
	assert_int_equal(expo_family(w, "bitcraps_games", EXPO_COUNTER, NULL), 0);
	assert_int_equal(expo_sample(w, NULL, 0, 2.5), 0);
	assert_int_equal(finish(&f), 0);
	assert_string_equal(text(&f),
		"# HELP bitcraps_bets Bets.\n"
		"# TYPE bitcraps_bets counter\n"
		"bitcraps_bets_total 7\n"
		"# TYPE bitcraps_games counter\n"
		"bitcraps_games_total 2.5\n"
		"# EOF\n");
	close_writer(&f);
}

static void counter_rejects_negative_and_nan(void **state)
{
	struct fixture f;
	struct expo_writer *w = open_writer(&f, EXPO_FMT_TEXT);

	(void)state;
	assert_int_equal(expo_family(w, "x_total", EXPO_COUNTER, NULL), 0);
	assert_int_equal(expo_sample(w, NULL, 0, -1), -ERANGE);
	assert_int_equal(expo_sample(w, NULL, 0, NAN), -ERANGE);
	assert_int_equal(expo_sample_i64(w, NULL, 0, -5), -ERANGE);
	/* Nothing was written, not even the header. */
	assert_string_equal(text(&f), "");
	close_writer(&f);
}

static void help_escaping_differs_by_format(void **state)
{
	const char *help = "a \\ b\nc \"q\"";
	struct fixture f;
	struct expo_writer *w = open_writer(&f, EXPO_FMT_TEXT);

	(void)state;
	assert_int_equal(expo_family(w, "m", EXPO_GAUGE, help), 0);
	assert_int_equal(expo_sample(w, NULL, 0, 1), 0);
	/* 0.0.4: only backslash and newline are escaped in HELP. */
	assert_string_equal(text(&f),
		"# HELP m a \\\\ b\\nc \"q\"\n# TYPE m gauge\nm 1\n");
	close_writer(&f);

	w = open_writer(&f, EXPO_FMT_OPENMETRICS);
	assert_int_equal(expo_family(w, "m", EXPO_GAUGE, help), 0);
	assert_int_equal(expo_sample(w, NULL, 0, 1), 0);
	assert_int_equal(finish(&f), 0);
	/* OpenMetrics' escaped-string also escapes the double quote. */
	assert_string_equal(text(&f),
		"# HELP m a \\\\ b\\nc \\\"q\\\"\n# TYPE m gauge\nm 1.0\n# EOF\n");
	close_writer(&f);
}

static void label_value_escaping(void **state)
{
	struct fixture f;
	struct expo_writer *w = open_writer(&f, EXPO_FMT_TEXT);
	struct expo_label l = { "path", "C:\\dir\n\"x\"é" };

	(void)state;
	assert_int_equal(expo_family(w, "m", EXPO_GAUGE, NULL), 0);
	assert_int_equal(expo_sample_u64(w, &l, 1, 3), 0);
	assert_string_equal(text(&f),
		"# TYPE m gauge\nm{path=\"C:\\\\dir\\n\\\"x\\\"é\"} 3\n");
	close_writer(&f);
}

/* The general path: %.15g, 16 or 17 digits, whichever parses back first. */
static void reference_double(char *buf, size_t len, double v)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* Values with up to nine decimals take a shortcut: the same text as ever. */
static void decimals_as_printf_writes_them(void **state)
{
	char fast[40], ref[40];
	uint64_t x = 88172645463325252ULL;

	(void)state;
	for (int i = 0; i < 200000; i++) {
		double v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (i % 4) {
		case 0:	/* a duration in ns */
			v = (double)(x % 5000000000000ULL) / 1e9;
			break;
		case 1:	/* CPU seconds in ticks */
			v = (double)(x % 100000000ULL) / 100;
			break;
		case 2:	/* anything */
			v = (double)(x % 1000000000000ULL) / (double)(1 + x % 999983);
			break;
		default:	/* near the bounds, negative too */
			v = -((double)(x % 20000) * 1e-8 + (i & 8 ? 999999.0 : 0.0));
			break;
		}
		if (v == floor(v))
			continue;
		expo_format_double(fast, sizeof(fast), v, false);
		reference_double(ref, sizeof(ref), v);
		assert_string_equal(fast, ref);
		assert_true(strtod(fast, NULL) == v);
	}
	expo_format_double(fast, sizeof(fast), 0.00243817, true);
	assert_string_equal(fast, "0.00243817");
	expo_format_double(fast, sizeof(fast), 12.5, false);
	assert_string_equal(fast, "12.5");
	expo_format_double(fast, sizeof(fast), 0.0001, false);
	assert_string_equal(fast, "0.0001");
	expo_format_double(fast, sizeof(fast), 0.00009, false);
	assert_string_equal(fast, "9e-05");
}

static void float_rendering(void **state)
{
	char b[40];

	(void)state;
	expo_format_double(b, sizeof(b), INFINITY, false);
	assert_string_equal(b, "+Inf");
	expo_format_double(b, sizeof(b), -INFINITY, true);
	assert_string_equal(b, "-Inf");
	expo_format_double(b, sizeof(b), NAN, false);
	assert_string_equal(b, "NaN");
	expo_format_double(b, sizeof(b), 0.1, false);
	assert_string_equal(b, "0.1");
	expo_format_double(b, sizeof(b), 1.0 / 3, false);
	assert_string_equal(b, "0.3333333333333333");
	expo_format_double(b, sizeof(b), 0.0015, false);
	assert_string_equal(b, "0.0015");
	expo_format_double(b, sizeof(b), 3e-6, false);
	assert_string_equal(b, "3e-06");
	expo_format_double(b, sizeof(b), 42, false);
	assert_string_equal(b, "42");
	expo_format_double(b, sizeof(b), -7, false);
	assert_string_equal(b, "-7");
	expo_format_double(b, sizeof(b), 1e300, false);
	assert_string_equal(b, "1e+300");
	/* Integers (without printf) up to the largest below 1e15, then %g. */
	expo_format_double(b, sizeof(b), 999999999999999.0, false);
	assert_string_equal(b, "999999999999999");
	expo_format_double(b, sizeof(b), -999999999999999.0, true);
	assert_string_equal(b, "-999999999999999.0");
	expo_format_double(b, sizeof(b), 1e15, false);
	assert_string_equal(b, "1e+15");
	expo_format_double(b, sizeof(b), 10, false);
	assert_string_equal(b, "10");
	expo_format_double(b, sizeof(b), 18446744073709551615.0, false);
	assert_string_equal(b, "1.8446744073709552e+19");
	/* OpenMetrics canonical numbers: integral floats carry ".0". */
	expo_format_double(b, sizeof(b), 42, true);
	assert_string_equal(b, "42.0");
	expo_format_double(b, sizeof(b), 0, true);
	assert_string_equal(b, "0.0");
	/* Every rendering parses back to the same double. */
	for (double v = 1e-9; v < 1e12; v *= 3.7) {
		expo_format_double(b, sizeof(b), v, false);
		assert_true(strtod(b, NULL) == v);
	}
}

static void integer_rendering(void **state)
{
	struct fixture f;
	struct expo_writer *w = open_writer(&f, EXPO_FMT_OPENMETRICS);

	(void)state;
	assert_int_equal(expo_family(w, "g", EXPO_GAUGE, NULL), 0);
	assert_int_equal(expo_sample_i64(w, NULL, 0, INT64_MIN), 0);
	assert_int_equal(finish(&f), 0);
	assert_string_equal(text(&f),
		"# TYPE g gauge\ng -9223372036854775808\n# EOF\n");
	close_writer(&f);
}

static void histogram_cumulative_buckets(void **state)
{
	static const double bounds[] = { 0.005, 0.01, 1 };
	static const uint64_t counts[] = { 2, 0, 3, 4 };	/* last: above 1 */
	struct expo_histogram h = { 3, bounds, counts, 12.5 };
	struct expo_label l = { "port", "7000" };
	struct fixture f;
	struct expo_writer *w = open_writer(&f, EXPO_FMT_TEXT);

	(void)state;
	assert_int_equal(expo_family(w, "lat_seconds", EXPO_HISTOGRAM, "Latency."), 0);
	assert_int_equal(expo_histogram(w, &l, 1, &h), 0);
	assert_string_equal(text(&f),
		"# HELP lat_seconds Latency.\n"
		"# TYPE lat_seconds histogram\n"
		"lat_seconds_bucket{port=\"7000\",le=\"0.005\"} 2\n"
		"lat_seconds_bucket{port=\"7000\",le=\"0.01\"} 2\n"
		"lat_seconds_bucket{port=\"7000\",le=\"1\"} 5\n"
		"lat_seconds_bucket{port=\"7000\",le=\"+Inf\"} 9\n"
		"lat_seconds_count{port=\"7000\"} 9\n"
		"lat_seconds_sum{port=\"7000\"} 12.5\n");
	close_writer(&f);

	w = open_writer(&f, EXPO_FMT_OPENMETRICS);
	assert_int_equal(expo_family(w, "lat_seconds", EXPO_HISTOGRAM, NULL), 0);
	assert_int_equal(expo_histogram(w, NULL, 0, &h), 0);
	assert_int_equal(finish(&f), 0);
	assert_string_equal(text(&f),
		"# TYPE lat_seconds histogram\n"
		"lat_seconds_bucket{le=\"0.005\"} 2\n"
		"lat_seconds_bucket{le=\"0.01\"} 2\n"
		"lat_seconds_bucket{le=\"1.0\"} 5\n"
		"lat_seconds_bucket{le=\"+Inf\"} 9\n"
		"lat_seconds_count 9\n"
		"lat_seconds_sum 12.5\n"
		"# EOF\n");
	close_writer(&f);
}

/*
 * OpenMetrics: negative buckets make the sum meaningless as a counter, so
 * there is no _sum; and a _count is exposed if and only if a _sum is.
 */
static void histogram_negative_buckets(void **state)
{
	static const double bounds[] = { -1, 0, 1 };
	static const uint64_t counts[] = { 1, 1, 1, 0 };
	struct expo_histogram h = { 3, bounds, counts, -0.5 };
	struct fixture f;
	struct expo_writer *w = open_writer(&f, EXPO_FMT_OPENMETRICS);

	(void)state;
	assert_int_equal(expo_family(w, "temp_delta_celsius", EXPO_HISTOGRAM, NULL), 0);
	assert_int_equal(expo_histogram(w, NULL, 0, &h), 0);
	assert_int_equal(finish(&f), 0);
	assert_string_equal(text(&f),
		"# TYPE temp_delta_celsius histogram\n"
		"temp_delta_celsius_bucket{le=\"-1.0\"} 1\n"
		"temp_delta_celsius_bucket{le=\"0.0\"} 2\n"
		"temp_delta_celsius_bucket{le=\"1.0\"} 3\n"
		"temp_delta_celsius_bucket{le=\"+Inf\"} 3\n"
		"# EOF\n");
	close_writer(&f);

	w = open_writer(&f, EXPO_FMT_TEXT);
	assert_int_equal(expo_family(w, "t", EXPO_HISTOGRAM, NULL), 0);
	assert_int_equal(expo_histogram(w, NULL, 0, &h), 0);
	assert_non_null(strstr(text(&f), "t_sum -0.5\n"));
	close_writer(&f);
}

static void histogram_rejects_bad_input(void **state)
{
	static const double unsorted[] = { 1, 0.5 };
	static const double dup[] = { 1, 1 };
	static const double inf[] = { 1, INFINITY };
	static const uint64_t counts[] = { 1, 1, 1 };
	static const uint64_t huge[] = { UINT64_MAX, 1, 0 };
	struct expo_histogram h = { 2, unsorted, counts, 1 };
	struct expo_label le = { "le", "1" };
	struct fixture f;
	struct expo_writer *w = open_writer(&f, EXPO_FMT_TEXT);

	(void)state;
	assert_int_equal(expo_family(w, "h", EXPO_HISTOGRAM, NULL), 0);
	assert_int_equal(expo_histogram(w, NULL, 0, &h), -EINVAL);
	h.bounds = dup;
	assert_int_equal(expo_histogram(w, NULL, 0, &h), -EINVAL);
	h.bounds = inf;
	assert_int_equal(expo_histogram(w, NULL, 0, &h), -EINVAL);
	h.bounds = dup + 1;
	h.nbounds = 1;
	h.counts = huge;
	assert_int_equal(expo_histogram(w, NULL, 0, &h), -EOVERFLOW);
	h.counts = counts;
	assert_int_equal(expo_histogram(w, &le, 1, &h), -EINVAL);
	/* A plain sample into a histogram family is refused. */
	assert_int_equal(expo_sample(w, NULL, 0, 1), -EINVAL);
	assert_string_equal(text(&f), "");
	close_writer(&f);
}

static void names_and_families_are_checked(void **state)
{
	struct expo_label bad[] = { { "__name__", "x" } };
	struct expo_label twice[] = { { "a", "1" }, { "a", "2" } };
	struct expo_label badchar[] = { { "a-b", "1" } };
	struct fixture f;
	struct expo_writer *w = open_writer(&f, EXPO_FMT_TEXT);

	(void)state;
	assert_int_equal(expo_sample(w, NULL, 0, 1), -EINVAL);	/* no family */
	assert_int_equal(expo_family(w, "9lives", EXPO_GAUGE, NULL), -EINVAL);
	assert_int_equal(expo_family(w, "a-b", EXPO_GAUGE, NULL), -EINVAL);
	assert_int_equal(expo_family(w, "ok:name_1", EXPO_GAUGE, NULL), 0);
	assert_int_equal(expo_sample(w, bad, 1, 1), -EINVAL);
	assert_int_equal(expo_sample(w, twice, 2, 1), -EINVAL);
	assert_int_equal(expo_sample(w, badchar, 1, 1), -EINVAL);
	assert_int_equal(expo_family(w, "ok:name_1", EXPO_GAUGE, NULL), -EEXIST);
	/* After a refused family, samples must not land in the previous one. */
	assert_int_equal(expo_sample(w, NULL, 0, 1), -EINVAL);
	/* A counter's two spellings are one family. */
	assert_int_equal(expo_family(w, "c_total", EXPO_COUNTER, NULL), 0);
	assert_int_equal(expo_family(w, "c", EXPO_COUNTER, NULL), -EEXIST);
	/* Families without samples leave no trace. */
	assert_int_equal(finish(&f), 0);
	assert_string_equal(text(&f), "");
	assert_int_equal(expo_series(w), 0);
	close_writer(&f);
}

/*
 * Issue 10: a histogram "lat" next to a gauge "lat_count" emitted two
 * series named lat_count. Families whose names differ by a suffix that a
 * sibling derives are refused, in either order; the first one stays.
 */
static void sibling_suffix_clashes(void **state)
{
	static const struct { const char *first, *second; enum expo_type t1, t2; } clash[] = {
		{ "lat", "lat_count", EXPO_HISTOGRAM, EXPO_GAUGE },
		{ "lat_count", "lat", EXPO_GAUGE, EXPO_HISTOGRAM },
		{ "lat", "lat_bucket", EXPO_HISTOGRAM, EXPO_COUNTER },
		{ "lat", "lat_sum", EXPO_HISTOGRAM, EXPO_GAUGE },
		{ "x_total", "x_total", EXPO_COUNTER, EXPO_GAUGE },	/* base x */
		{ "bets", "bets_created", EXPO_COUNTER, EXPO_GAUGE },
		{ "build", "build_info", EXPO_GAUGE, EXPO_GAUGE },
		{ "build_info", "build", EXPO_GAUGE, EXPO_GAUGE },
	};
	uint64_t counts[2] = { 1, 2 };
	double bound = 1;
	struct expo_histogram h = { 1, &bound, counts, 3 };

	(void)state;
	for (size_t i = 0; i < sizeof(clash) / sizeof(clash[0]); i++) {
		struct fixture f;
		struct expo_writer *w = open_writer(&f, EXPO_FMT_TEXT);

		assert_int_equal(expo_family(w, clash[i].first, clash[i].t1, NULL), 0);
		if (clash[i].t1 == EXPO_HISTOGRAM)
			assert_int_equal(expo_histogram(w, NULL, 0, &h), 0);
		else
			assert_int_equal(expo_sample(w, NULL, 0, 1), 0);
		assert_int_equal(expo_family(w, clash[i].second, clash[i].t2, NULL), -EEXIST);
		/* What was written is only the first family. */
		assert_int_equal(expo_sample(w, NULL, 0, 1), -EINVAL);
		close_writer(&f);
	}
	/* Suffixes that are whole words of other meanings are not siblings. */
	{
		struct fixture f;
		struct expo_writer *w = open_writer(&f, EXPO_FMT_TEXT);

		assert_int_equal(expo_family(w, "module_sets", EXPO_GAUGE, NULL), 0);
		assert_int_equal(expo_family(w, "module_sets_limit", EXPO_GAUGE, NULL), 0);
		assert_int_equal(expo_family(w, "lat", EXPO_HISTOGRAM, NULL), 0);
		assert_int_equal(expo_family(w, "latency", EXPO_GAUGE, NULL), 0);
		assert_int_equal(expo_family(w, "lat_counts", EXPO_GAUGE, NULL), 0);
		close_writer(&f);
	}
}

static void untyped_names(void **state)
{
	struct fixture f;
	struct expo_writer *w = open_writer(&f, EXPO_FMT_OPENMETRICS);

	(void)state;
	assert_int_equal(expo_family(w, "u", EXPO_UNTYPED, NULL), 0);
	assert_int_equal(expo_sample(w, NULL, 0, 0.5), 0);
	assert_int_equal(finish(&f), 0);
	assert_string_equal(text(&f), "# TYPE u unknown\nu 0.5\n# EOF\n");
	close_writer(&f);
	w = open_writer(&f, EXPO_FMT_TEXT);
	assert_int_equal(expo_family(w, "u", EXPO_UNTYPED, NULL), 0);
	assert_int_equal(expo_sample(w, NULL, 0, 0.5), 0);
	assert_string_equal(text(&f), "# TYPE u untyped\nu 0.5\n");
	close_writer(&f);
}

static void many_families(void **state)
{
	struct fixture f;
	struct expo_writer *w = open_writer(&f, EXPO_FMT_TEXT);
	char name[32];

	(void)state;
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "m_%d", i);
		assert_int_equal(expo_family(w, name, EXPO_GAUGE, NULL), 0);
		assert_int_equal(expo_sample_u64(w, NULL, 0, (uint64_t)i), 0);
	}
	assert_int_equal(expo_family(w, "m_4999", EXPO_GAUGE, NULL), -EEXIST);
	assert_int_equal(expo_series(w), 5000);
	assert_non_null(strstr(text(&f), "# TYPE m_4321 gauge\nm_4321 4321\n"));
	close_writer(&f);
}

/* Records the same exposition (histograms included). */
static void write_mixed(struct expo_writer *w)
{
	static const double bounds[] = { 0.001, 0.01, 0.1 };
	static const uint64_t counts[] = { 1, 2, 3, 4 };
	const struct expo_histogram h = { 3, bounds, counts, 0.5 };
	struct expo_label l = { "set", "dice" };
	char name[32];

	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "m_%d_total", i);
		assert_int_equal(expo_family(w, name, EXPO_COUNTER, "A \"counter\"."), 0);
		assert_int_equal(expo_sample_u64(w, &l, 1, (uint64_t)i * 7), 0);
		snprintf(name, sizeof(name), "h_%d_seconds", i);
		assert_int_equal(expo_family(w, name, EXPO_HISTOGRAM, "Latency."), 0);
		assert_int_equal(expo_histogram(w, &l, 1, &h), 0);
	}
}

static int collect_text(void *arg, const char *str, size_t len)
{
	struct strbuf *sb = arg;

	assert_true(len > 0);
	sb_putn(sb, str, len);
	return sb_failed(sb) ? -ENOMEM : 0;
}

static int refuse_text(void *arg, const char *str, size_t len)
{
	(void)arg;
	(void)str;
	(void)len;
	return -EPIPE;
}

/* A sink gets exactly the text, in chunks, and out never holds it all. */
static void sink_gets_the_same_text_in_chunks(void **state)
{
	enum expo_format fmts[] = { EXPO_FMT_TEXT, EXPO_FMT_OPENMETRICS };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct fixture f;
		struct strbuf chunked, sunk;
		const struct expo_writer *parts[1];

		sb_init(&sunk);
		sb_init(&chunked);
		write_mixed(open_writer(&f, fmts[i]));
		parts[0] = f.w;
		assert_int_equal(finish(&f), 0);
		assert_int_equal(expo_render(parts, 1, fmts[i], &chunked, collect_text, &sunk,
					     NULL), 0);
		assert_int_equal(chunked.len, 0);
		assert_true(chunked.cap <= 2 * EXPO_SINK_CHUNK);
		assert_true(f.out.len > 4 * EXPO_SINK_CHUNK);
		assert_int_equal(sunk.len, f.out.len);
		assert_memory_equal(sunk.buf, f.out.buf, f.out.len);
		sb_free(&sunk);
		sb_free(&chunked);
		close_writer(&f);
	}
}

static void sink_error_ends_the_rendering(void **state)
{
	struct fixture f;
	struct expo_writer *w = open_writer(&f, EXPO_FMT_TEXT);
	const struct expo_writer *parts[] = { w };

	(void)state;
	write_mixed(w);
	assert_int_equal(expo_render(parts, 1, EXPO_FMT_TEXT, &f.out, refuse_text, NULL, NULL),
			 -EPIPE);
	close_writer(&f);
}

/* Recordings of one scrape render as one exposition, in order; a family
 * that an earlier recording has is left out whole, and counted. */
static void recordings_render_in_order_first_wins(void **state)
{
	struct expo_writer *a = expo_new(), *b = expo_new();
	const struct expo_writer *parts[] = { a, NULL, b };
	struct expo_render_stats st;
	struct strbuf out;

	(void)state;
	sb_init(&out);
	assert_int_equal(expo_family(a, "x_total", EXPO_COUNTER, "From a."), 0);
	assert_int_equal(expo_sample_u64(a, NULL, 0, 1), 0);
	assert_int_equal(expo_family(b, "y", EXPO_GAUGE, NULL), 0);
	assert_int_equal(expo_sample_u64(b, NULL, 0, 2), 0);
	/* The other spelling of a's counter: the same family. */
	assert_int_equal(expo_family(b, "x", EXPO_COUNTER, "From b."), 0);
	assert_int_equal(expo_sample_u64(b, NULL, 0, 3), 0);
	assert_int_equal(expo_family(b, "z", EXPO_GAUGE, NULL), 0);
	assert_int_equal(expo_sample_u64(b, NULL, 0, 4), 0);
	assert_int_equal(expo_render(parts, 3, EXPO_FMT_TEXT, &out, NULL, NULL, &st), 0);
	assert_string_equal(sb_str(&out),
		"# HELP x_total From a.\n# TYPE x_total counter\nx_total 1\n"
		"# TYPE y gauge\ny 2\n"
		"# TYPE z gauge\nz 4\n");
	assert_int_equal(st.dropped, 1);
	assert_int_equal(st.series, 3);
	/* The same recordings render again, in the other format. */
	sb_reset(&out);
	assert_int_equal(expo_render(parts, 3, EXPO_FMT_OPENMETRICS, &out, NULL, NULL, NULL), 0);
	assert_string_equal(sb_str(&out),
		"# HELP x From a.\n# TYPE x counter\nx_total 1\n"
		"# TYPE y gauge\ny 2\n# TYPE z gauge\nz 4\n# EOF\n");
	sb_free(&out);
	expo_free(a);
	expo_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counter_text_format),
		cmocka_unit_test(counter_openmetrics),
		cmocka_unit_test(counter_rejects_negative_and_nan),
		cmocka_unit_test(help_escaping_differs_by_format),
		cmocka_unit_test(label_value_escaping),
		cmocka_unit_test(float_rendering),
		cmocka_unit_test(decimals_as_printf_writes_them),
		cmocka_unit_test(integer_rendering),
		cmocka_unit_test(histogram_cumulative_buckets),
		cmocka_unit_test(histogram_negative_buckets),
		cmocka_unit_test(histogram_rejects_bad_input),
		cmocka_unit_test(names_and_families_are_checked),
		cmocka_unit_test(sibling_suffix_clashes),
		cmocka_unit_test(untyped_names),
		cmocka_unit_test(many_families),
		cmocka_unit_test(sink_gets_the_same_text_in_chunks),
		cmocka_unit_test(sink_error_ends_the_rendering),
		cmocka_unit_test(recordings_render_in_order_first_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
