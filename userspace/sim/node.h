/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated node's logic: consensus rounds (consensus.c) that agree on
 * dice rolls, and craps tables (game.c) that play those rolls. Both only
 * decide what happens; net.c carries the messages and record.c records.
 */
#ifndef BCMON_SIM_NODE_H
#define BCMON_SIM_NODE_H

#include <stdbool.h>
#include <stdint.h>

#include "net.h"
#include "record.h"
#include "sim.h"
#include "trace.h"

/* A reply a voter will send once its simulated processing time is over. */
struct pending_vote {
	uint64_t due_us;
	unsigned int voter;
	unsigned int proposer;
	uint32_t round;
	bool accept;
	struct span span;		/* the vote, a child of the proposal's receipt;
					 * invalid context when the round is untraced */
};

#define MAX_PENDING_VOTES	(SIM_MAX_PEERS * 4)

struct consensus {
	uint32_t round;			/* current or last round number */
	bool in_flight;
	unsigned int proposer;
	unsigned int roll;		/* proposed dice: d1 * 8 + d2 */
	uint64_t started_us;
	uint64_t delay_us;		/* extra validation time of this round */
	uint64_t next_round_us;
	unsigned int accepts, rejects;	/* votes received this round */
	struct span round_span;		/* root of the round's trace */
	struct pending_vote votes[MAX_PENDING_VOTES];
	unsigned int nvotes;
	/* running totals for the -v status line */
	uint64_t accepted_total, rejected_total;
};

struct table {
	bool open;
	unsigned int point;		/* 0: come-out roll next */
	unsigned int decisions_left;	/* pass-line decisions until it closes */
	unsigned int bettors;		/* players seated */
	unsigned int seat[SIM_MAX_PEERS];	/* each player's peer index */
	uint64_t bet[SIM_MAX_PEERS];	/* each player's pass-line bet */
	uint64_t stake;			/* chips on the pass line this decision */
};

/* One player's decided pass-line bets, for its suspicious-activity score. */
struct player {
	uint64_t settled, won;
};

#define MAX_TABLES	64

struct game {
	struct table tables[MAX_TABLES];
	unsigned int open_tables;
	unsigned int next_table;	/* round-robin: which table rolls next */
	uint64_t volume_settled;	/* chips in decided bets */
	int64_t house_net;		/* house winnings minus payouts */
	uint64_t games_total, bets_total, rolls_total;
	struct player players[SIM_MAX_PEERS];
};

struct node {
	struct sim_options opt;
	struct net *net;
	struct recorder *rec;		/* NULL with --no-record */
	struct tracer *tracer;		/* NULL without --trace */
	struct consensus cons;
	struct game game;
};

/* consensus.c */
void consensus_tick(struct node *node, uint64_t now);
void consensus_on_message(struct node *node, unsigned int to, const struct msg *m, uint64_t now);
/* Milliseconds until the consensus logic next needs the loop. */
int consensus_wait_ms(const struct node *node, uint64_t now);

/* game.c */
/* Two dice, fair or loaded (--loaded-dice): returns d1 * 8 + d2. */
unsigned int dice_roll(const struct node *node);
unsigned int dice_total(unsigned int roll);
void game_maybe_open(struct node *node);
void game_play_roll(struct node *node, unsigned int roll);

/*
 * The suspicious-activity score of a player who won `won` of `settled`
 * decided pass-line bets: the z-score of its wins against the game's true
 * win probability, (won - n p) / sqrt(n p (1 - p)) with p = 244/495. Only
 * from SCORE_MIN_BETS bets on (false before): the normal approximation
 * holds there, and one lucky evening does not make a cheat.
 */
#define PASS_LINE_WIN		(244.0 / 495.0)
#define SCORE_MIN_BETS		100
bool player_score(uint64_t settled, uint64_t won, double *z);

#endif /* BCMON_SIM_NODE_H */
