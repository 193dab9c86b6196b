// SPDX-License-Identifier: GPL-2.0
#include "sampler.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "procfs.h"

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;		/* on CLOCK_MONOTONIC */
static bool running, stopping;
static char *watch_pid_file;		/* under lock */
static unsigned long watch_generation;	/* under lock: bumped by sampler_watch */
static struct cpu_ratios latest;	/* under lock */

struct baseline {
	bool have_system;
	struct cpu_times system;
	bool have_process;
	pid_t pid;
	struct pid_stat process;
	struct timespec when;
};

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void sample(struct baseline *b, const char *pid_file, struct cpu_ratios *out)
{
	char buf[4096];
	struct cpu_times sys;
	struct pid_stat ps;
	struct timespec now;
	pid_t pid = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN), hz = sysconf(_SC_CLK_TCK);

	clock_gettime(CLOCK_MONOTONIC, &now);
	memset(out, 0, sizeof(*out));

	if (procfs_read("/proc/stat", buf, sizeof(buf)) >= 0 &&
	    !procfs_parse_stat(buf, &sys)) {
		if (b->have_system && sys.total > b->system.total) {
			out->have_system = true;
			out->system = (double)(sys.busy - b->system.busy) /
				      (double)(sys.total - b->system.total);
		}
		b->system = sys;
		b->have_system = true;
	} else {
		b->have_system = false;
	}

	if (!procfs_watched_stat(pid_file, &ps, &pid, NULL, 0)) {
		double dt = seconds_between(&b->when, &now);

		/* Same process as last time (a restarted one is a new pid or
		 * start time), so the tick difference means something. */
		if (b->have_process && b->pid == pid &&
		    b->process.start_ticks == ps.start_ticks && dt > 0 && ncpu > 0) {
			out->have_process = true;
			out->process = (double)(ps.cpu_ticks - b->process.cpu_ticks) /
				       (double)hz / (dt * (double)ncpu);
			if (out->process > 1)
				out->process = 1;
		}
		b->process = ps;
		b->pid = pid;
		b->have_process = true;
	} else {
		b->have_process = false;
	}
	b->when = now;
}

static void *sampler_main(void *arg)
{
	struct baseline base = { 0 };
	unsigned long generation = 0;
	struct cpu_ratios r;
	char *pid_file = NULL;

	(void)arg;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		struct timespec deadline;

		if (generation != watch_generation || !base.when.tv_sec) {
			free(pid_file);
			pid_file = watch_pid_file ? strdup(watch_pid_file) : NULL;
			generation = watch_generation;
			base.have_process = false;
		}
		pthread_mutex_unlock(&lock);
		sample(&base, pid_file, &r);
		pthread_mutex_lock(&lock);
		if (generation != watch_generation)
			continue;	/* the watched process changed meanwhile */
		/* Keep the last ratio until a new one exists (first interval). */
		if (r.have_system || !base.have_system)
			latest.have_system = r.have_system, latest.system = r.system;
		if (r.have_process || !base.have_process)
			latest.have_process = r.have_process, latest.process = r.process;
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += SAMPLER_INTERVAL_S;
		while (!stopping && generation == watch_generation &&
		       pthread_cond_timedwait(&wake, &lock, &deadline) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&lock);
	free(pid_file);
	return NULL;
}

int sampler_start(void)
{
	pthread_condattr_t attr;
	int err;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&wake, &attr);
	pthread_condattr_destroy(&attr);
	stopping = false;
	err = pthread_create(&thread, NULL, sampler_main, NULL);
	if (err)
		return -err;
	pthread_setname_np(thread, "sampler");
	running = true;
	return 0;
}

bool sampler_stop(int grace_ms)
{
	struct timespec until;

	if (!running)
		return true;
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	/* A read of a pid file on a hung mount must not hold up the exit. */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += grace_ms / 1000;
	until.tv_nsec += (long)(grace_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	if (pthread_timedjoin_np(thread, NULL, &until)) {
		log_warn("CPU sampler still reading at exit: its thread is abandoned");
		pthread_detach(thread);
		return false;
	}
	running = false;
	free(watch_pid_file);
	watch_pid_file = NULL;
	return true;
}

void sampler_watch(const char *pid_file)
{
	char *copy = pid_file ? strdup(pid_file) : NULL;

	if (pid_file && !copy) {
		log_error("sampler: out of memory, watched process unchanged");
		return;
	}
	pthread_mutex_lock(&lock);
	if ((copy == NULL) == (watch_pid_file == NULL) &&
	    (!copy || !strcmp(copy, watch_pid_file))) {
		pthread_mutex_unlock(&lock);
		free(copy);
		return;		/* the same process: keep its baseline */
	}
	free(watch_pid_file);
	watch_pid_file = copy;
	/* Another process now: the old one's ratio must not be served, and
	 * the new baseline is taken at once rather than at the next tick. */
	watch_generation++;
	latest.have_process = false;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

void sampler_get(struct cpu_ratios *out)
{
	pthread_mutex_lock(&lock);
	*out = latest;
	pthread_mutex_unlock(&lock);
}
