// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-scrape profile N: the work of a scrape of every counter set, split
 * into phases, each run N times and timed in CPU time of this process
 * (user and system, so the kernel's side of the netlink dump counts):
 *   dump     the SET_GET dump read raw and thrown away (the kernel: per-CPU
 *            sums, message building, copies to user space)
 *   parse    the same through libbcmon into bcmon_set_info, one set at a time
 *   record   and each metric named and recorded as the exporter's kmod
 *            collector does (expo_family, expo_sample_u64/expo_histogram)
 *   render   and the recording rendered as the text format
 *   gzip     and that text compressed as for Accept-Encoding: gzip
 * Each phase includes the ones before it; the differences are the cost of
 * each step. Prints one "phase=... cpu_ms=..." line per phase.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bcmon/libbcmon.h>
#include <linux/bcmon.h>
#include <linux/netlink.h>

#include "buckets.h"
#include "expo.h"
#include "gzip.h"
#include "nlraw.h"
#include "setnames.h"
#include "strbuf.h"

int cmd_profile(int argc, char **argv);

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int dump_raw(void)
{
	struct nlmsgbuf m;
	struct nlanswer a;
	struct nlraw nl;
	int err = nlraw_open(&nl);

	if (err)
		return err;
	msg_init(&m, &nl, BCMON_CMD_SET_GET, NLM_F_DUMP);
	err = nlraw_exchange(&nl, &m, &a);
	msg_free(&m);
	nlraw_close(&nl);
	return err ? err : a.error;
}

struct sink {
	struct expo_writer *w;	/* NULL: parse only */
	size_t metrics;
};

/* As collector_kmod_sets.c names and records a metric. */
static int record_set(const struct bcmon_set_info *set, void *arg)
{
	struct sink *s = arg;

	for (size_t i = 0; i < set->n_metrics; i++) {
		const struct bcmon_metric_info *m = &set->metrics[i];
		char suffix[3 * BCMON_NAME_MAX], name[3 * BCMON_NAME_MAX + 16], help[256];
		const char *h = m->help;

		s->metrics++;
		if (!s->w)
			continue;
		set_metric_suffix(set->name, m->name, m->unit, m->kind == BCMON_KIND_COUNTER,
				  suffix, sizeof(suffix));
		snprintf(name, sizeof(name), "bitcraps_%s", suffix);
		if (!h[0]) {
			snprintf(help, sizeof(help), "Metric %s of counter set %s.", m->name,
				 set->name);
			h = help;
		}
		if (m->kind == BCMON_KIND_HISTOGRAM) {
			double *bounds = calloc(m->n_bounds + 1, sizeof(*bounds));
			struct expo_histogram eh = { m->n_bounds, bounds, m->buckets, 0 };

			if (bounds && !buckets_scaled(m->bounds, m->n_bounds, m->scale, bounds)) {
				eh.sum = scale_to_base((double)m->sum, m->scale);
				if (!expo_family(s->w, name, EXPO_HISTOGRAM, h))
					expo_histogram(s->w, NULL, 0, &eh);
			}
			free(bounds);
		} else if (!expo_family(s->w, name, m->kind == BCMON_KIND_COUNTER ?
					EXPO_COUNTER : EXPO_GAUGE, h)) {
			expo_sample_u64(s->w, NULL, 0, (uint64_t)m->value);
		}
	}
	return 0;
}

static int gzip_sink(void *arg, const char *text, size_t len)
{
	return gzip_stream_write(arg, text, len);
}

enum phase { DUMP, PARSE, RECORD, RENDER, GZIP, NPHASES };

static int one(enum phase p, size_t *metrics, size_t *bytes)
{
	struct sink s = { 0 };
	struct gzip_stream *gz = NULL;
	struct strbuf text, zipped;
	struct bcmon *bc;
	int err;

	if (p == DUMP)
		return dump_raw();
	err = bcmon_open(&bc);
	if (err)
		return err;
	if (p >= RECORD)
		s.w = expo_new();
	err = bcmon_set_foreach(bc, NULL, record_set, &s);
	bcmon_close(bc);
	*metrics = s.metrics;
	sb_init(&text);
	sb_init(&zipped);
	if (!err && p >= RENDER) {
		const struct expo_writer *parts[] = { s.w };

		if (p == GZIP)
			gz = gzip_stream_new(&zipped);
		err = expo_render(parts, 1, EXPO_FMT_TEXT, &text, gz ? gzip_sink : NULL, gz, NULL);
		if (!err && gz)
			err = gzip_stream_finish(gz);
		*bytes = gz ? zipped.len : text.len;
	}
	gzip_stream_free(gz);
	sb_free(&text);
	sb_free(&zipped);
	expo_free(s.w);
	return err;
}

int cmd_profile(int argc, char **argv)
{
	static const char *const names[NPHASES] = { "dump", "parse", "record", "render", "gzip" };
	int n = argc > 2 ? atoi(argv[2]) : 10;
	double prev = 0;

	if (n < 1)
		return 2;
	for (int p = 0; p < NPHASES; p++) {
		size_t metrics = 0, bytes = 0;
		double t0, ms;

		if (one((enum phase)p, &metrics, &bytes))	/* warm-up */
			return 1;
		t0 = cpu_ms();
		for (int i = 0; i < n; i++) {
			int err = one((enum phase)p, &metrics, &bytes);

			if (err) {
				fprintf(stderr, "bcmon-scrape profile: %s: %s\n", names[p],
					strerror(-err));
				return 1;
			}
		}
		ms = (cpu_ms() - t0) / n;
		printf("phase=%s metrics=%zu bytes=%zu cpu_ms=%.2f step_ms=%.2f\n", names[p],
		       metrics, bytes, ms, ms - prev);
		prev = ms;
	}
	return 0;
}
