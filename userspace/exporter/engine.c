// SPDX-License-Identifier: GPL-2.0
/*
 * The scrape engine (see engine.h): runners, collections and the thread
 * that answers requests at their deadlines (runners answer the ones their
 * collection completes). One mutex (engine.lock) guards all of the state
 * below; nothing slow happens under it: collectors run and answers are
 * rendered with the lock dropped. A finished part of a collection is never
 * changed again, so a renderer may read it without the lock while the
 * collection is referenced.
 */
#include "engine.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "collector.h"
#include "gzip.h"
#include "log.h"
#include "registry.h"
#include "self.h"
#include "stats.h"

#define MAX_COLLECTORS 8

/* Health starts once the other parts are done, or when this share of the
 * collection's time is used up, with the facts learned by then. */
#define HEALTH_START_SHARE 0.75

enum part_state {
	PART_UNWANTED,		/* not part of this collection */
	PART_RUNNING,
	PART_WAITING,		/* health, until the others are done */
	PART_DONE,
	PART_STUCK,		/* the runner was busy with an earlier run */
};

struct part {
	enum part_state state;
	struct expo_writer *rec;	/* DONE: what it recorded (may be NULL: ENOMEM) */
	int err;
	double seconds;
	struct timespec stuck_since;	/* STUCK: when that earlier run began */
};

/* A configuration shared by the collections that use it. */
struct cfg_ref {
	struct exporter_config *cfg;
	int refs;
};

struct collection {
	int refs;			/* the engine's list, runners in it, renderers */
	bool listed;
	struct collection *next;
	enum engine_kind kind;
	struct cfg_ref *cfg;
	struct timespec started, deadline, health_at;
	struct part part[MAX_COLLECTORS];
	unsigned int pending;		/* parts RUNNING or WAITING */
	struct health_facts facts;	/* merged from finished parts */
	bool have_report;
	struct health_report report;
	/* answers rendered once complete: by format and gzip, and health */
	struct engine_answer *answers[EXPO_NFORMATS][2];
	struct engine_answer *health_answer;
};

struct runner {
	size_t idx;
	const struct collector *c;
	pthread_t thread;
	bool started;
	pthread_cond_t wake;
	struct collection *job;		/* assigned, not yet finished */
	struct timespec busy_since;
	/* outcome logging: only changes are logged at warn/info */
	bool ran, ok;
	struct expo_size hint;		/* the last recording's room (runner's own) */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* the engine's thread */
	pthread_t thread;
	bool started, stopping;
	struct cfg_ref *cfg;
	struct engine_request *waiting;			/* placed, not yet answered */
	/* When the engine's thread wakes next by itself; {0, 0} while it
	 * is awake (it looks at every waiting request before it sleeps). */
	struct timespec sleep_until;
	struct collection *collections;
	struct runner runners[MAX_COLLECTORS];
	size_t nrunners;
} engine = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void cond_init_monotonic(pthread_cond_t *c)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(c, &attr);
	pthread_condattr_destroy(&attr);
}

/* Threads named for top, perf and /proc/PID/task (at most 15 bytes). */
static void name_thread(pthread_t t, const char *prefix, const char *name)
{
	char comm[16];

	snprintf(comm, sizeof(comm), "%s%s", prefix, name);
	pthread_setname_np(t, comm);
}

/* --- configuration references (under lock) --------------------------- */

static struct cfg_ref *cfg_ref_new(struct exporter_config *cfg)
{
	struct cfg_ref *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->cfg = cfg;
	r->refs = 1;
	return r;
}

/* Returns the configuration to free once the lock is dropped, or NULL. */
static struct exporter_config *cfg_ref_put(struct cfg_ref *r)
{
	struct exporter_config *cfg;

	if (--r->refs)
		return NULL;
	cfg = r->cfg;
	free(r);
	return cfg;
}

/* --- answers ------------------------------------------------------------ */

void engine_answer_put(struct engine_answer *a)
{
	if (!a || atomic_fetch_sub(&a->refs, 1) != 1)
		return;
	free(a->body);
	free(a);
}

static struct engine_answer *answer_get(struct engine_answer *a)
{
	atomic_fetch_add(&a->refs, 1);
	return a;
}

struct engine_answer *engine_answer_text(unsigned int status, const char *text)
{
	struct engine_answer *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	atomic_init(&a->refs, 1);
	a->status = status;
	a->content_type = "text/plain; charset=utf-8";
	a->body = strdup(text);
	if (!a->body) {
		free(a);
		return NULL;
	}
	a->len = strlen(text);
	return a;
}

