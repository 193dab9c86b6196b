/* SPDX-License-Identifier: GPL-2.0 */
/* Histogram bounds in the units the sources use, converted to base units. */
#ifndef BCMON_EXPORTER_BUCKETS_H
#define BCMON_EXPORTER_BUCKETS_H

#include <stddef.h>
#include <stdint.h>

/*
 * value * 10^scale, rounded once: a negative scale divides by an exact
 * power of ten, so 1500 with scale -6 is exactly the double nearest
 * 0.0015 (multiplying by 1e-6 would not be). |scale| <= 22.
 */
double scale_to_base(double value, int scale);
/* Bounds with a decimal scale into base units; -EINVAL unless ascending. */
int buckets_scaled(const uint64_t *bounds, size_t n, int scale, double *out);

#endif
