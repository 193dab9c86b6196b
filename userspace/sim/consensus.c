// SPDX-License-Identifier: GPL-2.0
/*
 * Consensus rounds, simplified from BitCraps' dice agreement: the proposer
 * (round-robin) sends its dice roll to every other peer over TCP; each peer
 * "validates" it for a simulated processing time and votes. The round is
 * accepted when two thirds of the other peers accepted, rejected when that
 * can no longer happen, and times out after ROUND_TIMEOUT_US.
 *
 * The latency recorded is real wall-clock time from proposal to decision:
 * it includes the kernel's TCP path (and any netem delay or loss on lo)
 * plus the simulated processing time, whose distribution is chosen to
 * populate the seed's 1 ms .. 1 s buckets: most rounds within a few
 * milliseconds, a busy round now and then, and a rare stall past 1 s
 * (0.4% of rounds: below the 1% that makes the p99 alert fire).
 *
 * With every peer in this process the proposer rotates among them; in a
 * fleet (--fleet) every node proposes its own rounds and votes on the
 * other nodes' proposals, so rounds of different proposers overlap.
 *
 * Tracing (trace.h): every round is one trace, its spans created where
 * they happen:
 *
 *   consensus.round            proposer, from proposal to decision (root)
 *     consensus.propose        proposer, building and sending the proposal
 *       send propose           proposer, one per peer (PRODUCER)
 *         receive propose      voter (CONSUMER, parent on the proposer)
 *           consensus.vote     voter, validation until the vote is sent
 *             send vote        voter (PRODUCER)
 *               receive vote   proposer (CONSUMER, parent on the voter)
 *     consensus.decide         proposer, the decision
 *
 * The PROPOSE and VOTE messages carry the sending span's traceparent. The
 * round's latency observation carries the root span's trace and span ids
 * as its exemplar when the round's spans are written (record.h).
 */
#include <string.h>

#include "node.h"

#define ROUND_TIMEOUT_US	3000000u
#define REJECT_PROBABILITY	0.01

/*
 * Simulated validation time of one vote, in microseconds: most votes take
 * a few milliseconds, one in thirty peers is slow.
 */
static uint64_t processing_time_us(void)
{
	if (rng_chance(0.03))
		return 20000 + (uint64_t)rng_exponential(60000);	/* slow peer */
	return 300 + (uint64_t)rng_exponential(2500);
}

/*
 * Delay shared by every vote of a round: now and then the whole table is
 * busy (a burst of bets to validate), rarely a round stalls past 1 s.
 */
static uint64_t round_delay_us(void)
{
	double p = rng_uniform();

	if (p < 0.004)
		return 1000000 + (uint64_t)rng_exponential(300000);
	if (p < 0.06)
		return 10000 + (uint64_t)rng_exponential(80000);
	return 0;
}

static unsigned int quorum(const struct node *node)
{
	unsigned int others = node->opt.peers - 1;

	return (2 * others + 2) / 3;	/* ceil(2/3 of the other peers) */
}

static void span_peer(struct span *sp, const struct node *node, unsigned int peer)
{
	char name[INET_ADDRSTRLEN];

	span_attr_str(sp, "bcmon.peer", sim_peer_name(&node->opt, peer, name));
}

/* The context a message carries, if it carries a valid one. */
static bool msg_span_ctx(const struct msg *m, struct span_ctx *ctx)
{
	return traceparent_parse(m->traceparent, strnlen(m->traceparent, sizeof(m->traceparent)),
				 ctx);
}

/* A span for an event at one instant, ended and queued at once. */
static void instant_span(struct node *node, struct span *sp)
{
	sp->end_ns = sp->start_ns;
	tracer_end(node->tracer, sp);
}

