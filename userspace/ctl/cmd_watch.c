// SPDX-License-Identifier: GPL-2.0
/*
 * bcmonctl watch [--count N] [--timeout SECONDS]: print the module's events
 * as they arrive, one line each (one JSON object per line with --json).
 * "watching" goes to stderr once subscribed, so that scripts know from when
 * on nothing is missed. Exits 0 after N events, 1 on a timeout or error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bcmon/libbcmon.h>
#include <bcmon/parse.h>

#include "ctl.h"
#include "json.h"

static void print_text(const struct bcmon_event *e)
{
	printf("%s", bcmon_event_type_name(e->type));
	if (e->has_set_name)
		printf(" set=%s", e->set_name);
	if (e->has_error) {
		char origin[48];

		ctl_origin_text(&e->error, origin, sizeof(origin));
		printf(" seq=%" PRIu64 " category=%s severity=%s origin=%s message=\"%s\"",
		       e->error.seq,
		       bcmon_error_category_name(e->error.category) ?: "unknown",
		       bcmon_severity_name(e->error.severity) ?: "unknown",
		       origin, e->error.message);
	}
	if (e->has_supply) {
		const struct bcmon_supply *p = &e->supply;

		printf(" supply=%s", p->name);
		if (bcmon_supply_has(p, BCMON_SUPPLY_A_STATUS))
			printf(" status=\"%s\"", bcmon_supply_status_name(p->status));
		if (bcmon_supply_has(p, BCMON_SUPPLY_A_CAPACITY))
			printf(" capacity=%u", p->capacity);
	}
	if (e->has_zone) {
		printf(" zone=%u type=%s", e->zone.id, e->zone.has_type ? e->zone.type : "n/a");
		if (e->zone.has_temp)
			printf(" temp_mc=%d", e->zone.temp);
	}
	if (e->has_trip) {
		printf(" trip=%u trip_type=%s", e->trip.id,
		       e->trip.has_type ? e->trip.type : "n/a");
		if (e->trip.has_temp)
			printf(" trip_temp_mc=%d", e->trip.temp);
	}
	if (e->has_throttling)
		printf(" throttling=%d", e->throttling);
	putchar('\n');
}

static void print_json(const struct bcmon_event *e)
{
	printf("{\"event\":\"%s\"", bcmon_event_type_name(e->type));
	if (e->has_set_name) {
		printf(",\"set\":");
		json_print_string(stdout, e->set_name);
	}
	if (e->has_error) {
		printf(",\"seq\":%" PRIu64 ",\"timestamp_ns\":%" PRIu64
		       ",\"category\":\"%s\",\"severity\":\"%s\",\"message\":",
		       e->error.seq, e->error.timestamp_ns,
		       bcmon_error_category_name(e->error.category) ?: "unknown",
		       bcmon_severity_name(e->error.severity) ?: "unknown");
		json_print_string(stdout, e->error.message);
		ctl_origin_json(&e->error);
	}
	if (e->has_supply) {
		printf(",\"supply\":");
		json_print_string(stdout, e->supply.name);
		if (bcmon_supply_has(&e->supply, BCMON_SUPPLY_A_STATUS))
			printf(",\"status\":\"%s\"", bcmon_supply_status_name(e->supply.status));
		if (bcmon_supply_has(&e->supply, BCMON_SUPPLY_A_CAPACITY))
			printf(",\"capacity\":%u", e->supply.capacity);
	}
	if (e->has_zone) {
		printf(",\"zone\":%u", e->zone.id);
		if (e->zone.has_type) {
			printf(",\"type\":");
			json_print_string(stdout, e->zone.type);
		}
		if (e->zone.has_temp)
			printf(",\"temp_mc\":%d", e->zone.temp);
	}
	if (e->has_trip) {
		printf(",\"trip\":%u", e->trip.id);
		if (e->trip.has_type) {
			printf(",\"trip_type\":");
			json_print_string(stdout, e->trip.type);
		}
		if (e->trip.has_temp)
			printf(",\"trip_temp_mc\":%d", e->trip.temp);
	}
	if (e->has_throttling)
		printf(",\"throttling\":%s", e->throttling ? "true" : "false");
	printf("}\n");
}

/* A non-negative decimal count or number of seconds. */
static int parse_count(const char *s, long *out)
{
	uint64_t v;

	if (bcmon_parse_u64(s, 0, 86400L * 365 * 100, &v))
		return -1;
	*out = (long)v;
	return 0;
}

int cmd_watch(const struct ctl_options *opts, int argc, char **argv)
{
	long count = 0, timeout_s = -1, seen = 0;
	struct bcmon_events *ev;
	struct bcmon_event e;
	struct timespec start, now;
	int err, wait_ms;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--count") && i + 1 < argc &&
		    !parse_count(argv[i + 1], &count)) {
			i++;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc &&
			   !parse_count(argv[i + 1], &timeout_s)) {
			i++;
		} else {
			fprintf(stderr, "Usage: bcmonctl watch [--count N] [--timeout SECONDS]\n");
			return CTL_EXIT_USAGE;
		}
	}
	err = bcmon_events_open(&ev);
	if (err) {
		fprintf(stderr, "bcmonctl watch: %s%s\n", err == -ENOENT ?
			"bcmon module not loaded" : strerror(-err),
			err == -EPERM ? " (joining the events group needs CAP_NET_ADMIN)" : "");
		return CTL_EXIT_FAIL;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);	/* each event as it happens */
	fprintf(stderr, "watching\n");

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!count || seen < count) {
		wait_ms = -1;
		if (timeout_s >= 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			long long left = timeout_s * 1000LL -
				((now.tv_sec - start.tv_sec) * 1000LL +
				 (now.tv_nsec - start.tv_nsec) / 1000000);
			wait_ms = left > 0 ? (int)left : 0;
		}
		err = bcmon_events_next(ev, &e, wait_ms);
		if (err == -ENOBUFS) {
			fprintf(stderr, "bcmonctl watch: events lost (reader too slow)\n");
			continue;
		}
		if (err)
			break;
		opts->json ? print_json(&e) : print_text(&e);
		seen++;
	}
	bcmon_events_close(ev);
	if (err == -ETIMEDOUT) {
		fprintf(stderr, "bcmonctl watch: timed out after %ld events\n", seen);
		return CTL_EXIT_FAIL;
	}
	if (err) {
		fprintf(stderr, "bcmonctl watch: %s\n", strerror(-err));
		return CTL_EXIT_FAIL;
	}
	return CTL_EXIT_OK;
}
