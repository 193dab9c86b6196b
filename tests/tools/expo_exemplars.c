// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-expo-exemplars TRACE_ID SPAN_ID: print one OpenMetrics exposition,
 * recorded and rendered by the exporter's own writer (userspace/exporter/
 * expo.c, expo_render.c), of a
 * histogram whose slowest bucket carries an exemplar naming the given
 * trace and span. tests/host/66-exemplars-prometheus.sh serves it to a
 * real Prometheus with exemplar storage and reads the exemplar back
 * through /api/v1/query_exemplars.
 */
#include <stdio.h>

#include "expo.h"

int main(int argc, char **argv)
{
	static const double bounds[] = { 0.01, 0.1, 1 };
	static const uint64_t counts[] = { 5, 3, 0, 1 };
	const struct expo_histogram h = { 3, bounds, counts, 3.2 };
	struct expo_label trace[2] = { { "trace_id", NULL }, { "span_id", NULL } };
	const struct expo_exemplar slow = { trace, 2, 2.5, 0 };
	const struct expo_exemplar *ex[4] = { NULL, NULL, NULL, &slow };
	struct expo_writer *w;
	struct strbuf out;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: bcmon-expo-exemplars TRACE_ID SPAN_ID\n");
		return 2;
	}
	trace[0].value = argv[1];
	trace[1].value = argv[2];
	sb_init(&out);
	w = expo_new();
	if (!w)
		return 1;
	err = expo_family(w, "bitcraps_test_latency_seconds", EXPO_HISTOGRAM, "Test latency.");
	if (!err)
		err = expo_histogram_exemplars(w, NULL, 0, &h, ex);
	if (!err) {
		const struct expo_writer *parts[] = { w };

		err = expo_render(parts, 1, EXPO_FMT_OPENMETRICS, &out, NULL, NULL, NULL);
	}
	if (!err)
		fputs(sb_str(&out), stdout);
	else
		fprintf(stderr, "bcmon-expo-exemplars: %d\n", err);
	expo_free(w);
	sb_free(&out);
	return err ? 1 : 0;
}
