// SPDX-License-Identifier: GPL-2.0
/*
 * Span contexts: ids, the W3C traceparent format, and spans under
 * construction (trace.h). Serialising finished spans is trace_file.c.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "sim.h"
#include "trace.h"

static const char hexdigits[] = "0123456789abcdef";

void hex_encode(const uint8_t *in, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hexdigits[in[i] >> 4];
		out[2 * i + 1] = hexdigits[in[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* Lower-case hex only: the W3C format forbids upper case. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool hex_decode(const char *s, uint8_t *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

bool span_ctx_valid(const struct span_ctx *ctx)
{
	return !all_zero(ctx->trace_id, TRACE_ID_LEN) && !all_zero(ctx->span_id, SPAN_ID_LEN);
}

void traceparent_format(const struct span_ctx *ctx, char *out)
{
	memcpy(out, "00-", 3);
	hex_encode(ctx->trace_id, TRACE_ID_LEN, out + 3);
	out[35] = '-';
	hex_encode(ctx->span_id, SPAN_ID_LEN, out + 36);
	out[52] = '-';
	hex_encode(&ctx->flags, 1, out + 53);
}

bool traceparent_parse(const char *s, size_t len, struct span_ctx *ctx)
{
	struct span_ctx c;
	uint8_t version;

	if (len < TRACEPARENT_LEN || !hex_decode(s, &version, 1) || version == 0xff)
		return false;
	/* Version 00 is exactly 55 characters; a later version may append
	 * fields after a dash, which this parser does not understand. */
	if (version == 0 && len != TRACEPARENT_LEN)
		return false;
	if (version != 0 && len > TRACEPARENT_LEN && s[TRACEPARENT_LEN] != '-')
		return false;
	if (s[2] != '-' || s[35] != '-' || s[52] != '-')
		return false;
	if (!hex_decode(s + 3, c.trace_id, TRACE_ID_LEN) ||
	    !hex_decode(s + 36, c.span_id, SPAN_ID_LEN) ||
	    !hex_decode(s + 53, &c.flags, 1))
		return false;
	if (!span_ctx_valid(&c))
		return false;
	/* Only the sampled bit is defined; keep only what we understand. */
	c.flags &= TRACE_FLAG_SAMPLED;
	*ctx = c;
	return true;
}

/*
 * Ids come from getrandom() in blocks, so that a span costs no system
 * call. A failing getrandom() (it cannot, once the pool is initialised)
 * falls back to the simulation's RNG rather than to zero ids.
 */
static void random_bytes(uint8_t *out, size_t n)
{
	static uint8_t pool[4096];
	static size_t avail;

	while (n) {
		size_t take;

		if (!avail) {
			ssize_t got = getrandom(pool, sizeof(pool), 0);
			size_t i;

			if (got <= 0) {
				for (i = 0; i < sizeof(pool); i++)
					pool[i] = (uint8_t)rng_next();
				got = sizeof(pool);
			}
			avail = (size_t)got;
		}
		take = n < avail ? n : avail;
		memcpy(out, pool + sizeof(pool) - avail, take);
		avail -= take;
		out += take;
		n -= take;
	}
}

void trace_new_trace_id(uint8_t id[TRACE_ID_LEN])
{
	do
		random_bytes(id, TRACE_ID_LEN);
	while (all_zero(id, TRACE_ID_LEN));
}

void trace_new_span_id(uint8_t id[SPAN_ID_LEN])
{
	do
		random_bytes(id, SPAN_ID_LEN);
	while (all_zero(id, SPAN_ID_LEN));
}

uint64_t trace_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void span_init(struct span *sp, const char *name, enum span_kind kind)
{
	memset(sp, 0, sizeof(*sp));
	sp->name = name;
	sp->kind = kind;
	trace_new_span_id(sp->ctx.span_id);
	sp->start_ns = trace_now_ns();
}

void span_start_root(struct span *sp, const char *name, enum span_kind kind, double sample)
{
	span_init(sp, name, kind);
	trace_new_trace_id(sp->ctx.trace_id);
	/* Head sampling: the root decides for every node of the trace. */
	if (sample >= 1.0 || (sample > 0 && rng_uniform() < sample))
		sp->ctx.flags = TRACE_FLAG_SAMPLED;
}

void span_start_child(struct span *sp, const struct span_ctx *parent, bool remote,
		      const char *name, enum span_kind kind)
{
	span_init(sp, name, kind);
	memcpy(sp->ctx.trace_id, parent->trace_id, TRACE_ID_LEN);
	memcpy(sp->parent_id, parent->span_id, SPAN_ID_LEN);
	sp->ctx.flags = parent->flags;
	sp->parent_remote = remote;
}

static struct span_attr *attr_slot(struct span *sp, const char *key)
{
	struct span_attr *a;

	if (sp->nattrs == SPAN_MAX_ATTRS)
		return NULL;	/* a programming error; the span stays valid */
	a = &sp->attrs[sp->nattrs++];
	a->key = key;
	return a;
}

void span_attr_int(struct span *sp, const char *key, int64_t v)
{
	struct span_attr *a = attr_slot(sp, key);

	if (a) {
		a->is_int = true;
		a->i = v;
	}
}

void span_attr_str(struct span *sp, const char *key, const char *v)
{
	struct span_attr *a = attr_slot(sp, key);

	if (a) {
		a->is_int = false;
		snprintf(a->s, sizeof(a->s), "%s", v);
	}
}
