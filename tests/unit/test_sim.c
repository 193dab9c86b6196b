// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bcmon-sim's pure logic: the dice (fair and loaded), the
 * craps pass-line rules and the house-edge arithmetic in game.c, and the
 * command line in options.c. The recording layer is replaced by counters
 * (the rec_* functions below), so what the game reports is checked too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <unistd.h>

#include <cmocka.h>

#include "node.h"

/* --- recording test doubles: what game.c reported ------------------------- */
static struct {
	unsigned int opened, closed, bet_calls, dice[13];
	uint64_t bets, chips;
	double house_edge;
	uint64_t joined[SIM_MAX_PEERS], wagered[SIM_MAX_PEERS];
	uint64_t settled[SIM_MAX_PEERS], won[SIM_MAX_PEERS], won_chips[SIM_MAX_PEERS];
	double win_rate[SIM_MAX_PEERS], score[SIM_MAX_PEERS];
	bool has_score[SIM_MAX_PEERS];
} seen;

void rec_game_opened(struct recorder *rec) { (void)rec; seen.opened++; }
void rec_game_closed(struct recorder *rec) { (void)rec; seen.closed++; }
void rec_bets(struct recorder *rec, unsigned int count, uint64_t chips)
{
	(void)rec;
	seen.bet_calls++;
	seen.bets += count;
	seen.chips += chips;
}
void rec_house_edge(struct recorder *rec, double ratio) { (void)rec; seen.house_edge = ratio; }
void rec_dice(struct recorder *rec, unsigned int total) { (void)rec; seen.dice[total]++; }
void rec_player_joined(struct recorder *rec, unsigned int peer)
{
	(void)rec;
	seen.joined[peer]++;
}
void rec_player_bet(struct recorder *rec, unsigned int peer, uint64_t chips)
{
	(void)rec;
	seen.wagered[peer] += chips;
}
void rec_player_settled(struct recorder *rec, unsigned int peer, uint64_t chips,
			bool won, double win_rate, const double *score)
{
	(void)rec;
	seen.settled[peer]++;
	seen.won[peer] += won;
	seen.won_chips[peer] += won ? chips : 0;
	seen.win_rate[peer] = win_rate;
	seen.has_score[peer] = score != NULL;
	if (score)
		seen.score[peer] = *score;
}

static struct node node;

static int setup(void **state)
{
	(void)state;
	memset(&seen, 0, sizeof(seen));
	memset(&node, 0, sizeof(node));
	node.opt.peers = 4;
	node.opt.tables = 1;
	rng_seed(42);
	return 0;
}

#define ROLL(a, b) ((a) * 8 + (b))

/* One table open at come-out, with a known number of decisions left. */
static struct table *open_table(unsigned int decisions)
{
	struct table *t = &node.game.tables[0];

	/* Peers 0 and 2 bet 60 and 40 chips. */
	*t = (struct table){ .open = true, .decisions_left = decisions, .bettors = 2,
			     .seat = { 0, 2 }, .bet = { 60, 40 }, .stake = 100 };
	node.game.open_tables = 1;
	return t;
}

/* --- dice -------------------------------------------------------------------- */
static void fair_dice_follow_2d6(void **state)
{
	unsigned int count[13] = { 0 }, i, n = 36000;

	(void)state;
	for (i = 0; i < n; i++) {
		unsigned int t = dice_total(dice_roll(&node));

		assert_in_range(t, 2, 12);
		count[t]++;
	}
	/* Expected n * ways / 36; allow 5 standard deviations. */
	for (i = 2; i <= 12; i++) {
		double ways = i <= 7 ? i - 1 : 13 - i, p = ways / 36, e = n * p;
		double sd = sqrt(n * p * (1 - p));

		assert_true(count[i] > e - 5 * sd && count[i] < e + 5 * sd);
	}
}

static void loaded_dice_favour_twelve(void **state)
{
	unsigned int twelves = 0, i, n = 10000;

	(void)state;
	node.opt.loaded_dice = true;
	for (i = 0; i < n; i++)
		twelves += dice_total(dice_roll(&node)) == 12;
	/* P(six) = 37/72, so P(12) is about 0.26 instead of 1/36. */
	assert_in_range(twelves, n / 5, n / 3);
}

