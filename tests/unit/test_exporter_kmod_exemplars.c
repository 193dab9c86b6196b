// SPDX-License-Identifier: GPL-2.0
/*
 * The kmod collector's exemplars (kmod_exemplars.c): bcmon.ko's exemplar
 * of a counter-set histogram bucket as the exposition writer takes it
 * (trace_id and span_id in lowercase hex, the value scaled like the sum,
 * the time in seconds), and every exemplar the module can hold accepted
 * by the writer in its bucket: negative values, values on a bound, and
 * values that scaling to doubles puts on the bound below, which the writer
 * alone would refuse with the whole histogram. Rendered as OpenMetrics to
 * the byte.
 */
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

#include "buckets.h"
#include "expo.h"
#include "kmod_exemplars.h"

#define TRACE "4bf92f3577b34da6a3ce929d0e0e4736"
#define SPAN "00f067aa0ba902b7"

static const struct bcmon_exemplar ids = {
	.trace_id = { 0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
		      0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36 },
	.span_id = { 0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7 },
};

/* A histogram metric of nbounds bounds ub (in its unit) and scale. */
static struct bcmon_metric_info hist(const uint64_t *ub, size_t nbounds, int scale)
{
	return (struct bcmon_metric_info){
		.name = "lat", .kind = BCMON_KIND_HISTOGRAM, .scale = scale,
		.n_bounds = nbounds, .bounds = ub,
	};
}

static struct bcmon_exemplar_info info(uint32_t bucket, int64_t value, uint64_t time_ns)
{
	return (struct bcmon_exemplar_info){ bucket, value, time_ns, ids };
}

static void converted(void **state)
{
	struct bcmon_exemplar_info in = info(1, 1500, 1700000000123456789ull);
	struct kmod_exemplar e;

	(void)state;
	kmod_exemplar_convert(&in, -6, &e);
	assert_string_equal(e.trace_id, TRACE);
	assert_string_equal(e.span_id, SPAN);
	assert_int_equal(e.ex.nlabels, 2);
	assert_ptr_equal(e.ex.labels, e.labels);
	assert_string_equal(e.labels[0].name, "trace_id");
	assert_ptr_equal(e.labels[0].value, e.trace_id);
	assert_string_equal(e.labels[1].name, "span_id");
	assert_ptr_equal(e.labels[1].value, e.span_id);
	/* 1500 us: the double nearest 0.0015, as the sum would be scaled */
	assert_true(e.ex.value == 0.0015);
	assert_true(e.ex.value == scale_to_base(1500, -6));
	assert_true(e.ex.timestamp == 1700000000123456789.0 / 1e9);
	assert_true(fabs(e.ex.timestamp - 1700000000.123456789) < 1e-6);

	in = info(0, -7, 1);
	kmod_exemplar_convert(&in, 3, &e);
	assert_true(e.ex.value == -7000);
	assert_true(e.ex.timestamp == 1e-9);
	in.ids.trace_id[0] = 0xff;
	in.ids.span_id[7] = 0x0a;
	kmod_exemplar_convert(&in, 0, &e);
	assert_true(e.ex.value == -7);
	assert_string_equal(e.trace_id, "fff92f3577b34da6a3ce929d0e0e4736");
	assert_string_equal(e.span_id, "00f067aa0ba9020a");
}

/* Render one histogram with its reading's exemplars as OpenMetrics. */
static char *render_om(const uint64_t *ubounds, size_t nbounds, int scale,
		       const uint64_t *counts, const struct bcmon_exemplar_info *in,
		       size_t n, size_t want_kept)
{
	const struct bcmon_metric_info m = hist(ubounds, nbounds, scale);
	const struct expo_exemplar *const *by_bucket;
	struct kmod_exemplars x = { 0 };
	double bounds[8];
	struct expo_writer *w = expo_new();
	struct strbuf out;
	char *text;

	assert_true(nbounds <= 8);
	assert_int_equal(buckets_scaled(ubounds, nbounds, scale, bounds), 0);
	assert_int_equal(kmod_exemplars_prepare(&x, &m, bounds, in, n, &by_bucket),
			 (int)want_kept);
	assert_int_equal(expo_family(w, "bitcraps_ex_lat", EXPO_HISTOGRAM, NULL), 0);
	assert_int_equal(expo_histogram_exemplars(w, NULL, 0, &(struct expo_histogram){
		nbounds, bounds, counts, 0 }, by_bucket), 0);
	sb_init(&out);
	assert_int_equal(expo_render((const struct expo_writer *const[]){ w }, 1,
				     EXPO_FMT_OPENMETRICS, &out, NULL, NULL, NULL), 0);
	text = strdup(sb_str(&out));
	sb_free(&out);
	expo_free(w);
	kmod_exemplars_free(&x);
	return text;
}

