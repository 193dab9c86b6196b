// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-bench-nl: what a counter update costs through generic netlink.
 * On one libbcmon socket: a no-op round trip (GET_VERSION: request, reply
 * and ACK, no work in the kernel) as the floor,
 * then counter adds sent one per message and in batches of 16 and 256.
 * Prints per-message and per-update times, updates/s and each update's
 * cost as a ratio to the floor. Each case runs ROUNDS times, interleaved
 * with the others, and the fastest round counts (the least disturbed by
 * other load on the host). Then histogram observations with and without
 * an exemplar (issue 14), in alternating rounds (at least 5), one per
 * message and in batches of 256: the cost of each and the median of the
 * rounds' ratios. No assertions: figures for people.
 *
 *   bcmon-bench-nl [MESSAGES]    (default 20000 messages per case)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <bcmon/libbcmon.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double floor_ns(struct bcmon *bc, long messages)
{
	char version[64];
	double t0 = now_ns();

	for (long i = 0; i < messages; i++)
		if (bcmon_get_version(bc, version, sizeof(version))) {
			fprintf(stderr, "version: %s\n", bcmon_strerror(bc));
			exit(1);
		}
	return (now_ns() - t0) / messages;
}

/* Mean ns per message for messages of batch adds each. */
static double batch_ns(struct bcmon *bc, long messages, size_t batch)
{
	struct bcmon_batch *b = bcmon_batch_new(bc, "bench_nl", batch);
	double t0;

	if (!b)
		exit(1);
	t0 = now_ns();
	for (long i = 0; i < messages; i++)
		for (size_t k = 0; k < batch; k++)
			if (bcmon_batch_add(b, "adds", 1)) {
				fprintf(stderr, "add: %s\n", bcmon_strerror(bc));
				exit(1);
			}
	t0 = (now_ns() - t0) / messages;
	bcmon_batch_free(b);
	return t0;
}

