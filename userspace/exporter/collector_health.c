// SPDX-License-Identifier: GPL-2.0
/*
 * health: the seed's rules over facts the other collectors read in this
 * scrape (or that are read here when they did not run). Its verdict also
 * answers /health (engine.c runs it alone for that). Exported as
 * <ns>_health_status (0 healthy, 1 warning, 2 critical) and one
 * <ns>_health_reason{reason,severity} series per active reason.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "collector.h"
#include "log.h"
#include "procfs.h"
#include "registry.h"
#include "sampler.h"

static pthread_mutex_t status_lock = PTHREAD_MUTEX_INITIALIZER;
static bool status_known;
static enum health_severity last_status;

/* Fill in what the collectors of this scrape did not learn. */
static void health_gather(const struct scrape_ctx *ctx, struct health_facts *f)
{
	if (!f->have_rss) {
		struct pid_stat ps;

		if (!procfs_watched_stat(ctx->cfg->pid_file, &ps, NULL, NULL, 0)) {
			f->have_rss = true;
			f->rss_bytes = ps.rss_pages * (uint64_t)sysconf(_SC_PAGESIZE);
		}
	}
	if (!f->have_cpu) {
		struct cpu_ratios r;

		sampler_get(&r);
		f->have_cpu = r.have_system;
		f->cpu_ratio = r.system;
	}
	/* Sensors come from the module; with kmod disabled they stay unknown. */
	if (!f->have_sensors && registry_enabled("kmod"))
		kmod_health_facts(ctx, f);
}

/* Evaluate, and log a change of status. */
static void health_check(struct scrape_ctx *ctx, struct health_report *r)
{
	health_gather(ctx, &ctx->facts);
	health_evaluate(&ctx->cfg->thresholds, &ctx->facts, r);

	pthread_mutex_lock(&status_lock);
	if (!status_known || r->status != last_status) {
		char reasons[512] = "";

		for (size_t i = 0; i < r->nreasons; i++)
			snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons),
				 "%s%s (%s)", i ? ", " : "", r->reasons[i].reason,
				 r->reasons[i].detail);
		log_msg(r->status == HEALTH_OK ? LOG_LVL_INFO : LOG_LVL_WARN,
			"health status=%s previous=%s reasons=[%s]",
			health_status_name(r->status),
			status_known ? health_status_name(last_status) : "none", reasons);
		last_status = r->status;
		status_known = true;
	}
	pthread_mutex_unlock(&status_lock);
}

static int health_collect(struct scrape_ctx *ctx, struct expo_writer *w)
{
	struct health_report r;
	int err;

	health_check(ctx, &r);
	ctx->report = r;
	ctx->have_report = true;
	err = ctx_family(ctx, w, "health_status", EXPO_GAUGE,
			 "Node health: 0 healthy, 1 warning, 2 critical.");
	if (!err)
		err = expo_sample_u64(w, NULL, 0, (uint64_t)r.status);
	if (!err)
		err = ctx_family(ctx, w, "health_reason", EXPO_GAUGE,
				 "1 for each reason the node is not healthy, with its severity.");
	for (size_t i = 0; !err && i < r.nreasons; i++) {
		struct expo_label l[2] = {
			{ "reason", r.reasons[i].reason },
			{ "severity", health_status_name(r.reasons[i].severity) },
		};

		err = expo_sample_u64(w, l, 2, 1);
	}
	return err;
}

const struct collector collector_health = {
	.name = "health",
	.help = "health status from the configured thresholds, with one series per reason",
	.default_enabled = true,
	.collect = health_collect,
};
