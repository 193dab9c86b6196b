// SPDX-License-Identifier: GPL-2.0
/*
 * The listener: our own listening socket (clear errors, ":0" for tests),
 * libmicrohttpd's daemon on it with one internal epoll thread, the web
 * configuration it serves under and its reloads, start and stop.
 */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http_internal.h"
#include "log.h"

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

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		log_info("listening address=%s:%d", host, ntohs(sin->sin_port));
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		log_info("listening address=[%s]:%d", host, ntohs(sin6->sin6_port));
	}
}

/* The listening socket, or -EINVAL for an address that cannot be one
 * (a usage error) and another -errno when it cannot be bound. */
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
	if (fd < 0) {
		log_error("cannot listen on %s: %s", addr, strerror(-fd));
		return fd == -EINVAL ? -EIO : fd;
	}
	log_bound(fd);
	return fd;
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

/* --- the web configuration in force -------------------------------------- */

struct web_ref *http_web_get(struct http_server *srv)
{
	struct web_ref *r;

	pthread_mutex_lock(&srv->web_lock);
	r = srv->web;
	r->refs++;
	pthread_mutex_unlock(&srv->web_lock);
	return r;
}

void http_web_put(struct http_server *srv, struct web_ref *r)
{
	bool last;

	pthread_mutex_lock(&srv->web_lock);
	last = --r->refs == 0;
	pthread_mutex_unlock(&srv->web_lock);
	if (last) {
		webconfig_free(r->wc);
		free(r);
	}
}

static struct web_ref *web_ref_new(struct web_config *wc)
{
	struct web_ref *r = calloc(1, sizeof(*r));

	if (r) {
		r->refs = 1;
		r->wc = wc;
	}
	return r;
}

static int load_web(const char *path, struct web_config **out)
{
	char err[512];
	int ret;

	*out = NULL;
	if (!path)
		return 0;
	ret = webconfig_load(path, out, err, sizeof(err));
	if (ret)
		log_error("bad web configuration: %s", err);
	return ret;
}

/* The newest change time of the web config file and the files it names. */
static struct timespec newest_change(const char *file, const struct web_config *wc)
{
	const char *paths[4] = { file, NULL, NULL, NULL };
	struct timespec newest = { 0, 0 };

	if (wc) {
		paths[1] = wc->cert_path;
		paths[2] = wc->key_path;
		paths[3] = wc->client_ca_path;
	}
	for (int i = 0; i < 4; i++) {
		struct stat st;

		if (!paths[i] || stat(paths[i], &st))
			continue;
		if (st.st_mtim.tv_sec > newest.tv_sec ||
		    (st.st_mtim.tv_sec == newest.tv_sec && st.st_mtim.tv_nsec > newest.tv_nsec))
			newest = st.st_mtim;
		if (st.st_ctim.tv_sec > newest.tv_sec ||
		    (st.st_ctim.tv_sec == newest.tv_sec && st.st_ctim.tv_nsec > newest.tv_nsec))
			newest = st.st_ctim;
	}
	return newest;
}

static struct timespec web_seen;	/* main thread only */

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

void http_reload_web_config(struct http_server *srv, int force)
{
	struct web_ref *old, *fresh;
	struct web_config *wc;
	struct timespec t;

	if (!srv || !srv->web_config_file)
		return;
	old = http_web_get(srv);
	t = newest_change(srv->web_config_file, old->wc);
	if (!force && t.tv_sec == web_seen.tv_sec && t.tv_nsec == web_seen.tv_nsec) {
		http_web_put(srv, old);
		return;
	}
	web_seen = t;
	if (load_web(srv->web_config_file, &wc)) {
		log_error("web configuration reload failed, keeping the previous one");
		http_web_put(srv, old);
		return;
	}
	/* What libmicrohttpd fixed at start cannot change under it. */
	if ((wc->cert_pem != NULL) != (srv->tls != NULL) ||
	    (srv->tls && (wc->client_auth != old->wc->client_auth ||
			  wc->min_version != old->wc->min_version))) {
		log_error("web configuration reload refused: switching TLS on or off, "
			  "client_auth_type and min_version need a restart; keeping the previous one");
		webconfig_free(wc);
		http_web_put(srv, old);
		return;
	}
	if (srv->tls && http_tls_reload(srv, wc)) {
		log_error("web configuration reload failed (certificate or key), keeping the previous one");
		webconfig_free(wc);
		http_web_put(srv, old);
		return;
	}
	fresh = web_ref_new(wc);
	if (!fresh) {
		webconfig_free(wc);
		http_web_put(srv, old);
		return;
	}
	/* Cached credentials were checked against the old users. */
	if (wc->nusers != old->wc->nusers)
		authcache_clear();
	for (size_t i = 0; i < wc->nusers && i < old->wc->nusers; i++)
		if (!same_str(wc->user[i], old->wc->user[i]) ||
		    !same_str(wc->hash[i], old->wc->hash[i]))
			authcache_clear();
	pthread_mutex_lock(&srv->web_lock);
	srv->web = fresh;
	pthread_mutex_unlock(&srv->web_lock);
	http_web_put(srv, old);		/* the server's reference */
	http_web_put(srv, old);		/* ours */
	log_info("web configuration reloaded from %s tls=%s basic_auth=%s",
		 srv->web_config_file, wc->cert_pem ? "true" : "false",
		 wc->nusers ? "true" : "false");
}