/* Mean ns per observation, messages of batch observations, ex or none. */
static double observe_ns(struct bcmon *bc, long messages, size_t batch,
			 const struct bcmon_exemplar *ex)
{
	struct bcmon_batch *b = bcmon_batch_new(bc, "bench_ex", batch);
	double t0;

	if (!b)
		exit(1);
	t0 = now_ns();
	for (long i = 0; i < messages; i++)
		for (size_t k = 0; k < batch; k++) {
			/* Values over every bucket, so every slot is written. */
			int64_t v = (int64_t)((i * 31 + (long)k * 7) % 1000);

			if (ex ? bcmon_batch_observe_exemplar(b, "lat", NULL, 0, v, ex) :
				 bcmon_batch_observe(b, "lat", v)) {
				fprintf(stderr, "observe: %s\n", bcmon_strerror(bc));
				exit(1);
			}
		}
	t0 = (now_ns() - t0) / ((double)messages * batch);
	bcmon_batch_free(b);
	return t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Observations with and without an exemplar, alternating in each round;
 * prints the median cost of each and of the rounds' ratios, and checks
 * the histogram's count against what was sent.
 */
static void bench_exemplars(struct bcmon *bc, long messages)
{
	static const uint64_t bounds[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500 };
	static const struct bcmon_metric_spec spec = {
		.name = "lat", .kind = BCMON_KIND_HISTOGRAM,
		.bounds = bounds, .n_bounds = sizeof(bounds) / sizeof(bounds[0]),
	};
	static const struct bcmon_exemplar ex = {
		.trace_id = { 0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
			      0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36 },
		.span_id = { 0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7 },
	};
	static const size_t batches[] = { 1, 256 };
	enum { XROUNDS = 7 };
	double plain[2][XROUNDS], with[2][XROUNDS], ratio[2][XROUNDS];
	struct bcmon_set_info info;
	uint64_t expected = 0;

	if (bcmon_set_create(bc, "bench_ex", &spec, 1)) {
		fprintf(stderr, "bench: cannot create bench_ex: %s\n", bcmon_strerror(bc));
		exit(1);
	}
	for (int r = 0; r < XROUNDS; r++) {
		for (size_t i = 0; i < 2; i++) {
			long msgs = batches[i] > 1 ? messages / 16 : messages / 2;

			plain[i][r] = observe_ns(bc, msgs, batches[i], NULL);
			with[i][r] = observe_ns(bc, msgs, batches[i], &ex);
			ratio[i][r] = with[i][r] / plain[i][r];
			expected += 2 * (uint64_t)msgs * batches[i];
		}
	}
	printf("\nhistogram observations, %d alternating rounds (median)\n", XROUNDS);
	printf("%-22s %16s %16s %10s\n", "case", "ns/obs plain", "ns/obs exemplar",
	       "ratio");
	for (size_t i = 0; i < 2; i++) {
		char name[32];

		snprintf(name, sizeof(name), "batch of %zu", batches[i]);
		printf("%-22s %16.1f %16.1f %10.3f\n", name, median(plain[i], XROUNDS),
		       median(with[i], XROUNDS), median(ratio[i], XROUNDS));
		printf("%-22s", "  ratio per round");
		for (int r = 0; r < XROUNDS; r++)
			printf(" %.3f", ratio[i][r]);
		putchar('\n');
	}
	if (!bcmon_set_get(bc, "bench_ex", &info)) {
		printf("histogram count %" PRIu64 " (expected %" PRIu64 "), exemplars %zu of %zu buckets\n",
		       info.metrics[0].count, expected, info.metrics[0].n_exemplars,
		       info.metrics[0].n_bounds + 1);
		bcmon_set_info_free(&info);
	}
	bcmon_set_destroy(bc, "bench_ex");
}

int main(int argc, char **argv)
{
	static const struct bcmon_metric_spec spec = {
		.name = "adds", .kind = BCMON_KIND_COUNTER,
	};
	static const size_t batches[] = { 1, 16, 256 };
	enum { ROUNDS = 3, CASES = 3 };
	long messages = argc > 1 ? atol(argv[1]) : 20000;
	double best[CASES], floor_best = 0;
	struct bcmon_set_info info;
	uint64_t expected = 0;
	struct bcmon *bc;
	double rt;

	if (bcmon_open(&bc) || bcmon_set_create(bc, "bench_nl", &spec, 1)) {
		fprintf(stderr, "bench: cannot set up (module loaded? root?)\n");
		return 1;
	}
	for (int r = 0; r < ROUNDS; r++) {
		rt = floor_ns(bc, messages);
		if (!r || rt < floor_best)
			floor_best = rt;
		for (size_t i = 0; i < CASES; i++) {
			long msgs = batches[i] >= 256 ? messages / 8 : messages;
			double ns = batch_ns(bc, msgs, batches[i]);

			expected += (uint64_t)msgs * batches[i];
			if (!r || ns < best[i])
				best[i] = ns;
		}
	}
	rt = floor_best;
	printf("%-22s %12s %12s %14s %16s\n", "case (best of 3)", "ns/message",
	       "ns/update", "updates/s", "update/floor");
	printf("%-22s %12.0f %12s %14.0f %16s\n", "no-op round trip", rt, "-",
	       1e9 / rt, "1.000");
	for (size_t i = 0; i < CASES; i++) {
		double per_msg = best[i];
		double per_update = per_msg / batches[i];
		char name[32];

		snprintf(name, sizeof(name), "batch of %zu", batches[i]);
		printf("%-22s %12.0f %12.1f %14.0f %16.3f\n", name, per_msg,
		       per_update, 1e9 / per_update, per_update / rt);
	}
	if (!bcmon_set_get(bc, "bench_nl", &info)) {
		printf("counter total %" PRIu64 " (expected %" PRIu64 ")\n",
		       (uint64_t)info.metrics[0].value, expected);
		bcmon_set_info_free(&info);
	}
	bcmon_set_destroy(bc, "bench_nl");
	bench_exemplars(bc, messages);
	bcmon_close(bc);
	return 0;
}
