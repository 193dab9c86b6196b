// SPDX-License-Identifier: GPL-2.0
/* bcmonctl sets, show SET, status: read-only views of counter sets. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <bcmon/libbcmon.h>

#include "ctl.h"
#include "json.h"
#include "native_format.h"

static void json_str(const char *s)
{
	json_print_string(stdout, s);
}

static void hex_print(const uint8_t *id, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("%02x", id[i]);
}

/* The bucket an exemplar fell in, by its upper bound, for people. */
static void exemplar_bound(const struct bcmon_metric_info *m, uint32_t b,
			   char *buf, size_t len)
{
	if (b < m->n_bounds)
		snprintf(buf, len, "%" PRIu64, m->bounds[b]);
	else
		snprintf(buf, len, "+Inf");
}

/*
 * "exemplars":[{bucket, value, timestamp_ns, trace_id, span_id}...], only
 * when there are some: a histogram without keeps the shape it always had.
 */
static void exemplars_json(const struct bcmon_exemplar_info *ex, size_t n)
{
	if (!n)
		return;
	printf(",\"exemplars\":[");
	for (size_t i = 0; i < n; i++) {
		printf("%s{\"bucket\":%" PRIu32 ",\"value\":%" PRId64
		       ",\"timestamp_ns\":%" PRIu64 ",\"trace_id\":\"",
		       i ? "," : "", ex[i].bucket, ex[i].value, ex[i].time_ns);
		hex_print(ex[i].ids.trace_id, sizeof(ex[i].ids.trace_id));
		printf("\",\"span_id\":\"");
		hex_print(ex[i].ids.span_id, sizeof(ex[i].ids.span_id));
		printf("\"}");
	}
	putchar(']');
}

/* One line per exemplar, indented by pad, for the text view. */
static void exemplars_text(const struct bcmon_metric_info *m, int pad,
			   const struct bcmon_exemplar_info *ex, size_t n)
{
	char bound[24];

	for (size_t i = 0; i < n; i++) {
		exemplar_bound(m, ex[i].bucket, bound, sizeof(bound));
		printf("%*s  exemplar le %s value=%" PRId64 " trace_id=", pad, "",
		       bound, ex[i].value);
		hex_print(ex[i].ids.trace_id, sizeof(ex[i].ids.trace_id));
		printf(" span_id=");
		hex_print(ex[i].ids.span_id, sizeof(ex[i].ids.span_id));
		putchar('\n');
	}
}

/* The value fields of a metric or of one series: "value" or histogram's. */
static void values_json(const struct bcmon_metric_info *m, int64_t value,
			uint64_t count, int64_t sum, const uint64_t *buckets,
			const struct bcmon_native_buckets *native)
{
	if (m->kind == BCMON_KIND_COUNTER)
		printf(",\"value\":%" PRIu64, (uint64_t)value);
	else if (m->kind == BCMON_KIND_GAUGE)
		printf(",\"value\":%" PRId64, value);
	if (m->kind == BCMON_KIND_HISTOGRAM) {
		printf(",\"count\":%" PRIu64 ",\"sum\":%" PRId64 ",\"buckets\":[",
		       count, sum);
		/* Per-bucket counts, so each bucket is named by its upper
		 * bound, not "le" (which in Prometheus means cumulative). */
		for (size_t b = 0; b <= m->n_bounds; b++) {
			if (b < m->n_bounds)
				printf("%s{\"upper_bound\":%" PRIu64, b ? "," : "", m->bounds[b]);
			else
				printf("%s{\"upper_bound\":\"+Inf\"", b ? "," : "");
			printf(",\"count\":%" PRIu64 "}", buckets ? buckets[b] : 0);
		}
		putchar(']');
	}
	if (native)
		native_json(stdout, native);
}

/* "labels":[names], "series":[{"labels":{..}, values}], counts, refusals. */
static void series_json(const struct bcmon_metric_info *m)
{
	printf(",\"labels\":[");
	for (size_t l = 0; l < m->n_labels; l++) {
		if (l)
			putchar(',');
		json_str(m->label_names[l]);
	}
	printf("],\"series_count\":%" PRIu32 ",\"refused\":{", m->series_count);
	for (int r = 0; r <= BCMON_REFUSED_MAX; r++)
		printf("%s\"%s\":%" PRIu64, r ? "," : "", bcmon_refusal_name(r), m->refused[r]);
	printf("},\"series\":[");
	for (size_t i = 0; i < m->n_series; i++) {
		const struct bcmon_series_info *s = &m->series[i];

		printf("%s{\"labels\":{", i ? "," : "");
		for (size_t l = 0; l < m->n_labels; l++) {
			if (l)
				putchar(',');
			json_str(m->label_names[l]);
			putchar(':');
			json_str(s->label_values[l]);
		}
		putchar('}');
		values_json(m, s->value, s->count, s->sum, s->buckets, s->native);
		if (m->kind == BCMON_KIND_HISTOGRAM)
			exemplars_json(s->exemplars, s->n_exemplars);
		putchar('}');
	}
	putchar(']');
}

