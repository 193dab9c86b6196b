// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bcmon-sim's recording layer (record.c) against test
 * doubles of libbcmon, and for what consensus.c hands it: a traced round's
 * latency observation carries the round's trace as an exemplar (trace id,
 * and the id of the span that measured the latency), an untraced one is a
 * plain observation, and both stay batched (one message per set per
 * flush). consensus.c runs for real here with the network and the span
 * file replaced by doubles (net_*, tracer_end below), so the ids checked
 * are the ones the round span was written with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <bcmon/libbcmon.h>

#include "adopt.h"
#include "node.h"

/* --- libbcmon test doubles: every update as the recorder queued it --------- */
struct bcmon {
	int unused;
};

struct bcmon_batch {
	char set[32];
	unsigned int pending;
	unsigned int messages;		/* non-empty flushes */
};

enum op { OP_ADD, OP_SET, OP_OBSERVE };

struct update {
	char set[32];
	char metric[32];
	char label[32];		/* the first label's value, "" when none */
	enum op op;
	int64_t value;
	bool has_exemplar;
	struct bcmon_exemplar ex;
	unsigned int message;	/* which message of its set sent it, from 1 */
};

#define MAX_UPDATES	1024
#define MAX_BATCHES	8

static struct {
	struct bcmon bc;
	struct bcmon_batch batches[MAX_BATCHES];
	unsigned int nbatches;
	struct update updates[MAX_UPDATES];	/* queued, in order */
	unsigned int nupdates;
	unsigned int consensus_messages;
	int flush_error;		/* what every flush answers, when set */
} lib;

int bcmon_open(struct bcmon **out)
{
	*out = &lib.bc;
	return 0;
}

void bcmon_close(struct bcmon *bc)
{
	(void)bc;
}

const char *bcmon_strerror(const struct bcmon *bc)
{
	(void)bc;
	return "test double";
}

/* The consensus set's definition as record.c creates it (a copy). */
static struct bcmon_metric_spec created_consensus[8];
static size_t created_consensus_n;
/* What the module allows (bcmon_get_status), 160 unless a test says. */
static uint32_t module_max_native_buckets = 160;

int bcmon_set_create(struct bcmon *bc, const char *set,
		     const struct bcmon_metric_spec *metrics, size_t n)
{
	(void)bc;
	if (!strcmp(set, "consensus")) {
		assert_true(n <= 8);
		memcpy(created_consensus, metrics, n * sizeof(*metrics));
		created_consensus_n = n;
	}
	return 0;
}

int bcmon_get_status(struct bcmon *bc, struct bcmon_status *out)
{
	(void)bc;
	memset(out, 0, sizeof(*out));
	out->max_native_buckets = module_max_native_buckets;
	return 0;
}

int bcmon_set_destroy(struct bcmon *bc, const char *set)
{
	(void)bc; (void)set;
	return 0;
}

int sim_adopt_check(struct bcmon *bc, const char *name,
		    const struct bcmon_metric_spec *metrics, size_t n,
		    char *why, size_t len)
{
	(void)bc; (void)name; (void)metrics; (void)n; (void)why; (void)len;
	fail_msg("set creation never reports EEXIST here");
	return -1;
}

int bcmon_error_record(struct bcmon *bc, enum bcmon_error_category category,
		       enum bcmon_severity severity, const char *msg)
{
	(void)bc; (void)category; (void)severity; (void)msg;
	return 0;
}

struct bcmon_batch *bcmon_batch_new(struct bcmon *bc, const char *set, size_t max_entries)
{
	struct bcmon_batch *b;

	(void)bc; (void)max_entries;
	assert_true(lib.nbatches < MAX_BATCHES);
	b = &lib.batches[lib.nbatches++];
	snprintf(b->set, sizeof(b->set), "%s", set);
	return b;
}

void bcmon_batch_free(struct bcmon_batch *b)
{
	(void)b;
}

static int queue(struct bcmon_batch *b, const char *metric, enum op op, int64_t value,
		 const struct bcmon_label *labels, size_t n, const struct bcmon_exemplar *ex)
{
	struct update *u;

	assert_true(lib.nupdates < MAX_UPDATES);
	u = &lib.updates[lib.nupdates++];
	memset(u, 0, sizeof(*u));
	snprintf(u->set, sizeof(u->set), "%s", b->set);
	snprintf(u->metric, sizeof(u->metric), "%s", metric);
	if (n)
		snprintf(u->label, sizeof(u->label), "%s", labels[0].value);
	u->op = op;
	u->value = value;
	u->has_exemplar = ex != NULL;
	if (ex)
		u->ex = *ex;
	b->pending++;
	return 0;
}