#define EX(v, ts) " # {trace_id=\"" TRACE "\",span_id=\"" SPAN "\"} " v " " ts "\n"

/*
 * The module's buckets: a negative value in the first, a value equal to a
 * bound in that bound's, above every bound in +Inf; scaled (milliseconds
 * to seconds) on a bound too.
 */
static void kernel_buckets_accepted(void **state)
{
	static const uint64_t ub[] = { 10, 100 };
	static const uint64_t counts[] = { 2, 1, 1 };
	const struct bcmon_exemplar_info in[] = {
		info(0, -3, 1700000000123000000ull),
		info(1, 100, 1700000000124000000ull),
		info(2, 500, 1700000000125000000ull),
	};
	const struct bcmon_exemplar_info on_bound[] = {
		info(0, 10, 1700000000000000000ull),
		info(1, 5000, 1700000000999999999ull),
	};
	static const uint64_t ms[] = { 5, 5000 };
	char *text;

	(void)state;
	text = render_om(ub, 2, 0, counts, in, 3, 3);
	assert_string_equal(text,
		"# TYPE bitcraps_ex_lat histogram\n"
		"bitcraps_ex_lat_bucket{le=\"10.0\"} 2" EX("-3.0", "1700000000.123")
		"bitcraps_ex_lat_bucket{le=\"100.0\"} 3" EX("100.0", "1700000000.124")
		"bitcraps_ex_lat_bucket{le=\"+Inf\"} 4" EX("500.0", "1700000000.125")
		"bitcraps_ex_lat_count 4\n"
		"bitcraps_ex_lat_sum 0.0\n"
		"# EOF\n");
	free(text);
	text = render_om(ub, 2, 0, counts, on_bound, 1, 1);
	assert_non_null(strstr(text, "bitcraps_ex_lat_bucket{le=\"10.0\"} 2" EX("10.0", "1700000000.000")));
	free(text);
	/* milliseconds: 5 ms is the bound 0.005 s, 5000 ms the bound 5 s */
	text = render_om(ms, 2, -3, counts, on_bound + 1, 1, 1);
	assert_non_null(strstr(text, "bitcraps_ex_lat_bucket{le=\"5.0\"} 3" EX("5.0", "1700000001.000")));
	free(text);
	text = render_om(ms, 2, -3, counts, (const struct bcmon_exemplar_info[]){
		info(0, 5, 1700000000000000000ull) }, 1, 1);
	assert_non_null(strstr(text, "bitcraps_ex_lat_bucket{le=\"0.005\"} 2" EX("0.005", "1700000000.000")));
	free(text);
}

/* Prepare one exemplar of bucket b; its value as the writer gets it. */
static double prepared_value(const uint64_t *ub, size_t nbounds, int scale, uint32_t b,
			     int64_t v, double *bounds)
{
	const struct bcmon_metric_info m = hist(ub, nbounds, scale);
	const struct expo_exemplar *const *by_bucket;
	struct kmod_exemplars x = { 0 };
	const struct bcmon_exemplar_info in = info(b, v, 1);
	double value;

	assert_int_equal(buckets_scaled(ub, nbounds, scale, bounds), 0);
	assert_int_equal(kmod_exemplars_prepare(&x, &m, bounds, &in, 1, &by_bucket), 1);
	assert_non_null(by_bucket);
	assert_non_null(by_bucket[b]);
	value = by_bucket[b]->value;
	/* and the writer takes it */
	{
		struct expo_writer *w = expo_new();
		uint64_t counts[3] = { 0, 0, 0 };

		counts[b] = 1;
		assert_int_equal(expo_family(w, "h", EXPO_HISTOGRAM, NULL), 0);
		assert_int_equal(expo_histogram_exemplars(w, NULL, 0, &(struct expo_histogram){
			nbounds, bounds, counts, 0 }, by_bucket), 0);
		expo_free(w);
	}
	kmod_exemplars_free(&x);
	return value;
}

/*
 * Above a bound in the module, on it once a double: 2^53 + 1 is the
 * double 2^53; 9007199254540993 ms and 9007199254540992 ms are one double
 * of seconds. The writer alone refuses such an exemplar (and the
 * histogram); prepared, it is the next double above the bound.
 */
