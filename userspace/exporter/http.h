/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HTTP front: libmicrohttpd with its internal polling thread on epoll.
 * Routes: "/" landing page, the telemetry path, "/health"; 404 elsewhere,
 * 405 for methods other than GET and HEAD, 401 without valid credentials
 * when basic auth is configured.
 */
#ifndef BCMON_EXPORTER_HTTP_H
#define BCMON_EXPORTER_HTTP_H

#include <stddef.h>

#include "expo.h"
#include "health.h"
#include "strbuf.h"
#include "webconfig.h"

struct http_app {
	/*
	 * Render the metrics in fmt into body; 0 or -errno (500). With a
	 * sink, the text is handed to it as it grows (expo_set_sink) and
	 * body only buffers a chunk at a time.
	 */
	int (*metrics)(void *arg, enum expo_format fmt, struct strbuf *body,
		       expo_sink_fn sink, void *sink_arg);
	/* Health as JSON into body; returns the status. */
	enum health_severity (*health)(void *arg, struct strbuf *body);
	void *arg;
};

struct http_options {
	const char *listen;		/* "[host]:port", ":9477" for all */
	const char *telemetry_path;	/* "/metrics" */
	unsigned int max_connections;
	unsigned int max_connections_per_ip;
	unsigned int timeout_seconds;
	size_t memory_limit;		/* per connection, bounds request headers */
	const struct web_config *web;	/* may be NULL */
};

struct http_server;

/* 0 or -errno (message logged). */
int http_start(const struct http_options *opts, const struct http_app *app,
	       struct http_server **out);
void http_stop(struct http_server *srv);

/* Parse "host:port", "[v6]:port" or ":port"; host "" means any. For tests. */
int http_split_address(const char *addr, char *host, size_t hostlen, char *port,
		       size_t portlen);

#endif
