// SPDX-License-Identifier: GPL-2.0
#include "self.h"

#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "log.h"
#include "procfs.h"
#include "stats.h"

#ifndef BCMON_VERSION
#define BCMON_VERSION "0.0.0"
#endif
#ifndef BCMON_REVISION
#define BCMON_REVISION "unknown"
#endif

#if defined(__clang__)
#define COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define COMPILER "gcc " __VERSION__
#else
#define COMPILER "unknown"
#endif

const char *self_outcome_reason(enum collector_outcome_state s)
{
	switch (s) {
	case OUTCOME_OK:
		return "";
	case OUTCOME_ERROR:
		return "error";
	case OUTCOME_DEADLINE:
		return "deadline_exceeded";
	case OUTCOME_STUCK:
		break;
	}
	return "previous_run_stuck";
}

/* Writes into one family; -ENOMEM stops everything, other errors only it. */
struct self_out {
	struct expo_writer *w;
	const char *ns;
	int err;
};

static bool family(struct self_out *o, const char *suffix, bool prefixed,
		   enum expo_type type, const char *help)
{
	size_t ln = prefixed ? strlen(o->ns) : 0, ls = strlen(suffix);
	char name[320];
	int err;

	if (o->err)
		return false;
	if (ln + 1 + ls >= sizeof(name))
		return false;	/* no valid name is this long */
	/* Copies, not snprintf(): a score of families every scrape. */
	memcpy(name, o->ns, ln);
	if (prefixed)
		name[ln++] = '_';
	memcpy(name + ln, suffix, ls + 1);
	err = expo_family(o->w, name, type, help);
	if (err == -ENOMEM)
		o->err = err;
	else if (err)
		log_debug("self metric %s skipped: %s", name, strerror(-err));
	return !err;
}

static void sample(struct self_out *o, const struct expo_label *l, size_t n, double v)
{
	if (!o->err && expo_sample(o->w, l, n, v) == -ENOMEM)
		o->err = -ENOMEM;
}

static void sample_u64(struct self_out *o, const struct expo_label *l, size_t n, uint64_t v)
{
	if (!o->err && expo_sample_u64(o->w, l, n, v) == -ENOMEM)
		o->err = -ENOMEM;
}

static void write_outcomes(struct self_out *o, const struct collector_outcome *oc, size_t n)
{
	struct expo_label l[2] = { { "collector", NULL }, { "reason", NULL } };

	if (family(o, "scrape_collector_duration_seconds", true, EXPO_GAUGE,
		   "Time the collector took in this scrape (so far, when it did not finish)."))
		for (size_t i = 0; i < n; i++) {
			l[0].value = oc[i].name;
			sample(o, l, 1, oc[i].seconds);
		}
	if (family(o, "scrape_collector_success", true, EXPO_GAUGE,
		   "1 when the collector succeeded in this scrape, else 0."))
		for (size_t i = 0; i < n; i++) {
			l[0].value = oc[i].name;
			sample_u64(o, l, 1, oc[i].state == OUTCOME_OK);
		}
	if (family(o, "scrape_collector_failure_reason", true, EXPO_GAUGE,
		   "1 for a collector that failed in this scrape, with why: error, deadline_exceeded or previous_run_stuck."))
		for (size_t i = 0; i < n; i++) {
			if (oc[i].state == OUTCOME_OK)
				continue;
			l[0].value = oc[i].name;
			l[1].value = self_outcome_reason(oc[i].state);
			sample_u64(o, l, 2, 1);
		}
}

static void write_build_and_http(struct self_out *o)
{
	struct expo_label l[3] = {
		{ "version", BCMON_VERSION },
		{ "revision", BCMON_REVISION },
		{ "compiler", COMPILER },
	};
	struct stats_snapshot s;
	char code[16];

	if (family(o, "exporter_build_info", true, EXPO_GAUGE,
		   "Constant 1, labelled with the bcmon-exporter version, source revision and compiler."))
		sample_u64(o, l, 3, 1);
	stats_snapshot(&s);
	if (family(o, "exporter_http_requests_total", true, EXPO_COUNTER,
		   "HTTP requests answered, by handler and status code."))
		for (unsigned int h = 0; h < STATS_NHANDLERS; h++)
			for (unsigned int c = 0; c < STATS_NCODES; c++) {
				if (!s.requests[h][c])
					continue;
				if (s.codes[c])
					snprintf(code, sizeof(code), "%u", s.codes[c]);
				else
					snprintf(code, sizeof(code), "other");
				l[0] = (struct expo_label){ "handler", stats_handler_name(h) };
				l[1] = (struct expo_label){ "code", code };
				sample_u64(o, l, 2, s.requests[h][c]);
			}
	if (family(o, "exporter_http_requests_in_flight", true, EXPO_GAUGE,
		   "Requests for the metrics or /health being served now (this one included)."))
		sample(o, NULL, 0, (double)s.in_flight);
	if (family(o, "exporter_http_auth_rejections_total", true, EXPO_COUNTER,
		   "Requests refused by authentication, by reason."))
		for (unsigned int a = 0; a < STATS_NAUTH; a++) {
			l[0] = (struct expo_label){ "reason", stats_auth_name(a) };
			sample_u64(o, l, 1, s.auth_rejected[a]);
		}
	if (family(o, "exporter_bcrypt_checks_total", true, EXPO_COUNTER,
		   "Passwords checked with bcrypt (credentials not found in the cache)."))
		sample_u64(o, NULL, 0, s.bcrypt_runs);
	if (family(o, "exporter_http_connections_evicted_total", true, EXPO_COUNTER,
		   "Idle connections closed to make room beyond --web.max-connections."))
		sample_u64(o, NULL, 0, s.evicted);
	if (family(o, "exporter_collections_total", true, EXPO_COUNTER,
		   "Collections run; concurrent scrapes share one."))
		sample_u64(o, NULL, 0, s.collections);
}