/* --- collections (under lock) ------------------------------------------ */

static void collection_free(struct collection *c, struct exporter_config **cfg_out)
{
	for (size_t i = 0; i < MAX_COLLECTORS; i++)
		expo_free(c->part[i].rec);
	for (int f = 0; f < EXPO_NFORMATS; f++)
		for (int g = 0; g < 2; g++)
			engine_answer_put(c->answers[f][g]);
	engine_answer_put(c->health_answer);
	*cfg_out = cfg_ref_put(c->cfg);
	free(c);
}

/* Drop a reference; the configuration to free afterwards comes back. */
static void collection_put(struct collection *c, struct exporter_config **cfg_out)
{
	*cfg_out = NULL;
	if (--c->refs == 0)
		collection_free(c, cfg_out);
}

static bool part_finished(const struct part *p)
{
	return p->state == PART_DONE || p->state == PART_STUCK || p->state == PART_UNWANTED;
}

static bool collection_complete(const struct collection *c)
{
	return c->pending == 0;
}

static void merge_facts(struct health_facts *dst, const struct health_facts *src)
{
	if (src->have_rss) {
		dst->have_rss = true;
		dst->rss_bytes = src->rss_bytes;
	}
	if (src->have_cpu) {
		dst->have_cpu = true;
		dst->cpu_ratio = src->cpu_ratio;
	}
	if (src->have_throttling) {
		dst->have_throttling = true;
		dst->throttling = src->throttling;
	}
	if (src->have_sensors) {
		dst->have_sensors = true;
		dst->nbatteries = src->nbatteries;
		memcpy(dst->battery, src->battery, sizeof(dst->battery));
	}
}

/* Hand part i of c to its runner, or mark it stuck. */
static void start_part(struct collection *c, size_t i)
{
	struct runner *r = &engine.runners[i];

	if (r->job) {
		c->part[i].state = PART_STUCK;
		c->part[i].stuck_since = r->busy_since;
		return;
	}
	c->part[i].state = PART_RUNNING;
	c->pending++;
	c->refs++;
	r->job = c;
	r->busy_since = mono_now();
	pthread_cond_signal(&r->wake);
}

static int health_index(void)
{
	return registry_index("health");
}

static struct collection *collection_new(enum engine_kind kind, struct timespec deadline)
{
	struct collection *c = calloc(1, sizeof(*c));
	int h = health_index();

	if (!c)
		return NULL;
	c->refs = 1;
	c->listed = true;
	c->kind = kind;
	c->cfg = engine.cfg;
	c->cfg->refs++;
	c->started = mono_now();
	c->deadline = deadline;
	c->health_at = mono_add(c->started, HEALTH_START_SHARE * mono_diff(c->started, deadline));
	for (size_t i = 0; i < engine.nrunners; i++) {
		bool wanted = kind == ENGINE_HEALTH ? (int)i == h : registry_index_enabled(i);

		if (!wanted)
			continue;
		if ((int)i == h && kind == ENGINE_METRICS) {
			c->part[i].state = PART_WAITING;	/* after the others */
			c->pending++;
			continue;
		}
		start_part(c, i);
	}
	c->next = engine.collections;
	engine.collections = c;
	stats_collection_started();
	return c;
}

/* Health starts when every other part is finished, or at health_at. */
static void maybe_start_health(struct collection *c, struct timespec now)
{
	int h = health_index();
	bool others_done = true;

	if (h < 0 || c->part[h].state != PART_WAITING)
		return;
	for (size_t i = 0; i < engine.nrunners; i++)
		if ((int)i != h && !part_finished(&c->part[i]))
			others_done = false;
	if (!others_done && mono_before(now, c->health_at))
		return;
	c->pending--;
	start_part(c, (size_t)h);
}

/*
 * A collection covers a request when it is still running, within the
 * deadline it was started for (one held up by a stuck collector must not
 * serve its results to later scrapes), and has what the request wants.
 */
static bool covers(const struct collection *c, const struct engine_request *req,
		   struct timespec now)
{
	if (collection_complete(c) || !mono_before(now, c->deadline))
		return false;
	if (req->kind == ENGINE_HEALTH) {
		int h = health_index();

		return h >= 0 && c->part[h].state != PART_UNWANTED &&
		       c->part[h].state != PART_STUCK && c->part[h].state != PART_DONE;
	}
	return c->kind == ENGINE_METRICS && c->cfg == engine.cfg;
}

