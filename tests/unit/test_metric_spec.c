// SPDX-License-Identifier: GPL-2.0
/* Unit tests for bcmonctl's METRIC-SPEC parser (bcmonctl create). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "metric_spec.h"

static struct parsed_spec ps;
static char err[160];

static void parses_counter(void **state)
{
	(void)state;
	assert_int_equal(metric_spec_parse("bets:counter", &ps, err, sizeof(err)), 0);
	assert_string_equal(ps.spec.name, "bets");
	assert_int_equal(ps.spec.kind, BCMON_KIND_COUNTER);
	assert_null(ps.spec.unit);
	assert_null(ps.spec.help);
	assert_int_equal(ps.spec.n_bounds, 0);
}

static void parses_histogram_with_options(void **state)
{
	(void)state;
	assert_int_equal(metric_spec_parse(
		"lat:histogram:unit=seconds:scale=-3:bounds=1,5,10,50,100,500,1000:help=Round: latency",
		&ps, err, sizeof(err)), 0);
	assert_string_equal(ps.spec.name, "lat");
	assert_int_equal(ps.spec.kind, BCMON_KIND_HISTOGRAM);
	assert_string_equal(ps.spec.unit, "seconds");
	assert_int_equal(ps.spec.scale, -3);
	assert_int_equal(ps.spec.n_bounds, 7);
	assert_int_equal(ps.spec.bounds[0], 1);
	assert_int_equal(ps.spec.bounds[6], 1000);
	/* help takes the rest of the argument, colons included */
	assert_string_equal(ps.spec.help, "Round: latency");
}

static void parses_labels(void **state)
{
	(void)state;
	assert_int_equal(metric_spec_parse("bets:counter:labels=peer,table:help=Bets: by peer",
					   &ps, err, sizeof(err)), 0);
	assert_int_equal(ps.spec.n_labels, 2);
	assert_string_equal(ps.spec.label_names[0], "peer");
	assert_string_equal(ps.spec.label_names[1], "table");
	assert_string_equal(ps.spec.help, "Bets: by peer");
	assert_int_equal(metric_spec_parse("x:gauge:labels=a,b,c,d,e,f,g,h,i", &ps, err,
					   sizeof(err)), -1);
	assert_int_equal(metric_spec_parse("x:gauge:labels=", &ps, err, sizeof(err)), -1);
}

static void rejects_bad_specs(void **state)
{
	static const char *const bad[] = {
		"nokind", "x:meter", "x:gauge:scale=19", "x:gauge:scale=abc",
		"x:histogram:bounds=1,-2", "x:histogram:bounds=1,,x",
		"x:counter:colour=red",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(metric_spec_parse(bad[i], &ps, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
	}
}

/* Native histograms (issue 13): alone or beside classic bounds. */
static void parses_native(void **state)
{
	(void)state;
	assert_int_equal(metric_spec_parse("rtt:histogram:unit=seconds:scale=-9:native=3",
					   &ps, err, sizeof(err)), 0);
	assert_true(ps.spec.native);
	assert_int_equal(ps.spec.native_schema, 3);
	assert_int_equal(ps.spec.native_zero_threshold, 0);
	assert_int_equal(ps.spec.native_max_buckets, 0);
	assert_false(ps.spec.native_negative);
	assert_int_equal(ps.spec.n_bounds, 0);
	assert_int_equal(metric_spec_parse(
		"d:histogram:neg:max=40:bounds=10,100:zero=1000:native=-4:labels=peer:help=a:b",
		&ps, err, sizeof(err)), 0);
	assert_true(ps.spec.native);
	assert_int_equal(ps.spec.native_schema, -4);
	assert_int_equal(ps.spec.native_zero_threshold, 1000);
	assert_int_equal(ps.spec.native_max_buckets, 40);
	assert_true(ps.spec.native_negative);
	assert_int_equal(ps.spec.n_bounds, 2);
	assert_int_equal(ps.spec.n_labels, 1);
	assert_string_equal(ps.spec.help, "a:b");
	/* A classic spec leaves every native field zero. */
	assert_int_equal(metric_spec_parse("h:histogram:bounds=1", &ps, err, sizeof(err)), 0);
	assert_false(ps.spec.native);
}

static void rejects_bad_native(void **state)
{
	static const char *const bad[] = {
		"x:histogram:native=9", "x:histogram:native=-5", "x:histogram:native=",
		"x:histogram:native=1.5", "x:histogram:native=3:max=7",
		"x:histogram:native=3:max=4294967296", "x:histogram:native=3:zero=-1",
		"x:histogram:native=3:neg=1", "x:histogram:zero=5", "x:histogram:neg",
		"x:histogram:bounds=1:max=16", "x:counter:native=3", "x:gauge:native=0",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (metric_spec_parse(bad[i], &ps, err, sizeof(err)) != -1)
			fail_msg("'%s' taken", bad[i]);
		assert_true(err[0] != '\0');
	}
}

static void rejects_too_many_bounds(void **state)
{
	char arg[512] = "h:histogram:bounds=1";
	size_t len = strlen(arg);

	(void)state;
	for (int i = 2; i <= SPEC_MAX_BOUNDS + 1; i++)
		len += (size_t)snprintf(arg + len, sizeof(arg) - len, ",%d", i);
	assert_int_equal(metric_spec_parse(arg, &ps, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_counter),
		cmocka_unit_test(parses_histogram_with_options),
		cmocka_unit_test(parses_labels),
		cmocka_unit_test(rejects_bad_specs),
		cmocka_unit_test(rejects_too_many_bounds),
		cmocka_unit_test(parses_native),
		cmocka_unit_test(rejects_bad_native),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
