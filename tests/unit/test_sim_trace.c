// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bcmon-sim's tracing (trace_context.c, trace_file.c) and
 * its fleet options: the W3C traceparent format both ways, including every
 * kind of malformed value a peer could send; ids; the span file's lines,
 * escaping, sampling and rotation (the JSON itself is decoded by an
 * independent reader in tests/host/65-sim-fleet.sh); --fleet/--self/--node.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sim.h"
#include "trace.h"

/* --- traceparent ----------------------------------------------------------------- */
static const char good[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

static bool parse(const char *s, struct span_ctx *ctx)
{
	return traceparent_parse(s, strlen(s), ctx);
}

static void traceparent_round_trip(void **state)
{
	struct span_ctx ctx;
	char out[TRACEPARENT_LEN + 1];

	(void)state;
	assert_true(parse(good, &ctx));
	assert_int_equal(ctx.trace_id[0], 0x4b);
	assert_int_equal(ctx.trace_id[15], 0x36);
	assert_int_equal(ctx.span_id[0], 0x00);
	assert_int_equal(ctx.span_id[7], 0xb7);
	assert_true(span_ctx_sampled(&ctx));
	traceparent_format(&ctx, out);
	assert_string_equal(out, good);

	assert_true(parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", &ctx));
	assert_false(span_ctx_sampled(&ctx));
	/* Unknown flag bits are dropped, not propagated. */
	assert_true(parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff", &ctx));
	assert_int_equal(ctx.flags, TRACE_FLAG_SAMPLED);
}

static void traceparent_future_version(void **state)
{
	struct span_ctx ctx;

	(void)state;
	/* A later version may append fields; the first four still count. */
	assert_true(parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", &ctx));
	assert_true(parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", &ctx));
	/* ... but not without a dash after them. */
	assert_false(parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", &ctx));
}

static void traceparent_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"00",
		"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",	/* version ff */
		"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",	/* upper case */
		"00-00000000000000000000000000000000-00f067aa0ba902b7-01",	/* zero trace */
		"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",	/* zero span */
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",	/* 00 is exact */
		"00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",	/* dash moved */
		"00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
		"0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0 ",
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b",	/* short */
	};
	struct span_ctx ctx, before;
	unsigned int i;

	(void)state;
	memset(&ctx, 0x5a, sizeof(ctx));
	before = ctx;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(parse(bad[i], &ctx));
		assert_memory_equal(&ctx, &before, sizeof(ctx));	/* untouched */
	}
	/* A message field is NUL-padded, never NUL-terminated by contract:
	 * the length given is all the parser may read. */
	assert_false(traceparent_parse(good, TRACEPARENT_LEN - 1, &ctx));
}

/* --- ids and spans ------------------------------------------------------------------- */
static void ids_are_random_and_non_zero(void **state)
{
	uint8_t a[TRACE_ID_LEN], b[TRACE_ID_LEN], zero[TRACE_ID_LEN] = { 0 };
	uint8_t s[SPAN_ID_LEN];

	(void)state;
	trace_new_trace_id(a);
	trace_new_trace_id(b);
	assert_memory_not_equal(a, b, TRACE_ID_LEN);
	assert_memory_not_equal(a, zero, TRACE_ID_LEN);
	trace_new_span_id(s);
	assert_memory_not_equal(s, zero, SPAN_ID_LEN);
}

static void children_inherit_trace_and_sampling(void **state)
{
	struct span root, child, unsampled;

	(void)state;
	span_start_root(&root, "round", SPAN_KIND_INTERNAL, 1.0);
	assert_true(span_ctx_valid(&root.ctx));
	assert_true(span_ctx_sampled(&root.ctx));
	span_start_child(&child, &root.ctx, true, "hop", SPAN_KIND_CONSUMER);
	assert_memory_equal(child.ctx.trace_id, root.ctx.trace_id, TRACE_ID_LEN);
	assert_memory_equal(child.parent_id, root.ctx.span_id, SPAN_ID_LEN);
	assert_memory_not_equal(child.ctx.span_id, root.ctx.span_id, SPAN_ID_LEN);
	assert_true(child.parent_remote);
	assert_true(span_ctx_sampled(&child.ctx));
	span_start_root(&unsampled, "round", SPAN_KIND_INTERNAL, 0.0);
	assert_false(span_ctx_sampled(&unsampled.ctx));
	assert_true(span_ctx_valid(&unsampled.ctx));	/* still propagated */
}

/* --- the span file -------------------------------------------------------------------- */
static char dir[] = "/tmp/test_sim_trace.XXXXXX";
static char path[256], rotated[256];

static int file_setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_sim_trace.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/spans.jsonl", dir);
	snprintf(rotated, sizeof(rotated), "%s/spans.jsonl.1", dir);
	return 0;
}

static int file_teardown(void **state)
{
	(void)state;
	unlink(path);
	unlink(rotated);
	rmdir(dir);
	return 0;
}

static char *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static unsigned int count(const char *hay, const char *needle)
{
	unsigned int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void one_line_per_flush(void **state)
{
	struct tracer *t;
	struct tracer_stats st;
	struct span root, child, off;
	char tid[2 * TRACE_ID_LEN + 1], want[128];
	size_t len;
	char *text;

	(void)state;
	assert_int_equal(tracer_open(&t, path, 1 << 20, "node-1"), 0);
	span_start_root(&root, "consensus.round", SPAN_KIND_INTERNAL, 1.0);
	span_attr_int(&root, "bcmon.round", -42);
	span_attr_str(&root, "bcmon.note", "a \"quoted\"\\ value\n");
	span_start_child(&child, &root.ctx, true, "receive", SPAN_KIND_CONSUMER);
	child.status = SPAN_STATUS_ERROR;
	span_start_root(&off, "unsampled", SPAN_KIND_INTERNAL, 0.0);
	/* What tracer_end() writes, and so what an exemplar may name. */
	assert_true(tracer_records(t, &root.ctx));
	assert_true(tracer_records(t, &child.ctx));
	assert_false(tracer_records(t, &off.ctx));
	tracer_end(t, &child);
	tracer_end(t, &root);
	tracer_end(t, &off);		/* not sampled: not written */
	assert_int_equal(tracer_flush(t), 0);
	assert_int_equal(tracer_flush(t), 0);	/* nothing queued: no line */
	tracer_get_stats(t, &st);
	assert_int_equal(st.spans_written, 2);
	assert_int_equal(st.spans_dropped, 0);
	tracer_close(t);

	text = slurp(path, &len);
	assert_non_null(text);
	assert_int_equal(count(text, "\n"), 1);
	assert_int_equal(text[len - 1], '\n');
	assert_int_equal(count(text, "{\"resourceSpans\":[{\"resource\":{\"attributes\":["), 1);
	assert_int_equal(count(text, "{\"key\":\"host.name\",\"value\":{\"stringValue\":\"node-1\"}}"), 1);
	hex_encode(root.ctx.trace_id, TRACE_ID_LEN, tid);
	snprintf(want, sizeof(want), "\"traceId\":\"%s\"", tid);
	assert_int_equal(count(text, want), 2);
	assert_int_equal(count(text, "\"parentSpanId\""), 1);	/* only the child */
	assert_int_equal(count(text, "\"name\":\"unsampled\""), 0);
	assert_int_equal(count(text, "{\"key\":\"bcmon.round\",\"value\":{\"intValue\":\"-42\"}}"), 1);
	assert_int_equal(count(text, "\"stringValue\":\"a \\\"quoted\\\"\\\\ value\\u000a\""), 1);
	/* sampled | HAS_IS_REMOTE | IS_REMOTE for the child, no IS_REMOTE for the root */
	assert_int_equal(count(text, "\"flags\":769,\"name\":\"receive\",\"kind\":5"), 1);
	assert_int_equal(count(text, "\"flags\":257,\"name\":\"consensus.round\",\"kind\":1"), 1);
	assert_int_equal(count(text, "\"status\":{\"code\":2}"), 1);
	assert_int_equal(count(text, "]}]}]}\n"), 1);
	free(text);
}

static void rotation_bounds_the_files(void **state)
{
	struct tracer *t;
	struct tracer_stats st;
	struct stat sb;
	unsigned int i;

	(void)state;
	assert_int_equal(tracer_open(&t, path, 65536, "n"), 0);
	for (i = 0; i < 2000; i++) {
		struct span sp;

		span_start_root(&sp, "consensus.round", SPAN_KIND_INTERNAL, 1.0);
		tracer_end(t, &sp);
		if (i % 10 == 9)
			assert_int_equal(tracer_flush(t), 0);
	}
	tracer_get_stats(t, &st);
	tracer_close(t);
	assert_true(st.rotations >= 2);
	assert_int_equal(st.spans_written, 2000);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size <= 65536);
	assert_int_equal(stat(rotated, &sb), 0);
	assert_true(sb.st_size <= 65536 && sb.st_size > 32768);
}

static void queue_overflow_is_counted(void **state)
{
	struct tracer *t;
	struct tracer_stats st;
	unsigned int i;

	(void)state;
	/* A 64 KiB file queues at most 16 KiB: about 60 spans. */
	assert_int_equal(tracer_open(&t, path, 65536, "n"), 0);
	for (i = 0; i < 200; i++) {
		struct span sp;

		span_start_root(&sp, "consensus.round", SPAN_KIND_INTERNAL, 1.0);
		tracer_end(t, &sp);
	}
	assert_int_equal(tracer_flush(t), 0);
	tracer_get_stats(t, &st);
	tracer_close(t);
	assert_int_equal(st.spans_written + st.spans_dropped, 200);
	assert_true(st.spans_dropped > 0 && st.spans_written > 0);
}

static void tracer_refuses_non_regular_files(void **state)
{
	struct tracer *t;
	struct span sampled;

	(void)state;
	assert_int_equal(tracer_open(&t, "/dev/null", 65536, "n"), -EINVAL);
	assert_null(t);
	assert_int_equal(tracer_open(&t, NULL, 65536, "n"), 0);	/* tracing off */
	assert_null(t);
	assert_int_equal(tracer_flush(NULL), 0);
	span_start_root(&sampled, "consensus.round", SPAN_KIND_INTERNAL, 1.0);
	assert_false(tracer_records(t, &sampled.ctx));	/* no file, no trace */
}

/* --- fleet options ---------------------------------------------------------------------- */
static int parse_args(struct sim_options *opt, int argc, char **argv)
{
	optind = 0;	/* glibc: start a fresh scan */
	return sim_parse_options(argc, argv, opt);
}

static void fleet_options(void **state)
{
	char *args[] = { "bcmon-sim", "--fleet", "10.77.0.1,10.77.0.2,10.77.0.3",
			 "--self", "10.77.0.2", "--node", "node2", "--trace", "/tmp/x",
			 "--trace-sample", "0.25", "--trace-max-bytes", "100000", NULL };
	char *loop[] = { "bcmon-sim", "--peers", "3", NULL };
	char name[INET_ADDRSTRLEN];
	struct sim_options opt;

	(void)state;
	assert_int_equal(parse_args(&opt, 13, args), 0);
	assert_true(opt.fleet);
	assert_int_equal(opt.peers, 3);
	assert_int_equal(opt.self, 1);
	assert_string_equal(opt.node, "node2");
	assert_string_equal(opt.trace_path, "/tmp/x");
	assert_int_equal(opt.trace_max_bytes, 100000);
	assert_true(opt.trace_sample == 0.25);
	assert_string_equal(sim_peer_name(&opt, 2, name), "10.77.0.3");
	assert_true(sim_peer_local(&opt, 1));
	assert_false(sim_peer_local(&opt, 0));

	assert_int_equal(parse_args(&opt, 3, loop), 0);
	assert_false(opt.fleet);
	assert_string_equal(sim_peer_name(&opt, 2, name), "127.0.0.3");
	assert_true(sim_peer_local(&opt, 0) && sim_peer_local(&opt, 2));
	assert_true(opt.trace_sample == 1.0);
	assert_null(opt.trace_path);
}

static void fleet_options_reject_bad_values(void **state)
{
	char *no_self[] = { "bcmon-sim", "--fleet", "10.0.0.1,10.0.0.2", NULL };
	char *not_member[] = { "bcmon-sim", "--fleet", "10.0.0.1,10.0.0.2", "--self", "10.0.0.3", NULL };
	char *one[] = { "bcmon-sim", "--fleet", "10.0.0.1", "--self", "10.0.0.1", NULL };
	char *twice[] = { "bcmon-sim", "--fleet", "10.0.0.1,10.0.0.1", "--self", "10.0.0.1", NULL };
	char *mcast[] = { "bcmon-sim", "--fleet", "10.0.0.1,224.0.0.1", "--self", "10.0.0.1", NULL };
	char *zero[] = { "bcmon-sim", "--fleet", "0.0.0.0,10.0.0.1", "--self", "10.0.0.1", NULL };
	char *junk[] = { "bcmon-sim", "--fleet", "10.0.0.1,host", "--self", "10.0.0.1", NULL };
	char *both[] = { "bcmon-sim", "-p", "3", "--fleet", "10.0.0.1,10.0.0.2", "--self", "10.0.0.1", NULL };
	char *self_only[] = { "bcmon-sim", "--self", "10.0.0.1", NULL };
	char *name[] = { "bcmon-sim", "--node", "bad name", NULL };
	char *name_long[] = { "bcmon-sim", "--node",
		"n123456789012345678901234567890123456789012345678901234567890123", NULL };
	char *sample[] = { "bcmon-sim", "--trace-sample", "1.5", NULL };
	char *small[] = { "bcmon-sim", "--trace-max-bytes", "1000", NULL };
	char *empty[] = { "bcmon-sim", "--trace", "", NULL };
	struct sim_options opt;

	(void)state;
	assert_non_null(freopen("/dev/null", "w", stderr));
	assert_int_equal(parse_args(&opt, 3, no_self), -1);
	assert_int_equal(parse_args(&opt, 5, not_member), -1);
	assert_int_equal(parse_args(&opt, 5, one), -1);
	assert_int_equal(parse_args(&opt, 5, twice), -1);
	assert_int_equal(parse_args(&opt, 5, mcast), -1);
	assert_int_equal(parse_args(&opt, 5, zero), -1);
	assert_int_equal(parse_args(&opt, 5, junk), -1);
	assert_int_equal(parse_args(&opt, 7, both), -1);
	assert_int_equal(parse_args(&opt, 3, self_only), -1);
	assert_int_equal(parse_args(&opt, 3, name), -1);
	assert_int_equal(parse_args(&opt, 3, name_long), -1);
	assert_int_equal(parse_args(&opt, 3, sample), -1);
	assert_int_equal(parse_args(&opt, 3, small), -1);
	assert_int_equal(parse_args(&opt, 3, empty), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(traceparent_round_trip),
		cmocka_unit_test(traceparent_future_version),
		cmocka_unit_test(traceparent_rejects_malformed),
		cmocka_unit_test(ids_are_random_and_non_zero),
		cmocka_unit_test(children_inherit_trace_and_sampling),
		cmocka_unit_test_setup_teardown(one_line_per_flush, file_setup, file_teardown),
		cmocka_unit_test_setup_teardown(rotation_bounds_the_files, file_setup, file_teardown),
		cmocka_unit_test_setup_teardown(queue_overflow_is_counted, file_setup, file_teardown),
		cmocka_unit_test(tracer_refuses_non_regular_files),
		cmocka_unit_test(fleet_options),
		cmocka_unit_test(fleet_options_reject_bad_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
