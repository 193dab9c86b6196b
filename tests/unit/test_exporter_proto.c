// SPDX-License-Identifier: GPL-2.0
/*
 * The protobuf exposition (expo_proto.c, expo_native.c), decoded by an
 * independent decoder: protoc --decode with the schema, message by message
 * after splitting the varint-delimited stream; every field is compared
 * with protoc's text rendering. Exemplars included: on classic buckets
 * (an explicit "+Inf" bucket for that bucket's), in Histogram.exemplars
 * for a native-only histogram.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "expo_native.h"
#include "expo_proto.h"
#include "proto_decode.h"
#include "strbuf.h"

static const struct expo_label peer_a[] = { { "peer", "ab12" }, { "q", "x\"y\\z" } };

static void counters_gauges_untyped(void **state)
{
	struct expo_proto *p = expo_proto_new();
	struct strbuf out;
	static const char *const want[] = {
		"name: \"bitcraps_bets_total\"\n"
		"help: \"Bets placed.\"\n"
		"type: COUNTER\n"
		"metric {\n"
		"  label {\n    name: \"peer\"\n    value: \"ab12\"\n  }\n"
		"  label {\n    name: \"q\"\n    value: \"x\\\"y\\\\z\"\n  }\n"
		"  counter {\n    value: 42.5\n  }\n"
		"}\n"
		"metric {\n  counter {\n    value: 1e+20\n  }\n}\n",
		"name: \"bitcraps_temp\"\n"
		"type: GAUGE\n"
		"metric {\n  gauge {\n    value: -3.25\n  }\n}\n",
		"name: \"bitcraps_thing\"\n"
		"help: \"\"\n"
		"type: UNTYPED\n"
		"metric {\n  untyped {\n    value: 7\n  }\n}\n",
	};

	(void)state;
	sb_init(&out);
	assert_int_equal(expo_proto_family(p, "bitcraps_bets_total", EXPO_COUNTER, "Bets placed."), 0);
	assert_int_equal(expo_proto_value(p, peer_a, 2, 42.5), 0);
	assert_int_equal(expo_proto_value(p, NULL, 0, 1e20), 0);
	assert_int_equal(expo_proto_flush(p, &out), 0);
	assert_int_equal(expo_proto_family(p, "bitcraps_temp", EXPO_GAUGE, NULL), 0);
	assert_int_equal(expo_proto_value(p, NULL, 0, -3.25), 0);
	assert_int_equal(expo_proto_flush(p, &out), 0);
	/* a family without metrics writes nothing */
	assert_int_equal(expo_proto_family(p, "bitcraps_empty", EXPO_GAUGE, "x"), 0);
	assert_int_equal(expo_proto_flush(p, &out), 0);
	assert_int_equal(expo_proto_family(p, "bitcraps_thing", EXPO_UNTYPED, ""), 0);
	assert_int_equal(expo_proto_value(p, NULL, 0, 7), 0);
	/* values and histograms do not mix */
	assert_int_equal(expo_proto_histogram(p, NULL, 0, &(struct expo_histogram){
		.counts = (uint64_t[]){ 0 } }, true, NULL), -EINVAL);
	assert_int_equal(expo_proto_flush(p, &out), 0);
	expect_stream(&out, want, 3);
	sb_free(&out);
	expo_proto_free(p);
}

static void classic_histogram(void **state)
{
	struct expo_proto *p = expo_proto_new();
	struct strbuf out;
	static const double bounds[] = { 0.001, 0.01, 1 };
	static const uint64_t counts[] = { 1, 2, 0, 3 };
	const struct expo_histogram h = { 3, bounds, counts, 12.5 };
	static const char *const want[] = {
		"name: \"bitcraps_lat_seconds\"\n"
		"help: \"Latency.\"\n"
		"type: HISTOGRAM\n"
		"metric {\n  histogram {\n"
		"    sample_count: 6\n    sample_sum: 12.5\n"
		"    bucket {\n      cumulative_count: 1\n      upper_bound: 0.001\n    }\n"
		"    bucket {\n      cumulative_count: 3\n      upper_bound: 0.01\n    }\n"
		"    bucket {\n      cumulative_count: 3\n      upper_bound: 1\n    }\n"
		"  }\n}\n",
	};

	(void)state;
	sb_init(&out);
	assert_int_equal(expo_proto_family(p, "bitcraps_lat_seconds", EXPO_HISTOGRAM, "Latency."), 0);
	assert_int_equal(expo_proto_value(p, NULL, 0, 1), -EINVAL);
	assert_int_equal(expo_proto_histogram(p, NULL, 0, &h, true, NULL), 0);
	assert_int_equal(expo_proto_flush(p, &out), 0);
	expect_stream(&out, want, 1);
	sb_free(&out);
	expo_proto_free(p);
}

