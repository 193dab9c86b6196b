// SPDX-License-Identifier: GPL-2.0
/*
 * Basic authentication that costs nothing to abuse:
 * - credentials that passed once are found in a cache (authcache.c) and
 *   pass on the listener thread with one HMAC, no bcrypt;
 * - anything else needs a bcrypt check, which never runs on the listener:
 *   one worker thread runs them one at a time (bcrypt is meant to be
 *   slow), at most AUTH_QUEUE_MAX wait, more are refused at once (429);
 * - a client address gets AUTH_FAIL_BURST checks that fail before it must
 *   wait for its bucket to refill (429 without a bcrypt run), so a flood of
 *   wrong passwords costs the flooder, not the valid scrape, whose cached
 *   credentials never wait behind the queue.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "clock.h"
#include "http_internal.h"
#include "log.h"

#define AUTH_QUEUE_MAX 8

struct auth_job {
	struct auth_job *next;
	struct http_req *req;
	struct web_ref *web;
	struct auth_addr addr;
	struct auth_key key;
	char *user, *pass;
};

struct http_auth {
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	struct auth_job *head, *tail;
	unsigned int queued;
};

static double now_s(void)
{
	struct timespec t = mono_now();

	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void job_free(struct http_server *srv, struct auth_job *j)
{
	if (j->pass) {
		explicit_bzero(j->pass, strlen(j->pass));
		free(j->pass);
	}
	free(j->user);
	http_web_put(srv, j->web);
	free(j);
}

/* Resume the request with the verdict (on the worker's thread). */
static void finish(struct auth_job *j, bool ok, enum stats_auth why)
{
	struct http_req *req = j->req;

	req->auth_ok = ok;
	req->auth_why = why;
	req->state = REQ_AUTH_DONE;
	MHD_resume_connection(req->conn);
}

static const char *stored_hash(const struct web_config *wc, const char *user)
{
	for (size_t i = 0; i < wc->nusers; i++)
		if (!strcmp(wc->user[i], user))
			return wc->hash[i];
	/* Unknown users are checked against a real hash too, so that timing
	 * does not tell which user names exist. */
	return wc->hash[0];
}

static bool user_known(const struct web_config *wc, const char *user)
{
	for (size_t i = 0; i < wc->nusers; i++)
		if (!strcmp(wc->user[i], user))
			return true;
	return false;
}

static void *auth_main(void *arg)
{
	struct http_server *srv = arg;
	struct http_auth *a = srv->auth;

	/* Behind everything else for the CPU: a flood of wrong passwords keeps
	 * this thread busy, and must not slow the valid scrapes down. */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), 10))
		log_debug("auth worker: nice 10 refused: %s", strerror(errno));

	pthread_mutex_lock(&a->lock);
	for (;;) {
		struct auth_job *j;
		bool ok;

		while (!a->head && !a->stopping)
			pthread_cond_wait(&a->wake, &a->lock);
		j = a->head;
		if (!j)
			break;
		a->head = j->next;
		if (!a->head)
			a->tail = NULL;
		a->queued--;
		if (a->stopping) {
			pthread_mutex_unlock(&a->lock);
			finish(j, false, STATS_AUTH_BUSY);
			job_free(srv, j);
			pthread_mutex_lock(&a->lock);
			continue;
		}
		pthread_mutex_unlock(&a->lock);

		stats_bcrypt_run();
		ok = webconfig_check_user(j->web->wc, j->user, j->pass);
		if (ok) {
			authcache_insert(&j->key);
			authlimit_refund(&j->addr, now_s());
		} else {
			stats_auth_rejected(STATS_AUTH_WRONG);
		}
		finish(j, ok, STATS_AUTH_WRONG);
		job_free(srv, j);
		pthread_mutex_lock(&a->lock);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

int http_auth_start(struct http_server *srv)
{
	struct http_auth *a = calloc(1, sizeof(*a));
	int err;

	if (!a)
		return -ENOMEM;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->wake, NULL);
	srv->auth = a;
	err = pthread_create(&a->thread, NULL, auth_main, srv);
	if (err) {
		srv->auth = NULL;
		free(a);
		return -err;
	}
	pthread_setname_np(a->thread, "auth");
	a->started = true;
	return 0;
}

void http_auth_stop(struct http_server *srv)
{
	struct http_auth *a = srv->auth;

	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->stopping = true;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
	/* A bcrypt check in progress ends by itself (tens of milliseconds). */
	pthread_join(a->thread, NULL);
	pthread_cond_destroy(&a->wake);
	pthread_mutex_destroy(&a->lock);
	free(a);
	srv->auth = NULL;
}

/* Queue a check; false when the queue is full or the worker stopping. */
static bool enqueue(struct http_auth *a, struct auth_job *j)
{
	bool ok;

	pthread_mutex_lock(&a->lock);
	ok = !a->stopping && a->queued < AUTH_QUEUE_MAX;
	if (ok) {
		j->next = NULL;
		if (a->tail)
			a->tail->next = j;
		else
			a->head = j;
		a->tail = j;
		a->queued++;
		pthread_cond_signal(&a->wake);
	}
	pthread_mutex_unlock(&a->lock);
	return ok;
}

static enum auth_verdict reject(struct http_req *req, enum stats_auth why)
{
	req->auth_why = why;
	stats_auth_rejected(why);
	return AUTH_REJECT;
}

enum auth_verdict http_auth_check(struct http_req *req)
{
	struct http_server *srv = req->srv;
	const union MHD_ConnectionInfo *ci;
	struct web_ref *web = http_web_get(srv);
	struct auth_job *j = NULL;
	char *user, *pass = NULL;
	enum auth_verdict v;

	if (!web->wc->nusers) {
		http_web_put(srv, web);
		return AUTH_PASS;
	}
	user = MHD_basic_auth_get_username_password(req->conn, &pass);
	if (!user || !pass) {
		v = reject(req, STATS_AUTH_MISSING);
		goto out;
	}
	j = calloc(1, sizeof(*j));
	if (!j || authcache_key(user, stored_hash(web->wc, user), pass, &j->key)) {
		v = reject(req, STATS_AUTH_BUSY);
		goto out;
	}
	if (user_known(web->wc, user) && authcache_lookup(&j->key)) {
		v = AUTH_PASS;
		goto out;
	}
	ci = MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	auth_addr_from_sockaddr(ci ? ci->client_addr : NULL, &j->addr);
	if (!authlimit_take(&j->addr, now_s())) {
		v = reject(req, STATS_AUTH_THROTTLED);
		goto out;
	}
	j->req = req;
	j->web = web;
	j->user = strdup(user);
	j->pass = strdup(pass);
	web = NULL;	/* the job holds the reference */
	if (!j->user || !j->pass) {
		job_free(srv, j);
		j = NULL;
		v = reject(req, STATS_AUTH_BUSY);
		goto out;
	}
	/* Suspended before it is queued: the worker may resume it at once. */
	req->state = REQ_AUTH_WAIT;
	MHD_suspend_connection(req->conn);
	if (!enqueue(srv->auth, j)) {
		/* Give the token back: this address did not get its check. */
		authlimit_refund(&j->addr, now_s());
		stats_auth_rejected(STATS_AUTH_BUSY);
		finish(j, false, STATS_AUTH_BUSY);
		job_free(srv, j);
	}
	j = NULL;
	v = AUTH_PENDING;
out:
	if (j)
		free(j);
	if (pass) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	if (user)
		MHD_free(user);
	if (web)
		http_web_put(srv, web);
	return v;
}
