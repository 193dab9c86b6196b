// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-sim main loop: one poll() over every simulated peer's sockets,
 * waking for whichever comes first: traffic, a consensus deadline, the next
 * heartbeat, or the next flush of the recorder.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"

#define HEARTBEAT_US	50000u	/* each peer pings a random peer over UDP */
#define FLUSH_US	250000u	/* one batched update per set, 4 times a second */
#define STATUS_US	1000000u

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void deliver(void *ctx, unsigned int to, const struct msg *m, bool tcp)
{
	struct node *node = ctx;

	(void)tcp;
	if (m->type == MSG_PING) {
		struct msg pong = { .type = MSG_PONG, .round = m->round, .payload_len = 16 };

		net_send_udp(node->net, to, m->from, &pong);
		return;
	}
	consensus_on_message(node, to, m, now_us());
}

static void heartbeat(struct node *node)
{
	unsigned int i, to;

	for (i = 0; i < node->opt.peers; i++) {
		struct msg ping = { .type = MSG_PING, .payload_len = 16 };

		if (!sim_peer_local(&node->opt, i))
			continue;
		to = (i + 1 + rng_below(node->opt.peers - 1)) % node->opt.peers;
		net_send_udp(node->net, i, to, &ping);
	}
}

/* Faults the simulation does not produce by itself, one per category. */
static void random_error(struct node *node)
{
	static const char *const what[__BCMON_ERR_CAT_MAX] = {
		[BCMON_ERR_CAT_NETWORK] = "message checksum mismatch, dropped",
		[BCMON_ERR_CAT_CONSENSUS] = "vote for a stale round",
		[BCMON_ERR_CAT_VALIDATION] = "bet above table limit refused",
		[BCMON_ERR_CAT_GAMING] = "payout retried",
		[BCMON_ERR_CAT_RESOURCE] = "send queue above high-water mark",
		[BCMON_ERR_CAT_SECURITY] = "unknown key in handshake",
		[BCMON_ERR_CAT_OTHER] = "clock skew above 50 ms",
	};
	unsigned int cat = rng_below(__BCMON_ERR_CAT_MAX);
	double p = rng_uniform();
	/* Mostly routine events; errors and criticals are the minority. */
	enum bcmon_severity sev = p < 0.45 ? BCMON_SEV_INFO :
				  p < 0.80 ? BCMON_SEV_WARNING :
				  p < 0.97 ? BCMON_SEV_ERROR : BCMON_SEV_CRITICAL;

	rec_error(node->rec, (enum bcmon_error_category)cat, sev, "peer %u: %s",
		  rng_below(node->opt.peers), what[cat]);
}

static void status_line(const struct node *node, double elapsed)
{
	const struct game *g = &node->game;
	struct tracer_stats ts;

	tracer_get_stats(node->tracer, &ts);
	printf("bcmon-sim: %6.1fs rounds: %llu accepted, %llu rejected; games %llu (%u open), "
	       "bets %llu, rolls %llu, house edge %+.4f, links %u",
	       elapsed, (unsigned long long)node->cons.accepted_total,
	       (unsigned long long)node->cons.rejected_total,
	       (unsigned long long)g->games_total, g->open_tables,
	       (unsigned long long)g->bets_total, (unsigned long long)g->rolls_total,
	       g->volume_settled ? (double)g->house_net / (double)g->volume_settled : 0.0,
	       net_links_up(node->net));
	if (node->tracer)
		printf("; spans %llu written (%llu bytes), %llu dropped",
		       (unsigned long long)ts.spans_written, (unsigned long long)ts.bytes_written,
		       (unsigned long long)ts.spans_dropped);
	printf("\n");
	fflush(stdout);
}

/* Span file trouble is reported once per kind of error, not per flush. */
static void flush_spans(struct node *node)
{
	static int last_err;
	int err = tracer_flush(node->tracer);

	if (err && err != last_err)
		fprintf(stderr, "bcmon-sim: writing %s: %s (spans dropped)\n",
			node->opt.trace_path, strerror(-err));
	last_err = err;
}