/* How protoc shows the native part of native_histograms()'s histogram. */
#define NATIVE_FIELDS \
	"    schema: 3\n" \
	"    zero_threshold: 2.9387358770557188e-39\n" \
	"    zero_count: 6\n" \
	"    negative_span {\n      offset: -2\n      length: 2\n    }\n" \
	"    negative_delta: 4\n    negative_delta: 0\n" \
	"    positive_span {\n      offset: 3\n      length: 5\n    }\n" \
	"    positive_span {\n      offset: 4\n      length: 1\n    }\n" \
	"    positive_delta: 5\n    positive_delta: -5\n    positive_delta: 2\n" \
	"    positive_delta: -2\n    positive_delta: 9\n    positive_delta: -8\n"

/*
 * Native and classic side by side: positive buckets 3, 4 (count 0: left
 * out), 5, 7 (a gap of one is filled), 12 (a gap of four opens a span),
 * negative buckets -2 and -1, a zero bucket; and an empty native histogram
 * with its no-op span, and a native-only one.
 */
static void native_histograms(void **state)
{
	struct expo_proto *p = expo_proto_new();
	struct strbuf out;
	static const struct expo_native_bucket pos[] = {
		{ 3, 5 }, { 4, 0 }, { 5, 2 }, { 7, 9 }, { 12, 1 },
	};
	static const struct expo_native_bucket neg[] = { { -2, 4 }, { -1, 4 } };
	const struct expo_native nat = {
		.schema = 3, .zero_threshold = 0x1p-128, .zero_count = 6,
		.positive = pos, .npositive = 5, .negative = neg, .nnegative = 2,
	};
	static const double bounds[] = { 1, 2 };
	/* 6 zeros and 8 negatives under 1; 5 + 2 + 9 in (1, 2] (bucket 8 is
	 * 2^1); 1 above */
	static const uint64_t counts[] = { 6 + 8, 5 + 2 + 9, 1 };
	const struct expo_histogram h = { 2, bounds, counts, 100.25 };
	const struct expo_native empty = { .schema = -2, .zero_threshold = 0 };
	const struct expo_histogram h_empty = { 0, NULL, (uint64_t[]){ 0 }, 0 };
	static const struct expo_label l1[] = { { "proto", "tcp" } };
	static const char *const want[] = {
		"name: \"bitcraps_rtt_seconds\"\n"
		"type: HISTOGRAM\n"
		"metric {\n"
		"  label {\n    name: \"proto\"\n    value: \"tcp\"\n  }\n"
		"  histogram {\n"
		"    sample_count: 31\n    sample_sum: 100.25\n"
		"    bucket {\n      cumulative_count: 14\n      upper_bound: 1\n    }\n"
		"    bucket {\n      cumulative_count: 30\n      upper_bound: 2\n    }\n"
		NATIVE_FIELDS
		"  }\n"
		"}\n"
		"metric {\n  histogram {\n"
		"    sample_count: 0\n    sample_sum: 0\n"
		"    schema: -2\n    zero_threshold: 0\n    zero_count: 0\n"
		"    positive_span {\n      offset: 0\n      length: 0\n    }\n"
		"  }\n}\n"
		"metric {\n  histogram {\n"
		"    sample_count: 31\n    sample_sum: 100.25\n"
		NATIVE_FIELDS
		"  }\n}\n",
	};

	(void)state;
	sb_init(&out);
	assert_int_equal(expo_proto_family(p, "bitcraps_rtt_seconds", EXPO_HISTOGRAM, NULL), 0);
	assert_int_equal(expo_proto_histogram(p, l1, 1, &h, true, &nat), 0);
	assert_int_equal(expo_proto_histogram(p, NULL, 0, &h_empty, true, &empty), 0);
	assert_int_equal(expo_proto_histogram(p, NULL, 0, &h, false, &nat), 0);
	assert_int_equal(expo_proto_flush(p, &out), 0);
	expect_stream(&out, want, 1);
	sb_free(&out);
	expo_proto_free(p);
}

