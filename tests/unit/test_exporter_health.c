// SPDX-License-Identifier: GPL-2.0
/* Health rules: seed thresholds, unknown facts, grading, JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "health.h"

static const struct thresholds seed = {
	.memory_critical_bytes = 200ULL * 1024 * 1024,
	.cpu_warning_ratio = 0.8,
	.battery_warning_ratio = 0.1,
	.throttling = HEALTH_WARNING,
};

static void nothing_known_is_healthy(void **state)
{
	struct health_facts f = { 0 };
	struct health_report r;

	(void)state;
	health_evaluate(&seed, &f, &r);
	assert_int_equal(r.status, HEALTH_OK);
	assert_int_equal(r.nreasons, 0);
}

static void memory_over_200mb_is_critical(void **state)
{
	struct health_facts f = { .have_rss = true, .rss_bytes = 200ULL * 1024 * 1024 };
	struct health_report r;

	(void)state;
	health_evaluate(&seed, &f, &r);
	assert_int_equal(r.status, HEALTH_OK);	/* at the limit is not above it */
	f.rss_bytes++;
	health_evaluate(&seed, &f, &r);
	assert_int_equal(r.status, HEALTH_CRITICAL);
	assert_int_equal(r.nreasons, 1);
	assert_string_equal(r.reasons[0].reason, "memory_high");
	assert_int_equal(r.reasons[0].severity, HEALTH_CRITICAL);
}

static void cpu_over_80_percent_is_warning(void **state)
{
	struct health_facts f = { .have_cpu = true, .cpu_ratio = 0.81 };
	struct health_report r;
	struct thresholds t = seed;

	(void)state;
	health_evaluate(&seed, &f, &r);
	assert_int_equal(r.status, HEALTH_WARNING);
	assert_string_equal(r.reasons[0].reason, "cpu_high");
	t.cpu_critical_ratio = 0.8;	/* both set: the worse grade applies */
	health_evaluate(&t, &f, &r);
	assert_int_equal(r.status, HEALTH_CRITICAL);
	f.cpu_ratio = 0.5;
	health_evaluate(&seed, &f, &r);
	assert_int_equal(r.status, HEALTH_OK);
}

static void throttling_and_battery(void **state)
{
	struct health_facts f = { .have_throttling = true, .throttling = true,
				  .nbatteries = 2 };
	struct health_report r;
	struct thresholds t = seed;

	(void)state;
	strcpy(f.battery[0].name, "BAT0");
	f.battery[0].capacity_ratio = 0.5;
	strcpy(f.battery[1].name, "BAT1");
	f.battery[1].capacity_ratio = 0.09;
	health_evaluate(&seed, &f, &r);
	assert_int_equal(r.status, HEALTH_WARNING);
	assert_int_equal(r.nreasons, 2);
	assert_string_equal(r.reasons[0].reason, "thermal_throttling");
	assert_string_equal(r.reasons[1].reason, "battery_low");
	assert_non_null(strstr(r.reasons[1].detail, "BAT1"));

	t.throttling = HEALTH_OK;	/* "none": throttling is not a reason */
	f.battery[1].capacity_ratio = 0.1;	/* at the limit is not below it */
	health_evaluate(&t, &f, &r);
	assert_int_equal(r.status, HEALTH_OK);
	assert_int_equal(r.nreasons, 0);
}

static void disabled_thresholds(void **state)
{
	struct thresholds off = { 0 };
	struct health_facts f = { .have_rss = true, .rss_bytes = UINT64_MAX,
				  .have_cpu = true, .cpu_ratio = 1, .nbatteries = 1 };
	struct health_report r;

	(void)state;
	f.battery[0].capacity_ratio = 0;
	health_evaluate(&off, &f, &r);
	assert_int_equal(r.status, HEALTH_OK);
}

static void json_report(void **state)
{
	struct health_facts f = { .have_rss = true, .rss_bytes = 300ULL * 1024 * 1024,
				  .have_cpu = true, .cpu_ratio = 0.9 };
	struct health_report r;
	struct strbuf sb;

	(void)state;
	health_evaluate(&seed, &f, &r);
	sb_init(&sb);
	health_report_json(&r, &sb);
	assert_string_equal(sb_str(&sb),
		"{\"status\":\"critical\",\"code\":2,\"reasons\":["
		"{\"reason\":\"memory_high\",\"severity\":\"critical\",\"detail\":"
		"\"resident memory 314572800 bytes above 209715200\"},"
		"{\"reason\":\"cpu_high\",\"severity\":\"warning\",\"detail\":"
		"\"system CPU usage 0.900 above 0.800\"}]}\n");
	sb_free(&sb);

	f = (struct health_facts){ .nbatteries = 1 };
	strcpy(f.battery[0].name, "a\"b");
	health_evaluate(&seed, &f, &r);
	sb_init(&sb);
	health_report_json(&r, &sb);
	assert_non_null(strstr(sb_str(&sb), "battery a\\\"b at 0.00"));
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nothing_known_is_healthy),
		cmocka_unit_test(memory_over_200mb_is_critical),
		cmocka_unit_test(cpu_over_80_percent_is_warning),
		cmocka_unit_test(throttling_and_battery),
		cmocka_unit_test(disabled_thresholds),
		cmocka_unit_test(json_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
