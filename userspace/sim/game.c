// SPDX-License-Identifier: GPL-2.0
/*
 * Craps tables playing the rolls that consensus agreed on. Only the pass
 * line is played, because its rules are short and its odds are known: a
 * pass-line bet wins with probability 244/495, so the house edge is
 * 7/495 = 1.414%, and the observed house_edge gauge of a fair run
 * converges there while a loaded run visibly drifts away.
 *
 * Pass line: on the come-out roll 7 or 11 wins, 2, 3 or 12 loses, any
 * other total becomes the point; then the point wins and 7 loses. Winners
 * are paid even money. Each player (a peer) seated at a table makes its
 * own bet; its decided bets feed its suspicious-activity score.
 *
 * Cheating (--cheater N): peer N wins more often than the dice allow, as a
 * player who moves chips after the roll would: some of its lost bets are
 * paid as wins, so that it wins CHEAT_WIN of its bets instead of 244/495.
 */
#include <math.h>
#include <stddef.h>

#include "node.h"

#define CHEAT_WIN	0.6
/* A cheat's lost bet turns into a win with this probability. */
#define CHEAT_FLIP	((CHEAT_WIN - PASS_LINE_WIN) / (1 - PASS_LINE_WIN))

bool player_score(uint64_t settled, uint64_t won, double *z)
{
	double n = (double)settled;

	if (settled < SCORE_MIN_BETS)
		return false;
	*z = ((double)won - n * PASS_LINE_WIN) /
	     sqrt(n * PASS_LINE_WIN * (1 - PASS_LINE_WIN));
	return true;
}

/* Loaded dice (--loaded-dice): a six comes up half of the time. */
static unsigned int die(const struct node *node)
{
	if (node->opt.loaded_dice && rng_chance(0.5 - 1.0 / 12))
		return 6;
	return 1 + rng_below(6);
}

unsigned int dice_roll(const struct node *node)
{
	unsigned int d1 = die(node), d2 = die(node);

	return d1 * 8 + d2;
}

unsigned int dice_total(unsigned int roll)
{
	return roll / 8 + roll % 8;
}

/* Every player at the table puts 5..100 chips on the pass line. */
static void place_bets(struct node *node, struct table *t)
{
	unsigned int i;

	t->stake = 0;
	for (i = 0; i < t->bettors; i++) {
		t->bet[i] = 5 + rng_below(96);
		t->stake += t->bet[i];
		rec_player_bet(node->rec, t->seat[i], t->bet[i]);
	}
	node->game.bets_total += t->bettors;
	rec_bets(node->rec, t->bettors, t->stake);
}

static void close_table(struct node *node, struct table *t)
{
	t->open = false;
	node->game.open_tables--;
	rec_game_closed(node->rec);
}

static bool is_cheater(const struct node *node, unsigned int peer)
{
	return node->opt.cheater && node->opt.cheater - 1 == peer;
}

/* One player's bet decided: the house's books and the player's stats. */
static void settle_bet(struct node *node, const struct table *t, unsigned int i,
		       bool players_win)
{
	struct game *g = &node->game;
	unsigned int peer = t->seat[i];
	struct player *p = &g->players[peer];
	bool won = players_win;
	double score;

	if (!won && is_cheater(node, peer) && rng_chance(CHEAT_FLIP))
		won = true;
	g->house_net += won ? -(int64_t)t->bet[i] : (int64_t)t->bet[i];
	p->settled++;
	p->won += won;
	rec_player_settled(node->rec, peer, t->bet[i], won,
			   (double)p->won / (double)p->settled,
			   player_score(p->settled, p->won, &score) ? &score : NULL);
}

/* Settle the pass line; players_win is from the players' side. */
static void settle(struct node *node, struct table *t, bool players_win)
{
	struct game *g = &node->game;
	unsigned int i;

	g->volume_settled += t->stake;
	for (i = 0; i < t->bettors; i++)
		settle_bet(node, t, i, players_win);
	if (g->volume_settled)
		rec_house_edge(node->rec, (double)g->house_net / (double)g->volume_settled);
	t->point = 0;
	if (--t->decisions_left == 0)
		close_table(node, t);
	else
		place_bets(node, t);
}

/* Seat 1..peers distinct players, chosen at random. */
static void seat_players(struct node *node, struct table *t)
{
	unsigned int pool[SIM_MAX_PEERS], n = node->opt.peers, i;

	for (i = 0; i < n; i++)
		pool[i] = i;
	t->bettors = 1 + rng_below(n);
	for (i = 0; i < t->bettors; i++) {
		unsigned int j = i + rng_below(n - i), tmp = pool[i];

		pool[i] = pool[j];
		pool[j] = tmp;
		t->seat[i] = pool[i];
		rec_player_joined(node->rec, pool[i]);
	}
}

void game_maybe_open(struct node *node)
{
	struct game *g = &node->game;
	unsigned int i;

	if (g->open_tables >= node->opt.tables || !rng_chance(0.05))
		return;
	for (i = 0; i < node->opt.tables; i++) {
		struct table *t = &g->tables[i];

		if (t->open)
			continue;
		t->open = true;
		t->point = 0;
		t->decisions_left = 3 + rng_below(10);
		seat_players(node, t);
		g->open_tables++;
		g->games_total++;
		rec_game_opened(node->rec);
		place_bets(node, t);
		return;
	}
}

/* The agreed roll is played at the next open table (round-robin). */
void game_play_roll(struct node *node, unsigned int roll)
{
	struct game *g = &node->game;
	unsigned int total = dice_total(roll), i;
	struct table *t = NULL;

	g->rolls_total++;
	rec_dice(node->rec, total);
	game_maybe_open(node);
	for (i = 0; i < node->opt.tables && !t; i++) {
		struct table *c = &g->tables[(g->next_table + i) % node->opt.tables];

		if (c->open)
			t = c;
	}
	if (!t)
		return;		/* no game running: the roll is only counted */
	g->next_table = (unsigned int)(t - g->tables) + 1;

	if (t->point == 0) {
		if (total == 7 || total == 11)
			settle(node, t, true);
		else if (total == 2 || total == 3 || total == 12)
			settle(node, t, false);
		else
			t->point = total;
	} else if (total == t->point) {
		settle(node, t, true);
	} else if (total == 7) {
		settle(node, t, false);
	}
}
