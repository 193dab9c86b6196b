// SPDX-License-Identifier: GPL-2.0
/*
 * The dice fairness test over a sliding window, time-stepped: dice are
 * rolled at bcmon-sim's rate (one round every 100 ms), the exporter is
 * scraped every 15 s, and the BitcrapsDiceUnfair alert (p < 0.001 held for
 * 10 minutes, monitoring/rules/bcmon-alerts.yml) is evaluated at every
 * scrape. Hours of simulated time run in milliseconds; the dice come from
 * a fixed seed, so every run sees the same rolls.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chisq_window.h"

#define SPAN		600.0	/* the default window: 10 minutes */
#define SCRAPE		15.0	/* Prometheus' scrape interval */
#define ROLL_EVERY	0.1	/* bcmon-sim: one consensus round per 100 ms */
#define ALERT_P		0.001	/* BitcrapsDiceUnfair: p below this ... */
#define ALERT_FOR	600.0	/* ... for 10 minutes */

static const double two_dice[11] = {
	1 / 36., 2 / 36., 3 / 36., 4 / 36., 5 / 36., 6 / 36.,
	5 / 36., 4 / 36., 3 / 36., 2 / 36., 1 / 36.,
};

/* xorshift64*: the same sequence on every run. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned int below(unsigned int n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned int)(((rng * 0x2545f4914f6cdd1dULL) >> 33) % n);
}

/* bcmon-sim's dice: loaded ones land on six half of the time. */
static unsigned int die(bool loaded)
{
	if (loaded && below(12) < 5)	/* 5/12 + 1/12 (fair six) = 1/2 */
		return 6;
	return 1 + below(6);
}

struct run {
	struct chisq_window *w;
	uint64_t totals[11];
	double now;		/* simulated seconds */
	double low_since;	/* p < ALERT_P since then, or < 0 */
	double fired_at;	/* the alert's first firing, or < 0 */
	double first_low;	/* first scrape with p < ALERT_P, or < 0 */
	unsigned int scrapes, tested;
	struct chisq_window_eval last;
};

static void run_init(struct run *r)
{
	memset(r, 0, sizeof(*r));
	r->w = chisq_window_new(11, SPAN);
	assert_non_null(r->w);
	r->low_since = r->fired_at = r->first_low = -1;
}

static void scrape(struct run *r)
{
	struct chisq_window_eval *e = &r->last;

	chisq_window_observe(r->w, r->now, r->totals, two_dice, e);
	r->scrapes++;
	/* A test is never made over a window with a tiny expected count. */
	if (e->state == CHISQ_TESTED) {
		r->tested++;
		assert_true(e->expected_min >= CHISQ_MIN_EXPECTED);
		assert_true(e->window_s >= SPAN && e->window_s <= SPAN + SCRAPE + SPAN / 64);
	}
	/* The alert: an absent p-value is not "below". */
	if (e->state == CHISQ_TESTED && e->result.p_value < ALERT_P) {
		if (r->first_low < 0)
			r->first_low = r->now;
		if (r->low_since < 0)
			r->low_since = r->now;
		if (r->fired_at < 0 && r->now - r->low_since >= ALERT_FOR)
			r->fired_at = r->now;
	} else {
		r->low_since = -1;
	}
}

/*
 * Roll for seconds, scraping every SCRAPE seconds on the way. Time runs in
 * whole rolls, so that scrapes fall exactly on multiples of SCRAPE.
 */
static void play(struct run *r, double seconds, bool loaded)
{
	long rolls = lround(seconds / ROLL_EVERY), per_scrape = lround(SCRAPE / ROLL_EVERY);
	long start = lround(r->now / ROLL_EVERY);

	for (long i = start + 1; i <= start + rolls; i++) {
		r->now = (double)i * ROLL_EVERY;
		r->totals[die(loaded) + die(loaded) - 2]++;
		if (i % per_scrape == 0)
			scrape(r);
	}
}

/* Idle for seconds: scrapes, no rolls. */
static void idle(struct run *r, double seconds)
{
	for (double end = r->now + seconds; r->now + SCRAPE <= end + 1e-9;) {
		r->now += SCRAPE;
		scrape(r);
	}
}

/*
 * The report: one roll of "2" on an idle node. Over all rolls
 * since creation that is chi-square 35, p = 1.2e-4, and the alert fires
 * and never clears. Over a window, with the expected-count rule, there is
 * no p-value at all, and the reason is given.
 */
