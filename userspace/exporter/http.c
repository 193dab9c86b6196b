// SPDX-License-Identifier: GPL-2.0
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gzip.h"
#include "log.h"
#include "negotiate.h"

#ifndef BCMON_VERSION
#define BCMON_VERSION "0.0.0"
#endif

#if MHD_VERSION < 0x00097002
typedef int MHD_RESULT;
#else
typedef enum MHD_Result MHD_RESULT;
#endif

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_options opts;
	struct http_app app;
	char *telemetry_path;
};

/* Marks a request seen once, so that the second call answers it. */
static int request_marker;

int http_split_address(const char *addr, char *host, size_t hostlen, char *port,
		       size_t portlen)
{
	const char *colon;
	size_t hl;

	if (addr[0] == '[') {
		const char *close = strchr(addr, ']');

		if (!close || close[1] != ':')
			return -EINVAL;
		hl = (size_t)(close - addr - 1);
		addr++;
		colon = close + 1;
	} else {
		colon = strrchr(addr, ':');
		if (!colon)
			return -EINVAL;
		hl = (size_t)(colon - addr);
		if (memchr(addr, ':', hl))
			return -EINVAL;	/* bare IPv6 needs brackets */
	}
	if (hl >= hostlen || !colon[1] || strlen(colon + 1) >= portlen)
		return -EINVAL;
	memcpy(host, addr, hl);
	host[hl] = '\0';
	snprintf(port, portlen, "%s", colon + 1);
	for (const char *p = port; *p; p++)
		if (*p < '0' || *p > '9')
			return -EINVAL;
	return atoi(port) <= 65535 ? 0 : -EINVAL;
}

static int bind_one(const struct addrinfo *ai)
{
	int fd, one = 1, zero = 0;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* ":port" binds "::" and serves IPv4 through mapped addresses too. */
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, SOMAXCONN)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static void log_bound(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0;

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		port = ntohs(sin->sin_port);
		log_info("listening address=%s:%d", host, port);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		port = ntohs(sin6->sin6_port);
		log_info("listening address=[%s]:%d", host, port);
	}
}

/* Our own listening socket: clear errors, any port (":0" for tests). */
static int open_listener(const char *addr)
{
	struct addrinfo hints = { 0 }, *res, *ai;
	char host[256], port[8];
	int fd = -EADDRNOTAVAIL, rc;

	if (http_split_address(addr, host, sizeof(host), port, sizeof(port))) {
		log_error("invalid listen address '%s' (want host:port, [v6]:port or :port)",
			  addr);
		return -EINVAL;
	}
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	hints.ai_family = host[0] ? AF_UNSPEC : AF_INET6;
	rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (rc && !host[0]) {
		hints.ai_family = AF_INET;
		rc = getaddrinfo(NULL, port, &hints, &res);
	}
	if (rc) {
		log_error("listen address '%s': %s", addr, gai_strerror(rc));
		return -EINVAL;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = bind_one(ai);
		if (fd >= 0)
			break;
	}
	freeaddrinfo(res);
	if (fd < 0 && !host[0]) {
		/* No IPv6 on this machine: all IPv4 addresses then. */
		struct sockaddr_in sin = { .sin_family = AF_INET,
					   .sin_port = htons((uint16_t)atoi(port)) };
		struct addrinfo v4 = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM,
				       .ai_addr = (struct sockaddr *)&sin,
				       .ai_addrlen = sizeof(sin) };

		fd = bind_one(&v4);
	}
	if (fd < 0)
		log_error("cannot listen on %s: %s", addr, strerror(-fd));
	else
		log_bound(fd);
	return fd;
}

