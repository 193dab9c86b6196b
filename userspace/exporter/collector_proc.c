// SPDX-License-Identifier: GPL-2.0
/*
 * proc: the watched process (the exporter itself, or the one named by
 * process.pid_file) and the system: CPU usage ratios from the background
 * sampler, resident memory, memory, and usage of the configured paths.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "collector.h"
#include "procfs.h"
#include "sampler.h"

struct disk_usage {
	bool ok;
	double size, available, free;
};

static int write_gauge(struct scrape_ctx *ctx, struct expo_writer *w,
		       const char *suffix, const char *help, double v)
{
	int err = ctx_family(ctx, w, suffix, EXPO_GAUGE, help);

	return err ? err : expo_sample(w, NULL, 0, v);
}

static int write_cpu_ratios(struct scrape_ctx *ctx, struct expo_writer *w)
{
	struct cpu_ratios r;
	int err = 0;

	sampler_get(&r);
	/* Absent until the sampler has two readings: never a made-up 0. */
	if (r.have_process)
		err = write_gauge(ctx, w, "process_cpu_usage_ratio",
				  "CPU time of the watched process over the last sampling interval, as a share of all CPUs (0-1).",
				  r.process);
	if (!err && r.have_system)
		err = write_gauge(ctx, w, "system_cpu_usage_ratio",
				  "Share of all CPUs' time not idle over the last sampling interval (0-1).",
				  r.system);
	if (r.have_system) {
		ctx->facts.have_cpu = true;
		ctx->facts.cpu_ratio = r.system;
	}
	return err;
}

static int write_process(struct scrape_ctx *ctx, struct expo_writer *w)
{
	long page = sysconf(_SC_PAGESIZE), hz = sysconf(_SC_CLK_TCK);
	struct pid_stat ps;
	int err;

	err = procfs_watched_stat(ctx->cfg->pid_file, &ps, NULL, ctx->why, sizeof(ctx->why));
	if (err)
		return err;
	ctx->facts.have_rss = true;
	ctx->facts.rss_bytes = ps.rss_pages * (uint64_t)page;

	err = write_gauge(ctx, w, "process_resident_memory_bytes",
			  "Resident memory of the watched process.",
			  (double)ctx->facts.rss_bytes);
	if (err)
		return err;
	err = ctx_family(ctx, w, "process_cpu_seconds_total", EXPO_COUNTER,
			 "User and system CPU time of the watched process.");
	return err ? err : expo_sample(w, NULL, 0, (double)ps.cpu_ticks / (double)hz);
}

static int write_memory(struct scrape_ctx *ctx, struct expo_writer *w)
{
	uint64_t total, available;
	char buf[8192];
	int err;

	err = (int)procfs_read("/proc/meminfo", buf, sizeof(buf));
	if (err >= 0)
		err = procfs_parse_meminfo(buf, &total, &available);
	if (err < 0) {
		ctx_why(ctx, "/proc/meminfo: %s", strerror(-err));
		return err;
	}
	err = write_gauge(ctx, w, "system_memory_total_bytes",
			  "Memory the kernel can use (MemTotal).", (double)total);
	return err ? err : write_gauge(ctx, w, "system_memory_available_bytes",
				       "Memory available for new work without swapping (MemAvailable).",
				       (double)available);
}

static int write_disk_family(struct scrape_ctx *ctx, struct expo_writer *w,
			     const struct disk_usage *du, int which,
			     const char *suffix, const char *help)
{
	int err = ctx_family(ctx, w, suffix, EXPO_GAUGE, help);

	for (size_t i = 0; !err && i < ctx->cfg->ndisks; i++) {
		struct expo_label l = { "path", ctx->cfg->disk_paths[i] };
		double v;

		if (!du[i].ok)
			continue;
		switch (which) {
		case 0:
			v = du[i].size;
			break;
		case 1:
			v = du[i].available;
			break;
		default:
			v = du[i].size > 0 ? (du[i].size - du[i].free) / du[i].size : 0;
		}
		err = expo_sample(w, &l, 1, v);
	}
	return err;
}

/* A path that cannot be read drops only its own series. */
static int write_disks(struct scrape_ctx *ctx, struct expo_writer *w)
{
	struct disk_usage du[CONFIG_MAX_DISKS] = { 0 };
	int err;

	for (size_t i = 0; i < ctx->cfg->ndisks; i++) {
		struct statvfs st;

		if (statvfs(ctx->cfg->disk_paths[i], &st))
			continue;
		du[i].ok = true;
		du[i].size = (double)st.f_blocks * (double)st.f_frsize;
		du[i].free = (double)st.f_bfree * (double)st.f_frsize;
		du[i].available = (double)st.f_bavail * (double)st.f_frsize;
	}
	err = write_disk_family(ctx, w, du, 0, "disk_size_bytes",
				"Size of the filesystem holding the path.");
	if (!err)
		err = write_disk_family(ctx, w, du, 1, "disk_available_bytes",
					"Space available to unprivileged users on that filesystem.");
	if (!err)
		err = write_disk_family(ctx, w, du, 2, "disk_usage_ratio",
					"Used share of that filesystem (0-1).");
	return err;
}

static int proc_collect(struct scrape_ctx *ctx, struct expo_writer *w)
{
	int err, first = 0;

	/* Each part stands alone: one failing part does not hide the rest,
	 * but the collector reports the failure. */
	err = write_cpu_ratios(ctx, w);
	if (err == -ENOMEM)
		return err;
	first = err;
	err = write_process(ctx, w);
	if (err == -ENOMEM)
		return err;
	first = first ? first : err;
	err = write_memory(ctx, w);
	if (err == -ENOMEM)
		return err;
	first = first ? first : err;
	err = write_disks(ctx, w);
	return first ? first : err;
}

const struct collector collector_proc = {
	.name = "proc",
	.help = "process and system CPU, memory, disk usage of configured paths",
	.default_enabled = true,
	.collect = proc_collect,
};
