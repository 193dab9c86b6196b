// SPDX-License-Identifier: GPL-2.0
/* bcmonctl sets, show SET, status: read-only views of counter sets. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <bcmon/libbcmon.h>

#include "ctl.h"
#include "json.h"

static void json_str(const char *s)
{
	json_print_string(stdout, s);
}

static void metric_json(const struct bcmon_metric_info *m)
{
	printf("{\"name\":");
	json_str(m->name);
	printf(",\"kind\":\"%s\",\"unit\":", bcmon_kind_name(m->kind) ?: "unknown");
	json_str(m->unit);
	printf(",\"scale\":%" PRId32 ",\"help\":", m->scale);
	json_str(m->help);
	if (m->kind == BCMON_KIND_COUNTER)
		printf(",\"value\":%" PRIu64, (uint64_t)m->value);
	else if (m->kind == BCMON_KIND_GAUGE)
		printf(",\"value\":%" PRId64, m->value);
	if (m->kind == BCMON_KIND_HISTOGRAM) {
		printf(",\"count\":%" PRIu64 ",\"sum\":%" PRId64 ",\"buckets\":[",
		       m->count, m->sum);
		/* Per-bucket counts, so each bucket is named by its upper
		 * bound, not "le" (which in Prometheus means cumulative). */
		for (size_t b = 0; b <= m->n_bounds; b++) {
			if (b < m->n_bounds)
				printf("%s{\"upper_bound\":%" PRIu64, b ? "," : "", m->bounds[b]);
			else
				printf("%s{\"upper_bound\":\"+Inf\"", b ? "," : "");
			printf(",\"count\":%" PRIu64 "}", m->buckets[b]);
		}
		putchar(']');
	}
	putchar('}');
}

static void set_json(const struct bcmon_set_info *s)
{
	printf("{\"name\":");
	json_str(s->name);
	/* owner_uid only for a user's set; the owner class after the metrics. */
	if (s->has_owner_uid)
		printf(",\"owner_uid\":%" PRIu32, s->owner_uid);
	printf(",\"metrics\":[");
	for (size_t i = 0; i < s->n_metrics; i++) {
		if (i)
			putchar(',');
		metric_json(&s->metrics[i]);
	}
	putchar(']');
	if (bcmon_origin_name(s->owner))
		printf(",\"owner\":\"%s\"", bcmon_origin_name(s->owner));
	putchar('}');
}

/* Value column for people: histograms show count and sum. */
static void metric_value_text(const struct bcmon_metric_info *m, char *buf,
			      size_t len)
{
	if (m->kind == BCMON_KIND_COUNTER)
		snprintf(buf, len, "%" PRIu64, (uint64_t)m->value);
	else if (m->kind == BCMON_KIND_GAUGE)
		snprintf(buf, len, "%" PRId64, m->value);
	else
		snprintf(buf, len, "count=%" PRIu64 " sum=%" PRId64, m->count, m->sum);
}

static void set_table(const struct bcmon_set_info *s)
{
	size_t w = strlen("METRIC");
	char value[64], owner[24];

	for (size_t i = 0; i < s->n_metrics; i++)
		if (strlen(s->metrics[i].name) > w)
			w = strlen(s->metrics[i].name);
	ctl_owner_text(s, owner, sizeof(owner));
	printf("set %s (owner %s%s)\n", s->name,
	       s->owner == BCMON_ORIGIN_KERNEL ? "" : "uid ", owner);
	printf("%-*s  %-9s  %-10s  %5s  %s\n", (int)w, "METRIC", "KIND", "UNIT",
	       "SCALE", "VALUE");
	for (size_t i = 0; i < s->n_metrics; i++) {
		const struct bcmon_metric_info *m = &s->metrics[i];

		metric_value_text(m, value, sizeof(value));
		printf("%-*s  %-9s  %-10s  %5" PRId32 "  %s\n", (int)w, m->name,
		       bcmon_kind_name(m->kind) ?: "?", m->unit[0] ? m->unit : "-",
		       m->scale, value);
		if (m->kind != BCMON_KIND_HISTOGRAM)
			continue;
		uint64_t cumulative = 0;

		for (size_t b = 0; b <= m->n_bounds; b++) {
			cumulative += m->buckets[b];
			if (b < m->n_bounds)
				printf("%*s  le %-20" PRIu64 " %" PRIu64 "\n", (int)w, "",
				       m->bounds[b], cumulative);
			else
				printf("%*s  le %-20s %" PRIu64 "\n", (int)w, "", "+Inf",
				       cumulative);
		}
	}
}

