// SPDX-License-Identifier: GPL-2.0
/*
 * Craps tables playing the rolls that consensus agreed on. Only the pass
 * line is played, because its rules are short and its house edge is
 * known: 7/99 = 1.414%, so the observed house_edge gauge of a fair run
 * converges there, and a loaded run visibly drifts away.
 *
 * Pass line: on the come-out roll 7 or 11 wins, 2, 3 or 12 loses, any
 * other total becomes the point; then the point wins and 7 loses. Winners
 * are paid even money.
 */
#include <stddef.h>

#include "node.h"

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
	for (i = 0; i < t->bettors; i++)
		t->stake += 5 + rng_below(96);
	node->game.bets_total += t->bettors;
	rec_bets(node->rec, t->bettors, t->stake);
}

static void close_table(struct node *node, struct table *t)
{
	t->open = false;
	node->game.open_tables--;
	rec_game_closed(node->rec);
}

/* Settle the pass line; players_win is from the players' side. */
static void settle(struct node *node, struct table *t, bool players_win)
{
	struct game *g = &node->game;

	g->volume_settled += t->stake;
	g->house_net += players_win ? -(int64_t)t->stake : (int64_t)t->stake;
	if (g->volume_settled)
		rec_house_edge(node->rec, (double)g->house_net / (double)g->volume_settled);
	t->point = 0;
	if (--t->decisions_left == 0)
		close_table(node, t);
	else
		place_bets(node, t);
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
		t->bettors = 1 + rng_below(node->opt.peers);
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
