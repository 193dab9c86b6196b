// SPDX-License-Identifier: GPL-2.0
/*
 * The span file (trace.h): finished spans serialised in the OTLP/JSON
 * encoding, one TracesData object per line, size-bounded with one rotated
 * generation.
 *
 * Each line is written with a single write(2) on an O_APPEND descriptor,
 * so a reader tailing the file sees whole lines except, at worst, the last
 * one while it is being written. A short write (disk full) is finished
 * with a newline so that the next line starts clean; the damaged line is
 * not valid JSON and a reader skips it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace.h"

#define MIN_FILE_BYTES	(64 * 1024)
#define MAX_QUEUE_BYTES	(256 * 1024)

struct tracer {
	char *path;
	char *rotated;			/* path + ".1" */
	int fd;
	uint64_t max_bytes;		/* one file */
	uint64_t size;			/* of the current file */
	char *head;			/* line prefix: resource and scope */
	size_t head_len;
	char *queue;			/* serialised spans, comma-separated */
	size_t queue_len, queue_cap;
	unsigned int queued;
	struct tracer_stats st;
};

static const char line_tail[] = "]}]}]}\n";

/* --- a bounded text buffer -------------------------------------------------- */

struct text {
	char *p;
	size_t len, cap;
	bool overflow;
};

static void text_vappend(struct text *t, const char *fmt, va_list ap)
{
	int n;

	if (t->overflow)
		return;
	n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
	if (n < 0 || (size_t)n >= t->cap - t->len)
		t->overflow = true;
	else
		t->len += (size_t)n;
}

__attribute__((format(printf, 2, 3)))
static void text_append(struct text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	text_vappend(t, fmt, ap);
	va_end(ap);
}

/* A JSON string literal. Names and values are ASCII by construction
 * (option parsing refuses anything else in a node name); a byte outside
 * printable ASCII is escaped or replaced, so a line is always valid JSON. */
static void text_string(struct text *t, const char *s)
{
	text_append(t, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			text_append(t, "\\%c", c);
		else if (c < 0x20)
			text_append(t, "\\u%04x", c);
		else if (c >= 0x7f)
			text_append(t, "?");
		else
			text_append(t, "%c", c);
	}
	text_append(t, "\"");
}

static void text_attr(struct text *t, const char *key, const char *str, const int64_t *num)
{
	text_append(t, "{\"key\":");
	text_string(t, key);
	if (num) {
		/* int64 is a decimal string in the protobuf JSON mapping. */
		text_append(t, ",\"value\":{\"intValue\":\"%" PRId64 "\"}}", *num);
	} else {
		text_append(t, ",\"value\":{\"stringValue\":");
		text_string(t, str);
		text_append(t, "}}");
	}
}

/* One Span message. Flags: the W3C trace flags in the low byte, and bits
 * 8-9 (SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE / _IS_REMOTE) saying whether the
 * parent ran in another process. */
static void text_span(struct text *t, const struct span *sp)
{
	char trace_id[2 * TRACE_ID_LEN + 1], span_id[2 * SPAN_ID_LEN + 1];
	char parent_id[2 * SPAN_ID_LEN + 1];
	static const uint8_t zero[SPAN_ID_LEN];
	uint32_t flags = sp->ctx.flags | 0x100u | (sp->parent_remote ? 0x200u : 0);
	unsigned int i;

	hex_encode(sp->ctx.trace_id, TRACE_ID_LEN, trace_id);
	hex_encode(sp->ctx.span_id, SPAN_ID_LEN, span_id);
	text_append(t, "{\"traceId\":\"%s\",\"spanId\":\"%s\"", trace_id, span_id);
	if (memcmp(sp->parent_id, zero, SPAN_ID_LEN)) {
		hex_encode(sp->parent_id, SPAN_ID_LEN, parent_id);
		text_append(t, ",\"parentSpanId\":\"%s\"", parent_id);
	}
	text_append(t, ",\"flags\":%" PRIu32 ",\"name\":", flags);
	text_string(t, sp->name);
	text_append(t, ",\"kind\":%d,\"startTimeUnixNano\":\"%" PRIu64 "\","
		    "\"endTimeUnixNano\":\"%" PRIu64 "\",\"attributes\":[",
		    (int)sp->kind, sp->start_ns, sp->end_ns);
	for (i = 0; i < sp->nattrs; i++) {
		const struct span_attr *a = &sp->attrs[i];

		if (i)
			text_append(t, ",");
		text_attr(t, a->key, a->s, a->is_int ? &a->i : NULL);
	}
	text_append(t, "]");
	if (sp->status != SPAN_STATUS_UNSET)
		text_append(t, ",\"status\":{\"code\":%d}", (int)sp->status);
	text_append(t, "}");
}

/* --- the file ----------------------------------------------------------------- */

static int open_file(struct tracer *t, bool truncate)
{
	struct stat st;
	int fd;

	fd = open(t->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
		  (truncate ? O_TRUNC : 0), 0644);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {	/* a FIFO or device would never rotate */
		close(fd);
		return -EINVAL;
	}
	t->fd = fd;
	t->size = (uint64_t)st.st_size;
	return 0;
}

