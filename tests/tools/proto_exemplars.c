// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-proto-exemplars < SCRAPE: the exemplars of a protobuf scrape (a
 * stream of varint-delimited io.prometheus.client.MetricFamily messages,
 * decoded by libprotobuf-c), one line each:
 *
 *   FAMILY{LABELS} le="BOUND" # {NAME="VALUE",...} VALUE [SECONDS.NANOS]
 *
 * for a classic bucket's exemplar (BOUND "+Inf" for an explicit +Inf
 * bucket), "native" in place of le="BOUND" for Histogram.exemplars. Numbers
 * as %.15g, with more digits only when needed to read back the same double
 * (as the exporter writes them); label values as they are (no escapes).
 *
 * bcmon-proto-exemplars --native < SCRAPE: the native histograms instead,
 * their buckets taken out of spans and deltas:
 *
 *   FAMILY{LABELS} schema S zero_threshold Z zero_count C count N sum X
 *   FAMILY{LABELS} pos|neg INDEX COUNT     (each non-empty bucket)
 *   FAMILY{LABELS} le BOUND CUMULATIVE     (each classic bucket)
 *
 * Exit status 1 on a malformed stream.
 * For the VM tests, whose guest has no protoc (tests/vm/tests/
 * 48-exporter-exemplars.sh, 49-exporter-native.sh).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.pb-c.h"

typedef Io__Prometheus__Client__MetricFamily pb_family;
typedef Io__Prometheus__Client__Metric pb_metric;
typedef Io__Prometheus__Client__LabelPair pb_label;
typedef Io__Prometheus__Client__Exemplar pb_exemplar;

/* v as %.15g..%.17g, the first that reads back to v; "+Inf", "-Inf". */
static const char *number_text(char *buf, size_t len, double v)
{
	if (isinf(v)) {
		snprintf(buf, len, v > 0 ? "+Inf" : "-Inf");
		return buf;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

static void put_labels(pb_label **l, size_t n)
{
	putchar('{');
	for (size_t i = 0; i < n; i++)
		printf("%s%s=\"%s\"", i ? "," : "", l[i]->name, l[i]->value);
	putchar('}');
}

static void put_exemplar(const pb_family *f, const pb_metric *m, const char *where,
			 const pb_exemplar *e)
{
	char num[40];

	printf("%s", f->name);
	put_labels(m->label, m->n_label);
	printf(" %s # ", where);
	put_labels(e->label, e->n_label);
	printf(" %s", number_text(num, sizeof(num), e->value));
	if (e->timestamp)
		printf(" %lld.%09d", (long long)e->timestamp->seconds, (int)e->timestamp->nanos);
	putchar('\n');
}

/* One sign's buckets: spans of consecutive indices, counts as deltas. */
static void put_native_sign(const pb_family *f, const pb_metric *m,
			    const char *sign, Io__Prometheus__Client__BucketSpan **spans,
			    size_t n_spans, const int64_t *deltas, size_t n_deltas)
{
	int64_t count = 0;
	int32_t idx = 0;
	size_t d = 0;

	for (size_t s = 0; s < n_spans; s++) {
		idx += spans[s]->offset;
		for (uint32_t k = 0; k < spans[s]->length && d < n_deltas; k++, idx++) {
			count += deltas[d++];
			if (!count)
				continue;
			printf("%s", f->name);
			put_labels(m->label, m->n_label);
			printf(" %s %d %lld\n", sign, idx, (long long)count);
		}
	}
}

static void put_native(const pb_family *f)
{
	char num[40], num2[40];

	for (size_t i = 0; i < f->n_metric; i++) {
		const pb_metric *m = f->metric[i];
		const Io__Prometheus__Client__Histogram *h = m->histogram;

		if (!h || !h->has_schema)
			continue;
		printf("%s", f->name);
		put_labels(m->label, m->n_label);
		printf(" schema %d zero_threshold %s zero_count %llu count %llu sum %s\n",
		       h->schema, number_text(num, sizeof(num), h->zero_threshold),
		       (unsigned long long)h->zero_count,
		       (unsigned long long)h->sample_count,
		       number_text(num2, sizeof(num2), h->sample_sum));
		put_native_sign(f, m, "pos", h->positive_span, h->n_positive_span,
				h->positive_delta, h->n_positive_delta);
		put_native_sign(f, m, "neg", h->negative_span, h->n_negative_span,
				h->negative_delta, h->n_negative_delta);
		for (size_t b = 0; b < h->n_bucket; b++) {
			printf("%s", f->name);
			put_labels(m->label, m->n_label);
			printf(" le %s %llu\n",
			       number_text(num, sizeof(num), h->bucket[b]->upper_bound),
			       (unsigned long long)h->bucket[b]->cumulative_count);
		}
	}
}

static void put_family(const pb_family *f)
{
	for (size_t i = 0; i < f->n_metric; i++) {
		const pb_metric *m = f->metric[i];
		const Io__Prometheus__Client__Histogram *h = m->histogram;

		if (!h)
			continue;
		for (size_t b = 0; b < h->n_bucket; b++) {
			char where[64], num[40];

			if (!h->bucket[b]->exemplar)
				continue;
			snprintf(where, sizeof(where), "le=\"%s\"",
				 number_text(num, sizeof(num), h->bucket[b]->upper_bound));
			put_exemplar(f, m, where, h->bucket[b]->exemplar);
		}
		for (size_t k = 0; k < h->n_exemplars; k++)
			put_exemplar(f, m, "native", h->exemplars[k]);
	}
}

int main(int argc, char **argv)
{
	int native = argc == 2 && !strcmp(argv[1], "--native");
	size_t len = 0, cap = 1 << 16, n;
	unsigned char *buf = malloc(cap), *p, *end;

	while (buf && (n = fread(buf + len, 1, cap - len, stdin)) > 0) {
		len += n;
		if (len == cap) {
			p = realloc(buf, cap *= 2);
			if (!p)
				free(buf);
			buf = p;
		}
	}
	if (!buf)
		return 1;
	for (p = buf, end = buf + len; p < end;) {
		uint64_t size = 0;
		unsigned int shift = 0;
		pb_family *f;

		do {
			if (p == end || shift > 63)
				goto bad;
			size |= (uint64_t)(*p & 0x7f) << shift;
			shift += 7;
		} while (*p++ & 0x80);
		if (size > (uint64_t)(end - p))
			goto bad;
		f = io__prometheus__client__metric_family__unpack(NULL, (size_t)size, p);
		if (!f)
			goto bad;
		if (native)
			put_native(f);
		else
			put_family(f);
		io__prometheus__client__metric_family__free_unpacked(f, NULL);
		p += size;
	}
	free(buf);
	return 0;
bad:
	fprintf(stderr, "bcmon-proto-exemplars: malformed stream at byte %zu\n",
		(size_t)(p - buf));
	free(buf);
	return 1;
}