static void decide(struct node *node, bool accepted, bool timed_out, uint64_t now)
{
	struct consensus *c = &node->cons;
	const char *outcome = accepted ? "accepted" : timed_out ? "timeout" : "rejected";
	struct span decide_span;
	unsigned int i;

	c->in_flight = false;
	c->next_round_us = c->started_us + node->opt.round_ms * 1000ull;
	span_start_child(&decide_span, &c->round_span.ctx, false, "consensus.decide",
			 SPAN_KIND_INTERNAL);
	span_attr_str(&decide_span, "bcmon.outcome", outcome);
	instant_span(node, &decide_span);
	span_attr_str(&c->round_span, "bcmon.outcome", outcome);
	span_attr_int(&c->round_span, "bcmon.votes.accept", c->accepts);
	span_attr_int(&c->round_span, "bcmon.votes.reject", c->rejects);
	if (timed_out)
		c->round_span.status = SPAN_STATUS_ERROR;
	tracer_end(node->tracer, &c->round_span);
	/*
	 * The round span covers what the latency measures, proposal to
	 * decision, so it is the exemplar's span: a slow bucket leads to
	 * this span and, through its trace id, to the votes on every node.
	 */
	rec_round_decided(node->rec, accepted ? OUTCOME_ACCEPTED :
			  timed_out ? OUTCOME_TIMEOUT : OUTCOME_REJECTED,
			  now - c->started_us,
			  tracer_records(node->tracer, &c->round_span.ctx) ?
			  &c->round_span.ctx : NULL);
	if (!accepted) {
		c->rejected_total++;
		return;
	}
	c->accepted_total++;
	game_play_roll(node, c->roll);
	/* Announce the agreed roll to the table over UDP. */
	for (i = 0; i < node->opt.peers; i++) {
		struct msg m = {
			.type = MSG_ROLL, .round = c->round, .value = c->roll,
			.payload_len = (uint16_t)(32 + rng_below(96)),
		};

		if (i != c->proposer)
			net_send_udp(node->net, c->proposer, i, &m);
	}
}

/* In a fleet this node proposes every round; otherwise the peers take turns. */
static unsigned int proposer_of(const struct node *node, uint32_t round)
{
	return node->opt.fleet ? node->opt.self : round % node->opt.peers;
}

/* Send one peer the proposal, as a child span of the proposal's. */
static void send_proposal(struct node *node, const struct span *propose, unsigned int to)
{
	struct consensus *c = &node->cons;
	/* A proposal carries the game state and signatures. */
	struct msg m = {
		.type = MSG_PROPOSE, .round = c->round, .value = c->roll,
		.payload_len = (uint16_t)(128 + rng_below(256)),
	};
	struct span send;

	span_start_child(&send, &propose->ctx, false, "send propose", SPAN_KIND_PRODUCER);
	span_peer(&send, node, to);
	traceparent_format(&send.ctx, m.traceparent);
	if (net_send_tcp(node->net, c->proposer, to, &m)) {
		c->rejects++;	/* an unreachable peer cannot accept */
		send.status = SPAN_STATUS_ERROR;
	}
	tracer_end(node->tracer, &send);
}

static void start_round(struct node *node, uint64_t now)
{
	struct consensus *c = &node->cons;
	struct span propose;
	unsigned int i;

	c->round++;
	c->proposer = proposer_of(node, c->round);
	c->roll = dice_roll(node);
	c->started_us = now;
	c->delay_us = round_delay_us();
	c->accepts = c->rejects = 0;
	c->in_flight = true;
	span_start_root(&c->round_span, "consensus.round", SPAN_KIND_INTERNAL,
			node->opt.trace_sample);
	span_attr_int(&c->round_span, "bcmon.round", c->round);
	span_start_child(&propose, &c->round_span.ctx, false, "consensus.propose",
			 SPAN_KIND_INTERNAL);
	span_attr_int(&propose, "bcmon.dice.total", dice_total(c->roll));
	for (i = 0; i < node->opt.peers; i++)
		if (i != c->proposer)
			send_proposal(node, &propose, i);
	tracer_end(node->tracer, &propose);
}

/*
 * A node that cannot reach a quorum of its peers does not propose: the
 * round could not be accepted, and its "latency" would measure nothing.
 * This happens while the links come up, and in a fleet while the other
 * nodes are down; the proposals counter then stands still, which is what
 * the stalled-consensus alert watches.
 */
static bool quorum_reachable(const struct node *node, unsigned int proposer)
{
	unsigned int i, up = 0;

	for (i = 0; i < node->opt.peers; i++)
		up += i != proposer && net_can_send(node->net, proposer, i);
	return up >= quorum(node);
}

static void send_due_votes(struct node *node, uint64_t now)
{
	struct consensus *c = &node->cons;
	unsigned int i = 0;

	while (i < c->nvotes) {
		struct pending_vote *v = &c->votes[i];
		struct msg m = {
			.type = MSG_VOTE, .round = v->round, .flag = v->accept,
			.payload_len = 64,
		};

		bool traced = span_ctx_valid(&v->span.ctx);
		struct span send;
		int err;

		if (v->due_us > now) {
			i++;
			continue;
		}
		if (traced) {
			span_start_child(&send, &v->span.ctx, false, "send vote", SPAN_KIND_PRODUCER);
			span_peer(&send, node, v->proposer);
			traceparent_format(&send.ctx, m.traceparent);
		}
		err = net_send_tcp(node->net, v->voter, v->proposer, &m);
		if (traced) {
			if (err)
				send.status = SPAN_STATUS_ERROR;
			tracer_end(node->tracer, &send);
			tracer_end(node->tracer, &v->span);
		}
		*v = c->votes[--c->nvotes];
	}
}

