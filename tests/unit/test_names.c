// SPDX-License-Identifier: GPL-2.0
/* Unit tests for bcmon_name_valid(): the name rule shared with the kernel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <bcmon/names.h>

static void accepts_valid_names(void **state)
{
	(void)state;
	assert_true(bcmon_name_valid("consensus"));
	assert_true(bcmon_name_valid("a"));
	assert_true(bcmon_name_valid("dice_roll_2"));
}

static void rejects_bad_first_character(void **state)
{
	(void)state;
	assert_false(bcmon_name_valid("2dice"));
	assert_false(bcmon_name_valid("_x"));
	assert_false(bcmon_name_valid("Games"));
}

static void rejects_bad_characters(void **state)
{
	(void)state;
	assert_false(bcmon_name_valid("games-total"));
	assert_false(bcmon_name_valid("games total"));
	assert_false(bcmon_name_valid("gamesÄ"));
	assert_false(bcmon_name_valid("gAmes"));
}

static void enforces_length_bounds(void **state)
{
	char name[BCMON_NAME_MAX_LEN + 2];

	(void)state;
	assert_false(bcmon_name_valid(""));
	assert_false(bcmon_name_valid(NULL));
	memset(name, 'a', sizeof(name));
	name[BCMON_NAME_MAX_LEN] = '\0';
	assert_true(bcmon_name_valid(name));
	name[BCMON_NAME_MAX_LEN] = 'a';
	name[BCMON_NAME_MAX_LEN + 1] = '\0';
	assert_false(bcmon_name_valid(name));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_valid_names),
		cmocka_unit_test(rejects_bad_first_character),
		cmocka_unit_test(rejects_bad_characters),
		cmocka_unit_test(enforces_length_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
