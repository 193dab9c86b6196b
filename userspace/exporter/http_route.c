// SPDX-License-Identifier: GPL-2.0
/*
 * Routing: libmicrohttpd's access handler. It runs on the listener
 * thread and never waits: a request either gets its answer at once
 * (landing page, liveness, errors, refusals) or is suspended until the
 * authentication worker or the engine calls back, and then answered when
 * libmicrohttpd calls the handler again.
 *
 * A request's life: first call (headers only) -> body calls (discarded;
 * a GET or HEAD may carry a body, answered once it is read, 413 beyond
 * MAX_BODY_BYTES) -> final call: method, client certificate, basic auth,
 * route.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "http_internal.h"
#include "log.h"
#include "negotiate.h"

#ifndef BCMON_VERSION
#define BCMON_VERSION "0.0.0"
#endif

/* A request body nobody reads: enough for any sane client, no more. */
#define MAX_BODY_BYTES (64 * 1024)
/* Bounds of X-Prometheus-Scrape-Timeout-Seconds we take as given. */
#define MIN_TIMEOUT_S 0.05
#define MAX_TIMEOUT_S 300.0

static MHD_RESULT queue(struct http_req *req, unsigned int status, struct MHD_Response *resp)
{
	MHD_RESULT ret;

	if (!resp)
		return MHD_NO;
	ret = MHD_queue_response(req->conn, status, resp);
	MHD_destroy_response(resp);
	stats_request_done(req->handler, status);
	return ret;
}

/* A constant text; static storage, never copied. */
static MHD_RESULT answer_static(struct http_req *req, unsigned int status,
				const char *type, const char *text)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(strlen(text), (void *)text,
					       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	if (status == MHD_HTTP_TOO_MANY_REQUESTS)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "30");
	return queue(req, status, resp);
}

static MHD_RESULT answer_text(struct http_req *req, unsigned int status, const char *text)
{
	return answer_static(req, status, "text/plain; charset=utf-8", text);
}

static MHD_RESULT answer_unauthorized(struct http_req *req)
{
	static const char text[] = "unauthorized\n";
	struct MHD_Response *resp;
	MHD_RESULT ret;

	resp = MHD_create_response_from_buffer(sizeof(text) - 1, (void *)text,
					       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	ret = MHD_queue_basic_auth_fail_response(req->conn, "bcmon-exporter", resp);
	MHD_destroy_response(resp);
	stats_request_done(req->handler, MHD_HTTP_UNAUTHORIZED);
	return ret;
}

static void free_answer(void *cls)
{
	engine_answer_put(cls);
}

#if MHD_VERSION < 0x00097302
/* Older libmicrohttpd: read out of the shared buffer in blocks. */
static ssize_t read_answer(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct engine_answer *a = cls;
	size_t left = a->len - (size_t)pos;
	size_t n = left < max ? left : max;

	if (!left)
		return MHD_CONTENT_READER_END_OF_STREAM;
	memcpy(buf, a->body + pos, n);
	return (ssize_t)n;
}
#endif

/*
 * The engine's answer is sent straight from its shared buffer, which each
 * connection holds a reference to until its response goes: libmicrohttpd
 * hands the header and the whole body to one sendmsg() and then sends
 * what is left as the socket takes it (one sendmsg() for a 130 KB scrape
 * of 1,000 series, strace in a 6.1 guest). A reader callback instead
 * copied the body, block by block, into the connection's pool (at most
 * --web.max-header-bytes, 16 KiB by default) and sent the header and the
 * blocks in four send() calls for the same scrape.
 */
static struct MHD_Response *answer_response(struct engine_answer *a)
{
#if MHD_VERSION >= 0x00097302
	return MHD_create_response_from_buffer_with_free_callback_cls(a->len, a->body,
								      free_answer, a);
#else
	return MHD_create_response_from_callback(a->len, 64 * 1024, read_answer, a, free_answer);
#endif
}

static MHD_RESULT answer_engine(struct http_req *req)
{
	struct engine_answer *a = req->answer;
	struct MHD_Response *resp;

	if (!a)
		return MHD_NO;
	req->answer = NULL;	/* the response owns the reference now */
	resp = answer_response(a);
	if (!resp) {
		engine_answer_put(a);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, a->content_type);
	if (req->handler == STATS_H_METRICS)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept, Accept-Encoding");
	if (a->encoding)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, a->encoding);
	return queue(req, a->status, resp);
}