int bcmon_batch_add(struct bcmon_batch *b, const char *metric, int64_t delta)
{
	return queue(b, metric, OP_ADD, delta, NULL, 0, NULL);
}

int bcmon_batch_set(struct bcmon_batch *b, const char *metric, int64_t value)
{
	return queue(b, metric, OP_SET, value, NULL, 0, NULL);
}

int bcmon_batch_observe(struct bcmon_batch *b, const char *metric, int64_t value)
{
	return queue(b, metric, OP_OBSERVE, value, NULL, 0, NULL);
}

int bcmon_batch_add_labels(struct bcmon_batch *b, const char *metric,
			   const struct bcmon_label *labels, size_t n, int64_t delta)
{
	return queue(b, metric, OP_ADD, delta, labels, n, NULL);
}

int bcmon_batch_set_labels(struct bcmon_batch *b, const char *metric,
			   const struct bcmon_label *labels, size_t n, int64_t value)
{
	return queue(b, metric, OP_SET, value, labels, n, NULL);
}

int bcmon_batch_observe_exemplar(struct bcmon_batch *b, const char *metric,
				 const struct bcmon_label *labels, size_t n,
				 int64_t value, const struct bcmon_exemplar *ex)
{
	assert_non_null(ex);
	return queue(b, metric, OP_OBSERVE, value, labels, n, ex);
}

/* Stamp the updates this flush sends with the message that carried them. */
int bcmon_batch_flush(struct bcmon_batch *b)
{
	unsigned int i;

	if (lib.flush_error)
		return lib.flush_error;
	if (!b->pending)
		return 0;
	b->messages++;
	if (!strcmp(b->set, "consensus"))
		lib.consensus_messages = b->messages;
	for (i = lib.nupdates; i > 0 && b->pending; i--)
		if (!strcmp(lib.updates[i - 1].set, b->set)) {
			lib.updates[i - 1].message = b->messages;
			b->pending--;
		}
	return 0;
}

/* --- network and span file doubles ------------------------------------------ */
static struct {
	struct msg proposals[SIM_MAX_PEERS];
	unsigned int nproposals;
	struct span ended[64];		/* every span handed to tracer_end */
	unsigned int nended;
} seen;

int net_send_tcp(struct net *net, unsigned int from, unsigned int to, struct msg *m)
{
	(void)net; (void)from; (void)to;
	if (m->type == MSG_PROPOSE && seen.nproposals < SIM_MAX_PEERS)
		seen.proposals[seen.nproposals++] = *m;
	return 0;
}

int net_send_udp(struct net *net, unsigned int from, unsigned int to, struct msg *m)
{
	(void)net; (void)from; (void)to; (void)m;
	return 0;
}

bool net_can_send(const struct net *net, unsigned int from, unsigned int to)
{
	(void)net; (void)from; (void)to;
	return true;
}

/* The real tracer_end() writes the span when tracer_records() says so;
 * this one keeps every span, written or not, and leaves the check to the
 * tests. */
void tracer_end(struct tracer *t, struct span *sp)
{
	(void)t;
	if (!sp->end_ns)
		sp->end_ns = sp->start_ns;
	assert_true(seen.nended < sizeof(seen.ended) / sizeof(seen.ended[0]));
	seen.ended[seen.nended++] = *sp;
}

/* A tracer that is open: only its address matters to tracer_records(). */
static char open_tracer;
#define TRACER_ON	((struct tracer *)(void *)&open_tracer)

/* --- helpers -------------------------------------------------------------------- */
static struct node node;

static int setup(void **state)
{
	(void)state;
	memset(&lib, 0, sizeof(lib));
	memset(&seen, 0, sizeof(seen));
	module_max_native_buckets = 160;
	memset(&node, 0, sizeof(node));
	node.opt.peers = 2;
	node.opt.tables = 1;
	node.opt.round_ms = 100;
	node.opt.trace_sample = 1.0;
	node.opt.addrs[0].s_addr = htonl(0x7f000001);
	node.opt.addrs[1].s_addr = htonl(0x7f000002);
	node.tracer = TRACER_ON;
	rng_seed(7);
	assert_int_equal(recorder_open(&node.rec, &node.opt), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	recorder_close(node.rec, true);
	return 0;
}

/* The latency observations queued so far, in order. */
static unsigned int latencies(const struct update **out, unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < lib.nupdates; i++)
		if (!strcmp(lib.updates[i].set, "consensus") &&
		    !strcmp(lib.updates[i].metric, "latency")) {
			assert_int_equal(lib.updates[i].op, OP_OBSERVE);
			if (n < max)
				out[n] = &lib.updates[i];
			n++;
		}
	return n;
}