/*
 * Entries of /proc/self/fd, through a descriptor kept open and rewound
 * each time (no path walk, no opendir() buffer, no fstat()). It and the
 * one of /proc/self/stat (procfs.c) are open descriptors of this process
 * and are counted like any other, as client_golang counts the one it
 * opens to read the directory.
 */
static int count_open_fds(void)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static int dir = -1;
	char buf[4096];
	ssize_t got;
	int n = 0;

	pthread_mutex_lock(&lock);
	if (dir < 0)
		dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0 || lseek(dir, 0, SEEK_SET) < 0) {
		n = -errno;
		goto out;
	}
	while ((got = getdents64(dir, buf, sizeof(buf))) > 0) {
		for (ssize_t at = 0; at < got;) {
			const struct dirent64 *e = (const struct dirent64 *)(buf + at);

			n += e->d_name[0] != '.';
			at += e->d_reclen;
		}
	}
	if (got < 0)
		n = -errno;
out:
	pthread_mutex_unlock(&lock);
	return n;
}

static double rlimit_value(int resource)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl))
		return -1;
	/* Unlimited is the largest value, as client_golang reports it. */
	return rl.rlim_cur == RLIM_INFINITY ? 18446744073709551615.0 : (double)rl.rlim_cur;
}

/* The boot time does not change: /proc/stat (a costly file) is read once. */
static pthread_once_t boot_once = PTHREAD_ONCE_INIT;
static double boot_cached;
static int boot_err;

static void boot_init(void)
{
	boot_err = procfs_boot_time(&boot_cached);
}

static int boot_time(double *boot)
{
	pthread_once(&boot_once, boot_init);
	*boot = boot_cached;
	return boot_err;
}

static void write_process(struct self_out *o)
{
	struct pid_stat ps;
	double boot;
	int fds;

	if (procfs_self_stat(&ps)) {
		log_debug("self: /proc/self/stat unreadable");
		return;
	}
	if (family(o, "process_cpu_seconds_total", false, EXPO_COUNTER,
		   "Total user and system CPU time spent in seconds."))
		sample(o, NULL, 0, (double)ps.cpu_ticks / (double)sysconf(_SC_CLK_TCK));
	fds = count_open_fds();
	if (fds >= 0 && family(o, "process_open_fds", false, EXPO_GAUGE,
			       "Number of open file descriptors."))
		sample(o, NULL, 0, fds);
	if (family(o, "process_max_fds", false, EXPO_GAUGE,
		   "Maximum number of open file descriptors."))
		sample(o, NULL, 0, rlimit_value(RLIMIT_NOFILE));
	if (family(o, "process_virtual_memory_bytes", false, EXPO_GAUGE,
		   "Virtual memory size in bytes."))
		sample(o, NULL, 0, (double)ps.vsize_bytes);
	if (family(o, "process_virtual_memory_max_bytes", false, EXPO_GAUGE,
		   "Maximum amount of virtual memory available in bytes."))
		sample(o, NULL, 0, rlimit_value(RLIMIT_AS));
	if (family(o, "process_resident_memory_bytes", false, EXPO_GAUGE,
		   "Resident memory size in bytes."))
		sample(o, NULL, 0, (double)(ps.rss_pages * (uint64_t)sysconf(_SC_PAGESIZE)));
	if (!boot_time(&boot) &&
	    family(o, "process_start_time_seconds", false, EXPO_GAUGE,
		   "Start time of the process since unix epoch in seconds."))
		sample(o, NULL, 0, boot + (double)ps.start_ticks / (double)sysconf(_SC_CLK_TCK));
}

int self_write(struct expo_writer *w, const char *ns,
	       const struct collector_outcome *oc, size_t n)
{
	struct self_out o = { .w = w, .ns = ns };

	write_outcomes(&o, oc, n);
	write_build_and_http(&o);
	write_process(&o);
	return o.err;
}