/* --- pass line ------------------------------------------------------------------ */
static void come_out_seven_pays_players(void **state)
{
	(void)state;
	open_table(5);
	game_play_roll(&node, ROLL(3, 4));
	assert_int_equal(node.game.house_net, -100);
	assert_int_equal(node.game.volume_settled, 100);
	assert_true(seen.house_edge == -1.0);
	assert_int_equal(seen.dice[7], 1);
	/* Each player's bet was decided and paid. */
	assert_int_equal(seen.settled[0], 1);
	assert_int_equal(seen.won_chips[0], 60);
	assert_int_equal(seen.won_chips[2], 40);
	assert_true(seen.win_rate[2] == 1.0);
	assert_false(seen.has_score[0]);	/* far too few bets for a score */
	/* New bets for the next decision, same table, same players. */
	assert_int_equal(seen.bet_calls, 1);
	assert_int_equal(seen.bets, 2);
	assert_int_equal(seen.wagered[0] + seen.wagered[2], node.game.tables[0].stake);
	assert_int_equal(seen.wagered[1] + seen.wagered[3], 0);
}

static void come_out_craps_pays_house(void **state)
{
	(void)state;
	open_table(5);
	game_play_roll(&node, ROLL(1, 1));
	assert_int_equal(node.game.house_net, 100);
	assert_int_equal(node.game.tables[0].point, 0);
}

static void point_made_then_seven_out(void **state)
{
	struct table *t;
	uint64_t second_stake;

	(void)state;
	t = open_table(5);
	game_play_roll(&node, ROLL(2, 2));		/* point 4 */
	assert_int_equal(t->point, 4);
	assert_int_equal(node.game.volume_settled, 0);
	game_play_roll(&node, ROLL(5, 6));		/* 11: nothing after come-out */
	assert_int_equal(t->point, 4);
	game_play_roll(&node, ROLL(1, 3));		/* point made: players win */
	assert_int_equal(node.game.house_net, -100);
	assert_int_equal(t->point, 0);
	second_stake = t->stake;
	assert_in_range(second_stake, 2 * 5, 2 * 100);
	game_play_roll(&node, ROLL(4, 6));		/* point 10 */
	game_play_roll(&node, ROLL(3, 4));		/* seven out: house wins */
	assert_int_equal(node.game.house_net, -100 + (int64_t)second_stake);
	assert_int_equal(node.game.volume_settled, 100 + second_stake);
}

static void table_closes_after_its_decisions(void **state)
{
	(void)state;
	open_table(2);
	game_play_roll(&node, ROLL(3, 4));
	assert_true(node.game.tables[0].open);
	game_play_roll(&node, ROLL(6, 6));
	assert_false(node.game.tables[0].open);
	assert_int_equal(node.game.open_tables, 0);
	assert_int_equal(seen.closed, 1);
}

static void rolls_without_a_table_are_counted(void **state)
{
	unsigned int i;

	(void)state;
	node.opt.tables = 0;	/* no table may open */
	for (i = 0; i < 10; i++)
		game_play_roll(&node, ROLL(1, 2));
	assert_int_equal(seen.dice[3], 10);
	assert_int_equal(node.game.rolls_total, 10);
	assert_int_equal(node.game.volume_settled, 0);
}

static void fair_house_edge_is_near_pass_line_theory(void **state)
{
	unsigned int i;

	(void)state;
	node.opt.tables = 3;
	for (i = 0; i < 400000; i++)
		game_play_roll(&node, dice_roll(&node));
	/* Pass line: 7/495 = 1.414%. About 118,000 decisions with 5..100
	 * chip bets give a standard deviation near 0.35%: allow about 3. */
	assert_true(seen.house_edge > 0.014 - 0.01 && seen.house_edge < 0.014 + 0.01);
	assert_int_equal(seen.opened, node.game.games_total);
	assert_int_equal(seen.opened - seen.closed, node.game.open_tables);
}

/* The score: the z-score of wins against 244/495, only from 100 bets on. */
static void suspicious_score_is_a_z_score(void **state)
{
	double z;

	(void)state;
	assert_false(player_score(99, 99, &z));
	assert_true(player_score(495, 244, &z));	/* exactly the odds */
	assert_true(fabs(z) < 1e-12);
	/* 1000 bets, 600 won: (600 - 492.93) / sqrt(1000 p (1 - p)) = 6.77 */
	assert_true(player_score(1000, 600, &z));
	assert_true(fabs(z - 6.7718) < 1e-3);
	assert_true(player_score(1000, 400, &z));
	assert_true(z < -5);
}

/*
 * Honest players over a long run stay far below the alert threshold (5)
 * at every bet; the cheater (--cheater) crosses it within a thousand bets.
 * The fixed seed makes this a fixed run, not a flaky one.
 */
