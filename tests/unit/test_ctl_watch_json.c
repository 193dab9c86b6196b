// SPDX-License-Identifier: GPL-2.0
/*
 * bcmonctl watch --json: every string an event carries is a JSON string
 * literal, escaped (issue 11: trip_type was printed raw, so a type holding
 * '"' or '\' broke the line). print_json() is the command's own, included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../userspace/ctl/cmd_watch.c"

/* print_json(e)'s line, from stdout redirected to a temporary file. */
static void json_of(const struct bcmon_event *e, char *out, size_t len)
{
	FILE *tmp = tmpfile();
	int saved = dup(STDOUT_FILENO);
	size_t n;

	assert_non_null(tmp);
	assert_true(saved >= 0);
	fflush(stdout);
	assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
	print_json(e);
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, len - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
}

static void trip_and_zone_types_escaped(void **state)
{
	struct bcmon_event e;
	char line[1024];

	(void)state;
	memset(&e, 0, sizeof(e));
	e.type = BCMON_EVENT_TRIP_CROSSED;
	e.has_zone = true;
	e.zone.id = 3;
	e.zone.has_type = true;
	snprintf(e.zone.type, sizeof(e.zone.type), "z\"1");
	e.has_trip = true;
	e.trip.id = 0;
	e.trip.has_type = true;
	snprintf(e.trip.type, sizeof(e.trip.type), "pa\"ss\\ive");
	json_of(&e, line, sizeof(line));
	assert_non_null(strstr(line, ",\"type\":\"z\\\"1\""));
	assert_non_null(strstr(line, ",\"trip_type\":\"pa\\\"ss\\\\ive\""));
	assert_string_equal(line + strlen(line) - 2, "}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(trip_and_zone_types_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
