/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A chi-square goodness-of-fit test over a sliding window: the change of a
 * distribution's counters over the last `span` seconds, not their totals
 * since they were created. Totals make a test that cannot change its mind:
 * one roll on a fresh node gives a huge statistic that no later quiet can
 * lower, and dice loaded after a million fair rolls stay hidden for about a
 * million more. A window forgets both.
 *
 * The history is fed at scrape time (the exporter has no background reader
 * for counters): every observation with the counters' current totals. A
 * snapshot is kept at most every span / CHISQ_WINDOW_STEPS seconds, so the
 * window covers between span and span plus one scrape interval (plus
 * span / CHISQ_WINDOW_STEPS) and the memory is bounded whatever the scrape
 * rate. Pure logic, tested in tests/unit/test_exporter_window.c.
 */
#ifndef BCMON_EXPORTER_CHISQ_WINDOW_H
#define BCMON_EXPORTER_CHISQ_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "chisq.h"

#define CHISQ_WINDOW_STEPS	64	/* snapshots per span, at most */
#define CHISQ_WINDOW_MAX_OUTCOMES 64
/* Pearson's test is trusted only when every expected count is this large. */
#define CHISQ_MIN_EXPECTED	5.0

enum chisq_window_state {
	CHISQ_TESTED,		/* result holds the test of the window */
	CHISQ_NO_DATA,		/* the counters could not be read */
	CHISQ_WINDOW_FILLING,	/* history shorter than the span (exporter
				 * just started, or the counters were reset) */
	CHISQ_TOO_FEW,		/* an expected count in the window is below
				 * CHISQ_MIN_EXPECTED */
};

struct chisq_window_eval {
	enum chisq_window_state state;
	struct chisq_result result;	/* CHISQ_TESTED only */
	double window_s;	/* span covered: TESTED and TOO_FEW */
	uint64_t observations;	/* in the window: TESTED and TOO_FEW */
	double expected_min;	/* smallest expected count: TESTED, TOO_FEW */
};

struct chisq_window;

/*
 * k outcomes (2..CHISQ_WINDOW_MAX_OUTCOMES), span in seconds (> 0). NULL
 * when out of memory or out of range.
 */
struct chisq_window *chisq_window_new(size_t k, double span_s);
void chisq_window_free(struct chisq_window *w);
size_t chisq_window_outcomes(const struct chisq_window *w);

/*
 * Feed the totals read at time now (seconds, monotonic, not decreasing)
 * and evaluate the test over the window ending now against probability[k].
 * A total lower than before means the counters were reset (a set made
 * again): the history restarts from now.
 */
void chisq_window_observe(struct chisq_window *w, double now,
			  const uint64_t *totals, const double *probability,
			  struct chisq_window_eval *out);

/* The counters could not be read: nothing is tested, history is kept. */
void chisq_window_no_data(struct chisq_window_eval *out);

/* Machine name of a state that leaves the p-value absent ("" for TESTED). */
const char *chisq_window_reason(enum chisq_window_state state);

#endif