static void native_refused(void **state)
{
	struct expo_proto *p = expo_proto_new();
	static const struct expo_native_bucket up[] = { { 3, 1 }, { 3, 1 } };
	static const struct expo_native_bucket big[] = { { 1, (uint64_t)INT64_MAX + 1 } };
	const struct expo_histogram two = { 0, NULL, (uint64_t[]){ 2 }, 0 };
	const struct expo_histogram huge = { 0, NULL, (uint64_t[]){ (uint64_t)INT64_MAX + 1 }, 0 };
	struct expo_native n = { .schema = 0, .positive = up, .npositive = 2 };
	struct strbuf out;

	(void)state;
	sb_init(&out);
	assert_int_equal(expo_proto_family(p, "h", EXPO_HISTOGRAM, NULL), 0);
	assert_int_equal(expo_proto_histogram(p, NULL, 0, &two, false, &n), -EINVAL);
	n.npositive = 1;	/* 1 != 2 */
	assert_int_equal(expo_proto_histogram(p, NULL, 0, &two, false, &n), -ERANGE);
	n.schema = 9;
	assert_int_equal(expo_native_check(&n, 1), -EINVAL);
	n.schema = -5;
	assert_int_equal(expo_native_check(&n, 1), -EINVAL);
	n.schema = 0;
	n.zero_threshold = NAN;
	assert_int_equal(expo_native_check(&n, 1), -EINVAL);
	n.zero_threshold = -1;
	assert_int_equal(expo_native_check(&n, 1), -EINVAL);
	n.zero_threshold = 0;
	n.positive = big;
	assert_int_equal(expo_proto_histogram(p, NULL, 0, &huge, false, &n), -ERANGE);
	/* nothing was added */
	assert_int_equal(expo_proto_flush(p, &out), 0);
	assert_int_equal(out.len, 0);
	sb_free(&out);
	expo_proto_free(p);
}

/* Many metrics: a length over 127 takes a multi-byte varint. */
static void long_family(void **state)
{
	struct expo_proto *p = expo_proto_new();
	struct strbuf out;
	char *want;
	size_t len = 0;

	(void)state;
	sb_init(&out);
	want = malloc(1 << 20);
	assert_non_null(want);
	len += (size_t)sprintf(want + len, "name: \"g\"\ntype: GAUGE\n");
	assert_int_equal(expo_proto_family(p, "g", EXPO_GAUGE, NULL), 0);
	for (int i = 0; i < 3000; i++) {
		char v[16];
		struct expo_label l = { "i", v };

		snprintf(v, sizeof(v), "%d", i);
		assert_int_equal(expo_proto_value(p, &l, 1, i), 0);
		len += (size_t)sprintf(want + len,
				       "metric {\n  label {\n    name: \"i\"\n    value: \"%d\"\n  }\n"
				       "  gauge {\n    value: %d\n  }\n}\n", i, i);
	}
	assert_int_equal(expo_proto_flush(p, &out), 0);
	assert_true(out.len > 16384);
	expect_stream(&out, (const char *const[]){ want }, 1);
	free(want);
	sb_free(&out);
	expo_proto_free(p);
}

