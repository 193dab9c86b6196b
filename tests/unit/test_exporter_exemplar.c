// SPDX-License-Identifier: GPL-2.0
/*
 * Exposition writer: histogram exemplars (OpenMetrics 1.0), byte for byte,
 * and every rule that refuses one (bucket range, 128-character label set,
 * label names, non-finite numbers). The text format 0.0.4 has no exemplars
 * and must come out exactly as without them.
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

#include "expo.h"

static const double bounds[] = { 0.01, 0.1, 1 };
static const uint64_t counts[] = { 5, 3, 0, 1 };	/* last: above 1 s */
static const struct expo_label trace[] = {
	{ "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736" },
	{ "span_id", "00f067aa0ba902b7" },
};

static const struct expo_histogram h = { 3, bounds, counts, 3.2 };

static char *render(enum expo_format fmt, const struct expo_exemplar *const *ex, int *err)
{
	struct strbuf out;
	struct expo_writer *w;
	char *text;

	sb_init(&out);
	w = expo_new();
	assert_non_null(w);
	assert_int_equal(expo_family(w, "lat_seconds", EXPO_HISTOGRAM, NULL), 0);
	*err = ex ? expo_histogram_exemplars(w, NULL, 0, &h, ex) : expo_histogram(w, NULL, 0, &h);
	{
		const struct expo_writer *parts[] = { w };

		assert_int_equal(expo_render(parts, 1, fmt, &out, NULL, NULL, NULL), 0);
	}
	text = strdup(sb_str(&out));
	expo_free(w);
	sb_free(&out);
	return text;
}

static void exemplars_in_openmetrics(void **state)
{
	const struct expo_exemplar slow = { trace, 2, 2.5, 1700000000.123 };
	const struct expo_exemplar fast = { trace, 1, 0.05, 0 };
	const struct expo_exemplar *ex[4] = { NULL, &fast, NULL, &slow };
	char *text;
	int err;

	(void)state;
	text = render(EXPO_FMT_OPENMETRICS, ex, &err);
	assert_int_equal(err, 0);
	assert_string_equal(text,
		"# TYPE lat_seconds histogram\n"
		"lat_seconds_bucket{le=\"0.01\"} 5\n"
		"lat_seconds_bucket{le=\"0.1\"} 8 # {trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\"} 0.05\n"
		"lat_seconds_bucket{le=\"1.0\"} 8\n"
		"lat_seconds_bucket{le=\"+Inf\"} 9 # {trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\","
		"span_id=\"00f067aa0ba902b7\"} 2.5 1700000000.123\n"
		"lat_seconds_count 9\n"
		"lat_seconds_sum 3.2\n"
		"# EOF\n");
	free(text);
}

static void text_format_has_none(void **state)
{
	const struct expo_exemplar slow = { trace, 2, 2.5, 1700000000.123 };
	const struct expo_exemplar *ex[4] = { NULL, NULL, NULL, &slow };
	char *a, *b;
	int err;

	(void)state;
	a = render(EXPO_FMT_TEXT, ex, &err);
	assert_int_equal(err, 0);
	b = render(EXPO_FMT_TEXT, NULL, &err);
	assert_int_equal(err, 0);
	assert_string_equal(a, b);
	assert_null(strstr(a, " # {"));
	free(a);
	free(b);
}

static void label_values_are_escaped(void **state)
{
	const struct expo_label odd[] = { { "note", "a \"b\"\\\n" } };
	const struct expo_exemplar e = { odd, 1, 0.005, 0 };
	const struct expo_exemplar *ex[4] = { &e, NULL, NULL, NULL };
	char *text;
	int err;

	(void)state;
	text = render(EXPO_FMT_OPENMETRICS, ex, &err);
	assert_int_equal(err, 0);
	assert_non_null(strstr(text, "lat_seconds_bucket{le=\"0.01\"} 5 # {note=\"a \\\"b\\\"\\\\\\n\"} 0.005\n"));
	free(text);
}

/* Each refused exemplar refuses the whole histogram: nothing is written. */
static void refuse(const struct expo_exemplar *e, size_t bucket)
{
	const struct expo_exemplar *ex[4] = { NULL, NULL, NULL, NULL };
	char *text;
	int err;

	ex[bucket] = e;
	text = render(EXPO_FMT_OPENMETRICS, ex, &err);
	assert_int_equal(err, -EINVAL);
	assert_string_equal(text, "# EOF\n");
	free(text);
}

static void invalid_exemplars_are_refused(void **state)
{
	/* 128 characters of names and values is the most there may be. */
	static char v120[121], v121[122];
	const struct expo_label at_limit[] = { { "trace_id", v120 } };	/* 8 + 120 */
	const struct expo_label over[] = { { "trace_id", v121 } };	/* 8 + 121 */
	const struct expo_label bad_name[] = { { "0trace", "x" } };
	const struct expo_label null_value[] = { { "trace_id", NULL } };
	const struct expo_exemplar ok_limit = { at_limit, 1, 0.5, 0 };
	const struct expo_exemplar *ex[4] = { NULL, NULL, &ok_limit, NULL };
	char *text;
	int err;

	(void)state;
	memset(v120, 'a', 120);
	memset(v121, 'a', 121);
	text = render(EXPO_FMT_OPENMETRICS, ex, &err);
	assert_int_equal(err, 0);
	free(text);

	refuse(&(struct expo_exemplar){ over, 1, 0.5, 0 }, 2);
	refuse(&(struct expo_exemplar){ bad_name, 1, 0.5, 0 }, 2);
	refuse(&(struct expo_exemplar){ null_value, 1, 0.5, 0 }, 2);
	/* Outside its bucket: (0.1, 1] holds neither 0.1 nor 1.5. */
	refuse(&(struct expo_exemplar){ trace, 2, 0.1, 0 }, 2);
	refuse(&(struct expo_exemplar){ trace, 2, 1.5, 0 }, 2);
	refuse(&(struct expo_exemplar){ trace, 2, 1.5, 0 }, 0);
	refuse(&(struct expo_exemplar){ trace, 2, 0.5, 0 }, 3);	/* +Inf: above 1 */
	refuse(&(struct expo_exemplar){ trace, 2, NAN, 0 }, 3);
	refuse(&(struct expo_exemplar){ trace, 2, INFINITY, 0 }, 3);
	refuse(&(struct expo_exemplar){ trace, 2, 2, -1 }, 3);
	refuse(&(struct expo_exemplar){ trace, 2, 2, INFINITY }, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exemplars_in_openmetrics),
		cmocka_unit_test(text_format_has_none),
		cmocka_unit_test(label_values_are_escaped),
		cmocka_unit_test(invalid_exemplars_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