void consensus_tick(struct node *node, uint64_t now)
{
	struct consensus *c = &node->cons;

	send_due_votes(node, now);
	if (c->in_flight && now - c->started_us >= ROUND_TIMEOUT_US) {
		rec_error(node->rec, BCMON_ERR_CAT_CONSENSUS, BCMON_SEV_WARNING,
			  "round %u timed out after %u ms (%u of %u votes)",
			  c->round, ROUND_TIMEOUT_US / 1000,
			  c->accepts + c->rejects, node->opt.peers - 1);
		decide(node, false, true, now);
	}
	if (!c->in_flight && now >= c->next_round_us) {
		if (quorum_reachable(node, proposer_of(node, c->round + 1)))
			start_round(node, now);
		else
			c->next_round_us = now + node->opt.round_ms * 1000ull;
	}
}

static void on_propose(struct node *node, unsigned int voter, const struct msg *m, uint64_t now)
{
	struct consensus *c = &node->cons;
	struct span_ctx parent;
	struct span receive;
	struct pending_vote *v;
	bool traced = msg_span_ctx(m, &parent);

	if (traced) {
		span_start_child(&receive, &parent, true, "receive propose", SPAN_KIND_CONSUMER);
		span_peer(&receive, node, m->from);
		span_attr_int(&receive, "bcmon.round", m->round);
	}
	if (c->nvotes == MAX_PENDING_VOTES) {
		/* Overloaded voter: the proposer times out. */
		if (traced) {
			receive.status = SPAN_STATUS_ERROR;
			instant_span(node, &receive);
		}
		return;
	}
	v = &c->votes[c->nvotes++];
	/* In a fleet each node has its own round delay; a voter here takes
	 * the local one (a busy table slows every vote of this node). */
	v->due_us = now + c->delay_us + processing_time_us();
	v->voter = voter;
	v->proposer = m->from;
	v->round = m->round;
	v->accept = !rng_chance(REJECT_PROBABILITY);
	memset(&v->span.ctx, 0, sizeof(v->span.ctx));
	if (traced) {
		instant_span(node, &receive);
		span_start_child(&v->span, &receive.ctx, false, "consensus.vote",
				 SPAN_KIND_INTERNAL);
		span_attr_int(&v->span, "bcmon.round", m->round);
		span_attr_str(&v->span, "bcmon.vote", v->accept ? "accept" : "reject");
	}
	if (!v->accept)
		rec_error(node->rec, BCMON_ERR_CAT_VALIDATION, BCMON_SEV_INFO,
			  "peer %u rejects round %u: roll signature does not verify",
			  voter, m->round);
}

static void on_vote(struct node *node, unsigned int to, const struct msg *m, uint64_t now)
{
	struct consensus *c = &node->cons;
	unsigned int others = node->opt.peers - 1;
	bool current = c->in_flight && m->round == c->round && to == c->proposer;
	struct span_ctx parent;
	struct span receive;

	if (msg_span_ctx(m, &parent)) {
		span_start_child(&receive, &parent, true, "receive vote", SPAN_KIND_CONSUMER);
		span_peer(&receive, node, m->from);
		span_attr_str(&receive, "bcmon.vote", m->flag ? "accept" : "reject");
		if (!current)
			span_attr_str(&receive, "bcmon.late", "round already decided");
		instant_span(node, &receive);
	}
	/* Late votes for an old round are normal after a timeout. */
	if (!current)
		return;
	if (m->flag)
		c->accepts++;
	else
		c->rejects++;
	if (c->accepts >= quorum(node))
		decide(node, true, false, now);
	else if (others - c->rejects < quorum(node))
		decide(node, false, false, now);
}

void consensus_on_message(struct node *node, unsigned int to, const struct msg *m, uint64_t now)
{
	switch (m->type) {
	case MSG_PROPOSE:
		on_propose(node, to, m, now);
		break;
	case MSG_VOTE:
		on_vote(node, to, m, now);
		break;
	default:
		break;
	}
}

int consensus_wait_ms(const struct node *node, uint64_t now)
{
	const struct consensus *c = &node->cons;
	uint64_t next = c->in_flight ? c->started_us + ROUND_TIMEOUT_US : c->next_round_us;
	unsigned int i;

	for (i = 0; i < c->nvotes; i++)
		if (c->votes[i].due_us < next)
			next = c->votes[i].due_us;
	if (next <= now)
		return 0;
	return (int)((next - now + 999) / 1000);
}