static void metric_json(const struct bcmon_metric_info *m)
{
	printf("{\"name\":");
	json_str(m->name);
	printf(",\"kind\":\"%s\",\"unit\":", bcmon_kind_name(m->kind) ?: "unknown");
	json_str(m->unit);
	printf(",\"scale\":%" PRId32 ",\"help\":", m->scale);
	json_str(m->help);
	if (m->native)
		native_def_json(stdout, m);
	if (m->n_labels) {
		if (m->kind == BCMON_KIND_HISTOGRAM) {
			printf(",\"bounds\":[");
			for (size_t b = 0; b < m->n_bounds; b++)
				printf("%s%" PRIu64, b ? "," : "", m->bounds[b]);
			putchar(']');
		}
		series_json(m);
	} else {
		values_json(m, m->value, m->count, m->sum, m->buckets, m->native_buckets);
		if (m->kind == BCMON_KIND_HISTOGRAM)
			exemplars_json(m->exemplars, m->n_exemplars);
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
static void value_text(const struct bcmon_metric_info *m, int64_t value,
		       uint64_t count, int64_t sum, char *buf, size_t len)
{
	if (m->kind == BCMON_KIND_COUNTER)
		snprintf(buf, len, "%" PRIu64, (uint64_t)value);
	else if (m->kind == BCMON_KIND_GAUGE)
		snprintf(buf, len, "%" PRId64, value);
	else
		snprintf(buf, len, "count=%" PRIu64 " sum=%" PRId64, count, sum);
}

static void metric_value_text(const struct bcmon_metric_info *m, char *buf,
			      size_t len)
{
	if (m->n_labels)
		snprintf(buf, len, "%zu series", m->n_series);
	else
		value_text(m, m->value, m->count, m->sum, buf, len);
}

/* One line per series, {name="value",...} as in PromQL, then refusals. */
static void series_table(const struct bcmon_metric_info *m)
{
	char value[64];
	bool refused = false;

	for (size_t i = 0; i < m->n_series; i++) {
		const struct bcmon_series_info *s = &m->series[i];

		printf("  {");
		for (size_t l = 0; l < m->n_labels; l++) {
			printf("%s%s=", l ? "," : "", m->label_names[l]);
			json_str(s->label_values[l]);
		}
		value_text(m, s->value, s->count, s->sum, value, sizeof(value));
		printf("}  %s\n", value);
		if (s->native)
			native_text(stdout, m, s->native, 2);
		exemplars_text(m, 2, s->exemplars, s->n_exemplars);
	}
	for (int r = 0; r <= BCMON_REFUSED_MAX; r++)
		refused |= m->refused[r] != 0;
	if (!refused)
		return;
	printf("  refused");
	for (int r = 0; r <= BCMON_REFUSED_MAX; r++)
		printf(" %s=%" PRIu64, bcmon_refusal_name(r), m->refused[r]);
	putchar('\n');
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
		if (m->n_labels) {
			series_table(m);
			continue;
		}
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
		if (m->native_buckets)
			native_text(stdout, m, m->native_buckets, (int)w);
		exemplars_text(m, (int)w, m->exemplars, m->n_exemplars);
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

static const char *charset_name(uint8_t charset)
{
	switch (charset) {
	case BCMON_LABEL_CHARSET_STRICT:
		return "strict";
	case BCMON_LABEL_CHARSET_PRINTABLE:
		return "printable";
	}
	return "unknown";
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
		if (st.has_labels)
			printf(",\"max_labels\":%" PRIu32 ",\"max_series\":%" PRIu32
			       ",\"max_label_value_len\":%" PRIu32 ",\"label_charset\":\"%s\"",
			       st.max_labels, st.max_series, st.max_label_value_len,
			       charset_name(st.label_charset));
		if (st.max_native_buckets)
			printf(",\"max_native_buckets\":%" PRIu32, st.max_native_buckets);
		printf(",\"reserved_set_words\":");
		json_str(st.reserved_set_words);
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
		if (st.has_labels) {
			printf("%-18s %" PRIu32 "\n", "max_labels", st.max_labels);
			printf("%-18s %" PRIu32 "\n", "max_series", st.max_series);
			printf("%-18s %" PRIu32 "\n", "max_label_value", st.max_label_value_len);
			printf("%-18s %s\n", "label_charset", charset_name(st.label_charset));
		}
		if (st.max_native_buckets)
			printf("%-18s %" PRIu32 "\n", "max_native_buckets", st.max_native_buckets);
		printf("%-18s %s\n", "reserved_words",
		       st.reserved_set_words[0] ? st.reserved_set_words : "-");
	}
	bcmon_close(bc);
	return CTL_EXIT_OK;
}
