/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The collector interface. A collector is a name and a collect function
 * that writes its families into an exposition writer; the registry times
 * it and records success, as node_exporter does, and a failing collector
 * never fails the scrape. Each collector runs on its own thread (engine.c),
 * at most one run at a time, against a deadline: a run past the deadline
 * is reported as failed while the rest of the scrape is answered, and
 * is not started again until it ends. The HTTP thread never runs one.
 *
 * Contract for collect():
 * - return 0 on success, or a negative errno after writing into ctx->why
 *   what went wrong (the registry logs it when the state changes);
 * - what could not be read is left out, never written as 0; one bad item
 *   (zone, supply, set, path) drops only itself and is not a failure;
 * - each family's samples are written together (see expo.h);
 * - anything that can block (netlink, files on remote mounts) should use
 *   the time left before ctx->deadline as its timeout (ctx_remaining_ms).
 */
#ifndef BCMON_EXPORTER_COLLECTOR_H
#define BCMON_EXPORTER_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "expo.h"
#include "health.h"

struct scrape_ctx {
	const struct exporter_config *cfg;
	/* CLOCK_MONOTONIC time by which the scrape must be answered. */
	struct timespec deadline;
	/* Facts collectors learn on the way, for the health rules; the
	 * health collector starts with what the others of its scrape learned. */
	struct health_facts facts;
	/* The health collector's verdict, for /health. */
	bool have_report;
	struct health_report report;
	char why[256];
};

struct collector {
	const char *name;
	const char *help;
	bool default_enabled;
	/* Optional, once at start and exit; init failing is not fatal. */
	int (*init)(const struct exporter_config *cfg);
	void (*fini)(void);
	int (*collect)(struct scrape_ctx *ctx, struct expo_writer *w);
};

/*
 * Declares the exporter's own family "<namespace>_<suffix>"; suffix must
 * begin with a reserved word (setnames.h), else -EINVAL and an error log.
 */
int ctx_family(struct scrape_ctx *ctx, struct expo_writer *w, const char *suffix,
	       enum expo_type type, const char *help);
/* The same for a counter set's family (any suffix; reserved sets are skipped). */
int ctx_set_family(struct scrape_ctx *ctx, struct expo_writer *w, const char *suffix,
		   enum expo_type type, const char *help);
/* The same family's record appended to out, for expo_family_add() (expo.h). */
int ctx_set_family_encode(const struct scrape_ctx *ctx, struct strbuf *out,
			  const char *suffix, enum expo_type type, const char *help);
__attribute__((format(printf, 2, 3)))
void ctx_why(struct scrape_ctx *ctx, const char *fmt, ...);
/* Milliseconds left before ctx->deadline, at least 1 (a timeout, not a wait). */
int ctx_remaining_ms(const struct scrape_ctx *ctx);

extern const struct collector collector_proc;
extern const struct collector collector_kmod;
extern const struct collector collector_bpf;
extern const struct collector collector_health;

/* Sensor facts from the module, when the kmod collector did not run; 0 or -errno. */
int kmod_health_facts(const struct scrape_ctx *ctx, struct health_facts *f);

#endif
