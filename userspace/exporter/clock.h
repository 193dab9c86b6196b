/* SPDX-License-Identifier: GPL-2.0 */
/* CLOCK_MONOTONIC arithmetic for deadlines (never the wall clock, which
 * an operator or NTP may step). */
#ifndef BCMON_EXPORTER_CLOCK_H
#define BCMON_EXPORTER_CLOCK_H

#include <stdbool.h>
#include <time.h>

static inline struct timespec mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

static inline struct timespec mono_add(struct timespec t, double seconds)
{
	long long ns = (long long)(seconds * 1e9);

	t.tv_sec += (time_t)(ns / 1000000000LL);
	t.tv_nsec += (long)(ns % 1000000000LL);
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	} else if (t.tv_nsec < 0) {
		t.tv_sec--;
		t.tv_nsec += 1000000000L;
	}
	return t;
}

/* b - a in seconds. */
static inline double mono_diff(struct timespec a, struct timespec b)
{
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

static inline bool mono_before(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

#endif
