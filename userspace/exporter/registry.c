// SPDX-License-Identifier: GPL-2.0
#include "registry.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "collector.h"
#include "log.h"
#include "setnames.h"

#ifndef BCMON_VERSION
#define BCMON_VERSION "0.0.0"
#endif

/* Order matters: health runs last so that it sees what the others read. */
static const struct collector *const collectors[] = {
	&collector_proc,
	&collector_kmod,
	&collector_bpf,
	&collector_health,
};
#define NCOLLECTORS (sizeof(collectors) / sizeof(collectors[0]))

struct collector_state {
	bool enabled;
	bool set_by_flag;
	bool ok;		/* last scrape's outcome */
	bool ran;
	double seconds;
};

static struct collector_state state[NCOLLECTORS];
static bool self_enabled = true;
static bool defaults_done;

static void apply_defaults(void)
{
	if (defaults_done)
		return;
	for (size_t i = 0; i < NCOLLECTORS; i++)
		if (!state[i].set_by_flag)
			state[i].enabled = collectors[i]->default_enabled;
	defaults_done = true;
}

int registry_set_enabled(const char *name, bool enabled)
{
	if (!strcmp(name, "self")) {
		self_enabled = enabled;
		return 0;
	}
	for (size_t i = 0; i < NCOLLECTORS; i++) {
		if (strcmp(collectors[i]->name, name))
			continue;
		state[i].enabled = enabled;
		state[i].set_by_flag = true;
		return 0;
	}
	return -ENOENT;
}

bool registry_enabled(const char *name)
{
	apply_defaults();
	for (size_t i = 0; i < NCOLLECTORS; i++)
		if (!strcmp(collectors[i]->name, name))
			return state[i].enabled;
	return !strcmp(name, "self") && self_enabled;
}

void registry_print_help(FILE *f)
{
	for (size_t i = 0; i < NCOLLECTORS; i++)
		fprintf(f, "  --[no-]collector.%-8s %s (default: %s)\n", collectors[i]->name,
			collectors[i]->help,
			collectors[i]->default_enabled ? "enabled" : "disabled");
	fprintf(f, "  --[no-]collector.%-8s %s (default: enabled)\n", "self",
		"the exporter's own metrics: per-collector duration and success, build info");
}

void registry_init(const struct exporter_config *cfg)
{
	apply_defaults();
	for (size_t i = 0; i < NCOLLECTORS; i++) {
		int err;

		log_info("collector name=%s enabled=%s", collectors[i]->name,
			 state[i].enabled ? "true" : "false");
		if (!state[i].enabled || !collectors[i]->init)
			continue;
		err = collectors[i]->init(cfg);
		if (err)
			log_warn("collector name=%s init failed: %s (retried at scrape time)",
				 collectors[i]->name, strerror(-err));
	}
}

void registry_fini(void)
{
	for (size_t i = 0; i < NCOLLECTORS; i++)
		if (state[i].enabled && collectors[i]->fini)
			collectors[i]->fini();
}

int ctx_set_family(struct scrape_ctx *ctx, struct expo_writer *w, const char *suffix,
		   enum expo_type type, const char *help)
{
	char name[320];

	snprintf(name, sizeof(name), "%s_%s", ctx->cfg->namespace_, suffix);
	return expo_family(w, name, type, help);
}

int ctx_family(struct scrape_ctx *ctx, struct expo_writer *w, const char *suffix,
	       enum expo_type type, const char *help)
{
	/*
	 * The exporter's own families stay inside its reserved words, the
	 * only names no counter set can take (setnames.h); one outside
	 * would be a bug here, refused so that tests see it at once.
	 */
	if (!first_word_reserved(suffix)) {
		log_error("family %s is outside the exporter's reserved words (BCMON_EXPORTER_RESERVED_WORDS)",
			  suffix);
		return -EINVAL;
	}
	return ctx_set_family(ctx, w, suffix, type, help);
}

void ctx_why(struct scrape_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->why, sizeof(ctx->why), fmt, ap);
	va_end(ap);
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Log only changes of a collector's outcome: a missing module would
 * otherwise write the same line every scrape. */
static void note_outcome(size_t i, int err, const char *why)
{
	struct collector_state *s = &state[i];
	bool ok = err == 0;

	if (!s->ran || s->ok != ok) {
		if (ok)
			log_info("collector name=%s succeeded", collectors[i]->name);
		else
			log_warn("collector name=%s failed: %s", collectors[i]->name,
				 why[0] ? why : strerror(-err));
	} else if (!ok) {
		log_debug("collector name=%s failed: %s", collectors[i]->name,
			  why[0] ? why : strerror(-err));
	}
	s->ok = ok;
	s->ran = true;
}

static int write_self(struct scrape_ctx *ctx, struct expo_writer *w)
{
	struct expo_label l;
	int err;

	l.name = "collector";
	err = ctx_family(ctx, w, "scrape_collector_duration_seconds", EXPO_GAUGE,
			 "Time a collector took in the last scrape.");
	for (size_t i = 0; !err && i < NCOLLECTORS; i++) {
		if (!state[i].enabled)
			continue;
		l.value = collectors[i]->name;
		err = expo_sample(w, &l, 1, state[i].seconds);
	}
	if (err)
		return err;
	err = ctx_family(ctx, w, "scrape_collector_success", EXPO_GAUGE,
			 "1 when the collector succeeded in the last scrape, else 0.");
	for (size_t i = 0; !err && i < NCOLLECTORS; i++) {
		if (!state[i].enabled)
			continue;
		l.value = collectors[i]->name;
		err = expo_sample_u64(w, &l, 1, state[i].ok ? 1 : 0);
	}
	if (err)
		return err;
	err = ctx_family(ctx, w, "exporter_build_info", EXPO_GAUGE,
			 "Constant 1, labelled with the bcmon-exporter version.");
	if (err)
		return err;
	l.name = "version";
	l.value = BCMON_VERSION;
	return expo_sample_u64(w, &l, 1, 1);
}

int registry_scrape(const struct exporter_config *cfg, struct expo_writer *w)
{
	struct scrape_ctx ctx;
	int err;

	apply_defaults();
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = cfg;
	for (size_t i = 0; i < NCOLLECTORS; i++) {
		double start;

		if (!state[i].enabled)
			continue;
		ctx.why[0] = '\0';
		start = now_seconds();
		err = collectors[i]->collect(&ctx, w);
		state[i].seconds = now_seconds() - start;
		if (err == -ENOMEM)
			return err;
		note_outcome(i, err, ctx.why);
	}
	if (!self_enabled)
		return 0;
	err = write_self(&ctx, w);
	if (err)
		log_error("self metrics: %s", strerror(-err));
	return err == -ENOMEM ? err : 0;
}
