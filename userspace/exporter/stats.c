// SPDX-License-Identifier: GPL-2.0
#include "stats.h"

#include <stdatomic.h>
#include <string.h>

static const unsigned int codes[STATS_NCODES - 1] = STATS_CODES;
static atomic_uint_fast64_t requests[STATS_NHANDLERS][STATS_NCODES];
static atomic_int_fast64_t in_flight;
static atomic_uint_fast64_t auth_rejected[STATS_NAUTH];
static atomic_uint_fast64_t collections, bcrypt_runs, evicted;

static unsigned int code_index(unsigned int code)
{
	for (unsigned int i = 0; i < STATS_NCODES - 1; i++)
		if (codes[i] == code)
			return i;
	return STATS_NCODES - 1;
}

void stats_request_done(enum stats_handler h, unsigned int code)
{
	atomic_fetch_add(&requests[h][code_index(code)], 1);
}

void stats_in_flight(int delta)
{
	atomic_fetch_add(&in_flight, delta);
}

void stats_auth_rejected(enum stats_auth why)
{
	atomic_fetch_add(&auth_rejected[why], 1);
}

void stats_collection_started(void)
{
	atomic_fetch_add(&collections, 1);
}

void stats_bcrypt_run(void)
{
	atomic_fetch_add(&bcrypt_runs, 1);
}

void stats_connection_evicted(void)
{
	atomic_fetch_add(&evicted, 1);
}

const char *stats_handler_name(enum stats_handler h)
{
	static const char *const names[STATS_NHANDLERS] = {
		"metrics", "health", "liveness", "landing", "other",
	};

	return names[h];
}

const char *stats_auth_name(enum stats_auth why)
{
	static const char *const names[STATS_NAUTH] = {
		"wrong_credentials", "no_credentials", "throttled", "busy", "client_certificate",
	};

	return names[why];
}

void stats_snapshot(struct stats_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned int h = 0; h < STATS_NHANDLERS; h++)
		for (unsigned int c = 0; c < STATS_NCODES; c++)
			s->requests[h][c] = atomic_load(&requests[h][c]);
	for (unsigned int c = 0; c < STATS_NCODES - 1; c++)
		s->codes[c] = codes[c];
	s->in_flight = atomic_load(&in_flight);
	for (unsigned int a = 0; a < STATS_NAUTH; a++)
		s->auth_rejected[a] = atomic_load(&auth_rejected[a]);
	s->collections = atomic_load(&collections);
	s->bcrypt_runs = atomic_load(&bcrypt_runs);
	s->evicted = atomic_load(&evicted);
}
