/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scrape engine: the runtime model that keeps the HTTP thread free.
 *
 * - Every collector has its own thread (a runner) and runs at most once at
 *   a time. A collection asks every wanted runner for one run and gathers
 *   the recordings; a runner still busy with an earlier collection (stuck
 *   on a hung mount, say) is not asked again until that run ends, and is
 *   reported as failed (reason "previous_run_stuck").
 * - Requests (a scrape of the telemetry path, or /health) are submitted
 *   from the HTTP thread, which only places them (joining or starting a
 *   collection signals runners; nothing there collects or renders), and
 *   are answered through a callback: by the runner that completes their
 *   collection, or by the engine's own thread at their deadline. A request
 *   joins the collection in flight when there is one that covers it, so
 *   that concurrent scrapes share one collection; it is answered when that
 *   collection is complete or at its own deadline, whichever comes first.
 *   At the deadline, collectors still running are reported with success 0
 *   (reason "deadline_exceeded") and the rest is served. A scrape thus
 *   costs two thread hand-offs (listener to runner, runner to listener),
 *   not four through the engine's thread.
 * - Answers are rendered once per format and encoding of a collection and
 *   shared by reference among the requests that asked for the same.
 */
#ifndef BCMON_EXPORTER_ENGINE_H
#define BCMON_EXPORTER_ENGINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "expo.h"

enum engine_kind {
	ENGINE_METRICS,		/* every enabled collector, rendered as a scrape */
	ENGINE_HEALTH,		/* the health collector only, as /health's JSON */
};

/* One answer, shared by the requests it answers. */
struct engine_answer {
	atomic_int refs;
	unsigned int status;
	const char *content_type;
	const char *encoding;	/* "gzip" or NULL */
	char *body;
	size_t len;
};

void engine_answer_put(struct engine_answer *a);
/* A plain-text answer (one reference), or NULL without memory. */
struct engine_answer *engine_answer_text(unsigned int status, const char *text);

struct engine_request {
	enum engine_kind kind;
	enum expo_format fmt;
	bool gzip;
	struct timespec deadline;	/* CLOCK_MONOTONIC: answer by then */
	/*
	 * Called once, on the engine's thread or a runner's, with a reference
	 * to the answer that the callee owns (engine_answer_put). Must not
	 * block.
	 */
	void (*answer)(struct engine_request *req, struct engine_answer *a);
	/* the engine's */
	struct engine_request *next;
	struct collection *coll;
};

/* Starts the runners and the engine's thread; owns cfg from now on. 0 or -errno. */
int engine_start(struct exporter_config *cfg);
/* A new configuration for collections started from now on; owns cfg. */
void engine_set_config(struct exporter_config *cfg);
/* Queue a request; it is answered exactly once. false: the engine is
 * stopping and took nothing (the caller answers). */
bool engine_submit(struct engine_request *req);
/*
 * Answer every waiting request (503), stop the engine's thread and the
 * runners, waiting at most grace_ms for runs in progress. Returns the
 * mask (1 << registry index) of collectors still running: their threads
 * are abandoned, and their fini must not run.
 */
unsigned int engine_stop(int grace_ms);

#endif