static const struct span *ended_span(const char *name)
{
	const struct span *found = NULL;
	unsigned int i;

	for (i = 0; i < seen.nended; i++)
		if (!strcmp(seen.ended[i].name, name)) {
			assert_null(found);	/* one round: one such span */
			found = &seen.ended[i];
		}
	assert_non_null(found);
	return found;
}

/*
 * One consensus round of two peers: the proposer sends its proposal, the
 * other peer's vote arrives vote_after_us later and decides it.
 */
static void play_round(uint64_t start_us, uint64_t vote_after_us)
{
	struct consensus *c = &node.cons;
	struct msg vote = { .type = MSG_VOTE, .flag = 1 };

	consensus_tick(&node, start_us);
	assert_true(c->in_flight);
	assert_int_equal(seen.nproposals, 1);
	vote.round = c->round;
	vote.from = (uint8_t)(1 - c->proposer);
	consensus_on_message(&node, c->proposer, &vote, start_us + vote_after_us);
	assert_false(c->in_flight);
	assert_int_equal(c->accepted_total, 1);
}

/* --- consensus round -> recorder ----------------------------------------------- */
static void traced_round_latency_carries_the_round_span(void **state)
{
	const struct update *obs[4];
	const struct span *round;
	struct span_ctx sent;

	(void)state;
	play_round(5000000, 12345);
	assert_int_equal(recorder_flush(node.rec), 0);

	assert_int_equal(latencies(obs, 4), 1);
	assert_int_equal(obs[0]->value, 12345);
	assert_true(obs[0]->has_exemplar);
	/* The exemplar names the span that covers proposal to decision: the
	 * round's root, not the proposal or the decision span. */
	round = ended_span("consensus.round");
	assert_true(span_ctx_sampled(&round->ctx));
	assert_memory_equal(obs[0]->ex.trace_id, round->ctx.trace_id, TRACE_ID_LEN);
	assert_memory_equal(obs[0]->ex.span_id, round->ctx.span_id, SPAN_ID_LEN);
	assert_memory_not_equal(obs[0]->ex.span_id, ended_span("consensus.propose")->ctx.span_id,
				SPAN_ID_LEN);
	assert_memory_not_equal(obs[0]->ex.span_id, ended_span("consensus.decide")->ctx.span_id,
				SPAN_ID_LEN);
	/* ... and it is the trace the proposal carried to the other node. */
	assert_true(traceparent_parse(seen.proposals[0].traceparent, TRACEPARENT_LEN, &sent));
	assert_memory_equal(sent.trace_id, obs[0]->ex.trace_id, TRACE_ID_LEN);
	/* Batched: one consensus message for the latency and the outcome. */
	assert_int_equal(lib.consensus_messages, 1);
	assert_int_equal(obs[0]->message, 1);
}

static void unsampled_round_is_a_plain_observation(void **state)
{
	const struct update *obs[4];

	(void)state;
	node.opt.trace_sample = 0;
	play_round(5000000, 2500);
	assert_int_equal(recorder_flush(node.rec), 0);
	assert_int_equal(latencies(obs, 4), 1);
	assert_int_equal(obs[0]->value, 2500);
	assert_false(obs[0]->has_exemplar);
	assert_false(span_ctx_sampled(&ended_span("consensus.round")->ctx));
}

/* Sampled but no span file (no --trace): no node has the trace, so no
 * exemplar may point at it. */
static void untraced_node_is_a_plain_observation(void **state)
{
	const struct update *obs[4];

	(void)state;
	node.tracer = NULL;
	play_round(5000000, 800);
	assert_int_equal(recorder_flush(node.rec), 0);
	assert_int_equal(latencies(obs, 4), 1);
	assert_int_equal(obs[0]->value, 800);
	assert_false(obs[0]->has_exemplar);
}

/* --- the consensus set's definition ---------------------------------------------- */

