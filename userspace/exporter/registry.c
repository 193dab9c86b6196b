// SPDX-License-Identifier: GPL-2.0
#include "registry.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "setnames.h"

/* Order matters: health runs last so that it sees what the others read. */
static const struct collector *const collectors[] = {
	&collector_proc,
	&collector_kmod,
	&collector_bpf,
	&collector_health,
};
#define NCOLLECTORS (sizeof(collectors) / sizeof(collectors[0]))

static struct {
	bool enabled;
	bool set_by_flag;
} state[NCOLLECTORS];
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
	int i = registry_index(name);

	if (i >= 0)
		return registry_index_enabled((size_t)i);
	return !strcmp(name, "self") && self_enabled;
}

size_t registry_count(void)
{
	return NCOLLECTORS;
}

const struct collector *registry_collector(size_t i)
{
	return collectors[i];
}

bool registry_index_enabled(size_t i)
{
	apply_defaults();
	return state[i].enabled;
}

int registry_index(const char *name)
{
	for (size_t i = 0; i < NCOLLECTORS; i++)
		if (!strcmp(collectors[i]->name, name))
			return (int)i;
	return -1;
}

void registry_print_help(FILE *f)
{
	for (size_t i = 0; i < NCOLLECTORS; i++)
		fprintf(f, "  --[no-]collector.%-8s %s (default: %s)\n", collectors[i]->name,
			collectors[i]->help,
			collectors[i]->default_enabled ? "enabled" : "disabled");
	fprintf(f, "  --[no-]collector.%-8s %s (default: enabled)\n", "self",
		"the exporter's own metrics: collector outcomes, HTTP, process_*, build info");
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

void registry_fini(unsigned int skip_mask)
{
	for (size_t i = 0; i < NCOLLECTORS; i++)
		if (state[i].enabled && collectors[i]->fini && !(skip_mask & (1u << i)))
			collectors[i]->fini();
}

/* "<namespace>_<suffix>" into name; memcpy, not snprintf(): once per family. */
static int family_name(const struct scrape_ctx *ctx, const char *suffix, char *name,
		       size_t len)
{
	size_t ln = strlen(ctx->cfg->namespace_), ls = strlen(suffix);

	if (ln + 1 + ls >= len)
		return -EINVAL;		/* longer than any valid name */
	memcpy(name, ctx->cfg->namespace_, ln);
	name[ln] = '_';
	memcpy(name + ln + 1, suffix, ls + 1);
	return 0;
}

int ctx_set_family(struct scrape_ctx *ctx, struct expo_writer *w, const char *suffix,
		   enum expo_type type, const char *help)
{
	char name[320];
	int err = family_name(ctx, suffix, name, sizeof(name));

	return err ?: expo_family(w, name, type, help);
}

int ctx_set_family_encode(const struct scrape_ctx *ctx, struct strbuf *out,
			  const char *suffix, enum expo_type type, const char *help)
{
	char name[320];
	int err = family_name(ctx, suffix, name, sizeof(name));

	return err ?: expo_family_encode(out, name, type, help);
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

int ctx_remaining_ms(const struct scrape_ctx *ctx)
{
	struct timespec now;
	long long ms;

	/* The coarse clock (no system call where the clock source has no
	 * vDSO read, as under emulation): a few ms late at most. */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	ms = (long long)(ctx->deadline.tv_sec - now.tv_sec) * 1000 +
	     (ctx->deadline.tv_nsec - now.tv_nsec) / 1000000;
	return ms < 1 ? 1 : ms > 3600 * 1000 ? 3600 * 1000 : (int)ms;
}
