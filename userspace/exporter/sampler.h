/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Background CPU sampler: the only state the exporter keeps between
 * scrapes. Every SAMPLER_INTERVAL_S it reads /proc/stat and the watched
 * process's stat and turns the differences into usage ratios.
 */
#ifndef BCMON_EXPORTER_SAMPLER_H
#define BCMON_EXPORTER_SAMPLER_H

#include <stdbool.h>
#include <sys/types.h>

#define SAMPLER_INTERVAL_S 5

struct cpu_ratios {
	bool have_system;
	double system;		/* busy / total over all CPUs, 0..1 */
	bool have_process;
	double process;		/* process CPU time / (wall time x CPUs), 0..1 */
};

/* Watches the exporter itself until sampler_watch() names a pid file. */
int sampler_start(void);
/* false when the thread did not stop within grace_ms and was abandoned. */
bool sampler_stop(int grace_ms);
/* Change the watched process (on config reload): its ratio is absent
 * until a new baseline and one interval exist. */
void sampler_watch(const char *pid_file);
void sampler_get(struct cpu_ratios *out);

#endif
