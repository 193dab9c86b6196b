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
	uint64_t start_ticks;	/* since boot, identifies the process */
};

/* First "cpu " line of /proc/stat. 0 or -EINVAL. */
int procfs_parse_stat(const char *text, struct cpu_times *out);
/* /proc/PID/stat; the command may hold spaces and ')'. 0 or -EINVAL. */
int procfs_parse_pid_stat(const char *text, struct pid_stat *out);
/* MemTotal and MemAvailable of /proc/meminfo, in bytes. 0 or -EINVAL. */
int procfs_parse_meminfo(const char *text, uint64_t *total, uint64_t *available);

/* Read a small file into buf (NUL-terminated); bytes read or -errno. */
ssize_t procfs_read(const char *path, char *buf, size_t len);
/* pid from a pid file ("1234\n"); -errno or -EINVAL. */
int procfs_read_pid_file(const char *path, pid_t *pid);

#endif
