// SPDX-License-Identifier: GPL-2.0
#include "buckets.h"

#include <errno.h>
#include <math.h>

static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

double scale_to_base(double value, int scale)
{
	if (scale > 22 || scale < -22)
		return value * pow(10, scale);
	if (scale < 0)
		return value / pow10_exact[-scale];
	return value * pow10_exact[scale];
}

int buckets_scaled(const uint64_t *bounds, size_t n, int scale, double *out)
{
	for (size_t i = 0; i < n; i++) {
		if (i && bounds[i] <= bounds[i - 1])
			return -EINVAL;
		out[i] = scale_to_base((double)bounds[i], scale);
	}
	return 0;
}
