// SPDX-License-Identifier: GPL-2.0
/*
 * The kmod collector's native histograms (kmod_hist.c, issue 13): a
 * counter-set histogram read with native buckets goes out in protobuf as a
 * native histogram (decoded here by protoc), beside its own classic
 * buckets when it has bounds; the text formats get the classic buckets,
 * the metric's own or, for a native-only metric, classic buckets derived
 * exactly from the native ones at fixed powers of two. The zero threshold
 * and the exemplar are scaled to base units like the sum.
 */
#include <errno.h>
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
#include "kmod_hist.h"
#include "proto_decode.h"
#include "strbuf.h"

/*
 * Nanoseconds exported as seconds, native schema 3 created, raw values up
 * to 1000 ns (1e-06 s) in the zero bucket, negative values allowed.
 */
static struct bcmon_metric_info native_metric(const uint64_t *bounds, size_t nbounds)
{
	return (struct bcmon_metric_info){
		.name = "rtt", .unit = "seconds", .help = "", .kind = BCMON_KIND_HISTOGRAM,
		.scale = -9, .n_bounds = nbounds, .bounds = bounds,
		.native = true, .native_schema = 3, .native_zero_threshold = 1000,
		.native_negative = true,
	};
}

/*
 * A reading at schema 0 (lowered): zero bucket 1, positive buckets -10
 * (2^-11, 2^-10] s: 2, -9: 0, -8 (2^-9, 2^-8] s: 3, negative bucket -9
 * [-2^-9, -2^-10) s: 1. Seven observations.
 */
static const uint64_t pos[] = { 2, 0, 3 }, neg[] = { 1 };
static const struct bcmon_native_buckets reading = {
	.schema = 0, .zero_count = 1,
	.positive_offset = -10, .n_positive = 3, .positive = pos,
	.negative_offset = -9, .n_negative = 1, .negative = neg,
};

/*
 * How protoc shows the reading. (The protobuf writer sends the empty
 * bucket -9 inside one span rather than two spans.)
 */
#define NATIVE_READING \
		"    schema: 0\n    zero_threshold: 1e-06\n    zero_count: 1\n" \
		"    negative_span {\n      offset: -9\n      length: 1\n    }\n" \
		"    negative_delta: 1\n" \
		"    positive_span {\n      offset: -10\n      length: 3\n    }\n" \
		"    positive_delta: 2\n    positive_delta: -2\n    positive_delta: 3\n"

/* The exemplar of the module's +Inf bucket: 3 ms, in bucket -8. */
static const struct bcmon_exemplar_info exemplar = {
	.bucket = 0, .value = 3000000, .time_ns = 1700000000000000000ull,
	.ids = {
		.trace_id = { 0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
			      0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36 },
		.span_id = { 0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7 },
	},
};

/* Record one reading of m as the collector does, then render it in fmt. */
static void render(const struct bcmon_metric_info *m, const struct kmod_hist_reading *r,
		   enum expo_format fmt, struct strbuf *out)
{
	double bounds[4];
	struct kmod_hist_room room = { 0 };
	struct expo_writer *w = expo_new();
	const struct expo_writer *parts[] = { w };

	assert_true(m->n_bounds <= 4);
	assert_int_equal(buckets_scaled(m->bounds, m->n_bounds, m->scale, bounds), 0);
	assert_int_equal(expo_family(w, "bitcraps_net_rtt_seconds", EXPO_HISTOGRAM, "RTT."), 0);
	assert_int_equal(kmod_hist_write(w, &room, m, bounds, NULL, 0, r), 0);
	sb_init(out);
	assert_int_equal(expo_render(parts, 1, fmt, out, NULL, NULL, NULL), 0);
	kmod_hist_room_free(&room);
	expo_free(w);
}

/*
 * Reading r of m in protobuf decodes as one histogram of 7 observations
 * summing to 4 ms, with body after its count and sum.
 */
static void expect_protobuf(const struct bcmon_metric_info *m,
			    const struct kmod_hist_reading *r, const char *body)
{
	struct strbuf out;
	char want[4096];

	snprintf(want, sizeof(want),
		 "name: \"bitcraps_net_rtt_seconds\"\n"
		 "help: \"RTT.\"\n"
		 "type: HISTOGRAM\n"
		 "metric {\n"
		 "  histogram {\n"
		 "    sample_count: 7\n    sample_sum: 0.004\n"
		 "%s"
		 "  }\n"
		 "}\n", body);
	render(m, r, EXPO_FMT_PROTOBUF, &out);
	expect_stream(&out, (const char *const[]){ want }, 1);
	sb_free(&out);
}