static void luck_stays_below_the_threshold_and_cheating_crosses_it(void **state)
{
	double max_honest = -1e9, max_cheat = -1e9;
	unsigned int i, p, crossed_at = 0;

	(void)state;
	node.opt.tables = 3;
	node.opt.cheater = 2 + 1;	/* peer 2 */
	for (i = 0; i < 400000; i++) {
		game_play_roll(&node, dice_roll(&node));
		for (p = 0; p < node.opt.peers; p++) {
			if (!seen.has_score[p])
				continue;
			if (p == 2) {
				if (!crossed_at && seen.score[p] > 5)
					crossed_at = (unsigned int)seen.settled[p];
				if (seen.score[p] > max_cheat)
					max_cheat = seen.score[p];
			} else if (seen.score[p] > max_honest) {
				max_honest = seen.score[p];
			}
		}
	}
	print_message("honest max z %.2f over %llu bets; cheater crossed 5 at bet %u, ended at z %.1f (%.3f won)\n",
		      max_honest, (unsigned long long)seen.settled[0], crossed_at,
		      seen.score[2], seen.win_rate[2]);
	assert_true(seen.settled[0] > 50000);
	assert_true(max_honest < 4);
	assert_true(crossed_at > 0 && crossed_at < 1500);
	assert_true(seen.win_rate[2] > 0.58 && seen.win_rate[2] < 0.62);
	/* Cheating shows in the house's books too: it loses money. */
	assert_true(node.game.house_net < 0);
}

/* --- command line ---------------------------------------------------------------- */
static int parse(struct sim_options *opt, int argc, char **argv)
{
	optind = 0;	/* glibc: start a fresh scan */
	return sim_parse_options(argc, argv, opt);
}

static void options_defaults_and_values(void **state)
{
	char *def[] = { "bcmon-sim", NULL };
	char *args[] = { "bcmon-sim", "--peers", "6", "--ports", "7000,7001,9000",
			 "--duration", "2.5", "--loaded-dice", "--seed", "7", NULL };
	struct sim_options opt;

	(void)state;
	assert_int_equal(parse(&opt, 1, def), 0);
	assert_int_equal(opt.peers, 4);
	assert_int_equal(opt.nports, 2);
	assert_int_equal(opt.ports[0], 7000);
	assert_true(opt.record);
	assert_int_equal(parse(&opt, 10, args), 0);
	assert_int_equal(opt.peers, 6);
	assert_int_equal(opt.nports, 3);
	assert_int_equal(opt.ports[2], 9000);
	assert_true(opt.duration_s == 2.5);
	assert_true(opt.loaded_dice);
	assert_int_equal(opt.seed, 7);
}

static void options_reject_bad_values(void **state)
{
	char *peers[] = { "bcmon-sim", "--peers", "1", NULL };
	char *many[] = { "bcmon-sim", "--peers", "17", NULL };
	char *port0[] = { "bcmon-sim", "--ports", "7000,0", NULL };
	char *ports9[] = { "bcmon-sim", "--ports", "1,2,3,4,5,6,7,8,9", NULL };
	char *junk[] = { "bcmon-sim", "--duration", "5s", NULL };
	char *extra[] = { "bcmon-sim", "extra", NULL };
	struct sim_options opt;

	(void)state;
	/* Each prints its reason on stderr; silence it for the test log. */
	assert_non_null(freopen("/dev/null", "w", stderr));
	assert_int_equal(parse(&opt, 3, peers), -1);
	assert_int_equal(parse(&opt, 3, many), -1);
	assert_int_equal(parse(&opt, 3, port0), -1);
	assert_int_equal(parse(&opt, 3, ports9), -1);
	assert_int_equal(parse(&opt, 3, junk), -1);
	assert_int_equal(parse(&opt, 2, extra), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(fair_dice_follow_2d6, setup),
		cmocka_unit_test_setup(loaded_dice_favour_twelve, setup),
		cmocka_unit_test_setup(come_out_seven_pays_players, setup),
		cmocka_unit_test_setup(come_out_craps_pays_house, setup),
		cmocka_unit_test_setup(point_made_then_seven_out, setup),
		cmocka_unit_test_setup(table_closes_after_its_decisions, setup),
		cmocka_unit_test_setup(rolls_without_a_table_are_counted, setup),
		cmocka_unit_test_setup(fair_house_edge_is_near_pass_line_theory, setup),
		cmocka_unit_test_setup(suspicious_score_is_a_z_score, setup),
		cmocka_unit_test_setup(luck_stays_below_the_threshold_and_cheating_crosses_it, setup),
		cmocka_unit_test_setup(options_defaults_and_values, setup),
		cmocka_unit_test_setup(options_reject_bad_values, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