static const struct bcmon_metric_spec *created_latency(void)
{
	const struct bcmon_metric_spec *m = NULL;

	for (size_t i = 0; i < created_consensus_n; i++)
		if (!strcmp(created_consensus[i].name, "latency"))
			m = &created_consensus[i];
	assert_non_null(m);
	return m;
}

/*
 * A module loaded with max_native_buckets below the simulator's 160 gets
 * the latency histogram with its own limit, not a refused set.
 */
static void latency_bucket_limit_fits_the_module(void **state)
{
	(void)state;
	recorder_close(node.rec, true);
	memset(&lib, 0, sizeof(lib));
	module_max_native_buckets = 64;
	assert_int_equal(recorder_open(&node.rec, &node.opt), 0);
	assert_int_equal(created_latency()->native_max_buckets, 64);
	assert_int_equal(created_latency()->native_schema, LATENCY_NATIVE_SCHEMA);
}
/*
 * The latency histogram is native (schema 3, issue 13) and keeps the
 * seed's classic bounds exactly: rules and alerts name their le values.
 */
static void latency_is_native_beside_the_seed_bounds(void **state)
{
	static const uint64_t seed_us[] = { 1000, 5000, 10000, 50000, 100000, 500000, 1000000 };
	const struct bcmon_metric_spec *m = created_latency();

	(void)state;
	assert_int_equal(m->kind, BCMON_KIND_HISTOGRAM);
	assert_string_equal(m->unit, "seconds");
	assert_int_equal(m->scale, -6);
	assert_int_equal(m->n_bounds, 7);
	assert_memory_equal(m->bounds, seed_us, sizeof(seed_us));
	assert_true(m->native);
	assert_int_equal(m->native_schema, 3);
	assert_int_equal(m->native_schema, LATENCY_NATIVE_SCHEMA);
	assert_int_equal(m->native_max_buckets, LATENCY_NATIVE_MAX_BUCKETS);
	assert_int_equal(m->native_zero_threshold, 0);
	assert_false(m->native_negative);
}

/* --latency-log: every observation queued, exactly, in order. */
static void latency_log_holds_every_observation(void **state)
{
	char path[] = "/tmp/bcmon-sim-latency-XXXXXX";
	static const uint64_t values[] = { 1, 999, 1000, 1001, 123456, 3000000 };
	unsigned long long v;
	unsigned int n = 0;
	struct span_ctx ctx;
	FILE *f;
	int fd;

	(void)state;
	recorder_close(node.rec, true);
	lib.nbatches = 0;		/* the doubles' batches are reused */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	node.opt.latency_log = path;
	assert_int_equal(recorder_open(&node.rec, &node.opt), 0);
	memset(&ctx, 0, sizeof(ctx));
	for (unsigned int i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		rec_round_decided(node.rec, OUTCOME_ACCEPTED, values[i], i % 2 ? &ctx : NULL);
	/* line buffered: readable before the flush and the close */
	f = fopen(path, "r");
	assert_non_null(f);
	while (fscanf(f, "%llu", &v) == 1) {
		assert_true(n < sizeof(values) / sizeof(values[0]));
		assert_int_equal(v, values[n]);
		n++;
	}
	fclose(f);
	assert_int_equal(n, sizeof(values) / sizeof(values[0]));
	unlink(path);
	node.opt.latency_log = NULL;
}

static void latency_log_that_cannot_be_opened_fails_open(void **state)
{
	struct recorder *rec = NULL;

	(void)state;
	node.opt.latency_log = "/nonexistent-dir/latency.txt";
	assert_int_equal(recorder_open(&rec, &node.opt), -ENOENT);
	assert_non_null(strstr(recorder_strerror(rec), "/nonexistent-dir/latency.txt"));
	recorder_close(rec, true);
	node.opt.latency_log = NULL;
}

/* --- the recorder's queue ---------------------------------------------------------- */
static void round_ctx(struct span_ctx *ctx, unsigned int i)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->trace_id[0] = (uint8_t)(i + 1);
	ctx->trace_id[TRACE_ID_LEN - 1] = 0xaa;
	ctx->span_id[0] = (uint8_t)(i + 1);
	ctx->span_id[SPAN_ID_LEN - 1] = 0x55;
	ctx->flags = TRACE_FLAG_SAMPLED;
}

/*
 * More rounds than the queue holds, every third untraced: the full queue
 * is sent early in one message, the rest at the flush in another, and
 * every observation keeps its own exemplar (or none), in order.
 */