static void native_only_in_protobuf(void **state)
{
	static const uint64_t inf[] = { 7 };
	const struct bcmon_metric_info m = native_metric(NULL, 0);
	const struct kmod_hist_reading r = { inf, 4000000, 1, &exemplar, &reading };

	(void)state;
	expect_protobuf(&m, &r,
		NATIVE_READING
		"    exemplars {\n"
		"      label {\n        name: \"trace_id\"\n"
		"        value: \"4bf92f3577b34da6a3ce929d0e0e4736\"\n      }\n"
		"      label {\n        name: \"span_id\"\n        value: \"00f067aa0ba902b7\"\n      }\n"
		"      value: 0.003\n"
		"      timestamp {\n        seconds: 1700000000\n      }\n"
		"    }\n");
}

/*
 * Text: classic buckets at the powers of two from 2^-19 s (the first at or
 * above the zero threshold, 1e-06 s) to 2^33 s (2^63 ns is 2^33.1 s); the
 * zero bucket and the negative values count under the first.
 */
static void native_only_in_text(void **state)
{
	static const uint64_t inf[] = { 7 };
	const struct bcmon_metric_info m = native_metric(NULL, 0);
	const struct kmod_hist_reading r = { inf, 4000000, 0, NULL, &reading };
	struct strbuf out;
	const char *text;

	(void)state;
	render(&m, &r, EXPO_FMT_TEXT, &out);
	text = sb_str(&out);
	assert_non_null(strstr(text,
		"# TYPE bitcraps_net_rtt_seconds histogram\n"
		"bitcraps_net_rtt_seconds_bucket{le=\"1.9073486328125e-06\"} 2\n"));
	assert_non_null(strstr(text,
		"bitcraps_net_rtt_seconds_bucket{le=\"0.00048828125\"} 2\n"
		"bitcraps_net_rtt_seconds_bucket{le=\"0.0009765625\"} 4\n"
		"bitcraps_net_rtt_seconds_bucket{le=\"0.001953125\"} 4\n"
		"bitcraps_net_rtt_seconds_bucket{le=\"0.00390625\"} 7\n"));
	assert_non_null(strstr(text,
		"bitcraps_net_rtt_seconds_bucket{le=\"8589934592\"} 7\n"
		"bitcraps_net_rtt_seconds_bucket{le=\"+Inf\"} 7\n"
		"bitcraps_net_rtt_seconds_count 7\n"
		"bitcraps_net_rtt_seconds_sum 0.004\n"));
	assert_null(strstr(text, "le=\"9.5367431640625e-07\""));	/* 2^-20 */
	assert_null(strstr(text, "le=\"17179869184\""));		/* 2^34 */
	sb_free(&out);

	/* OpenMetrics: the exemplar in the derived bucket its value is in. */
	render(&m, &(struct kmod_hist_reading){ inf, 4000000, 1, &exemplar, &reading },
	       EXPO_FMT_OPENMETRICS, &out);
	assert_non_null(strstr(sb_str(&out),
		"bitcraps_net_rtt_seconds_bucket{le=\"0.00390625\"} 7 # {trace_id=\""
		"4bf92f3577b34da6a3ce929d0e0e4736\",span_id=\"00f067aa0ba902b7\"} 0.003 "
		"1700000000"));
	sb_free(&out);
}

/*
 * Bounds of its own (1 ms, 10 ms) and a native form: protobuf sends both,
 * text the metric's bounds only.
 */
static void classic_and_native(void **state)
{
	static const uint64_t ub[] = { 1000000, 10000000 }, counts[] = { 4, 3, 0 };
	const struct bcmon_metric_info m = native_metric(ub, 2);
	const struct kmod_hist_reading r = { counts, 4000000, 0, NULL, &reading };
	struct strbuf out;

	(void)state;
	expect_protobuf(&m, &r,
		"    bucket {\n      cumulative_count: 4\n      upper_bound: 0.001\n    }\n"
		"    bucket {\n      cumulative_count: 7\n      upper_bound: 0.01\n    }\n"
		NATIVE_READING);
	render(&m, &r, EXPO_FMT_TEXT, &out);
	assert_non_null(strstr(sb_str(&out),
		"bitcraps_net_rtt_seconds_bucket{le=\"0.001\"} 4\n"
		"bitcraps_net_rtt_seconds_bucket{le=\"0.01\"} 7\n"
		"bitcraps_net_rtt_seconds_bucket{le=\"+Inf\"} 7\n"));
	assert_null(strstr(sb_str(&out), "le=\"0.00390625\""));
	sb_free(&out);
}

