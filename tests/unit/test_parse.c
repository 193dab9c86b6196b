// SPDX-License-Identifier: GPL-2.0
/* Shared helpers: decimal-only numbers, JSON strings from any bytes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <bcmon/parse.h>

/* "010" is ten: no octal, no hex, no sign on an unsigned value. */
static void numbers_are_decimal(void **state)
{
	uint64_t u;
	int64_t i;

	(void)state;
	assert_int_equal(bcmon_parse_u64("010", 0, 100, &u), 0);
	assert_int_equal(u, 10);
	assert_int_equal(bcmon_parse_u64("0x10", 0, 100, &u), -EINVAL);
	assert_int_equal(bcmon_parse_u64("-1", 0, 100, &u), -EINVAL);
	assert_int_equal(bcmon_parse_u64("+1", 0, 100, &u), -EINVAL);
	assert_int_equal(bcmon_parse_u64(" 1", 0, 100, &u), -EINVAL);
	assert_int_equal(bcmon_parse_u64("1 ", 0, 100, &u), -EINVAL);
	assert_int_equal(bcmon_parse_u64("", 0, 100, &u), -EINVAL);
	assert_int_equal(bcmon_parse_u64("101", 0, 100, &u), -ERANGE);
	assert_int_equal(bcmon_parse_u64("0", 1, 100, &u), -ERANGE);
	assert_int_equal(bcmon_parse_u64("18446744073709551615", 0, UINT64_MAX, &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(bcmon_parse_u64("18446744073709551616", 0, UINT64_MAX, &u), -ERANGE);
	assert_int_equal(bcmon_parse_i64("-010", INT64_MIN, INT64_MAX, &i), 0);
	assert_int_equal(i, -10);
	assert_int_equal(bcmon_parse_i64("-", INT64_MIN, INT64_MAX, &i), -EINVAL);
	assert_int_equal(bcmon_parse_i64("--1", INT64_MIN, INT64_MAX, &i), -EINVAL);
	assert_int_equal(bcmon_parse_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &i), 0);
	assert_true(i == INT64_MIN);
	assert_int_equal(bcmon_parse_i64("9223372036854775808", INT64_MIN, INT64_MAX, &i), -ERANGE);
}

static void put(void *arg, const char *text, size_t len)
{
	char *out = arg;

	strncat(out, text, len);
}

static const char *json(const char *s)
{
	static char out[256];

	out[0] = '\0';
	bcmon_json_string(s, put, out);
	return out;
}

static void json_escapes_and_keeps_utf8(void **state)
{
	(void)state;
	assert_string_equal(json("plain"), "\"plain\"");
	assert_string_equal(json("a\"b\\c"), "\"a\\\"b\\\\c\"");
	assert_string_equal(json("l1\nl2\tx\r\x01\x1f"), "\"l1\\nl2\\tx\\r\\u0001\\u001f\"");
	/* Valid UTF-8 stays as it is: é, €, U+1F3B2 (a die). */
	assert_string_equal(json("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\xb2"),
			    "\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\xb2\"");
}

/* Bytes that are not UTF-8 become U+FFFD, one each: valid JSON always. */
static void json_replaces_invalid_utf8(void **state)
{
	(void)state;
	assert_string_equal(json("a\xffz"), "\"a\\ufffdz\"");
	assert_string_equal(json("\xc3"), "\"\\ufffd\"");		/* truncated */
	assert_string_equal(json("\xc3(x"), "\"\\ufffd(x\"");
	assert_string_equal(json("\xc0\xaf"), "\"\\ufffd\\ufffd\"");	/* overlong '/' */
	assert_string_equal(json("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"");
	assert_string_equal(json("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	assert_string_equal(json("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	assert_string_equal(json("\xe2\x82"), "\"\\ufffd\\ufffd\"");	/* cut short */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_are_decimal),
		cmocka_unit_test(json_escapes_and_keeps_utf8),
		cmocka_unit_test(json_replaces_invalid_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
