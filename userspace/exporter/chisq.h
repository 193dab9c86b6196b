/* SPDX-License-Identifier: GPL-2.0 */
/* Pearson's chi-square goodness-of-fit test, for dice fairness. */
#ifndef BCMON_EXPORTER_CHISQ_H
#define BCMON_EXPORTER_CHISQ_H

#include <stddef.h>
#include <stdint.h>

struct chisq_result {
	double statistic;	/* sum (O - E)^2 / E */
	unsigned int df;	/* outcomes - 1 */
	double p_value;		/* P(X >= statistic) for X ~ chi-square(df) */
	uint64_t observations;
};

/*
 * observed[i] counts outcome i, probability[i] > 0 sums to 1.
 * -EDOM when there is nothing to test yet (no observations, < 2 outcomes):
 * the caller exports nothing rather than a misleading number.
 */
int chisq_test(const uint64_t *observed, const double *probability, size_t k,
	       struct chisq_result *r);
/* Upper tail of chi-square(df) at x: Q(df/2, x/2). */
double chisq_survival(double x, double df);

#endif
