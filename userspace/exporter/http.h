/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HTTP front, libmicrohttpd with one internal polling thread on epoll
 * (the listener) that never blocks: whatever may take time is handed off
 * and the connection suspended until it is done (bcrypt checks to the
 * authentication worker, scrapes and /health to the engine).
 *
 * Where things are:
 *   http_listen.c   the listening socket, the daemon, its options, start/stop
 *   http_route.c    requests: methods, bodies, routes, limits, answers
 *   http_auth.c     basic auth: cache, per-address limit, the bcrypt worker
 *   http_tls.c      certificates re-read on change, client certificates
 *   negotiate.c     content negotiation (format, gzip)
 *
 * Routes: "/" landing page, the telemetry path, "/health" (the node),
 * "/-/healthy" and "/-/ready" (the exporter process); 404 elsewhere,
 * 405 for methods other than GET and HEAD, 401 without valid credentials
 * when basic auth is configured (every route), 429 for a client address
 * that failed authentication too often, 503 beyond --web.max-requests.
 */
#ifndef BCMON_EXPORTER_HTTP_H
#define BCMON_EXPORTER_HTTP_H

#include <stddef.h>

struct http_options {
	const char *listen;		/* "[host]:port", ":9477" for all */
	const char *telemetry_path;	/* "/metrics" */
	unsigned int max_connections;
	unsigned int max_connections_per_ip;
	unsigned int timeout_seconds;
	size_t memory_limit;		/* per connection, bounds request headers */
	unsigned int max_requests;	/* scrapes and /health in flight; 0: no limit */
	double scrape_timeout;		/* seconds, without X-Prometheus-Scrape-Timeout-Seconds */
	double scrape_timeout_offset;	/* seconds kept back from the header's timeout */
	const char *web_config_file;	/* NULL: plain HTTP, no auth */
};

struct http_server;

/* 0, -EINVAL for a bad web configuration (exit 2), other -errno (exit 1). */
int http_start(const struct http_options *opts, struct http_server **out);
/* Stop accepting; requests already in progress are still answered. */
void http_quiesce(struct http_server *srv);
void http_stop(struct http_server *srv);
/*
 * Re-read the web configuration and the files it names when any of them
 * changed since the last look (or always, when force). Users, passwords,
 * certificates, keys and client CAs take effect for new requests and
 * handshakes; switching TLS on or off, client_auth_type and min_version
 * need a restart (logged). A bad file keeps the old configuration.
 */
void http_reload_web_config(struct http_server *srv, int force);

/* Parse "host:port", "[v6]:port" or ":port"; host "" means any. For tests. */
int http_split_address(const char *addr, char *host, size_t hostlen, char *port,
		       size_t portlen);

#endif