static MHD_RESULT queue_buffer(struct MHD_Connection *c, unsigned int status,
			       const char *type, char *body, size_t len,
			       const char *encoding)
{
	struct MHD_Response *resp;
	MHD_RESULT ret;

	resp = MHD_create_response_from_buffer_with_free_callback(len, body, free);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (encoding)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, encoding);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static MHD_RESULT queue_text(struct MHD_Connection *c, unsigned int status,
			     const char *type, const char *text)
{
	struct MHD_Response *resp;
	MHD_RESULT ret;

	resp = MHD_create_response_from_buffer(strlen(text), (void *)text,
					       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static MHD_RESULT serve_landing(struct http_server *srv, struct MHD_Connection *c)
{
	struct strbuf sb;
	size_t len;
	char *body;

	sb_init(&sb);
	sb_printf(&sb,
		  "<!DOCTYPE html>\n<html><head><title>bcmon exporter</title></head>\n"
		  "<body><h1>bcmon exporter %s</h1>\n"
		  "<p>Prometheus exporter for BitCraps nodes.</p>\n<ul>\n"
		  "<li><a href=\"%s\">Metrics</a></li>\n"
		  "<li><a href=\"/health\">Health</a></li>\n</ul></body></html>\n",
		  BCMON_VERSION, srv->telemetry_path);
	if (sb_failed(&sb)) {
		sb_free(&sb);
		return MHD_NO;
	}
	body = sb_steal(&sb, &len);
	return queue_buffer(c, MHD_HTTP_OK, "text/html; charset=utf-8", body, len, NULL);
}

static MHD_RESULT serve_health(struct http_server *srv, struct MHD_Connection *c)
{
	enum health_severity s;
	struct strbuf sb;
	size_t len;
	char *body;

	sb_init(&sb);
	s = srv->app.health(srv->app.arg, &sb);
	if (sb_failed(&sb)) {
		sb_free(&sb);
		return MHD_NO;
	}
	body = sb_steal(&sb, &len);
	return queue_buffer(c, s == HEALTH_CRITICAL ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_OK,
			    "application/json", body, len, NULL);
}

static int gzip_sink(void *arg, const char *text, size_t len)
{
	return gzip_stream_write(arg, text, len);
}

/*
 * The response is built whole before it is queued (the collectors run
 * under the scrape lock), then handed to libmicrohttpd without a copy and
 * freed once sent. A gzip response is compressed while the text is being
 * written, so that the plain text is never whole in memory: Prometheus
 * always asks for gzip, and at 100,000 series the text is 13 MB.
 */
static MHD_RESULT serve_metrics(struct http_server *srv, struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
	enum expo_format fmt = negotiate_format(accept);
	struct gzip_stream *gz = NULL;
	struct strbuf body, zipped;
	const char *encoding = NULL;
	struct MHD_Response *resp;
	MHD_RESULT ret;
	size_t len;
	char *out;
	int err;

	sb_init(&body);
	sb_init(&zipped);
	if (negotiate_gzip(ae)) {
		gz = gzip_stream_new(&zipped);
		if (!gz)
			log_warn("gzip unavailable (out of memory), sending plain");
	}
	err = srv->app.metrics(srv->app.arg, fmt, &body, gz ? gzip_sink : NULL, gz);
	if (!err && gz)
		err = gzip_stream_finish(gz);
	gzip_stream_free(gz);
	if (err) {
		sb_free(&body);
		sb_free(&zipped);
		log_error("scrape failed: %s", strerror(-err));
		return queue_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain",
				  "scrape failed\n");
	}
	if (gz) {
		sb_free(&body);
		body = zipped;
		encoding = "gzip";
	}
	log_debug("scrape format=%s gzip=%s bytes=%zu",
		  fmt == EXPO_FMT_OPENMETRICS ? "openmetrics" : "text",
		  encoding ? "true" : "false", body.len);
	out = sb_steal(&body, &len);
	resp = MHD_create_response_from_buffer_with_free_callback(len, out, free);
	if (!resp) {
		free(out);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, expo_content_type(fmt));
	MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept, Accept-Encoding");
	if (encoding)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, encoding);
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

static bool authorized(struct http_server *srv, struct MHD_Connection *c)
{
	char *user, *pass = NULL;
	bool ok;

	if (!srv->opts.web || !srv->opts.web->nusers)
		return true;
	user = MHD_basic_auth_get_username_password(c, &pass);
	ok = user && pass && webconfig_check_user(srv->opts.web, user, pass);
	if (pass) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	if (user)
		MHD_free(user);
	return ok;
}

static MHD_RESULT handle(void *cls, struct MHD_Connection *c, const char *url,
			 const char *method, const char *version,
			 const char *upload_data, size_t *upload_data_size, void **req)
{
	struct http_server *srv = cls;

	(void)version;
	(void)upload_data;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
		*upload_data_size = 0;	/* the body is not wanted */
		return queue_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
				  "method not allowed\n");
	}
	if (!*req) {
		*req = &request_marker;
		return MHD_YES;
	}
	if (!authorized(srv, c)) {
		struct MHD_Response *resp;
		MHD_RESULT ret;
		static const char text[] = "unauthorized\n";

		resp = MHD_create_response_from_buffer(sizeof(text) - 1, (void *)text,
						       MHD_RESPMEM_PERSISTENT);
		if (!resp)
			return MHD_NO;
		ret = MHD_queue_basic_auth_fail_response(c, "bcmon-exporter", resp);
		MHD_destroy_response(resp);
		return ret;
	}
	if (!strcmp(url, srv->telemetry_path))
		return serve_metrics(srv, c);
	if (!strcmp(url, "/health"))
		return serve_health(srv, c);
	if (!strcmp(url, "/"))
		return serve_landing(srv, c);
	return queue_text(c, MHD_HTTP_NOT_FOUND, "text/plain", "not found\n");
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_debug("http: %s", msg);
}