static MHD_RESULT serve_landing(struct http_req *req)
{
	char *body = NULL;
	struct MHD_Response *resp;
	int n;

	n = asprintf(&body,
		     "<!DOCTYPE html>\n<html><head><title>bcmon exporter</title></head>\n"
		     "<body><h1>bcmon exporter %s</h1>\n"
		     "<p>Prometheus exporter for BitCraps nodes.</p>\n<ul>\n"
		     "<li><a href=\"%s\">Metrics</a></li>\n"
		     "<li><a href=\"/health\">Health of the node</a></li>\n"
		     "<li><a href=\"/-/healthy\">Liveness of the exporter</a></li>\n"
		     "<li><a href=\"/-/ready\">Readiness of the exporter</a></li>\n"
		     "</ul></body></html>\n",
		     BCMON_VERSION, req->srv->telemetry_path);
	if (n < 0)
		return MHD_NO;
	resp = MHD_create_response_from_buffer_with_free_callback((size_t)n, body, free);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
	return queue(req, MHD_HTTP_OK, resp);
}

/* When the answer is due: the scraper's timeout less the offset, as
 * blackbox_exporter does, or the default without the header. */
static struct timespec deadline_of(struct http_req *req)
{
	const struct http_options *o = &req->srv->opts;
	const char *h = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
						    "X-Prometheus-Scrape-Timeout-Seconds");
	double t = o->scrape_timeout, budget;
	char *end;

	if (h) {
		double v = strtod(h, &end);

		if (end != h && !*end && isfinite(v) && v > 0)
			t = v;
		else
			log_debug("ignoring X-Prometheus-Scrape-Timeout-Seconds: '%s'", h);
	}
	if (t < MIN_TIMEOUT_S)
		t = MIN_TIMEOUT_S;
	if (t > MAX_TIMEOUT_S)
		t = MAX_TIMEOUT_S;
	/* Never less than half the timeout: a tiny timeout with the default
	 * offset would leave nothing. */
	budget = t - o->scrape_timeout_offset;
	if (budget < t / 2)
		budget = t / 2;
	return mono_add(mono_now(), budget);
}

/* Engine's thread: keep the answer and let the listener send it. */
static void engine_answered(struct engine_request *ereq, struct engine_answer *a)
{
	struct http_req *req = (struct http_req *)((char *)ereq - offsetof(struct http_req, ereq));

	req->answer = a;	/* NULL: out of memory, the connection is closed */
	req->state = REQ_ANSWERED;
	MHD_resume_connection(req->conn);
}

/* Scrapes and /health: into the engine, within the in-flight limit. */
static MHD_RESULT submit(struct http_req *req, enum engine_kind kind)
{
	struct http_server *srv = req->srv;
	unsigned int max = srv->opts.max_requests;

	if (max && (unsigned int)atomic_fetch_add(&srv->in_flight, 1) >= max) {
		atomic_fetch_sub(&srv->in_flight, 1);
		return answer_text(req, MHD_HTTP_SERVICE_UNAVAILABLE,
				   "too many requests in flight (--web.max-requests)\n");
	}
	if (!max)
		atomic_fetch_add(&srv->in_flight, 1);
	req->in_flight = true;
	stats_in_flight(1);
	req->ereq.kind = kind;
	req->ereq.deadline = deadline_of(req);
	req->ereq.answer = engine_answered;
	if (kind == ENGINE_METRICS) {
		const char *accept = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
								 "Accept");

		req->ereq.fmt = negotiate_protobuf(accept) ? EXPO_FMT_PROTOBUF :
							     negotiate_format(accept);
		req->ereq.gzip = negotiate_gzip(MHD_lookup_connection_value(req->conn,
									    MHD_HEADER_KIND,
									    "Accept-Encoding"));
	}
	req->state = REQ_ENGINE_WAIT;
	/* Suspended first: the engine may answer (and resume) at once. */
	MHD_suspend_connection(req->conn);
	if (!engine_submit(&req->ereq))
		engine_answered(&req->ereq, engine_answer_text(503, "shutting down\n"));
	return MHD_YES;
}

static MHD_RESULT route(struct http_req *req, const char *url)
{
	struct http_server *srv = req->srv;

	if (!strcmp(url, srv->telemetry_path)) {
		req->handler = STATS_H_METRICS;
		return submit(req, ENGINE_METRICS);
	}
	if (!strcmp(url, "/health")) {
		req->handler = STATS_H_HEALTH;
		return submit(req, ENGINE_HEALTH);
	}
	if (!strcmp(url, "/-/healthy")) {
		/* The process answers: that is all liveness asks. */
		req->handler = STATS_H_LIVENESS;
		return answer_text(req, MHD_HTTP_OK, "Healthy\n");
	}
	if (!strcmp(url, "/-/ready")) {
		req->handler = STATS_H_LIVENESS;
		if (atomic_load(&srv->stopping))
			return answer_text(req, MHD_HTTP_SERVICE_UNAVAILABLE, "Shutting down\n");
		return answer_text(req, MHD_HTTP_OK, "Ready\n");
	}
	if (!strcmp(url, "/")) {
		req->handler = STATS_H_LANDING;
		return serve_landing(req);
	}
	return answer_text(req, MHD_HTTP_NOT_FOUND, "not found\n");
}

