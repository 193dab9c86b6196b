/* SPDX-License-Identifier: GPL-2.0 */
/* What the http_*.c files share: the server and a request's state. */
#ifndef BCMON_EXPORTER_HTTP_INTERNAL_H
#define BCMON_EXPORTER_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "authcache.h"
#include "engine.h"
#include "http.h"
#include "stats.h"
#include "webconfig.h"

#if MHD_VERSION < 0x00097002
typedef int MHD_RESULT;
#else
typedef enum MHD_Result MHD_RESULT;
#endif

struct http_tls;
struct http_auth;
struct http_conn;

/* Connection admission (http_admission.c), listener thread only. */
#define ADMISSION_RESERVE 32
#define ADMISSION_PEER_BUCKETS 256
struct http_peer;
struct http_admission {
	struct http_conn *head, *tail;	/* idle connections, longest idle first */
	unsigned int open;		/* connections libmicrohttpd holds */
	unsigned int evicting;		/* of those, shut down, not yet closed */
	/* client addresses with their open connections, hashed */
	struct http_peer *peers[ADMISSION_PEER_BUCKETS];
};

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_options opts;
	char *telemetry_path;
	char *web_config_file;
	atomic_bool stopping;
	atomic_int in_flight;		/* scrapes and /health being served */
	/* The web configuration in force; readers take a reference under
	 * web_lock (http_web_get/put), reloads swap it. */
	pthread_mutex_t web_lock;
	struct web_ref *web;
	struct http_tls *tls;		/* NULL: plain HTTP */
	struct http_auth *auth;
	struct http_admission admission;
};

/* A web configuration and its users' generation, shared by reference. */
struct web_ref {
	int refs;			/* under web_lock */
	struct web_config *wc;		/* NULL: no web config file */
};

struct web_ref *http_web_get(struct http_server *srv);
void http_web_put(struct http_server *srv, struct web_ref *ref);

enum req_state {
	REQ_NEW,		/* headers seen, body (if any) being discarded */
	REQ_AUTH_WAIT,		/* suspended: bcrypt check queued */
	REQ_AUTH_DONE,		/* resumed with the check's verdict */
	REQ_ENGINE_WAIT,	/* suspended: a scrape or /health in the engine */
	REQ_ANSWERED,		/* resumed with the engine's answer */
};

struct http_req {
	struct http_server *srv;
	struct MHD_Connection *conn;
	enum req_state state;
	enum stats_handler handler;
	bool in_flight;			/* counted in srv->in_flight */
	size_t body_bytes;
	bool auth_ok;			/* REQ_AUTH_DONE */
	enum stats_auth auth_why;	/* when !auth_ok */
	struct engine_request ereq;
	struct engine_answer *answer;	/* REQ_ANSWERED */
};

/* http_route.c */
MHD_RESULT http_handle(void *cls, struct MHD_Connection *c, const char *url,
		       const char *method, const char *version,
		       const char *upload_data, size_t *upload_data_size, void **req_cls);
void http_request_completed(void *cls, struct MHD_Connection *c, void **req_cls,
			    enum MHD_RequestTerminationCode toe);

/* http_admission.c */
void http_notify_connection(void *cls, struct MHD_Connection *connection,
			    void **socket_context, enum MHD_ConnectionNotificationCode toe);
/* A request is in progress on the connection: never evicted meanwhile. */
void http_admission_busy(struct http_server *srv, struct MHD_Connection *connection);
/* Its request is done: evictable again (keep-alive, waiting for the next). */
void http_admission_idle(struct http_server *srv, struct MHD_Connection *connection);

/* http_auth.c: basic auth. */
enum auth_verdict {
	AUTH_PASS,		/* no users configured, or cached credentials */
	AUTH_REJECT,		/* answer 401 (or 429 when throttled) now */
	AUTH_PENDING,		/* a bcrypt check was queued; the request is suspended */
};
int http_auth_start(struct http_server *srv);
/* Stop the worker; every queued check is answered as failed. */
void http_auth_stop(struct http_server *srv);
/* Called from the listener thread; suspends the connection for AUTH_PENDING. */
enum auth_verdict http_auth_check(struct http_req *req);

/* http_tls.c */
int http_tls_init(struct http_server *srv, const struct web_config *wc);
void http_tls_free(struct http_server *srv);
/* Swap in the certificate and key of wc. 0 or -errno (old ones kept). */
int http_tls_reload(struct http_server *srv, const struct web_config *wc);
/* The client certificate rules of the configuration in force. */
bool http_tls_client_allowed(struct http_server *srv, struct MHD_Connection *c,
			     const struct web_config *wc);
/* Options for MHD_start_daemon (cert callback, trust, priorities). */
void http_tls_daemon_options(struct http_server *srv, const struct web_config *wc,
			     struct MHD_OptionItem *opts, size_t *n);

#endif