static void place(struct engine_request *req, struct timespec now)
{
	struct collection *c;

	for (c = engine.collections; c; c = c->next)
		if (covers(c, req, now))
			break;
	if (!c)
		c = collection_new(req->kind, req->deadline);
	req->coll = c;
	if (c)
		c->refs++;
	req->next = engine.waiting;
	engine.waiting = req;
}

/* --- runners ------------------------------------------------------------ */

static bool answer_due(struct timespec now);
static void retire_collections(struct timespec now, struct exporter_config **stale_out);

static void note_outcome(struct runner *r, int err, const char *why)
{
	bool ok = err == 0;

	if (!r->ran || r->ok != ok) {
		if (ok)
			log_info("collector name=%s succeeded", r->c->name);
		else
			log_warn("collector name=%s failed: %s", r->c->name,
				 why[0] ? why : strerror(-err));
	} else if (!ok) {
		log_debug("collector name=%s failed: %s", r->c->name,
			  why[0] ? why : strerror(-err));
	}
	r->ok = ok;
	r->ran = true;
}

static void *runner_main(void *arg)
{
	struct runner *r = arg;

	pthread_mutex_lock(&engine.lock);
	for (;;) {
		struct exporter_config *stale;
		struct collection *c;
		struct scrape_ctx *ctx;
		struct expo_writer *w;
		struct timespec t0;
		int err;

		while (!r->job && !engine.stopping)
			pthread_cond_wait(&r->wake, &engine.lock);
		if (engine.stopping)
			break;	/* a job not yet begun is not worth starting */
		c = r->job;
		ctx = calloc(1, sizeof(*ctx));
		if (ctx) {
			ctx->cfg = c->cfg->cfg;
			ctx->deadline = c->deadline;
			ctx->facts = c->facts;	/* what the others learned (health) */
		}
		pthread_mutex_unlock(&engine.lock);

		t0 = mono_now();
		w = expo_new();
		if (!ctx || !w || expo_reserve(w, r->hint))
			err = -ENOMEM;
		else
			err = r->c->collect(ctx, w);
		if (!err && w)
			err = expo_status(w);
		/* after running out of memory, start small again */
		r->hint = err ? (struct expo_size){ 0 } : expo_size_of(w);
		if (err == -ENOMEM) {
			expo_free(w);	/* never half a recording */
			w = NULL;
		}
		note_outcome(r, err, ctx ? ctx->why : "");

		pthread_mutex_lock(&engine.lock);
		c->part[r->idx].rec = w;
		c->part[r->idx].err = err;
		c->part[r->idx].seconds = mono_diff(t0, mono_now());
		c->part[r->idx].state = PART_DONE;
		if (ctx) {
			merge_facts(&c->facts, &ctx->facts);
			if (ctx->have_report) {
				c->have_report = true;
				c->report = ctx->report;
			}
		}
		c->pending--;
		r->job = NULL;
		/*
		 * The runner that completes a collection answers its requests
		 * itself (renders and hands each answer to the listener): a
		 * hand-off to the engine's thread and back cost two context
		 * switches a scrape. The engine's thread is for deadlines; it
		 * still does all of this while stopping.
		 */
		if (engine.stopping)
			pthread_cond_signal(&engine.wake);
		else
			answer_due(mono_now());	/* drops and retakes the lock */
		collection_put(c, &stale);
		free(ctx);
		if (stale) {
			pthread_mutex_unlock(&engine.lock);
			config_free(stale);
			pthread_mutex_lock(&engine.lock);
		}
	}
	pthread_mutex_unlock(&engine.lock);
	return NULL;
}

/* --- rendering (without the lock) --------------------------------------- */

/* What a renderer needs of a collection, copied under the lock. */
struct snapshot {
	const struct expo_writer *parts[MAX_COLLECTORS + 1];
	struct collector_outcome outcome[MAX_COLLECTORS];
	size_t noutcomes;
	const struct exporter_config *cfg;
	bool have_report;
	struct health_report report;
};

