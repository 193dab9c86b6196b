// SPDX-License-Identifier: GPL-2.0
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int procfs_parse_stat(const char *text, struct cpu_times *out)
{
	uint64_t v[8] = { 0 };
	const char *line = text;

	while (line && strncmp(line, "cpu ", 4)) {
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	/* user nice system idle iowait irq softirq steal; guest time is
	 * already inside user and nice, so it is not added again. */
	if (!line || sscanf(line + 4, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
			    " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
			    &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 4)
		return -EINVAL;
	out->total = 0;
	for (int i = 0; i < 8; i++)
		out->total += v[i];
	out->busy = out->total - v[3] - v[4];
	return 0;
}

/*
 * Field k (1-based, counting from the state, field 3) of the text after
 * "pid (comm)", as an unsigned number; false when it is not one.
 */
static bool stat_field(const char *p, int k, uint64_t *v)
{
	char *end;

	for (int f = 3; f < k; f++) {
		p = strchr(p, ' ');
		if (!p)
			return false;
		p++;
	}
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	*v = strtoull(p, &end, 10);
	return !errno && (*end == ' ' || *end == '\n' || !*end);
}

int procfs_parse_pid_stat(const char *text, struct pid_stat *out)
{
	const char *p = strrchr(text, ')');
	uint64_t utime, stime, start, vsize, rss;

	/*
	 * After "pid (comm) ": state is field 3, utime 14, stime 15,
	 * starttime 22, vsize 23, rss 24; single spaces between fields.
	 * (Walked by hand: sscanf() with a score of conversions was most of
	 * the exporter's own metrics' cost.)
	 */
	if (!p || p[1] != ' ' || !p[2])
		return -EINVAL;
	p += 2;
	if (!stat_field(p, 14, &utime) || !stat_field(p, 15, &stime) ||
	    !stat_field(p, 22, &start) || !stat_field(p, 23, &vsize) ||
	    !stat_field(p, 24, &rss))
		return -EINVAL;
	out->cpu_ticks = utime + stime;
	out->start_ticks = start;
	out->vsize_bytes = vsize;
	out->rss_pages = rss;
	return 0;
}

static int meminfo_field(const char *text, const char *key, uint64_t *bytes)
{
	const char *p = strstr(text, key);
	uint64_t kb;

	while (p && p != text && p[-1] != '\n')
		p = strstr(p + 1, key);
	if (!p || sscanf(p + strlen(key), " %" SCNu64 " kB", &kb) != 1)
		return -EINVAL;
	*bytes = kb * 1024;
	return 0;
}

int procfs_parse_meminfo(const char *text, uint64_t *total, uint64_t *available)
{
	if (meminfo_field(text, "MemTotal:", total) ||
	    meminfo_field(text, "MemAvailable:", available))
		return -EINVAL;
	return 0;
}

int procfs_parse_btime(const char *text, double *boot)
{
	const char *p = strstr(text, "\nbtime ");
	uint64_t v;

	if (!p || sscanf(p + 7, "%" SCNu64, &v) != 1)
		return -EINVAL;
	*boot = (double)v;
	return 0;
}

/* Read what an open fd holds into buf (NUL-terminated); closes fd. */
static ssize_t read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len - 1) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	close(fd);
	return (ssize_t)got;
}

ssize_t procfs_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return read_all(fd, buf, len);
}

int procfs_read_pid_file(const char *path, pid_t *pid)
{
	char buf[32], *end;
	struct stat st;
	ssize_t n;
	long v;
	int fd;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	n = read_all(fd, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	v = strtol(buf, &end, 10);
	if (end == buf || v <= 0 || (*end && *end != '\n'))
		return -EINVAL;
	*pid = (pid_t)v;
	return 0;
}

int procfs_watched_stat(const char *pid_file, struct pid_stat *ps, pid_t *pid_out,
			char *why, size_t whylen)
{
	char path[64], buf[2048];
	pid_t pid = getpid();
	int err;

	if (pid_file) {
		err = procfs_read_pid_file(pid_file, &pid);
		if (err) {
			if (why)
				snprintf(why, whylen, "pid file %s: %s", pid_file,
					 err == -EINVAL ? "not a regular file holding a pid"
							: strerror(-err));
			return err;
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	err = (int)procfs_read(path, buf, sizeof(buf));
	if (err >= 0)
		err = procfs_parse_pid_stat(buf, ps);
	if (err < 0) {
		if (why)
			snprintf(why, whylen, "%s: %s", path, strerror(-err));
		return err;
	}
	if (pid_out)
		*pid_out = pid;
	return 0;
}

/*
 * /proc/self/stat is opened once and read again from offset 0 each time
 * (procfs makes the text afresh for every read at 0): a path walk
 * through /proc and an open and close fewer per scrape. pread() leaves
 * the descriptor's offset alone, so callers on any thread may share it;
 * the lock covers opening it.
 */
int procfs_self_stat(struct pid_stat *ps)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static int fd = -1;
	char buf[1024];
	ssize_t n;
	int self;

	pthread_mutex_lock(&lock);
	if (fd < 0)
		fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	self = fd;
	pthread_mutex_unlock(&lock);
	if (self < 0)
		return -errno;
	do
		n = pread(self, buf, sizeof(buf) - 1, 0);
	while (n < 0 && errno == EINTR);
	/* The line is far shorter than buf; a full buf would be a cut line. */
	if (n <= 0 || (size_t)n >= sizeof(buf) - 1)
		return n < 0 ? -errno : -EINVAL;
	buf[n] = '\0';
	return procfs_parse_pid_stat(buf, ps);
}

int procfs_boot_time(double *boot)
{
	char buf[8192];
	ssize_t n = procfs_read("/proc/stat", buf, sizeof(buf));

	return n < 0 ? (int)n : procfs_parse_btime(buf, boot);
}