static void one_roll_on_idle_node(void **state)
{
	struct chisq_result all_time;
	struct run r;

	(void)state;
	run_init(&r);
	scrape(&r);
	assert_int_equal(r.last.state, CHISQ_WINDOW_FILLING);
	idle(&r, 3600);
	r.totals[0] = 1;	/* one roll: total 2 */
	idle(&r, 3600);
	assert_int_equal(r.tested, 0);
	assert_true(r.fired_at < 0);
	assert_int_equal(r.last.state, CHISQ_TOO_FEW);
	assert_string_equal(chisq_window_reason(r.last.state), "too_few_observations");
	/* What the old all-time test said about the same roll. */
	assert_int_equal(chisq_test(r.totals, two_dice, 11, &all_time), 0);
	assert_true(fabs(all_time.statistic - 35) < 1e-9);
	assert_true(all_time.p_value < ALERT_P);
	chisq_window_free(r.w);
}

/* Six hours of fair dice: a p-value all the time, the alert never. */
static void hours_of_fair_dice(void **state)
{
	struct run r;

	(void)state;
	run_init(&r);
	play(&r, 6 * 3600, false);
	print_message("fair: %u scrapes, %u tested, first p < %g at %.0f s, fired at %.0f s\n",
		      r.scrapes, r.tested, ALERT_P, r.first_low, r.fired_at);
	assert_true(r.fired_at < 0);
	/*
	 * Every scrape had a test from one span after the first scrape on
	 * (the exporter's history begins with its first scrape).
	 */
	assert_int_equal(r.tested, r.scrapes - (unsigned int)(SPAN / SCRAPE));
	assert_int_equal(r.last.state, CHISQ_TESTED);
	chisq_window_free(r.w);
}

/*
 * Loaded from the start: p < 0.001 as soon as the first window is complete
 * (one span after the first scrape), the alert one "for" later.
 */
static void loaded_dice(void **state)
{
	struct run r;

	(void)state;
	run_init(&r);
	play(&r, 3600, true);
	print_message("loaded: first p < %g at %.0f s, fired at %.0f s\n",
		      ALERT_P, r.first_low, r.fired_at);
	assert_true(r.first_low >= 0 && r.first_low <= SCRAPE + SPAN);
	assert_true(r.fired_at >= 0 && r.fired_at <= SCRAPE + SPAN + ALERT_FOR);
	chisq_window_free(r.w);
}

/*
 * Loaded after a long fair history: the window holds only rolls of the
 * last span, so the history does not dilute the change; it is seen within
 * one span, and the alert fires within one span plus its "for".
 */
static void loaded_after_fair_history(void **state)
{
	double change;
	struct run r;

	(void)state;
	run_init(&r);
	play(&r, 2 * 3600, false);
	assert_true(r.fired_at < 0);
	change = r.now;
	r.first_low = -1;
	play(&r, 3600, true);
	print_message("loaded after 2 h fair: first p < %g %.0f s after the change, fired %.0f s after\n",
		      ALERT_P, r.first_low - change, r.fired_at - change);
	assert_true(r.first_low >= 0 && r.first_low - change <= SPAN);
	assert_true(r.fired_at >= 0 && r.fired_at - change <= SPAN + ALERT_FOR);
	chisq_window_free(r.w);
}

/* A set made again (totals go down): the history restarts. */
static void counter_reset(void **state)
{
	struct run r;

	(void)state;
	run_init(&r);
	play(&r, 1200, false);
	assert_int_equal(r.last.state, CHISQ_TESTED);
	memset(r.totals, 0, sizeof(r.totals));
	play(&r, 60, false);
	assert_int_equal(r.last.state, CHISQ_WINDOW_FILLING);
	play(&r, SPAN, false);
	assert_int_equal(r.last.state, CHISQ_TESTED);
	assert_true(r.last.observations <= (SPAN + SCRAPE) / ROLL_EVERY + 1);
	chisq_window_free(r.w);
}

/* Scrapes far more often than the step: memory stays bounded, window exact. */
static void frequent_scrapes(void **state)
{
	struct chisq_window *w = chisq_window_new(2, 64);
	static const double coin[2] = { 0.5, 0.5 };
	struct chisq_window_eval e;
	uint64_t t[2] = { 0, 0 };

	(void)state;
	assert_non_null(w);
	for (int i = 0; i <= 64 * 1000; i++) {
		t[i % 2]++;
		chisq_window_observe(w, i / 1000.0, t, coin, &e);
	}
	assert_int_equal(e.state, CHISQ_TESTED);
	assert_true(e.window_s >= 64 && e.window_s <= 65);
	assert_true(e.observations >= 64000 && e.observations <= 65001);
	chisq_window_free(w);
	assert_null(chisq_window_new(1, 10));
	assert_null(chisq_window_new(2, 0));
	assert_null(chisq_window_new(CHISQ_WINDOW_MAX_OUTCOMES + 1, 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_roll_on_idle_node),
		cmocka_unit_test(hours_of_fair_dice),
		cmocka_unit_test(loaded_dice),
		cmocka_unit_test(loaded_after_fair_history),
		cmocka_unit_test(counter_reset),
		cmocka_unit_test(frequent_scrapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