static void rounded_onto_the_bound_below(void **state)
{
	static const uint64_t p53[] = { 1ull << 53, 1ull << 54 };
	static const uint64_t close[] = { 9007199254540992ull, 9007199254540999ull };
	double bounds[2], v;

	(void)state;
	v = prepared_value(p53, 2, 0, 1, (1ll << 53) + 1, bounds);
	assert_true(scale_to_base((double)((1ll << 53) + 1), 0) == bounds[0]);
	assert_true(v == nextafter(bounds[0], INFINITY) && v <= bounds[1]);
	v = prepared_value(p53, 2, -9, 2, (1ll << 54) + 1, bounds);
	assert_true(v == nextafter(bounds[1], INFINITY));
	v = prepared_value(close, 2, -3, 1, 9007199254540993ll, bounds);
	assert_true(scale_to_base(9007199254540993.0, -3) == bounds[0]);
	assert_true(v == nextafter(bounds[0], INFINITY) && v <= bounds[1]);

	/* what the writer does without it */
	{
		struct expo_writer *w = expo_new();
		const struct expo_exemplar e = { NULL, 0, bounds[0], 0 };
		const struct expo_exemplar *ex[3] = { NULL, &e, NULL };

		assert_int_equal(expo_family(w, "h", EXPO_HISTOGRAM, NULL), 0);
		assert_int_equal(expo_histogram_exemplars(w, NULL, 0, &(struct expo_histogram){
			2, bounds, (const uint64_t[]){ 0, 1, 0 }, 0 }, ex), -EINVAL);
		expo_free(w);
	}
}

/*
 * Data bcmon.ko never sends (libbcmon refuses some of it too): an
 * exemplar outside its bucket by the module's rule (on the bound below is
 * outside, unlike a value only scaling put there), of a bucket the
 * histogram lacks, or a second of one bucket, is left out; the others and
 * the histogram stay.
 */
static void inconsistent_left_out(void **state)
{
	static const uint64_t ub[] = { 10, 100 };
	static const uint64_t counts[] = { 1, 1, 1 };
	const struct bcmon_exemplar_info in[] = {
		info(0, 50, 1700000000000000000ull),	/* above 10 */
		info(1, 10, 1700000000000000000ull),	/* not above 10 */
		info(2, -1, 1700000000000000000ull),	/* negative: the first */
		info(1, 20, 1700000000000000000ull),
		info(1, 30, 1700000000000000000ull),	/* bucket 1 again */
		info(3, 500, 1700000000000000000ull),	/* no bucket 3 */
	};
	char *text;

	(void)state;
	text = render_om(ub, 2, 0, counts, in, 6, 1);
	assert_string_equal(text,
		"# TYPE bitcraps_ex_lat histogram\n"
		"bitcraps_ex_lat_bucket{le=\"10.0\"} 1\n"
		"bitcraps_ex_lat_bucket{le=\"100.0\"} 2" EX("20.0", "1700000000.000")
		"bitcraps_ex_lat_bucket{le=\"+Inf\"} 3\n"
		"bitcraps_ex_lat_count 3\n"
		"bitcraps_ex_lat_sum 0.0\n"
		"# EOF\n");
	free(text);
}

/*
 * Histograms without exemplars take no room; the room is reused, and a
 * bucket's exemplar of one histogram is not left over for the next.
 */
static void room_reused(void **state)
{
	const struct expo_exemplar *const *by_bucket = (const void *)1;
	struct kmod_exemplars x = { 0 };
	static const uint64_t ufour[] = { 1, 2, 3, 4 };
	static const double four[] = { 1, 2, 3, 4 };
	const struct bcmon_metric_info m4 = hist(ufour, 4, 0), m1 = hist(ufour, 1, 0);
	const struct bcmon_exemplar_info last = info(4, 9, 1), first = info(0, 1, 1);

	(void)state;
	assert_int_equal(kmod_exemplars_prepare(&x, &m4, four, NULL, 0, &by_bucket), 0);
	assert_null(by_bucket);
	assert_int_equal(x.cap, 0);
	assert_null(x.slot);
	assert_int_equal(kmod_exemplars_prepare(&x, &m4, four, &last, 1, &by_bucket), 1);
	assert_int_equal(x.cap, 5);
	assert_true(by_bucket[4]->value == 9);
	assert_int_equal(kmod_exemplars_prepare(&x, &m4, four, &first, 1, &by_bucket), 1);
	assert_non_null(by_bucket[0]);
	assert_null(by_bucket[4]);
	assert_int_equal(kmod_exemplars_prepare(&x, &m1, four, &first, 1, &by_bucket), 1);
	assert_int_equal(x.cap, 5);
	assert_null(by_bucket[1]);
	assert_string_equal(by_bucket[0]->labels[0].value, TRACE);
	kmod_exemplars_free(&x);
	assert_int_equal(x.cap, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(converted),
		cmocka_unit_test(kernel_buckets_accepted),
		cmocka_unit_test(rounded_onto_the_bound_below),
		cmocka_unit_test(inconsistent_left_out),
		cmocka_unit_test(room_reused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
