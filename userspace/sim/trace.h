/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Distributed tracing for bcmon-sim: W3C Trace Context propagation and
 * finished spans written as OTLP JSON lines.
 *
 * Propagation: a message that belongs to a consensus round carries the
 * sender's span context as a W3C "traceparent" string
 * (00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>), so the spans
 * that the receiver creates join the sender's trace with a parent link
 * across nodes. Only the "sampled" flag is defined in version 00; a round
 * that is not sampled still propagates its context (flags 00), and no
 * node records its spans.
 *
 * Output: each line of the span file is one OTLP TracesData message in the
 * OTLP/JSON encoding (the format the OpenTelemetry Collector's
 * otlpjsonfile receiver reads): lowerCamelCase field names, trace and span
 * ids as hex strings, enums as integers, 64-bit times as decimal strings.
 * Spans are buffered and written one line per tracer_flush(); the file is
 * rotated to PATH.1 (replacing the previous one) before it would grow past
 * its size limit, so a node keeps at most twice that limit on disk.
 */
#ifndef BCMON_SIM_TRACE_H
#define BCMON_SIM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRACE_ID_LEN		16
#define SPAN_ID_LEN		8
#define TRACEPARENT_LEN		55	/* "00-" 32 "-" 16 "-" 2 */
#define TRACE_FLAG_SAMPLED	0x01

/* OTLP Span.SpanKind values. */
enum span_kind {
	SPAN_KIND_INTERNAL = 1,
	SPAN_KIND_SERVER = 2,
	SPAN_KIND_CLIENT = 3,
	SPAN_KIND_PRODUCER = 4,
	SPAN_KIND_CONSUMER = 5,
};

/* OTLP Status.StatusCode values. */
enum span_status {
	SPAN_STATUS_UNSET = 0,
	SPAN_STATUS_OK = 1,
	SPAN_STATUS_ERROR = 2,
};

/* What identifies a span to its children, here or on another node. */
struct span_ctx {
	uint8_t trace_id[TRACE_ID_LEN];
	uint8_t span_id[SPAN_ID_LEN];
	uint8_t flags;		/* W3C trace flags */
};

#define SPAN_MAX_ATTRS	6

struct span_attr {
	const char *key;	/* a string literal */
	bool is_int;
	int64_t i;
	char s[48];
};

/* A span being built; tracer_end() serialises it. */
struct span {
	struct span_ctx ctx;
	uint8_t parent_id[SPAN_ID_LEN];	/* all zero: a root span */
	bool parent_remote;		/* the parent ran in another process */
	const char *name;		/* a string literal */
	enum span_kind kind;
	enum span_status status;
	uint64_t start_ns, end_ns;	/* CLOCK_REALTIME, Unix epoch */
	unsigned int nattrs;
	struct span_attr attrs[SPAN_MAX_ATTRS];
};

/* --- context ------------------------------------------------------------ */

/* Format ctx as a traceparent into out (TRACEPARENT_LEN + 1 bytes). */
void traceparent_format(const struct span_ctx *ctx, char *out);
/*
 * Parse a traceparent header value. Accepts version 00 exactly and, as the
 * W3C recommendation asks, a higher version (not ff) whose first four
 * fields parse, ignoring what follows. Rejects upper-case hex, all-zero
 * ids and anything malformed: returns false and leaves ctx alone.
 */
bool traceparent_parse(const char *s, size_t len, struct span_ctx *ctx);
bool span_ctx_valid(const struct span_ctx *ctx);
static inline bool span_ctx_sampled(const struct span_ctx *ctx)
{
	return ctx->flags & TRACE_FLAG_SAMPLED;
}

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void hex_encode(const uint8_t *in, size_t n, char *out);

/* --- ids and time --------------------------------------------------------- */

/* Random, non-zero ids from the kernel's CSPRNG (never the seeded RNG:
 * two nodes started with the same --seed must not share trace ids). */
void trace_new_trace_id(uint8_t id[TRACE_ID_LEN]);
void trace_new_span_id(uint8_t id[SPAN_ID_LEN]);
uint64_t trace_now_ns(void);	/* CLOCK_REALTIME */

/* --- spans --------------------------------------------------------------- */

/* A new root span of a new trace, sampled with probability sample. */
void span_start_root(struct span *sp, const char *name, enum span_kind kind,
		     double sample);
/* A new child span of parent (local or, with remote, from a message). */
void span_start_child(struct span *sp, const struct span_ctx *parent, bool remote,
		      const char *name, enum span_kind kind);
void span_attr_int(struct span *sp, const char *key, int64_t v);
void span_attr_str(struct span *sp, const char *key, const char *v);

/* --- the span file -------------------------------------------------------- */

struct tracer;

struct tracer_stats {
	uint64_t spans_written;
	uint64_t spans_dropped;		/* write failures and full buffers */
	uint64_t bytes_written;		/* since start, across rotations */
	uint64_t rotations;
};

/*
 * Open (append to) the span file at path. max_bytes bounds one file
 * (at least 64 KiB); node names the resource (host.name and
 * service.instance.id). NULL path: tracing off, every call a no-op.
 */
int tracer_open(struct tracer **out, const char *path, uint64_t max_bytes,
		const char *node);
void tracer_close(struct tracer *t);
/*
 * Does tracer_end() write the spans of ctx: tracing on and the trace
 * sampled? Only then may anything else (an exemplar) name the trace: the
 * ids of a trace whose spans no node wrote would lead nowhere.
 */
static inline bool tracer_records(const struct tracer *t, const struct span_ctx *ctx)
{
	return t && span_ctx_sampled(ctx);
}
/* Finish sp (end time now unless already set) and queue it if sampled. */
void tracer_end(struct tracer *t, struct span *sp);
/* Write the queued spans as one line. 0 or -errno (spans then dropped). */
int tracer_flush(struct tracer *t);
void tracer_get_stats(const struct tracer *t, struct tracer_stats *st);

#endif /* BCMON_SIM_TRACE_H */
