// SPDX-License-Identifier: GPL-2.0
/*
 * Sliding-window chi-square test (see chisq_window.h). The history is a
 * ring of snapshots (time, totals), oldest first. The window's base is the
 * one snapshot kept at or before now - span; everything older is dropped.
 */
#include "chisq_window.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Snapshots within one span, the base before it, and room to spare. */
#define RING_CAP	(2 * CHISQ_WINDOW_STEPS + 2)

struct chisq_window {
	size_t k;
	double span, step;
	size_t first, n;		/* ring: oldest index, snapshots held */
	double t[RING_CAP];
	uint64_t counts[];		/* RING_CAP x k */
};

struct chisq_window *chisq_window_new(size_t k, double span_s)
{
	struct chisq_window *w;

	if (k < 2 || k > CHISQ_WINDOW_MAX_OUTCOMES || !(span_s > 0))
		return NULL;
	w = calloc(1, sizeof(*w) + RING_CAP * k * sizeof(uint64_t));
	if (!w)
		return NULL;
	w->k = k;
	w->span = span_s;
	w->step = span_s / CHISQ_WINDOW_STEPS;
	return w;
}

void chisq_window_free(struct chisq_window *w)
{
	free(w);
}

size_t chisq_window_outcomes(const struct chisq_window *w)
{
	return w->k;
}

static size_t slot(const struct chisq_window *w, size_t i)
{
	return (w->first + i) % RING_CAP;
}

static const uint64_t *counts_at(const struct chisq_window *w, size_t i)
{
	return w->counts + slot(w, i) * w->k;
}

static void drop_oldest(struct chisq_window *w)
{
	w->first = (w->first + 1) % RING_CAP;
	w->n--;
}

static void append(struct chisq_window *w, double now, const uint64_t *totals)
{
	size_t s;

	if (w->n == RING_CAP)
		drop_oldest(w);
	s = slot(w, w->n);
	w->t[s] = now;
	memcpy(w->counts + s * w->k, totals, w->k * sizeof(uint64_t));
	w->n++;
}

/* A counter went down since the newest snapshot: the set was made again. */
static bool went_down(const struct chisq_window *w, const uint64_t *totals)
{
	const uint64_t *newest;

	if (!w->n)
		return false;
	newest = counts_at(w, w->n - 1);
	for (size_t i = 0; i < w->k; i++)
		if (totals[i] < newest[i])
			return true;
	return false;
}

void chisq_window_observe(struct chisq_window *w, double now,
			  const uint64_t *totals, const double *probability,
			  struct chisq_window_eval *out)
{
	uint64_t delta[CHISQ_WINDOW_MAX_OUTCOMES];
	double cutoff = now - w->span, pmin = 1;
	const uint64_t *base;

	memset(out, 0, sizeof(*out));
	if (went_down(w, totals))
		w->n = 0;
	if (!w->n || now - w->t[slot(w, w->n - 1)] >= w->step)
		append(w, now, totals);
	/* Keep exactly one snapshot at or before the cutoff: the base. */
	while (w->n >= 2 && w->t[slot(w, 1)] <= cutoff)
		drop_oldest(w);
	if (w->t[slot(w, 0)] > cutoff) {
		out->state = CHISQ_WINDOW_FILLING;
		return;
	}
	base = counts_at(w, 0);
	out->window_s = now - w->t[slot(w, 0)];
	for (size_t i = 0; i < w->k; i++) {
		delta[i] = totals[i] - base[i];
		out->observations += delta[i];
		if (probability[i] < pmin)
			pmin = probability[i];
	}
	out->expected_min = (double)out->observations * pmin;
	if (out->expected_min < CHISQ_MIN_EXPECTED ||
	    chisq_test(delta, probability, w->k, &out->result)) {
		out->state = CHISQ_TOO_FEW;
		return;
	}
	out->state = CHISQ_TESTED;
}

void chisq_window_no_data(struct chisq_window_eval *out)
{
	memset(out, 0, sizeof(*out));
	out->state = CHISQ_NO_DATA;
}

const char *chisq_window_reason(enum chisq_window_state state)
{
	switch (state) {
	case CHISQ_NO_DATA:
		return "no_data";
	case CHISQ_WINDOW_FILLING:
		return "window_filling";
	case CHISQ_TOO_FEW:
		return "too_few_observations";
	case CHISQ_TESTED:
		break;
	}
	return "";
}