static int run(struct node *node)
{
	uint64_t start = now_us(), next_beat = start, next_flush = start + FLUSH_US;
	uint64_t next_status = start + STATUS_US, next_error = start, now;
	uint64_t end = node->opt.duration_s > 0 ?
		       start + (uint64_t)(node->opt.duration_s * 1e6) : UINT64_MAX;
	unsigned int failures;
	int wait, err;

	next_error += (uint64_t)(rng_exponential(1e6 / (node->opt.error_rate + 1e-9)));
	while (!stop && (now = now_us()) < end) {
		consensus_tick(node, now);
		if (now >= next_beat) {
			heartbeat(node);
			next_beat = now + HEARTBEAT_US;
		}
		if (node->opt.error_rate > 0 && now >= next_error) {
			random_error(node);
			next_error = now + (uint64_t)rng_exponential(1e6 / node->opt.error_rate);
		}
		if (now >= next_flush) {
			failures = net_take_failures(node->net);
			if (failures)
				rec_error(node->rec, BCMON_ERR_CAT_NETWORK, BCMON_SEV_ERROR,
					  "%u message(s) lost: peer link down or congested",
					  failures);
			rec_peers_connected(node->rec, net_links_up(node->net));
			flush_spans(node);
			if (node->rec && recorder_flush(node->rec) < 0) {
				fprintf(stderr, "bcmon-sim: recording failed: %s\n",
					recorder_strerror(node->rec));
				return 1;
			}
			next_flush = now + FLUSH_US;
		}
		if (node->opt.verbose && now >= next_status) {
			status_line(node, (double)(now - start) / 1e6);
			next_status = now + STATUS_US;
		}

		wait = consensus_wait_ms(node, now);
		if (wait > (int)(HEARTBEAT_US / 1000))
			wait = HEARTBEAT_US / 1000;
		err = net_poll(node->net, wait, deliver, node);
		if (err) {
			fprintf(stderr, "bcmon-sim: poll: %s\n", strerror(-err));
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	static struct node node;
	uint64_t start;
	int rc, err;

	rc = sim_parse_options(argc, argv, &node.opt);
	if (rc)
		return rc > 0 ? 0 : 2;
	rng_seed(node.opt.seed);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (node.opt.record) {
		err = recorder_open(&node.rec, &node.opt);
		if (err) {
			fprintf(stderr, "bcmon-sim: cannot record through bcmon: %s\n",
				node.rec ? recorder_strerror(node.rec) : strerror(-err));
			recorder_close(node.rec, true);
			return 1;
		}
	}
	err = tracer_open(&node.tracer, node.opt.trace_path, node.opt.trace_max_bytes,
			  node.opt.node);
	if (err) {
		fprintf(stderr, "bcmon-sim: cannot open the span file %s: %s\n",
			node.opt.trace_path, strerror(-err));
		recorder_close(node.rec, node.opt.keep_sets);
		return 1;
	}
	err = net_open(&node.net, &node.opt);
	if (err) {
		fprintf(stderr, "bcmon-sim: cannot set up the peers' sockets: %s\n",
			strerror(-err));
		tracer_close(node.tracer);
		recorder_close(node.rec, node.opt.keep_sets);
		return 1;
	}
	if (node.opt.verbose) {
		char self[INET_ADDRSTRLEN];

		if (node.opt.fleet)
			printf("bcmon-sim: node %s at %s, one of %u nodes",
			       node.opt.node, sim_peer_name(&node.opt, node.opt.self, self),
			       node.opt.peers);
		else
			printf("bcmon-sim: %u peers on 127.0.0.1..%u", node.opt.peers,
			       node.opt.peers);
		printf(", %u port(s), seed %llu%s%s%s\n", node.opt.nports,
		       (unsigned long long)node.opt.seed,
		       node.opt.loaded_dice ? ", LOADED DICE" : "",
		       node.opt.trace_path ? ", spans to " : "",
		       node.opt.trace_path ? node.opt.trace_path : "");
	}

	start = now_us();
	rc = run(&node);

	if (node.opt.verbose)
		status_line(&node, (double)(now_us() - start) / 1e6);
	net_close(node.net);
	tracer_close(node.tracer);
	if (node.rec && recorder_flush(node.rec) < 0)
		rc = 1;
	recorder_close(node.rec, node.opt.keep_sets);
	return rc;
}