static enum stats_handler classify(const struct http_server *srv, const char *url)
{
	if (!strcmp(url, srv->telemetry_path))
		return STATS_H_METRICS;
	if (!strcmp(url, "/health"))
		return STATS_H_HEALTH;
	if (!strcmp(url, "/-/healthy") || !strcmp(url, "/-/ready"))
		return STATS_H_LIVENESS;
	if (!strcmp(url, "/"))
		return STATS_H_LANDING;
	return STATS_H_OTHER;
}

static bool method_allowed(const char *method)
{
	return !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
}

/* The final call: everything of the request is in. */
static MHD_RESULT request_complete(struct http_req *req, const char *url, const char *method)
{
	struct http_server *srv = req->srv;
	struct web_ref *web;
	bool cert_ok;

	if (req->state == REQ_ANSWERED)
		return answer_engine(req);
	if (req->state == REQ_ENGINE_WAIT || req->state == REQ_AUTH_WAIT)
		return MHD_YES;	/* not resumed yet: nothing to do */
	if (!method_allowed(method))
		return answer_text(req, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
	if (atomic_load(&srv->stopping))
		return answer_text(req, MHD_HTTP_SERVICE_UNAVAILABLE, "shutting down\n");
	web = http_web_get(srv);
	cert_ok = !srv->tls || http_tls_client_allowed(srv, req->conn, web->wc);
	http_web_put(srv, web);
	if (!cert_ok) {
		stats_auth_rejected(STATS_AUTH_CERT);
		return answer_text(req, MHD_HTTP_FORBIDDEN, "client certificate required\n");
	}
	if (req->state == REQ_NEW) {
		switch (http_auth_check(req)) {
		case AUTH_PASS:
			break;
		case AUTH_PENDING:
			return MHD_YES;
		case AUTH_REJECT:
			if (req->auth_why == STATS_AUTH_THROTTLED || req->auth_why == STATS_AUTH_BUSY)
				return answer_text(req, MHD_HTTP_TOO_MANY_REQUESTS,
						   "too many failed authentications\n");
			return answer_unauthorized(req);
		}
	} else if (req->state == REQ_AUTH_DONE && !req->auth_ok) {
		if (req->auth_why == STATS_AUTH_BUSY)
			return answer_text(req, MHD_HTTP_TOO_MANY_REQUESTS,
					   "too many failed authentications\n");
		return answer_unauthorized(req);
	}
	return route(req, url);
}

MHD_RESULT http_handle(void *cls, struct MHD_Connection *c, const char *url,
		       const char *method, const char *version,
		       const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	struct http_req *req = *req_cls;

	(void)version;
	(void)upload_data;
	if (!req) {
		req = calloc(1, sizeof(*req));
		if (!req)
			return MHD_NO;
		req->srv = cls;
		req->conn = c;
		req->handler = classify(req->srv, url);
		*req_cls = req;
		http_admission_busy(req->srv, c);
		/* A method we never serve is refused before its body is read;
		 * libmicrohttpd then closes the connection. */
		if (!method_allowed(method))
			return answer_text(req, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* A body on GET or HEAD has no meaning here: read and dropped.
		 * No answer can be queued while it is still coming, so a body
		 * beyond the limit closes the connection. */
		req->body_bytes += *upload_data_size;
		*upload_data_size = 0;
		if (req->body_bytes > MAX_BODY_BYTES) {
			stats_request_done(req->handler, MHD_HTTP_CONTENT_TOO_LARGE);
			return MHD_NO;
		}
		return MHD_YES;
	}
	return request_complete(req, url, method);
}

void http_request_completed(void *cls, struct MHD_Connection *c, void **req_cls,
			    enum MHD_RequestTerminationCode toe)
{
	struct http_req *req = *req_cls;

	(void)toe;
	http_admission_idle(cls, c);
	if (!req)
		return;
	if (req->in_flight) {
		atomic_fetch_sub(&req->srv->in_flight, 1);
		stats_in_flight(-1);
	}
	engine_answer_put(req->answer);
	free(req);
	*req_cls = NULL;
}