/* --- start and stop ------------------------------------------------------ */

static void server_free(struct http_server *srv)
{
	if (srv->web)
		http_web_put(srv, srv->web);
	http_tls_free(srv);
	free(srv->telemetry_path);
	free(srv->web_config_file);
	pthread_mutex_destroy(&srv->web_lock);
	free(srv);
}

int http_start(const struct http_options *opts, struct http_server **out)
{
	unsigned int flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
			     MHD_ALLOW_SUSPEND_RESUME;
	struct MHD_OptionItem mo[16];
	struct http_server *srv;
	struct web_config *wc;
	size_t n = 0;
	int fd, err;

	err = load_web(opts->web_config_file, &wc);
	if (err)
		return -EINVAL;
	if (!wc) {
		wc = calloc(1, sizeof(*wc));
		if (!wc)
			return -ENOMEM;
	}
	err = authcache_init();
	if (err) {
		log_error("no random key for the credential cache: %s", strerror(-err));
		webconfig_free(wc);
		return err;
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv) {
		webconfig_free(wc);
		return -ENOMEM;
	}
	pthread_mutex_init(&srv->web_lock, NULL);
	srv->opts = *opts;
	srv->web = web_ref_new(wc);
	srv->telemetry_path = strdup(opts->telemetry_path);
	srv->web_config_file = opts->web_config_file ? strdup(opts->web_config_file) : NULL;
	if (!srv->web || !srv->telemetry_path ||
	    (opts->web_config_file && !srv->web_config_file)) {
		if (!srv->web)
			webconfig_free(wc);
		server_free(srv);
		return -ENOMEM;
	}
	srv->opts.telemetry_path = srv->telemetry_path;
	web_seen = newest_change(srv->web_config_file, wc);
	if (wc->cert_pem) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			log_error("TLS configured but libmicrohttpd was built without it");
			server_free(srv);
			return -ENOTSUP;
		}
		err = http_tls_init(srv, wc);
		if (err) {
			server_free(srv);
			return -EINVAL;
		}
		flags |= MHD_USE_TLS;
	}
	fd = open_listener(opts->listen);
	if (fd < 0) {
		server_free(srv);
		return fd;
	}
	mo[n++] = (struct MHD_OptionItem){ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL };
	mo[n++] = (struct MHD_OptionItem){ MHD_OPTION_LISTEN_SOCKET, fd, NULL };
	/* Beyond max_connections, http_admission.c makes room. */
	mo[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT,
					   (intptr_t)opts->max_connections + ADMISSION_RESERVE, NULL };
	mo[n++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_CONNECTION,
					   (intptr_t)http_notify_connection, srv };
	mo[n++] = (struct MHD_OptionItem){ MHD_OPTION_PER_IP_CONNECTION_LIMIT,
					   (intptr_t)opts->max_connections_per_ip, NULL };
	mo[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT,
					   (intptr_t)opts->timeout_seconds, NULL };
	mo[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_MEMORY_LIMIT,
					   (intptr_t)opts->memory_limit, NULL };
	mo[n++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED,
					   (intptr_t)http_request_completed, srv };
	if (srv->tls)
		http_tls_daemon_options(srv, wc, mo, &n);
	mo[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, http_handle, srv,
				       MHD_OPTION_ARRAY, mo, MHD_OPTION_END);
	if (!srv->daemon) {
		log_error("cannot start the HTTP server on %s (bad TLS key or certificate?)",
			  opts->listen);
		close(fd);
		server_free(srv);
		return -EIO;
	}
	err = http_auth_start(srv);
	if (err) {
		MHD_stop_daemon(srv->daemon);
		server_free(srv);
		return err;
	}
	log_info("web tls=%s basic_auth=%s client_auth_type=%s", wc->cert_pem ? "true" : "false",
		 wc->nusers ? "true" : "false", webconfig_client_auth_name(wc->client_auth));
	*out = srv;
	return 0;
}

void http_quiesce(struct http_server *srv)
{
	MHD_socket fd;

	if (!srv)
		return;
	atomic_store(&srv->stopping, true);
	fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
}

void http_stop(struct http_server *srv)
{
	if (!srv)
		return;
	atomic_store(&srv->stopping, true);
	/* Every suspended connection must be resumed before the daemon stops:
	 * the engine (stopped by the caller) and the auth worker answer theirs. */
	http_auth_stop(srv);
	MHD_stop_daemon(srv->daemon);
	server_free(srv);
}
