// SPDX-License-Identifier: GPL-2.0
/*
 * bcmonctl show's native buckets (native_format.c): each non-empty bucket
 * with its index and bounds in the base unit, for people and in --json.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "native_format.h"

/* schema 0: bucket i is (2^(i-1), 2^i]; 0 and 2 of positive are empty. */
static const uint64_t pos[] = { 0, 3, 0, 5 }, neg[] = { 2 };
static const struct bcmon_native_buckets nb = {
	.schema = 0, .zero_count = 4,
	.positive_offset = -1, .n_positive = 4, .positive = pos,
	.negative_offset = 2, .n_negative = 1, .negative = neg,
};
static const struct bcmon_metric_info m = {
	.name = "rtt", .unit = "seconds", .help = "", .kind = BCMON_KIND_HISTOGRAM,
	.native = true, .native_schema = 2, .native_zero_threshold = 1000,
	.native_max_buckets = 16, .native_negative = true,
};

/* What f wrote into a memory stream, NUL-terminated (free it). */
static char *captured(void (*f)(FILE *out))
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	f(out);
	assert_int_equal(fclose(out), 0);
	return text;
}

static void write_text(FILE *out)
{
	native_text(out, &m, &nb, 4);
}

static void write_json(FILE *out)
{
	native_def_json(out, &m);
	native_json(out, &nb);
}

static void text_names_non_empty_buckets(void **state)
{
	char *text = captured(write_text);

	(void)state;
	assert_string_equal(text,
		"      native schema 0 (created 2) zero_threshold 1000 zero_count 4, bounds in seconds\n"
		"      bucket 0 (0.5, 1] 3\n"
		"      bucket 2 (2, 4] 5\n"
		"      negative bucket 2 [-4, -2) 2\n");
	free(text);
}

static void json_carries_definition_and_buckets(void **state)
{
	char *text = captured(write_json);

	(void)state;
	assert_string_equal(text,
		",\"native\":{\"schema\":2,\"zero_threshold\":1000,\"max_buckets\":16,\"negative\":true}"
		",\"native_buckets\":{\"schema\":0,\"zero_count\":4,\"positive\":["
		"{\"index\":0,\"lower_bound\":0.5,\"upper_bound\":1,\"count\":3},"
		"{\"index\":2,\"lower_bound\":2,\"upper_bound\":4,\"count\":5}],"
		"\"negative\":[{\"index\":2,\"lower_bound\":-4,\"upper_bound\":-2,\"count\":2}]}");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_names_non_empty_buckets),
		cmocka_unit_test(json_carries_definition_and_buckets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
