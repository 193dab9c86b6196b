// SPDX-License-Identifier: GPL-2.0
/*
 * bcmonctl errors: the module's ring of recent error events (oldest first)
 * and the totals per category and severity.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include <bcmon/libbcmon.h>

#include "ctl.h"
#include "json.h"

/* "2026-11-26T23:30:01.123456789Z" from CLOCK_REALTIME nanoseconds. */
static void format_time(uint64_t ns, char *buf, size_t len)
{
	time_t secs = (time_t)(ns / 1000000000u);
	struct tm tm;
	size_t n;

	gmtime_r(&secs, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%09" PRIu64 "Z", ns % 1000000000u);
}

static void print_json(const struct bcmon_error_list *list)
{
	printf("{\"events\":[");
	for (size_t i = 0; i < list->n_events; i++) {
		const struct bcmon_error_event *ev = &list->events[i];

		printf("%s{\"seq\":%" PRIu64 ",\"timestamp_ns\":%" PRIu64
		       ",\"category\":\"%s\",\"severity\":\"%s\",\"message\":",
		       i ? "," : "", ev->seq, ev->timestamp_ns,
		       bcmon_error_category_name(ev->category) ?: "unknown",
		       bcmon_severity_name(ev->severity) ?: "unknown");
		json_print_string(stdout, ev->message);
		ctl_origin_json(ev);
		putchar('}');
	}
	printf("],\"totals\":[");
	for (unsigned int c = 0; c < __BCMON_ERR_CAT_MAX; c++)
		for (unsigned int s = 0; s < __BCMON_SEV_MAX; s++)
			printf("%s{\"category\":\"%s\",\"severity\":\"%s\",\"count\":%" PRIu64 "}",
			       c || s ? "," : "", bcmon_error_category_name(c),
			       bcmon_severity_name(s), list->totals[c][s]);
	printf("],\"interrupted\":%s}\n", list->interrupted ? "true" : "false");
}

static void print_table(const struct bcmon_error_list *list)
{
	char when[40], origin[48];

	printf("%-8s %-30s %-11s %-9s %-22s %s\n", "SEQ", "TIME", "CATEGORY",
	       "SEVERITY", "ORIGIN", "MESSAGE");
	for (size_t i = 0; i < list->n_events; i++) {
		const struct bcmon_error_event *ev = &list->events[i];

		format_time(ev->timestamp_ns, when, sizeof(when));
		ctl_origin_text(ev, origin, sizeof(origin));
		printf("%-8" PRIu64 " %-30s %-11s %-9s %-22s %s\n", ev->seq, when,
		       bcmon_error_category_name(ev->category) ?: "unknown",
		       bcmon_severity_name(ev->severity) ?: "unknown",
		       origin, ev->message);
	}
	if (list->interrupted)
		printf("(events were overwritten while being read: gap in SEQ)\n");
	printf("\n%-11s %10s %10s %10s %10s\n", "TOTALS", "INFO", "WARNING",
	       "ERROR", "CRITICAL");
	for (unsigned int c = 0; c < __BCMON_ERR_CAT_MAX; c++) {
		printf("%-11s", bcmon_error_category_name(c));
		for (unsigned int s = 0; s < __BCMON_SEV_MAX; s++)
			printf(" %10" PRIu64, list->totals[c][s]);
		putchar('\n');
	}
}

int cmd_errors(const struct ctl_options *opts, int argc, char **argv)
{
	struct bcmon_error_list list;
	struct bcmon *bc;
	int err;

	(void)argv;
	if (argc) {
		fprintf(stderr, "bcmonctl errors: takes no arguments\n");
		return CTL_EXIT_USAGE;
	}
	bc = ctl_connect();
	if (!bc)
		return CTL_EXIT_FAIL;
	err = bcmon_errors_get(bc, &list);
	if (err) {
		fprintf(stderr, "bcmonctl errors: %s\n", bcmon_strerror(bc));
		bcmon_close(bc);
		return CTL_EXIT_FAIL;
	}
	if (opts->json)
		print_json(&list);
	else
		print_table(&list);
	bcmon_error_list_free(&list);
	bcmon_close(bc);
	return CTL_EXIT_OK;
}