static void take_snapshot(struct collection *c, struct snapshot *s, struct timespec now)
{
	memset(s, 0, sizeof(*s));
	s->cfg = c->cfg->cfg;
	for (size_t i = 0; i < engine.nrunners; i++) {
		const struct part *p = &c->part[i];
		struct collector_outcome *o;

		if (p->state == PART_UNWANTED)
			continue;
		o = &s->outcome[s->noutcomes++];
		o->name = engine.runners[i].c->name;
		switch (p->state) {
		case PART_DONE:
			s->parts[i] = p->rec;
			o->state = p->err ? OUTCOME_ERROR : OUTCOME_OK;
			o->seconds = p->seconds;
			break;
		case PART_STUCK:
			o->state = OUTCOME_STUCK;
			o->seconds = mono_diff(p->stuck_since, now);
			break;
		default:	/* running or waiting at the deadline */
			o->state = OUTCOME_DEADLINE;
			o->seconds = mono_diff(c->started, now);
		}
	}
	s->have_report = c->have_report;
	s->report = c->report;
}

static int gzip_sink(void *arg, const char *text, size_t len)
{
	return gzip_stream_write(arg, text, len);
}

/* The length of the last plain answer in each format: the next one is
 * rendered into that much room from the start, not grown and copied. */
static _Atomic size_t plain_len_hint[EXPO_NFORMATS];

static struct engine_answer *render_metrics(const struct snapshot *s, enum expo_format fmt,
					    bool gzip)
{
	struct engine_answer *a = calloc(1, sizeof(*a));
	struct expo_writer *self = NULL;
	struct gzip_stream *gz = NULL;
	struct strbuf text, zipped;
	const struct expo_writer *parts[MAX_COLLECTORS + 1];
	int err = -ENOMEM;

	sb_init(&text);
	sb_init(&zipped);
	if (!a)
		goto fail;
	atomic_init(&a->refs, 1);
	memcpy(parts, s->parts, sizeof(parts));
	if (registry_enabled("self")) {
		self = expo_new();
		if (!self || self_write(self, s->cfg->namespace_, s->outcome, s->noutcomes) == -ENOMEM)
			goto fail;
		parts[MAX_COLLECTORS] = self;
	}
	if (gzip) {
		gz = gzip_stream_new(&zipped);
		if (!gz)
			log_warn("gzip unavailable (out of memory), sending plain");
	}
	if (!gz && !sb_reserve(&text, atomic_load(&plain_len_hint[fmt])))
		goto fail;
	err = expo_render(parts, MAX_COLLECTORS + 1, fmt, &text, gz ? gzip_sink : NULL, gz, NULL);
	if (!err && gz)
		err = gzip_stream_finish(gz);
	if (err)
		goto fail;
	a->status = 200;
	a->content_type = expo_content_type(fmt);
	log_debug("scrape format=%s gzip=%s bytes=%zu",
		  fmt == EXPO_FMT_OPENMETRICS ? "openmetrics" :
		  fmt == EXPO_FMT_PROTOBUF ? "protobuf" : "text", gz ? "true" : "false",
		  gz ? zipped.len : text.len);
	if (gz) {
		a->encoding = "gzip";
		a->body = sb_steal(&zipped, &a->len);
	} else {
		atomic_store(&plain_len_hint[fmt], text.len);
		a->body = sb_steal(&text, &a->len);
	}
	gzip_stream_free(gz);
	sb_free(&text);
	expo_free(self);
	return a;
fail:
	log_error("rendering the scrape failed: %s", strerror(-err));
	gzip_stream_free(gz);
	sb_free(&text);
	sb_free(&zipped);
	expo_free(self);
	free(a);
	return engine_answer_text(500, "scrape failed\n");
}

static struct engine_answer *render_health(const struct snapshot *s)
{
	struct engine_answer *a;
	struct strbuf sb;

	if (!s->have_report) {
		/* The health collector did not finish in time: the node's
		 * health is unknown, which is not healthy. */
		return engine_answer_text(503, "{\"status\":\"unknown\",\"code\":3,\"reasons\":[]}\n");
	}
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	atomic_init(&a->refs, 1);
	sb_init(&sb);
	health_report_json(&s->report, &sb);
	if (sb_failed(&sb)) {
		sb_free(&sb);
		free(a);
		return NULL;
	}
	a->status = s->report.status == HEALTH_CRITICAL ? 503 : 200;
	a->content_type = "application/json";
	a->body = sb_steal(&sb, &a->len);
	return a;
}

static struct engine_answer *render(const struct snapshot *s, const struct engine_request *req)
{
	struct engine_answer *a;

	if (req->kind == ENGINE_HEALTH)
		a = render_health(s);
	else
		a = render_metrics(s, req->fmt, req->gzip);
	return a ? a : engine_answer_text(500, "out of memory\n");
}

/* --- the engine's thread ------------------------------------------------ */