/* Classic buckets derived from native ones: each goes whole to one. */
static void derived_classic(void **state)
{
	static const struct expo_native_bucket pos[] = {
		{ -200, 1 }, { -16, 2 }, { -15, 3 }, { -8, 4 }, { -7, 5 },
		{ 0, 6 }, { 1, 7 }, { 8, 8 }, { 9, 9 }, { 100, 10 },
	};
	static const struct expo_native_bucket neg[] = { { 4, 11 } };
	struct expo_native n = {
		.schema = 3, .zero_threshold = 0x1p-128, .zero_count = 12,
		.positive = pos, .npositive = 10, .negative = neg, .nnegative = 1,
	};
	double bounds[8];
	uint64_t counts[9];

	(void)state;
	/* bounds 2^-2 .. 2^2: (.., 1/4] (1/4, 1/2] (1/2, 1] (1, 2] (2, 4] +Inf */
	assert_int_equal(expo_native_to_classic(&n, -2, 2, bounds, counts), 5);
	assert_true(bounds[0] == 0.25 && bounds[1] == 0.5 && bounds[2] == 1 &&
		    bounds[3] == 2 && bounds[4] == 4);
	/* index -16 at schema 3 is 2^-2 (in the first), -15 above it */
	assert_int_equal(counts[0], 12 + 11 + 1 + 2);
	assert_int_equal(counts[1], 3 + 4);	/* -15, -8 (= 2^-1) */
	assert_int_equal(counts[2], 5 + 6);	/* -7, 0 */
	assert_int_equal(counts[3], 7 + 8);	/* 1, 8 */
	assert_int_equal(counts[4], 9);
	assert_int_equal(counts[5], 10);
	/*
	 * schema -1: boundaries at even powers only; every power is a bound
	 * all the same (the le set never changes with the resolution), the
	 * odd ones holding the buckets that end below them.
	 */
	n.schema = -1;
	static const struct expo_native_bucket pos2[] = { { -1, 1 }, { 0, 2 }, { 1, 3 }, { 2, 4 } };
	n.positive = pos2;
	n.npositive = 4;
	n.nnegative = 0;
	n.zero_count = 0;
	/* e in -3..3: every power from 2^-3 to 2^3 */
	assert_int_equal(expo_native_to_classic(&n, -3, 3, bounds, counts), 7);
	for (int e = -3; e <= 3; e++)
		assert_true(bounds[e + 3] == ldexp(1, e));
	assert_int_equal(counts[0], 0);		/* 2^-3: nothing ends at or below */
	assert_int_equal(counts[1], 1);		/* (1/16, 1/4] ends at 2^-2 */
	assert_int_equal(counts[2], 0);
	assert_int_equal(counts[3], 2);		/* (1/4, 1] */
	assert_int_equal(counts[4], 0);
	assert_int_equal(counts[5], 3);		/* (1, 4] */
	assert_int_equal(counts[6], 0);
	assert_int_equal(counts[7], 4);		/* (4, 16]: above 2^3, +Inf */
	/* a zero bucket wider than the first bound cannot be placed */
	n.zero_threshold = 0.5;
	assert_int_equal(expo_native_to_classic(&n, -3, 3, bounds, counts), -EINVAL);
	/* bounds of the native buckets */
	assert_true(expo_native_bound(3, 8) == 2);
	assert_true(expo_native_bound(3, -8) == 0.5);
	assert_true(fabs(expo_native_bound(3, 1) - pow(2, 0.125)) < 1e-15);
	assert_true(expo_native_bound(-2, 1) == 16);
	assert_true(expo_native_bound(-2, -1) == 1 / 16.);
}

/*
 * Through the exposition writer: recordings rendered as protobuf (a family
 * that an earlier recording has is left out, counters get "_total", a
 * native histogram carries its native buckets and not its derived classic
 * ones, a classic-and-native one both) and as text (the classic form only).
 */