int http_start(const struct http_options *opts, const struct http_app *app,
	       struct http_server **out)
{
	unsigned int flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	struct http_server *srv;
	int fd;

	if (opts->web && opts->web->cert_pem) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			log_error("TLS configured but libmicrohttpd was built without it");
			return -ENOTSUP;
		}
		flags |= MHD_USE_TLS;
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -ENOMEM;
	srv->opts = *opts;
	srv->app = *app;
	srv->telemetry_path = strdup(opts->telemetry_path);
	if (!srv->telemetry_path) {
		free(srv);
		return -ENOMEM;
	}
	fd = open_listener(opts->listen);
	if (fd < 0) {
		free(srv->telemetry_path);
		free(srv);
		return fd;
	}
	if (flags & MHD_USE_TLS)
		srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, srv,
			MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
			MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
			MHD_OPTION_CONNECTION_LIMIT, opts->max_connections,
			MHD_OPTION_PER_IP_CONNECTION_LIMIT, opts->max_connections_per_ip,
			MHD_OPTION_CONNECTION_TIMEOUT, opts->timeout_seconds,
			MHD_OPTION_CONNECTION_MEMORY_LIMIT, opts->memory_limit,
			MHD_OPTION_HTTPS_MEM_CERT, opts->web->cert_pem,
			MHD_OPTION_HTTPS_MEM_KEY, opts->web->key_pem,
			MHD_OPTION_END);
	else
		srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, srv,
			MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
			MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
			MHD_OPTION_CONNECTION_LIMIT, opts->max_connections,
			MHD_OPTION_PER_IP_CONNECTION_LIMIT, opts->max_connections_per_ip,
			MHD_OPTION_CONNECTION_TIMEOUT, opts->timeout_seconds,
			MHD_OPTION_CONNECTION_MEMORY_LIMIT, opts->memory_limit,
			MHD_OPTION_END);
	if (!srv->daemon) {
		log_error("cannot start the HTTP server on %s (bad TLS key or certificate?)",
			  opts->listen);
		close(fd);
		free(srv->telemetry_path);
		free(srv);
		return -EIO;
	}
	*out = srv;
	return 0;
}

void http_stop(struct http_server *srv)
{
	if (!srv)
		return;
	MHD_stop_daemon(srv->daemon);
	free(srv->telemetry_path);
	free(srv);
}
