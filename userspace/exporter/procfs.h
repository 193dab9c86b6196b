/* SPDX-License-Identifier: GPL-2.0 */
/* Parsers for the /proc files the proc collector reads (pure, testable)
 * and small readers around them. */
#ifndef BCMON_EXPORTER_PROCFS_H
#define BCMON_EXPORTER_PROCFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct cpu_times {
	uint64_t busy;		/* ticks not idle or iowait */
	uint64_t total;		/* all ticks */
};

struct pid_stat {
	uint64_t cpu_ticks;	/* utime + stime */
	uint64_t rss_pages;
	uint64_t vsize_bytes;
	uint64_t start_ticks;	/* since boot, identifies the process */
};

/* First "cpu " line of /proc/stat. 0 or -EINVAL. */
int procfs_parse_stat(const char *text, struct cpu_times *out);
/* /proc/PID/stat; the command may hold spaces and ')'. 0 or -EINVAL. */
int procfs_parse_pid_stat(const char *text, struct pid_stat *out);
/* MemTotal and MemAvailable of /proc/meminfo, in bytes. 0 or -EINVAL. */
int procfs_parse_meminfo(const char *text, uint64_t *total, uint64_t *available);
/* The "btime" line of /proc/stat (boot time, seconds since the epoch). */
int procfs_parse_btime(const char *text, double *boot);

/* Read a small file into buf (NUL-terminated); bytes read or -errno. */
ssize_t procfs_read(const char *path, char *buf, size_t len);
/*
 * pid from a pid file ("1234\n"); -errno, or -EINVAL for bad contents or
 * a file that is not a regular file: a FIFO (or a device) in its place
 * must not block the reader.
 */
int procfs_read_pid_file(const char *path, pid_t *pid);
/*
 * /proc/PID/stat of the watched process: the one whose pid is in pid_file,
 * or the caller itself when pid_file is NULL. pid may be NULL. 0 or -errno;
 * on failure why (if not NULL) says which step failed.
 */
int procfs_watched_stat(const char *pid_file, struct pid_stat *ps, pid_t *pid,
			char *why, size_t whylen);
int procfs_self_stat(struct pid_stat *ps);
int procfs_boot_time(double *boot);

#endif