static int rotate(struct tracer *t)
{
	if (rename(t->path, t->rotated) < 0 && errno != ENOENT)
		return -errno;
	close(t->fd);
	t->fd = -1;
	t->st.rotations++;
	return open_file(t, true);
}

static int make_head(struct tracer *t, const char *node)
{
	struct text x = { .cap = 1024 };

	x.p = malloc(x.cap);
	if (!x.p)
		return -ENOMEM;
	text_append(&x, "{\"resourceSpans\":[{\"resource\":{\"attributes\":[");
	text_attr(&x, "service.name", "bcmon-sim", NULL);
	text_append(&x, ",");
	text_attr(&x, "host.name", node, NULL);
	text_append(&x, ",");
	text_attr(&x, "service.instance.id", node, NULL);
	text_append(&x, "]},\"scopeSpans\":[{\"scope\":{\"name\":\"bcmon-sim\"},\"spans\":[");
	if (x.overflow) {
		free(x.p);
		return -ENAMETOOLONG;
	}
	t->head = x.p;
	t->head_len = x.len;
	return 0;
}

int tracer_open(struct tracer **out, const char *path, uint64_t max_bytes, const char *node)
{
	struct tracer *t;
	int err;

	*out = NULL;
	if (!path)
		return 0;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->fd = -1;
	t->max_bytes = max_bytes < MIN_FILE_BYTES ? MIN_FILE_BYTES : max_bytes;
	/* A queue never holds more than a quarter of a file, so one line
	 * always fits in a freshly rotated file. */
	t->queue_cap = t->max_bytes / 4 < MAX_QUEUE_BYTES ? t->max_bytes / 4 : MAX_QUEUE_BYTES;
	t->path = strdup(path);
	t->queue = malloc(t->queue_cap);
	if (!t->path || !t->queue || asprintf(&t->rotated, "%s.1", path) < 0) {
		t->rotated = NULL;
		err = -ENOMEM;
		goto err_free;
	}
	err = make_head(t, node);
	if (err)
		goto err_free;
	err = open_file(t, false);
	if (err)
		goto err_free;
	*out = t;
	return 0;

err_free:
	tracer_close(t);
	return err;
}

void tracer_close(struct tracer *t)
{
	if (!t)
		return;
	tracer_flush(t);
	if (t->fd >= 0)
		close(t->fd);
	free(t->head);
	free(t->queue);
	free(t->rotated);
	free(t->path);
	free(t);
}

void tracer_end(struct tracer *t, struct span *sp)
{
	struct text x;

	if (!sp->end_ns)
		sp->end_ns = trace_now_ns();
	if (sp->end_ns < sp->start_ns)
		sp->end_ns = sp->start_ns;	/* the clock was stepped back */
	if (!tracer_records(t, &sp->ctx))
		return;
	if (t->queue_len) {
		if (t->queue_len + 1 >= t->queue_cap)
			goto dropped;
		t->queue[t->queue_len++] = ',';
	}
	x = (struct text){ .p = t->queue, .len = t->queue_len, .cap = t->queue_cap };
	text_span(&x, sp);
	if (x.overflow) {
		if (t->queue_len)
			t->queue_len--;		/* the comma */
		goto dropped;
	}
	t->queue_len = x.len;
	t->queued++;
	return;
dropped:
	t->st.spans_dropped++;
}

static int write_line(struct tracer *t, const char *line, size_t len)
{
	ssize_t n = write(t->fd, line, len);

	if (n == (ssize_t)len) {
		t->size += len;
		return 0;
	}
	if (n > 0) {
		t->size += (size_t)n;
		if (write(t->fd, "\n", 1) == 1)
			t->size++;
		return -ENOSPC;
	}
	return n < 0 ? -errno : -EIO;
}

int tracer_flush(struct tracer *t)
{
	size_t len;
	char *line;
	int err = 0;

	if (!t || !t->queued)
		return 0;
	len = t->head_len + t->queue_len + sizeof(line_tail) - 1;
	line = malloc(len);
	if (!line) {
		err = -ENOMEM;
		goto out;
	}
	memcpy(line, t->head, t->head_len);
	memcpy(line + t->head_len, t->queue, t->queue_len);
	memcpy(line + t->head_len + t->queue_len, line_tail, sizeof(line_tail) - 1);
	if (t->fd < 0 || (t->size && t->size + len > t->max_bytes))
		err = t->fd < 0 ? open_file(t, false) : rotate(t);
	if (!err)
		err = write_line(t, line, len);
	free(line);
out:
	if (err) {
		t->st.spans_dropped += t->queued;
	} else {
		t->st.spans_written += t->queued;
		t->st.bytes_written += len;
	}
	t->queue_len = 0;
	t->queued = 0;
	return err;
}

void tracer_get_stats(const struct tracer *t, struct tracer_stats *st)
{
	if (t)
		*st = t->st;
	else
		memset(st, 0, sizeof(*st));
}