static void queue_keeps_each_observation_with_its_exemplar(void **state)
{
	enum { N = 100 };
	const struct update *obs[N];
	struct span_ctx ctx;
	unsigned int i;

	(void)state;
	for (i = 0; i < N; i++) {
		round_ctx(&ctx, i);
		rec_round_decided(node.rec, OUTCOME_ACCEPTED, 1000 + i, i % 3 ? &ctx : NULL);
	}
	assert_int_equal(lib.consensus_messages, 1);	/* the full queue */
	assert_int_equal(recorder_flush(node.rec), 0);
	assert_int_equal(lib.consensus_messages, 2);
	assert_int_equal(latencies(obs, N), N);
	for (i = 0; i < N; i++) {
		assert_int_equal(obs[i]->value, 1000 + i);
		assert_int_equal(obs[i]->message, i < 64 ? 1 : 2);
		if (i % 3 == 0) {
			assert_false(obs[i]->has_exemplar);
			continue;
		}
		assert_true(obs[i]->has_exemplar);
		round_ctx(&ctx, i);
		assert_memory_equal(obs[i]->ex.trace_id, ctx.trace_id, TRACE_ID_LEN);
		assert_memory_equal(obs[i]->ex.span_id, ctx.span_id, SPAN_ID_LEN);
	}
	/* A flush with nothing queued sends nothing new. */
	i = lib.consensus_messages;
	assert_int_equal(recorder_flush(node.rec), 0);
	assert_int_equal(lib.consensus_messages, i);
}

/* The recorder keeps its own copy: the round span is reused by the next
 * round before the flush. */
static void exemplar_is_copied_when_queued(void **state)
{
	const struct update *obs[2];
	struct span_ctx ctx;

	(void)state;
	round_ctx(&ctx, 1);
	rec_round_decided(node.rec, OUTCOME_TIMEOUT, 3000000, &ctx);
	memset(&ctx, 0, sizeof(ctx));
	assert_int_equal(recorder_flush(node.rec), 0);
	assert_int_equal(latencies(obs, 2), 1);
	round_ctx(&ctx, 1);
	assert_memory_equal(obs[0]->ex.trace_id, ctx.trace_id, TRACE_ID_LEN);
	assert_memory_equal(obs[0]->ex.span_id, ctx.span_id, SPAN_ID_LEN);
}

/*
 * A failed recorder flushes nothing any more: a full queue must not grow
 * past its end (it wrote observations[64] over its count, then at a wild
 * index).
 */
static void failed_recorder_queue_stays_in_bounds(void **state)
{
	unsigned int i;

	(void)state;
	lib.flush_error = -ENOENT;	/* the set was destroyed under us */
	assert_int_not_equal(recorder_flush(node.rec), 0);
	for (i = 0; i < 3 * 64; i++)
		rec_round_decided(node.rec, OUTCOME_ACCEPTED, 1000 + i, NULL);
	assert_int_not_equal(recorder_flush(node.rec), 0);
	lib.flush_error = 0;
}

static void no_recorder_is_a_no_op(void **state)
{
	struct span_ctx ctx;

	(void)state;
	round_ctx(&ctx, 0);
	rec_round_decided(NULL, OUTCOME_ACCEPTED, 1, &ctx);
	assert_int_equal(lib.nupdates, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(latency_bucket_limit_fits_the_module, setup, teardown),
		cmocka_unit_test_setup_teardown(latency_is_native_beside_the_seed_bounds,
						setup, teardown),
		cmocka_unit_test_setup_teardown(latency_log_holds_every_observation,
						setup, teardown),
		cmocka_unit_test_setup_teardown(latency_log_that_cannot_be_opened_fails_open,
						setup, teardown),
		cmocka_unit_test_setup_teardown(traced_round_latency_carries_the_round_span,
						setup, teardown),
		cmocka_unit_test_setup_teardown(unsampled_round_is_a_plain_observation,
						setup, teardown),
		cmocka_unit_test_setup_teardown(untraced_node_is_a_plain_observation,
						setup, teardown),
		cmocka_unit_test_setup_teardown(queue_keeps_each_observation_with_its_exemplar,
						setup, teardown),
		cmocka_unit_test_setup_teardown(exemplar_is_copied_when_queued, setup, teardown),
		cmocka_unit_test_setup_teardown(no_recorder_is_a_no_op, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_recorder_queue_stays_in_bounds,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
