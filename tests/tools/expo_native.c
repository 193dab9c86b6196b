// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-expo-native OUT_DIR: observations whose exact values are known,
 * binned the way bcmon does (kmod/nhist.c: schema 3 of seconds from
 * integer nanoseconds, zero bucket up to 2^-20 s) and, for comparison,
 * into the seed's classic bounds (1, 5, 10, 50, 100, 500, 1000 ms), for
 * tests/host/67-native-histograms.sh:
 *   OUT_DIR/metrics.pb   the protobuf exposition (native histogram
 *                        bitcraps_test_latency_seconds, classic histogram
 *                        bitcraps_test_classic_latency_seconds)
 *   OUT_DIR/metrics.txt  the same in the text format
 *   OUT_DIR/truth        "q EXACT_SECONDS NATIVE_INDEX" for q = 0.5, 0.99
 * The observations: 20,000 log-normal round latencies around 40 ms with a
 * tail past 1 s (a fixed seed), as the consensus rounds of a busy node.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expo.h"
#include "expo_native.h"
#include "nhist.h"

#define N 20000
#define SCHEMA 3

static uint64_t rng = 0x853c49e6748fea9bull;

static double uniform(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static const double cbounds[] = { 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1 };
	static uint64_t ns[N];
	static struct expo_native_bucket pos[600];
	uint64_t ccounts[8] = { 0 }, zero = 0;
	union {
		struct nhist_table t;
		char bytes[sizeof(struct nhist_table) + (sizeof(__u64) << SCHEMA)];
	} u;
	int32_t first = 0, last = -1;
	static uint64_t counts[600];
	double sum = 0;
	size_t npos = 0;
	FILE *truth;
	char path[4096];

	if (argc != 2 || nhist_table_build(&u.t, SCHEMA, -9))
		return 2;
	for (int i = 0; i < N; i++) {
		/* Box-Muller: ln(x / 40 ms) ~ N(0, 0.6), and 1% slow rounds */
		double z = sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
		double s = 0.040 * exp(0.6 * z) * (uniform() < 0.01 ? 30 : 1);

		ns[i] = (uint64_t)llround(s * 1e9);
		sum += (double)ns[i] / 1e9;
	}
	/* native buckets: zero bucket up to 2^-20 s = 953 ns */
	for (int i = 0; i < N; i++) {
		int32_t idx;

		if (ns[i] <= 953) {
			zero++;
			continue;
		}
		idx = nhist_index_table(&u.t, ns[i]);
		if (last < first) {
			first = idx - 300;
			last = first + 599;
		}
		if (idx < first || idx > last)
			return 3;
		counts[idx - first]++;
	}
	for (int32_t k = 0; k < 600; k++)
		if (counts[k])
			pos[npos++] = (struct expo_native_bucket){ first + k, counts[k] };
	/* classic buckets: x <= bound, in exact integers of ns */
	for (int i = 0; i < N; i++) {
		int b = 0;

		while (b < 7 && ns[i] > (uint64_t)llround(cbounds[b] * 1e9))
			b++;
		ccounts[b]++;
	}

	struct expo_native nat = {
		.schema = SCHEMA, .zero_threshold = 0x1p-20, .zero_count = zero,
		.positive = pos, .npositive = npos,
	};
	double dbounds[27];
	uint64_t dcounts[28];
	int nb = expo_native_to_classic(&nat, -20, 5, dbounds, dcounts);
	const struct expo_histogram derived = { (size_t)nb, dbounds, dcounts, sum };
	const struct expo_histogram classic = { 7, cbounds, ccounts, sum };
	struct expo_writer *w = expo_new();
	const struct expo_writer *parts[] = { w };
	struct strbuf out;

	if (nb < 0 || !w)
		return 4;
	if (expo_family(w, "bitcraps_test_latency_seconds", EXPO_HISTOGRAM,
			"Known latencies, native buckets.") ||
	    expo_histogram_native(w, NULL, 0, &derived, true, &nat) ||
	    expo_family(w, "bitcraps_test_classic_latency_seconds", EXPO_HISTOGRAM,
			"The same latencies, the seed's classic buckets.") ||
	    expo_histogram(w, NULL, 0, &classic))
		return 5;
	sb_init(&out);
	if (expo_render(parts, 1, EXPO_FMT_PROTOBUF, &out, NULL, NULL, NULL) ||
	    write_file(argv[1], "metrics.pb", out.buf, out.len))
		return 6;
	sb_reset(&out);
	if (expo_render(parts, 1, EXPO_FMT_TEXT, &out, NULL, NULL, NULL) ||
	    write_file(argv[1], "metrics.txt", out.buf, out.len))
		return 6;
	sb_free(&out);
	expo_free(w);

	/* exact quantiles: the value of rank ceil(q * N) (1-based) */
	qsort(ns, N, sizeof(ns[0]), cmp_u64);
	snprintf(path, sizeof(path), "%s/truth", argv[1]);
	truth = fopen(path, "w");
	if (!truth)
		return 7;
	for (int k = 0; k < 2; k++) {
		double q = k ? 0.99 : 0.5;
		uint64_t v = ns[(size_t)ceil(q * N) - 1];

		fprintf(truth, "%g %.9f %d\n", q, (double)v / 1e9, nhist_index_table(&u.t, v));
	}
	return fclose(truth) ? 7 : 0;
}