static void rendered_from_recordings(void **state)
{
	static const struct expo_native_bucket pos[] = { { -8, 2 }, { 1, 3 } };
	const struct expo_native nat = {
		.schema = 3, .zero_threshold = 0x1p-20, .zero_count = 1,
		.positive = pos, .npositive = 2,
	};
	static const double bounds[] = { 0.5, 1 };
	static const uint64_t counts[] = { 1 + 2, 0, 3 };
	const struct expo_histogram h = { 2, bounds, counts, 3.5 };
	const struct expo_label l = { "port", "7000" };
	struct expo_writer *a = expo_new(), *b = expo_new();
	const struct expo_writer *parts[] = { a, b };
	struct expo_render_stats st;
	struct strbuf out;
	static const char *const want[] = {
		"name: \"bitcraps_bets_total\"\n"
		"help: \"Bets.\"\n"
		"type: COUNTER\n"
		"metric {\n  counter {\n    value: 5\n  }\n}\n",
		"name: \"bitcraps_lat_seconds\"\n"
		"type: HISTOGRAM\n"
		"metric {\n"
		"  label {\n    name: \"port\"\n    value: \"7000\"\n  }\n"
		"  histogram {\n"
		"    sample_count: 6\n    sample_sum: 3.5\n"
		"    schema: 3\n    zero_threshold: 9.5367431640625e-07\n    zero_count: 1\n"
		"    positive_span {\n      offset: -8\n      length: 1\n    }\n"
		"    positive_span {\n      offset: 8\n      length: 1\n    }\n"
		"    positive_delta: 2\n    positive_delta: 1\n"
		"  }\n"
		"}\n"
		"metric {\n  histogram {\n"
		"    sample_count: 6\n    sample_sum: 3.5\n"
		"    bucket {\n      cumulative_count: 3\n      upper_bound: 0.5\n    }\n"
		"    bucket {\n      cumulative_count: 3\n      upper_bound: 1\n    }\n"
		"    schema: 3\n    zero_threshold: 9.5367431640625e-07\n    zero_count: 1\n"
		"    positive_span {\n      offset: -8\n      length: 1\n    }\n"
		"    positive_span {\n      offset: 8\n      length: 1\n    }\n"
		"    positive_delta: 2\n    positive_delta: 1\n"
		"  }\n}\n",
		"name: \"bitcraps_temp\"\n"
		"type: GAUGE\n"
		"metric {\n  gauge {\n    value: -2\n  }\n}\n",
	};

	(void)state;
	assert_int_equal(expo_family(a, "bitcraps_bets_total", EXPO_COUNTER, "Bets."), 0);
	assert_int_equal(expo_sample_u64(a, NULL, 0, 5), 0);
	assert_int_equal(expo_family(a, "bitcraps_lat_seconds", EXPO_HISTOGRAM, NULL), 0);
	assert_int_equal(expo_histogram_native(a, &l, 1, &h, true, &nat), 0);
	assert_int_equal(expo_histogram_native(a, NULL, 0, &h, false, &nat), 0);
	/* the native buckets must add up to the classic count */
	assert_int_equal(expo_histogram_native(a, NULL, 0, &(struct expo_histogram){
		2, bounds, (uint64_t[]){ 1, 0, 0 }, 0 }, true, &nat), -ERANGE);
	assert_int_equal(expo_family(b, "bitcraps_bets", EXPO_COUNTER, "Spoof."), 0);
	assert_int_equal(expo_sample_u64(b, NULL, 0, 99), 0);
	assert_int_equal(expo_family(b, "bitcraps_temp", EXPO_GAUGE, NULL), 0);
	assert_int_equal(expo_sample_i64(b, NULL, 0, -2), 0);

	sb_init(&out);
	assert_int_equal(expo_render(parts, 2, EXPO_FMT_PROTOBUF, &out, NULL, NULL, &st), 0);
	expect_stream(&out, want, 3);
	assert_int_equal(st.dropped, 1);
	assert_string_equal(expo_content_type(EXPO_FMT_PROTOBUF), EXPO_PROTO_CONTENT_TYPE);

	sb_reset(&out);
	assert_int_equal(expo_render(parts, 2, EXPO_FMT_TEXT, &out, NULL, NULL, NULL), 0);
	assert_non_null(strstr(sb_str(&out),
			       "bitcraps_lat_seconds_bucket{port=\"7000\",le=\"0.5\"} 3\n"
			       "bitcraps_lat_seconds_bucket{port=\"7000\",le=\"1\"} 3\n"
			       "bitcraps_lat_seconds_bucket{port=\"7000\",le=\"+Inf\"} 6\n"));
	assert_non_null(strstr(sb_str(&out), "bitcraps_temp -2\n"));
	sb_free(&out);
	expo_free(a);
	expo_free(b);
}

static const struct expo_label trace_a[] = {
	{ "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736" }, { "span_id", "00f067aa0ba902b7" },
};
static const struct expo_label trace_b[] = {
	{ "trace_id", "0af7651916cd43dd8448eb211c80319c" }, { "span_id", "b7ad6b7169203331" },
};

/* How protoc shows an exemplar with trace_a or trace_b's labels. */
#define EXEMPLAR_LABELS(indent, trace, span) \
	indent "label {\n" indent "  name: \"trace_id\"\n" indent "  value: \"" trace "\"\n" \
	indent "}\n" \
	indent "label {\n" indent "  name: \"span_id\"\n" indent "  value: \"" span "\"\n" \
	indent "}\n"
#define LABELS_A(indent) EXEMPLAR_LABELS(indent, "4bf92f3577b34da6a3ce929d0e0e4736", \
					 "00f067aa0ba902b7")
