// SPDX-License-Identifier: GPL-2.0
/*
 * Built with -DBCMON_NO_METRICS and linked WITHOUT libbcmon: every
 * recording call must compile to an inline no-op that reports success (a
 * call that still reached the library would fail to link).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <bcmon/libbcmon.h>

static void recording_calls_are_noops(void **state)
{
	struct bcmon *bc = NULL;	/* never opened: nothing may touch it */
	struct bcmon_batch *b;

	(void)state;
	b = bcmon_batch_new(bc, "node", 16);
	assert_non_null(b);
	assert_int_equal(bcmon_batch_add(b, "bets", 1), 0);
	assert_int_equal(bcmon_batch_set(b, "players", 3), 0);
	assert_int_equal(bcmon_batch_observe(b, "latency", 7), 0);
	assert_int_equal(bcmon_batch_pending(b), 0);
	assert_int_equal(bcmon_batch_flush(b), 0);
	bcmon_batch_free(b);
	assert_int_equal(bcmon_add(bc, "node", "bets", 1), 0);
	assert_int_equal(bcmon_gauge_set(bc, "node", "players", 1), 0);
	assert_int_equal(bcmon_observe(bc, "node", "latency", 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recording_calls_are_noops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
