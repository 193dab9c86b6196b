/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exporter's own counters, updated by the HTTP front and the engine
 * from any thread (atomics), read by the self metrics (self.c).
 */
#ifndef BCMON_EXPORTER_STATS_H
#define BCMON_EXPORTER_STATS_H

#include <stdint.h>

enum stats_handler {
	STATS_H_METRICS,
	STATS_H_HEALTH,
	STATS_H_LIVENESS,	/* /-/healthy and /-/ready */
	STATS_H_LANDING,
	STATS_H_OTHER,		/* 404s, bad methods, refused requests */
	STATS_NHANDLERS,
};

/* The status codes the exporter answers with; anything else is "other". */
#define STATS_CODES { 200, 400, 401, 403, 404, 405, 413, 429, 431, 500, 503 }
#define STATS_NCODES 12

enum stats_auth {
	STATS_AUTH_WRONG,	/* unknown user or wrong password (bcrypt ran) */
	STATS_AUTH_MISSING,	/* no credentials */
	STATS_AUTH_THROTTLED,	/* the client address failed too often */
	STATS_AUTH_BUSY,	/* too many checks waiting already */
	STATS_AUTH_CERT,	/* no or unverifiable client certificate */
	STATS_NAUTH,
};

void stats_request_done(enum stats_handler h, unsigned int code);
void stats_in_flight(int delta);
void stats_auth_rejected(enum stats_auth why);
void stats_collection_started(void);
void stats_bcrypt_run(void);
void stats_connection_evicted(void);

const char *stats_handler_name(enum stats_handler h);
const char *stats_auth_name(enum stats_auth why);

struct stats_snapshot {
	uint64_t requests[STATS_NHANDLERS][STATS_NCODES];
	unsigned int codes[STATS_NCODES];	/* 0 for "other" */
	int64_t in_flight;
	uint64_t auth_rejected[STATS_NAUTH];
	uint64_t collections;
	uint64_t bcrypt_runs;
	uint64_t evicted;
};

void stats_snapshot(struct stats_snapshot *s);

#endif
