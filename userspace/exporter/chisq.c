// SPDX-License-Identifier: GPL-2.0
/*
 * The p-value is the regularized upper incomplete gamma function
 * Q(a, x) = Gamma(a, x) / Gamma(a), computed by its power series for
 * x < a + 1 and by its continued fraction (modified Lentz) otherwise; both
 * converge quickly in their region (Abramowitz & Stegun 6.5.29 and 6.5.31).
 */
#include "chisq.h"

#include <errno.h>
#include <float.h>
#include <math.h>

#define GAMMA_EPS 1e-15
#define GAMMA_ITER 1000

/* P(a, x) by the series sum x^n / (a (a+1) ... (a+n)). */
static double lower_series(double a, double x)
{
	double term = 1.0 / a, sum = term;

	for (int n = 1; n < GAMMA_ITER; n++) {
		term *= x / (a + n);
		sum += term;
		if (fabs(term) < fabs(sum) * GAMMA_EPS)
			break;
	}
	return sum * exp(-x + a * log(x) - lgamma(a));
}

/* Q(a, x) by the continued fraction 1/(x+1-a- 1(1-a)/(x+3-a- ...)). */
static double upper_fraction(double a, double x)
{
	double b = x + 1 - a, c = 1 / DBL_MIN, d = 1 / b, h = d;

	for (int i = 1; i < GAMMA_ITER; i++) {
		double an = -i * (i - a), delta;

		b += 2;
		d = an * d + b;
		if (fabs(d) < DBL_MIN)
			d = DBL_MIN;
		c = b + an / c;
		if (fabs(c) < DBL_MIN)
			c = DBL_MIN;
		d = 1 / d;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1) < GAMMA_EPS)
			break;
	}
	return exp(-x + a * log(x) - lgamma(a)) * h;
}

double chisq_survival(double x, double df)
{
	double a = df / 2, hx = x / 2;

	if (!(df > 0) || isnan(x))
		return NAN;
	if (hx <= 0)
		return 1.0;
	if (hx < a + 1)
		return 1.0 - lower_series(a, hx);
	return upper_fraction(a, hx);
}

int chisq_test(const uint64_t *observed, const double *probability, size_t k,
	       struct chisq_result *r)
{
	double n = 0, stat = 0;

	if (k < 2)
		return -EDOM;
	r->observations = 0;
	for (size_t i = 0; i < k; i++) {
		if (!(probability[i] > 0))
			return -EINVAL;
		r->observations += observed[i];
		n += (double)observed[i];
	}
	if (r->observations == 0)
		return -EDOM;
	for (size_t i = 0; i < k; i++) {
		double e = n * probability[i], d = (double)observed[i] - e;

		stat += d * d / e;
	}
	r->statistic = stat;
	r->df = (unsigned int)(k - 1);
	r->p_value = chisq_survival(stat, (double)r->df);
	return 0;
}