/* Take the requests that can be answered now off the waiting list. */
static struct engine_request *take_due(struct timespec now)
{
	struct engine_request *due = NULL, **pp = &engine.waiting;

	while (*pp) {
		struct engine_request *req = *pp;

		if (engine.stopping || !req->coll || collection_complete(req->coll) ||
		    !mono_before(now, req->deadline)) {
			*pp = req->next;
			req->next = due;
			due = req;
		} else {
			pp = &req->next;
		}
	}
	return due;
}

/* Answer one request; called with the lock held, drops it while rendering. */
static void answer_one(struct engine_request *req, struct timespec now)
{
	struct collection *c = req->coll;
	struct exporter_config *stale = NULL;
	struct engine_answer *a, **cached = NULL;
	struct snapshot *s;

	if (!c || engine.stopping) {
		if (c)
			collection_put(c, &stale);
		pthread_mutex_unlock(&engine.lock);
		a = engine_answer_text(503, engine.stopping ? "shutting down\n" : "out of memory\n");
		goto deliver;
	}
	if (collection_complete(c))
		cached = req->kind == ENGINE_HEALTH ? &c->health_answer
						    : &c->answers[req->fmt][req->gzip];
	if (cached && *cached) {
		a = answer_get(*cached);
		collection_put(c, &stale);
		pthread_mutex_unlock(&engine.lock);
		goto deliver;
	}
	s = malloc(sizeof(*s));
	if (s)
		take_snapshot(c, s, now);
	pthread_mutex_unlock(&engine.lock);
	a = s ? render(s, req) : engine_answer_text(500, "out of memory\n");
	free(s);
	pthread_mutex_lock(&engine.lock);
	if (cached && a && !*cached)
		*cached = answer_get(a);
	collection_put(c, &stale);
	pthread_mutex_unlock(&engine.lock);
deliver:
	config_free(stale);
	req->coll = NULL;
	if (a)
		req->answer(req, a);
	else
		log_error("no answer for a request (out of memory)");
}

/*
 * Start the health parts due, then answer every request that can be
 * answered now, then retire what is complete. Called with the lock held;
 * drops it while rendering and while freeing. True when it answered any.
 */
static bool answer_due(struct timespec now)
{
	struct exporter_config *stale;
	struct engine_request *due;
	bool answered = false;

	for (struct collection *c = engine.collections; c; c = c->next)
		maybe_start_health(c, now);
	due = take_due(now);
	while (due) {
		struct engine_request *req = due;

		due = req->next;
		answer_one(req, now);	/* drops and retakes the lock */
		pthread_mutex_lock(&engine.lock);
		answered = true;
	}
	/* Completed collections go now, not when the engine's thread next
	 * wakes: back-to-back scrapes would pile up their recordings. */
	for (;;) {
		retire_collections(now, &stale);
		if (!stale)
			break;
		pthread_mutex_unlock(&engine.lock);
		config_free(stale);
		pthread_mutex_lock(&engine.lock);
	}
	return answered;
}

/* Unlist collections that are complete or past their deadline; waiting
 * requests and runs in progress keep theirs alive by reference. */
static void retire_collections(struct timespec now, struct exporter_config **stale_out)
{
	struct collection **pp = &engine.collections;

	*stale_out = NULL;
	while (*pp) {
		struct collection *c = *pp;

		if (collection_complete(c) || !mono_before(now, c->deadline) || engine.stopping) {
			*pp = c->next;
			c->listed = false;
			collection_put(c, stale_out);
			if (*stale_out)
				return;	/* freed after the lock is dropped */
		} else {
			pp = &c->next;
		}
	}
}

static struct timespec next_wakeup(struct timespec now)
{
	struct timespec t = mono_add(now, 60);

	for (struct engine_request *r = engine.waiting; r; r = r->next)
		if (mono_before(r->deadline, t))
			t = r->deadline;
	for (struct collection *c = engine.collections; c; c = c->next) {
		int h = health_index();

		if (h >= 0 && c->part[h].state == PART_WAITING && mono_before(c->health_at, t))
			t = c->health_at;
	}
	return t;
}

static void *engine_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&engine.lock);
	for (;;) {
		struct timespec now = mono_now(), until;

		engine.sleep_until = (struct timespec){ 0, 0 };
		/* Answering took time: look again before sleeping. */
		if (answer_due(now))
			continue;
		/* (What scrapes leave free in the heap goes back to the system
		 * from the main thread, once a second: a trim per scrape cost
		 * page faults and TLB shootdowns on every one.) */
		if (engine.stopping && !engine.waiting)
			break;
		until = next_wakeup(now);
		engine.sleep_until = until;
		pthread_cond_timedwait(&engine.wake, &engine.lock, &until);
	}
	pthread_mutex_unlock(&engine.lock);
	return NULL;
}