#define LABELS_B(indent) EXEMPLAR_LABELS(indent, "0af7651916cd43dd8448eb211c80319c", \
					 "b7ad6b7169203331")

/*
 * Exemplars through the writer, field by field: a classic histogram's on
 * the buckets they fall in (one recorded without a time has no timestamp
 * field; the "+Inf" bucket's makes that bucket explicit, its cumulative
 * count the count), a
 * histogram without exemplars unchanged; a native-only histogram's in
 * Histogram.exemplars, timestamped ones only; a classic-and-native one's
 * on its classic buckets only. A family left out (an earlier recording
 * has it) is stepped over exemplars and all.
 */
static void exemplars_rendered(void **state)
{
	static const double lat_bounds[] = { 0.01, 0.1, 1 };
	static const uint64_t lat_counts[] = { 5, 3, 0, 1 };
	const struct expo_histogram lat = { 3, lat_bounds, lat_counts, 3.2 };
	const struct expo_exemplar fast = { trace_b, 2, 0.05, 0 };
	const struct expo_exemplar slow = { trace_a, 2, 2.5, 1700000000.123 };
	const struct expo_exemplar *lat_ex[4] = { NULL, &fast, NULL, &slow };
	static const struct expo_native_bucket pos[] = { { -8, 2 }, { 1, 3 } };
	const struct expo_native nat = {
		.schema = 3, .zero_threshold = 0x1p-20, .zero_count = 1,
		.positive = pos, .npositive = 2,
	};
	static const double rtt_bounds[] = { 0.5, 1 };
	static const uint64_t rtt_counts[] = { 1 + 2, 0, 3 };
	const struct expo_histogram rtt = { 2, rtt_bounds, rtt_counts, 3.5 };
	const struct expo_exemplar low = { trace_a, 2, 0.25, 1700000001.5 };
	const struct expo_exemplar mid = { trace_b, 2, 0.75, 0 };
	/*
	 * To the microsecond: 1700000000.123 is nanos 123000000 (the double
	 * is 1700000000.1229999065), and this one (.99999976 s) rounds up
	 * into the next second.
	 */
	const struct expo_exemplar high = { trace_b, 2, 1.5, 1700000002.9999997 };
	const struct expo_exemplar *rtt_ex[3] = { &low, &mid, &high };
	const struct expo_label l = { "port", "7000" };
	struct expo_writer *a = expo_new(), *b = expo_new();
	const struct expo_writer *parts[] = { a, b };
	struct expo_render_stats st;
	struct strbuf out;
	static const char *const want[] = {
		"name: \"bitcraps_lat_seconds\"\n"
		"type: HISTOGRAM\n"
		"metric {\n"
		"  label {\n    name: \"port\"\n    value: \"7000\"\n  }\n"
		"  histogram {\n"
		"    sample_count: 9\n    sample_sum: 3.2\n"
		"    bucket {\n      cumulative_count: 5\n      upper_bound: 0.01\n    }\n"
		"    bucket {\n      cumulative_count: 8\n      upper_bound: 0.1\n"
		"      exemplar {\n" LABELS_B("        ") "        value: 0.05\n      }\n"
		"    }\n"
		"    bucket {\n      cumulative_count: 8\n      upper_bound: 1\n    }\n"
		"    bucket {\n      cumulative_count: 9\n      upper_bound: inf\n"
		"      exemplar {\n" LABELS_A("        ") "        value: 2.5\n"
		"        timestamp {\n          seconds: 1700000000\n          nanos: 123000000\n"
		"        }\n"
		"      }\n"
		"    }\n"
		"  }\n"
		"}\n"
		"metric {\n  histogram {\n"
		"    sample_count: 9\n    sample_sum: 3.2\n"
		"    bucket {\n      cumulative_count: 5\n      upper_bound: 0.01\n    }\n"
		"    bucket {\n      cumulative_count: 8\n      upper_bound: 0.1\n    }\n"
		"    bucket {\n      cumulative_count: 8\n      upper_bound: 1\n    }\n"
		"  }\n}\n",
		"name: \"bitcraps_rtt_seconds\"\n"
		"type: HISTOGRAM\n"
		"metric {\n  histogram {\n"
		"    sample_count: 6\n    sample_sum: 3.5\n"
		"    schema: 3\n    zero_threshold: 9.5367431640625e-07\n    zero_count: 1\n"
		"    positive_span {\n      offset: -8\n      length: 1\n    }\n"
		"    positive_span {\n      offset: 8\n      length: 1\n    }\n"
		"    positive_delta: 2\n    positive_delta: 1\n"
		"    exemplars {\n" LABELS_A("      ") "      value: 0.25\n"
		"      timestamp {\n        seconds: 1700000001\n        nanos: 500000000\n      }\n"
		"    }\n"
		"    exemplars {\n" LABELS_B("      ") "      value: 1.5\n"
		"      timestamp {\n        seconds: 1700000003\n      }\n"
		"    }\n"
		"  }\n}\n"
		"metric {\n  histogram {\n"
		"    sample_count: 6\n    sample_sum: 3.5\n"
		"    bucket {\n      cumulative_count: 3\n      upper_bound: 0.5\n"
		"      exemplar {\n" LABELS_A("        ") "        value: 0.25\n"
		"        timestamp {\n          seconds: 1700000001\n          nanos: 500000000\n"
		"        }\n"
		"      }\n"
		"    }\n"
		"    bucket {\n      cumulative_count: 3\n      upper_bound: 1\n"
		"      exemplar {\n" LABELS_B("        ") "        value: 0.75\n      }\n"
		"    }\n"
		"    bucket {\n      cumulative_count: 6\n      upper_bound: inf\n"
		"      exemplar {\n" LABELS_B("        ") "        value: 1.5\n"
		"        timestamp {\n          seconds: 1700000003\n"
		"        }\n"
		"      }\n"
		"    }\n"
		"    schema: 3\n    zero_threshold: 9.5367431640625e-07\n    zero_count: 1\n"
		"    positive_span {\n      offset: -8\n      length: 1\n    }\n"
		"    positive_span {\n      offset: 8\n      length: 1\n    }\n"
		"    positive_delta: 2\n    positive_delta: 1\n"
		"  }\n}\n",
		"name: \"bitcraps_temp\"\n"
		"type: GAUGE\n"
		"metric {\n  gauge {\n    value: -2\n  }\n}\n",
	};

	(void)state;
	assert_int_equal(expo_family(a, "bitcraps_lat_seconds", EXPO_HISTOGRAM, NULL), 0);
	assert_int_equal(expo_histogram_exemplars(a, &l, 1, &lat, lat_ex), 0);
	assert_int_equal(expo_histogram(a, NULL, 0, &lat), 0);
	assert_int_equal(expo_family(a, "bitcraps_rtt_seconds", EXPO_HISTOGRAM, NULL), 0);
	assert_int_equal(expo_histogram_native_exemplars(a, NULL, 0, &rtt, true, &nat, rtt_ex), 0);
	assert_int_equal(expo_histogram_native_exemplars(a, NULL, 0, &rtt, false, &nat, rtt_ex), 0);
	/* the writer's rules hold for native histograms' exemplars too */
	rtt_ex[0] = &high;
	assert_int_equal(expo_histogram_native_exemplars(a, NULL, 0, &rtt, true, &nat, rtt_ex),
			 -EINVAL);
	/* left out whole (a has the family), then a family that must decode */
	assert_int_equal(expo_family(b, "bitcraps_lat_seconds", EXPO_HISTOGRAM, NULL), 0);
	assert_int_equal(expo_histogram_exemplars(b, NULL, 0, &lat, lat_ex), 0);
	assert_int_equal(expo_family(b, "bitcraps_temp", EXPO_GAUGE, NULL), 0);
	assert_int_equal(expo_sample_i64(b, NULL, 0, -2), 0);

	sb_init(&out);
	assert_int_equal(expo_render(parts, 2, EXPO_FMT_PROTOBUF, &out, NULL, NULL, &st), 0);
	expect_stream(&out, want, 3);
	assert_int_equal(st.dropped, 1);
	sb_free(&out);
	expo_free(a);
	expo_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counters_gauges_untyped),
		cmocka_unit_test(classic_histogram),
		cmocka_unit_test(native_histograms),
		cmocka_unit_test(native_refused),
		cmocka_unit_test(long_family),
		cmocka_unit_test(derived_classic),
		cmocka_unit_test(rendered_from_recordings),
		cmocka_unit_test(exemplars_rendered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
