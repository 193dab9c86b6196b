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
 */
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

static void decide(struct node *node, bool accepted, uint64_t now)
{
	struct consensus *c = &node->cons;
	unsigned int i;

	c->in_flight = false;
	c->next_round_us = c->started_us + node->opt.round_ms * 1000ull;
	rec_round_decided(node->rec, accepted, now - c->started_us);
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

static void start_round(struct node *node, uint64_t now)
{
	struct consensus *c = &node->cons;
	unsigned int i;

	c->round++;
	c->proposer = c->round % node->opt.peers;
	c->roll = dice_roll(node);
	c->started_us = now;
	c->delay_us = round_delay_us();
	c->accepts = c->rejects = 0;
	c->in_flight = true;
	rec_proposal_made(node->rec);
	for (i = 0; i < node->opt.peers; i++) {
		/* A proposal carries the game state and signatures. */
		struct msg m = {
			.type = MSG_PROPOSE, .round = c->round, .value = c->roll,
			.payload_len = (uint16_t)(128 + rng_below(256)),
		};

		if (i != c->proposer && net_send_tcp(node->net, c->proposer, i, &m))
			c->rejects++;	/* an unreachable peer cannot accept */
	}
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

		if (v->due_us > now) {
			i++;
			continue;
		}
		net_send_tcp(node->net, v->voter, v->proposer, &m);
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
		decide(node, false, now);
	}
	if (!c->in_flight && now >= c->next_round_us)
		start_round(node, now);
}

static void on_propose(struct node *node, unsigned int voter, const struct msg *m, uint64_t now)
{
	struct consensus *c = &node->cons;
	struct pending_vote *v;

	if (c->nvotes == MAX_PENDING_VOTES)
		return;		/* overloaded voter: the proposer times out */
	v = &c->votes[c->nvotes++];
	v->due_us = now + c->delay_us + processing_time_us();
	v->voter = voter;
	v->proposer = m->from;
	v->round = m->round;
	v->accept = !rng_chance(REJECT_PROBABILITY);
	if (!v->accept)
		rec_error(node->rec, BCMON_ERR_CAT_VALIDATION, BCMON_SEV_INFO,
			  "peer %u rejects round %u: roll signature does not verify",
			  voter, m->round);
}

static void on_vote(struct node *node, unsigned int to, const struct msg *m, uint64_t now)
{
	struct consensus *c = &node->cons;
	unsigned int others = node->opt.peers - 1;

	/* Late votes for an old round are normal after a timeout. */
	if (!c->in_flight || m->round != c->round || to != c->proposer)
		return;
	if (m->flag)
		c->accepts++;
	else
		c->rejects++;
	if (c->accepts >= quorum(node))
		decide(node, true, now);
	else if (others - c->rejects < quorum(node))
		decide(node, false, now);
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
