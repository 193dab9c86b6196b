// SPDX-License-Identifier: GPL-2.0
/* Content negotiation: Accept picks the format, Accept-Encoding gzip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "negotiate.h"

static void default_is_text(void **state)
{
	(void)state;
	assert_int_equal(negotiate_format(NULL), EXPO_FMT_TEXT);
	assert_int_equal(negotiate_format(""), EXPO_FMT_TEXT);
	assert_int_equal(negotiate_format("*/*"), EXPO_FMT_TEXT);
	assert_int_equal(negotiate_format("text/plain;version=0.0.4"), EXPO_FMT_TEXT);
	assert_int_equal(negotiate_format("application/json"), EXPO_FMT_TEXT);
}

static void prometheus_scrape_header_gets_openmetrics(void **state)
{
	(void)state;
	/* What Prometheus 2.x sends by default. */
	assert_int_equal(negotiate_format(
		"application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
		"version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
		EXPO_FMT_OPENMETRICS);
	assert_int_equal(negotiate_format("application/openmetrics-text"),
			 EXPO_FMT_OPENMETRICS);
	assert_int_equal(negotiate_format(" Application/OpenMetrics-Text ; Version=\"1.0.0\" "),
			 EXPO_FMT_OPENMETRICS);
}

static void quality_decides(void **state)
{
	(void)state;
	assert_int_equal(negotiate_format(
		"text/plain;q=0.9,application/openmetrics-text;q=0.5"), EXPO_FMT_TEXT);
	assert_int_equal(negotiate_format(
		"text/plain;q=0.4,application/openmetrics-text;q=0.5"), EXPO_FMT_OPENMETRICS);
	/* Equal quality: the first listed wins. */
	assert_int_equal(negotiate_format("text/plain,application/openmetrics-text"),
			 EXPO_FMT_TEXT);
	assert_int_equal(negotiate_format("application/openmetrics-text,text/plain"),
			 EXPO_FMT_OPENMETRICS);
	/* q=0 means "not acceptable". */
	assert_int_equal(negotiate_format("application/openmetrics-text;q=0"), EXPO_FMT_TEXT);
	/* A broken q value is treated as 0, not as 1. */
	assert_int_equal(negotiate_format("application/openmetrics-text;q=abc"), EXPO_FMT_TEXT);
}

static void unknown_openmetrics_version_is_ignored(void **state)
{
	(void)state;
	assert_int_equal(negotiate_format("application/openmetrics-text;version=2.0.0"),
			 EXPO_FMT_TEXT);
	assert_int_equal(negotiate_format("application/openmetrics-text;version=0.0.1"),
			 EXPO_FMT_TEXT);
}

static void protobuf_when_ranked_first(void **state)
{
	(void)state;
	/* Prometheus 2.x with --enable-feature=native-histograms */
	assert_true(negotiate_protobuf(
		"application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
		"encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,"
		"application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,"
		"*/*;q=0.1"));
	/* Prometheus 3.x: protobuf first with its own quality */
	assert_true(negotiate_protobuf(
		"application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
		"encoding=delimited;q=0.5,application/openmetrics-text;version=1.0.0;q=0.4,"
		"text/plain;version=0.0.4;q=0.2,*/*;q=0.1"));
	/* not asked for, or ranked below text */
	assert_false(negotiate_protobuf(NULL));
	assert_false(negotiate_protobuf("*/*"));
	assert_false(negotiate_protobuf(
		"application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
		"version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));
	assert_false(negotiate_protobuf(
		"text/plain;q=0.9,application/vnd.google.protobuf;"
		"proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5"));
	/* equal quality: the first listed wins */
	assert_false(negotiate_protobuf(
		"text/plain,application/vnd.google.protobuf;"
		"proto=io.prometheus.client.MetricFamily;encoding=delimited"));
	assert_true(negotiate_protobuf(
		"application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
		"encoding=delimited,text/plain"));
	/* another message, another framing, or no parameters: not ours */
	assert_false(negotiate_protobuf(
		"application/vnd.google.protobuf;proto=io.prometheus.client.Metric;encoding=delimited"));
	assert_false(negotiate_protobuf(
		"application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text"));
	assert_false(negotiate_protobuf("application/vnd.google.protobuf"));
	assert_false(negotiate_protobuf(
		"application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
		"encoding=delimited;q=0"));
}

static void gzip_choice(void **state)
{
	(void)state;
	assert_false(negotiate_gzip(NULL));
	assert_false(negotiate_gzip(""));
	assert_true(negotiate_gzip("gzip"));
	assert_true(negotiate_gzip("deflate, gzip;q=1.0, *;q=0.5"));
	assert_true(negotiate_gzip("x-gzip"));
	assert_true(negotiate_gzip("*"));
	assert_false(negotiate_gzip("identity"));
	assert_false(negotiate_gzip("gzip;q=0"));
	assert_false(negotiate_gzip("*;q=0"));
	/* An explicit gzip entry wins over the wildcard. */
	assert_false(negotiate_gzip("gzip;q=0, *"));
	assert_true(negotiate_gzip("GZIP ; q=0.3"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_is_text),
		cmocka_unit_test(prometheus_scrape_header_gets_openmetrics),
		cmocka_unit_test(quality_decides),
		cmocka_unit_test(unknown_openmetrics_version_is_ignored),
		cmocka_unit_test(protobuf_when_ranked_first),
		cmocka_unit_test(gzip_choice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