/* --- life cycle --------------------------------------------------------- */

/*
 * Placed at once, on the caller's (the listener's) thread: joining a
 * collection or starting one only signals runners, nothing here waits or
 * collects. The engine's thread is woken only when it must wake earlier
 * than it planned to: for this request's deadline or its health start,
 * or to answer at once a collection that wants no collector at all.
 */
bool engine_submit(struct engine_request *req)
{
	struct timespec now, first;
	struct collection *c;
	int h;

	req->next = NULL;
	req->coll = NULL;
	pthread_mutex_lock(&engine.lock);
	if (engine.stopping || !engine.started) {
		pthread_mutex_unlock(&engine.lock);
		return false;
	}
	now = mono_now();
	place(req, now);
	c = req->coll;
	first = req->deadline;
	h = health_index();
	if (c && h >= 0 && c->part[h].state == PART_WAITING && mono_before(c->health_at, first))
		first = c->health_at;
	if (!c || collection_complete(c) || mono_before(first, engine.sleep_until))
		pthread_cond_signal(&engine.wake);
	pthread_mutex_unlock(&engine.lock);
	return true;
}

int engine_start(struct exporter_config *cfg)
{
	int err;

	engine.cfg = cfg_ref_new(cfg);
	if (!engine.cfg)
		return -ENOMEM;
	cond_init_monotonic(&engine.wake);
	engine.nrunners = registry_count();
	if (engine.nrunners > MAX_COLLECTORS)
		return -E2BIG;
	for (size_t i = 0; i < engine.nrunners; i++) {
		struct runner *r = &engine.runners[i];

		r->idx = i;
		r->c = registry_collector(i);
		cond_init_monotonic(&r->wake);
		err = pthread_create(&r->thread, NULL, runner_main, r);
		if (err)
			return -err;
		r->started = true;
		name_thread(r->thread, "run-", r->c->name);
	}
	err = pthread_create(&engine.thread, NULL, engine_main, NULL);
	if (err)
		return -err;
	name_thread(engine.thread, "engine", "");
	engine.started = true;
	return 0;
}

void engine_set_config(struct exporter_config *cfg)
{
	struct cfg_ref *fresh = cfg_ref_new(cfg);
	struct exporter_config *stale;

	if (!fresh) {
		log_error("out of memory: configuration not applied");
		config_free(cfg);
		return;
	}
	pthread_mutex_lock(&engine.lock);
	stale = cfg_ref_put(engine.cfg);
	engine.cfg = fresh;
	pthread_mutex_unlock(&engine.lock);
	config_free(stale);
}

unsigned int engine_stop(int grace_ms)
{
	struct timespec until;
	unsigned int abandoned = 0;
	struct exporter_config *stale;

	if (!engine.cfg)
		return 0;
	pthread_mutex_lock(&engine.lock);
	engine.stopping = true;
	pthread_cond_broadcast(&engine.wake);
	for (size_t i = 0; i < engine.nrunners; i++)
		pthread_cond_signal(&engine.runners[i].wake);
	pthread_mutex_unlock(&engine.lock);
	if (engine.started)
		pthread_join(engine.thread, NULL);

	until = mono_add(mono_now(), grace_ms / 1000.0);
	for (size_t i = 0; i < engine.nrunners; i++) {
		struct runner *r = &engine.runners[i];
		struct timespec abs;

		if (!r->started)
			continue;
		/* pthread_timedjoin_np takes CLOCK_REALTIME. */
		clock_gettime(CLOCK_REALTIME, &abs);
		abs = mono_add(abs, mono_diff(mono_now(), until) > 0 ?
				    mono_diff(mono_now(), until) : 0);
		if (pthread_timedjoin_np(r->thread, NULL, &abs)) {
			log_warn("collector name=%s still running at exit: its thread is abandoned",
				 r->c->name);
			abandoned |= 1u << i;
			pthread_detach(r->thread);
		}
	}
	if (abandoned)
		return abandoned;	/* collections may still be in use */
	pthread_mutex_lock(&engine.lock);
	stale = cfg_ref_put(engine.cfg);
	engine.cfg = NULL;
	pthread_mutex_unlock(&engine.lock);
	config_free(stale);
	return 0;
}