int cmd_sets(const struct ctl_options *opts, int argc, char **argv)
{
	struct bcmon_set_list list;
	struct bcmon *bc;
	size_t w = strlen("SET");

	(void)argv;
	if (argc) {
		fprintf(stderr, "Usage: bcmonctl sets\n");
		return CTL_EXIT_USAGE;
	}
	bc = ctl_connect();
	if (!bc)
		return CTL_EXIT_FAIL;
	if (bcmon_set_dump(bc, &list)) {
		fprintf(stderr, "bcmonctl: sets: %s\n", bcmon_strerror(bc));
		bcmon_close(bc);
		return CTL_EXIT_FAIL;
	}
	if (opts->json) {
		printf("[");
		for (size_t i = 0; i < list.n_sets; i++) {
			if (i)
				putchar(',');
			set_json(&list.sets[i]);
		}
		printf("]\n");
	} else {
		for (size_t i = 0; i < list.n_sets; i++)
			if (strlen(list.sets[i].name) > w)
				w = strlen(list.sets[i].name);
		printf("%-*s  %9s  %7s\n", (int)w, "SET", "OWNER", "METRICS");
		for (size_t i = 0; i < list.n_sets; i++) {
			char owner[24];

			ctl_owner_text(&list.sets[i], owner, sizeof(owner));
			printf("%-*s  %9s  %7zu\n", (int)w, list.sets[i].name,
			       owner, list.sets[i].n_metrics);
		}
	}
	bcmon_set_list_free(&list);
	bcmon_close(bc);
	return CTL_EXIT_OK;
}

int cmd_show(const struct ctl_options *opts, int argc, char **argv)
{
	struct bcmon_set_info info;
	struct bcmon *bc;

	if (argc != 1) {
		fprintf(stderr, "Usage: bcmonctl show SET\n");
		return CTL_EXIT_USAGE;
	}
	bc = ctl_connect();
	if (!bc)
		return CTL_EXIT_FAIL;
	if (bcmon_set_get(bc, argv[0], &info)) {
		fprintf(stderr, "bcmonctl: show %s: %s\n", argv[0], bcmon_strerror(bc));
		bcmon_close(bc);
		return CTL_EXIT_FAIL;
	}
	if (opts->json) {
		set_json(&info);
		putchar('\n');
	} else {
		set_table(&info);
	}
	bcmon_set_info_free(&info);
	bcmon_close(bc);
	return CTL_EXIT_OK;
}

int cmd_status(const struct ctl_options *opts, int argc, char **argv)
{
	struct bcmon_status st;
	struct bcmon *bc;

	(void)argv;
	if (argc) {
		fprintf(stderr, "Usage: bcmonctl status\n");
		return CTL_EXIT_USAGE;
	}
	bc = ctl_connect();
	if (!bc)
		return CTL_EXIT_FAIL;
	if (bcmon_get_status(bc, &st)) {
		fprintf(stderr, "bcmonctl: status: %s\n", bcmon_strerror(bc));
		bcmon_close(bc);
		return CTL_EXIT_FAIL;
	}
	if (opts->json) {
		printf("{\"version\":");
		json_str(st.version);
		printf(",\"sets\":%" PRIu32 ",\"max_sets\":%" PRIu32
		       ",\"max_metrics\":%" PRIu32 ",\"max_buckets\":%" PRIu32
		       ",\"memory_used\":%" PRIu64 ",\"memory_limit\":%" PRIu64,
		       st.sets, st.max_sets, st.max_metrics, st.max_buckets,
		       st.mem_used, st.mem_limit);
		if (st.has_writer_gid)
			printf(",\"writer_gid\":%" PRIu32, st.writer_gid);
		if (st.has_error_ring_size)
			printf(",\"error_ring_size\":%" PRIu32, st.error_ring_size);
		if (st.has_errors_recorded)
			printf(",\"errors_recorded\":%" PRIu64, st.errors_recorded);
		if (st.has_sensor_interval)
			printf(",\"sensor_interval_ms\":%" PRIu32, st.sensor_interval_ms);
		printf("}\n");
	} else {
		printf("%-18s %s\n", "version", st.version);
		printf("%-18s %" PRIu32 " of %" PRIu32 "\n", "sets", st.sets, st.max_sets);
		printf("%-18s %" PRIu32 "\n", "max_metrics", st.max_metrics);
		printf("%-18s %" PRIu32 "\n", "max_buckets", st.max_buckets);
		printf("%-18s %" PRIu64 " of %" PRIu64 " bytes\n", "memory",
		       st.mem_used, st.mem_limit);
		if (st.has_writer_gid)
			printf("%-18s %" PRIu32 "\n", "writer_gid", st.writer_gid);
		else
			printf("%-18s %s\n", "writer_gid", "-");
		if (st.has_error_ring_size)
			printf("%-18s %" PRIu32 "\n", "error_ring_size", st.error_ring_size);
		if (st.has_errors_recorded)
			printf("%-18s %" PRIu64 "\n", "errors_recorded", st.errors_recorded);
		if (st.has_sensor_interval)
			printf("%-18s %" PRIu32 "\n", "sensor_interval_ms", st.sensor_interval_ms);
	}
	bcmon_close(bc);
	return CTL_EXIT_OK;
}
