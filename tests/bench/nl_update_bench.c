// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-bench-nl: what a counter update costs through generic netlink.
 * On one libbcmon socket: a no-op round trip (GET_VERSION: request, reply
 * and ACK, no work in the kernel) as the floor,
 * then counter adds sent one per message and in batches of 16 and 256.
 * Prints per-message and per-update times, updates/s and each update's
 * cost as a ratio to the floor. Each case runs ROUNDS times, interleaved
 * with the others, and the fastest round counts (the least disturbed by
 * other load on the host). No assertions: figures for people.
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
	bcmon_close(bc);
	return 0;
}