/*
 * A reading lowered below schema 0 (-2: four octaves a bucket) derives the
 * same classic bounds as at any schema, every power of two, so that the le
 * set never changes; its bucket (1, 16] counts from 2^4 on, the bounds
 * inside it (2, 4, 8) hold what ends at or below them: nothing here.
 */
static void derived_at_a_negative_schema(void **state)
{
	static const uint64_t inf[] = { 5 }, five[] = { 5 };
	struct bcmon_metric_info m = native_metric(NULL, 0);
	const struct bcmon_native_buckets low = {
		.schema = -2, .positive_offset = 1, .n_positive = 1, .positive = five,
	};
	struct strbuf out;

	(void)state;
	m.scale = 0;
	m.native_zero_threshold = 0;
	render(&m, &(struct kmod_hist_reading){ inf, 40, 0, NULL, &low }, EXPO_FMT_TEXT, &out);
	assert_non_null(strstr(sb_str(&out),
		"# TYPE bitcraps_net_rtt_seconds histogram\n"
		"bitcraps_net_rtt_seconds_bucket{le=\"1\"} 0\n"
		"bitcraps_net_rtt_seconds_bucket{le=\"2\"} 0\n"
		"bitcraps_net_rtt_seconds_bucket{le=\"4\"} 0\n"
		"bitcraps_net_rtt_seconds_bucket{le=\"8\"} 0\n"
		"bitcraps_net_rtt_seconds_bucket{le=\"16\"} 5\n"
		"bitcraps_net_rtt_seconds_bucket{le=\"32\"} 5\n"));
	assert_non_null(strstr(sb_str(&out),
		"bitcraps_net_rtt_seconds_bucket{le=\"+Inf\"} 5\n"));
	sb_free(&out);
}

/* Native counts that do not add up to the classic ones: refused, not sent. */
static void inconsistent_reading_refused(void **state)
{
	static const uint64_t ub[] = { 1000000, 10000000 }, counts[] = { 4, 2, 0 };
	const struct bcmon_metric_info m = native_metric(ub, 2);
	const struct kmod_hist_reading r = { counts, 4000000, 0, NULL, &reading };
	struct kmod_hist_room room = { 0 };
	struct expo_writer *w = expo_new();
	double bounds[2];

	(void)state;
	assert_int_equal(buckets_scaled(ub, 2, -9, bounds), 0);
	assert_int_equal(expo_family(w, "bitcraps_net_rtt_seconds", EXPO_HISTOGRAM, NULL), 0);
	assert_int_equal(kmod_hist_write(w, &room, &m, bounds, NULL, 0, &r), -ERANGE);
	kmod_hist_room_free(&room);
	expo_free(w);
}

/*
 * A native-only metric whose native buckets (7 observations) disagree with
 * its one classic bucket (+Inf, 6): refused too, although its classic
 * buckets are derived from the native ones.
 */
static void inconsistent_native_only_refused(void **state)
{
	static const uint64_t inf[] = { 6 };
	const struct bcmon_metric_info m = native_metric(NULL, 0);
	const struct kmod_hist_reading r = { inf, 4000000, 0, NULL, &reading };
	struct kmod_hist_room room = { 0 };
	struct expo_writer *w = expo_new();

	(void)state;
	assert_int_equal(expo_family(w, "bitcraps_net_rtt_seconds", EXPO_HISTOGRAM, NULL), 0);
	assert_int_equal(kmod_hist_write(w, &room, &m, NULL, NULL, 0, &r), -ERANGE);
	kmod_hist_room_free(&room);
	expo_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(native_only_in_protobuf),
		cmocka_unit_test(native_only_in_text),
		cmocka_unit_test(classic_and_native),
		cmocka_unit_test(derived_at_a_negative_schema),
		cmocka_unit_test(inconsistent_reading_refused),
		cmocka_unit_test(inconsistent_native_only_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
