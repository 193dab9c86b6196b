// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-setstest: counter-set checks that need raw netlink or speed.
 *
 *   badinput            every malformed or refused request, each checked
 *                       for its errno and an extack message
 *   fuzz N SEED         N random (and mutated valid) messages; the module
 *                       must answer each and still work afterwards
 *   runas UID GID[,GID...] CMD ARGS...   drop root, then exec CMD
 *   add SET METRIC N BATCH               N adds of 1 in batches of BATCH
 *   dump N              N dumps of every set (interrupted dumps allowed)
 *   dgrams              one dump each of sets, errors and sensors; prints
 *                       "sets=R/M errors=R/M sensors=R/M" (reads/messages)
 *   churn PREFIX N      create and destroy PREFIX_i N times
 *   events N            wait for N set events, print "TYPE NAME" each
 *   bigset SET METRICS  create SET with METRICS histograms of 64 bounds
 *   many create|destroy PREFIX N         sets PREFIX0 .. PREFIX<N-1>
 *   dumpgone SET        dump SET by name; after its first message destroy
 *                       it (another socket): the rest must say so
 *   histcheck SET METRIC SECONDS [DEBUGFS_FILE]   read the histogram again
 *                       and again (SET_GET, and the set's debugfs file)
 *                       while something observes only 1s into it: every
 *                       reading must have count == sum
 *
 * Exit status 0 when everything behaved, 1 otherwise, 2 on usage errors.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/bcmon.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nlraw.h"

static struct nlraw nl;

static void open_or_die(void)
{
	int err = nlraw_open(&nl);

	if (err) {
		fprintf(stderr, "setstest: cannot open bcmon family: %s\n", strerror(-err));
		exit(1);
	}
}

/* --- message pieces -------------------------------------------------------- */

static void put_metric(struct nlmsgbuf *m, const char *name, uint8_t kind,
		       const uint64_t *bounds, int nb)
{
	size_t nest = msg_nest_start(m, BCMON_A_METRIC);

	msg_put_str(m, BCMON_METRIC_A_NAME, name);
	msg_put_u8(m, BCMON_METRIC_A_KIND, kind);
	for (int i = 0; i < nb; i++)
		msg_put_u64(m, BCMON_METRIC_A_BOUND, bounds[i]);
	msg_nest_end(m, nest);
}

static void put_update(struct nlmsgbuf *m, const char *metric, int op,
		       int64_t value)
{
	size_t nest = msg_nest_start(m, BCMON_A_UPDATE);

	if (metric)
		msg_put_str(m, BCMON_UPDATE_A_METRIC, metric);
	if (op >= 0)
		msg_put_u8(m, BCMON_UPDATE_A_OP, (uint8_t)op);
	msg_put_u64(m, BCMON_UPDATE_A_VALUE, (uint64_t)value);
	msg_nest_end(m, nest);
}

static int create_simple(const char *set)
{
	static const uint64_t b[] = { 1, 5, 10 };
	struct nlmsgbuf m;
	struct nlanswer a;
	int err;

	msg_init(&m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(&m, BCMON_A_SET_NAME, set);
	put_metric(&m, "c", BCMON_KIND_COUNTER, NULL, 0);
	put_metric(&m, "g", BCMON_KIND_GAUGE, NULL, 0);
	put_metric(&m, "h", BCMON_KIND_HISTOGRAM, b, 3);
	err = nlraw_exchange(&nl, &m, &a);
	msg_free(&m);
	return err ? err : a.error;
}

static int destroy_on(struct nlraw *sock, const char *set)
{
	struct nlmsgbuf m;
	struct nlanswer a;
	int err;

	msg_init(&m, sock, BCMON_CMD_SET_DESTROY, 0);
	msg_put_str(&m, BCMON_A_SET_NAME, set);
	err = nlraw_exchange(sock, &m, &a);
	msg_free(&m);
	return err ? err : a.error;
}

static int destroy(const char *set)
{
	return destroy_on(&nl, set);
}

/* --- badinput -------------------------------------------------------------- */

struct bad_case {
	const char *what;
	int expect;		/* negative errno */
	int no_extack;		/* the kernel cannot attach one (send refused) */
	void (*build)(struct nlmsgbuf *m);
};

static void b_create_no_name(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	put_metric(m, "c", BCMON_KIND_COUNTER, NULL, 0);
}

static void b_create_no_metric(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_nometric");
}

static void b_unknown_attr(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_unknown");
	msg_put_u32(m, BCMON_A_MAX + 7, 1);
	put_metric(m, "c", BCMON_KIND_COUNTER, NULL, 0);
}

static void b_unsupported_attr(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_unsupported");
	msg_put_str(m, BCMON_A_VERSION, "1.0");
	put_metric(m, "c", BCMON_KIND_COUNTER, NULL, 0);
}

static void b_name_not_string(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_u32(m, BCMON_A_SET_NAME, 0x41414141);
	put_metric(m, "c", BCMON_KIND_COUNTER, NULL, 0);
}

static void b_kind_range(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_kind");
	put_metric(m, "c", 9, NULL, 0);
}

static void b_kind_u32(struct nlmsgbuf *m)
{
	size_t nest;

	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_kind_type");
	nest = msg_nest_start(m, BCMON_A_METRIC);
	msg_put_str(m, BCMON_METRIC_A_NAME, "c");
	msg_put_u32(m, BCMON_METRIC_A_KIND, BCMON_KIND_COUNTER);
	msg_nest_end(m, nest);
}

static void b_scale_range(struct nlmsgbuf *m)
{
	size_t nest;

	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_scale");
	nest = msg_nest_start(m, BCMON_A_METRIC);
	msg_put_str(m, BCMON_METRIC_A_NAME, "c");
	msg_put_u8(m, BCMON_METRIC_A_KIND, BCMON_KIND_COUNTER);
	msg_put_u32(m, BCMON_METRIC_A_SCALE, 40);
	msg_nest_end(m, nest);
}

static void b_name_overlong(struct nlmsgbuf *m)
{
	char name[65];

	memset(name, 'a', 64);
	name[64] = '\0';
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, name);
	put_metric(m, "c", BCMON_KIND_COUNTER, NULL, 0);
}

static void b_metric_overlong(struct nlmsgbuf *m)
{
	char name[65];

	memset(name, 'b', 64);
	name[64] = '\0';
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_metric_len");
	put_metric(m, name, BCMON_KIND_COUNTER, NULL, 0);
}

static void b_name_invalid(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "Bad-Name");
	put_metric(m, "c", BCMON_KIND_COUNTER, NULL, 0);
}

static void b_name_digit(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "1set");
	put_metric(m, "c", BCMON_KIND_COUNTER, NULL, 0);
}

static void b_metric_invalid(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_metric_name");
	put_metric(m, "with space", BCMON_KIND_COUNTER, NULL, 0);
}

static void b_duplicate_set(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_metric(m, "c", BCMON_KIND_COUNTER, NULL, 0);
}

static void b_duplicate_metric(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_dup_metric");
	put_metric(m, "c", BCMON_KIND_COUNTER, NULL, 0);
	put_metric(m, "c", BCMON_KIND_GAUGE, NULL, 0);
}

static void b_hist_no_bounds(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_nobounds");
	put_metric(m, "h", BCMON_KIND_HISTOGRAM, NULL, 0);
}

static void b_hist_unsorted(struct nlmsgbuf *m)
{
	static const uint64_t b[] = { 1, 10, 5 };

	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_unsorted");
	put_metric(m, "h", BCMON_KIND_HISTOGRAM, b, 3);
}

static void b_hist_equal(struct nlmsgbuf *m)
{
	static const uint64_t b[] = { 1, 5, 5 };

	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_equal");
	put_metric(m, "h", BCMON_KIND_HISTOGRAM, b, 3);
}

static void b_hist_too_many(struct nlmsgbuf *m)
{
	uint64_t b[65];

	for (int i = 0; i < 65; i++)
		b[i] = (uint64_t)i + 1;
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_buckets");
	put_metric(m, "h", BCMON_KIND_HISTOGRAM, b, 65);
}

static void b_counter_bounds(struct nlmsgbuf *m)
{
	static const uint64_t b[] = { 1 };

	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_cbounds");
	put_metric(m, "c", BCMON_KIND_COUNTER, b, 1);
}

static void b_too_many_metrics(struct nlmsgbuf *m)
{
	char name[16];

	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bad_metrics");
	for (int i = 0; i < 1100; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		put_metric(m, name, BCMON_KIND_COUNTER, NULL, 0);
	}
}

static void b_destroy_unknown(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_DESTROY, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "no_such_set");
}

static void b_destroy_no_name(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_DESTROY, 0);
}

static void b_get_unknown(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_GET, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "no_such_set");
}

static void b_dump_unknown(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_GET, NLM_F_DUMP);
	msg_put_str(m, BCMON_A_SET_NAME, "no_such_set");
}

static void b_get_no_name(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_GET, 0);
}

static void b_update_unknown_set(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "no_such_set");
	put_update(m, "c", BCMON_OP_ADD, 1);
}

static void b_update_unknown_metric(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_update(m, "c", BCMON_OP_ADD, 1);
	put_update(m, "nope", BCMON_OP_ADD, 1);
}

static void b_update_none(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
}

static void b_observe_counter(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_update(m, "c", BCMON_OP_OBSERVE, 3);
}

static void b_set_counter(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_update(m, "c", BCMON_OP_SET, 3);
}

static void b_add_histogram(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_update(m, "h", BCMON_OP_ADD, 3);
}

/*
 * An update of metric with op and an exemplar nest of the given ids
 * (NULL: left out; their lengths as given, to test the exact-length rule).
 */
static void put_update_exemplar(struct nlmsgbuf *m, const char *metric, int op,
				const void *trace, size_t trace_len,
				const void *span, size_t span_len)
{
	size_t nest = msg_nest_start(m, BCMON_A_UPDATE), ex;

	msg_put_str(m, BCMON_UPDATE_A_METRIC, metric);
	msg_put_u8(m, BCMON_UPDATE_A_OP, (uint8_t)op);
	msg_put_u64(m, BCMON_UPDATE_A_VALUE, 3);
	ex = msg_nest_start(m, BCMON_UPDATE_A_EXEMPLAR);
	if (trace)
		msg_put(m, BCMON_EXEMPLAR_A_TRACE_ID, trace, trace_len);
	if (span)
		msg_put(m, BCMON_EXEMPLAR_A_SPAN_ID, span, span_len);
	msg_nest_end(m, ex);
	msg_nest_end(m, nest);
}

static const uint8_t ex_trace[BCMON_TRACE_ID_LEN] = { 0x4b, 0xf9, 1, 2, 3, 4 };
static const uint8_t ex_span[BCMON_SPAN_ID_LEN] = { 0, 0xf0, 0x67 };
static const uint8_t ex_zero[BCMON_TRACE_ID_LEN];

static void b_exemplar_counter(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_update_exemplar(m, "c", BCMON_OP_ADD, ex_trace, sizeof(ex_trace),
			    ex_span, sizeof(ex_span));
}

static void b_exemplar_no_span(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_update_exemplar(m, "h", BCMON_OP_OBSERVE, ex_trace, sizeof(ex_trace),
			    NULL, 0);
}

static void b_exemplar_short_trace(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_update_exemplar(m, "h", BCMON_OP_OBSERVE, ex_trace, sizeof(ex_trace) - 1,
			    ex_span, sizeof(ex_span));
}

static void b_exemplar_long_span(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_update_exemplar(m, "h", BCMON_OP_OBSERVE, ex_trace, sizeof(ex_trace),
			    ex_trace, sizeof(ex_span) + 1);
}

static void b_exemplar_zero_trace(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	/* A good update first: the batch is refused whole. */
	put_update(m, "c", BCMON_OP_ADD, 1);
	put_update_exemplar(m, "h", BCMON_OP_OBSERVE, ex_zero, sizeof(ex_trace),
			    ex_span, sizeof(ex_span));
}

static void b_exemplar_zero_span(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_update_exemplar(m, "h", BCMON_OP_OBSERVE, ex_trace, sizeof(ex_trace),
			    ex_zero, sizeof(ex_span));
}

/* Bucket, value and time are the module's to say: refused in a request. */
static void b_exemplar_reply_attr(struct nlmsgbuf *m)
{
	size_t nest, ex;

	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	nest = msg_nest_start(m, BCMON_A_UPDATE);
	msg_put_str(m, BCMON_UPDATE_A_METRIC, "h");
	msg_put_u8(m, BCMON_UPDATE_A_OP, BCMON_OP_OBSERVE);
	msg_put_u64(m, BCMON_UPDATE_A_VALUE, 3);
	ex = msg_nest_start(m, BCMON_UPDATE_A_EXEMPLAR);
	msg_put(m, BCMON_EXEMPLAR_A_TRACE_ID, ex_trace, sizeof(ex_trace));
	msg_put(m, BCMON_EXEMPLAR_A_SPAN_ID, ex_span, sizeof(ex_span));
	msg_put_u64(m, BCMON_EXEMPLAR_A_TIMESTAMP, 1);
	msg_nest_end(m, ex);
	msg_nest_end(m, nest);
}

static void b_counter_negative(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_update(m, "c", BCMON_OP_ADD, -5);
}

static void b_update_no_op(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_update(m, "c", -1, 1);
}

static void b_update_op_range(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_update(m, "c", 9, 1);
}

static void b_update_value_u32(struct nlmsgbuf *m)
{
	size_t nest;

	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	nest = msg_nest_start(m, BCMON_A_UPDATE);
	msg_put_str(m, BCMON_UPDATE_A_METRIC, "c");
	msg_put_u8(m, BCMON_UPDATE_A_OP, BCMON_OP_ADD);
	msg_put_u32(m, BCMON_UPDATE_A_VALUE, 1);
	msg_nest_end(m, nest);
}

static void b_trailing_garbage(struct nlmsgbuf *m)
{
	static const unsigned char junk[] = { 0x07, 0x00 };

	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	put_update(m, "c", BCMON_OP_ADD, 1);
	msg_put_raw(m, junk, sizeof(junk));
}

static void b_truncated_nest(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	/* A nest whose child claims more bytes than the nest holds. */
	{
		size_t nest = msg_nest_start(m, BCMON_A_UPDATE);
		uint32_t fake = (200u) | ((uint32_t)BCMON_UPDATE_A_METRIC << 16);

		msg_put_raw(m, &fake, 4);
		msg_nest_end(m, nest);
	}
}

static void b_status_with_attr(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_GET_STATUS, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "x");
}

static void b_version_with_attr(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_GET_VERSION, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "x");
}

static void b_unknown_command(struct nlmsgbuf *m)
{
	msg_init(m, &nl, 200, 0);
}

/* More than the socket send buffer: refused by sendmsg() itself. */
static void b_oversized(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bt_exists");
	for (int i = 0; i < 40000; i++)
		put_update(m, "c", BCMON_OP_ADD, 1);
}

static const struct bad_case bad_cases[] = {
	{ "create without set name", -EINVAL, 0, b_create_no_name },
	{ "create without metrics", -EINVAL, 0, b_create_no_metric },
	{ "unknown attribute type", -EINVAL, 0, b_unknown_attr },
	{ "attribute the command does not take", -EINVAL, 0, b_unsupported_attr },
	{ "set name not a string", -EINVAL, 0, b_name_not_string },
	{ "kind out of range", -ERANGE, 0, b_kind_range },
	{ "kind of the wrong width", -EINVAL, 0, b_kind_u32 },
	{ "scale out of range", -ERANGE, 0, b_scale_range },
	{ "set name of 64 bytes", -EINVAL, 0, b_name_overlong },
	{ "metric name of 64 bytes", -EINVAL, 0, b_metric_overlong },
	{ "set name with capitals and dash", -EINVAL, 0, b_name_invalid },
	{ "set name starting with a digit", -EINVAL, 0, b_name_digit },
	{ "metric name with a space", -EINVAL, 0, b_metric_invalid },
	{ "duplicate set", -EEXIST, 0, b_duplicate_set },
	{ "duplicate metric", -EINVAL, 0, b_duplicate_metric },
	{ "histogram without bounds", -EINVAL, 0, b_hist_no_bounds },
	{ "unsorted bounds", -EINVAL, 0, b_hist_unsorted },
	{ "repeated bound", -EINVAL, 0, b_hist_equal },
	{ "too many bounds", -E2BIG, 0, b_hist_too_many },
	{ "bounds on a counter", -EINVAL, 0, b_counter_bounds },
	{ "too many metrics", -E2BIG, 0, b_too_many_metrics },
	{ "destroy unknown set", -ENOENT, 0, b_destroy_unknown },
	{ "destroy without name", -EINVAL, 0, b_destroy_no_name },
	{ "get unknown set", -ENOENT, 0, b_get_unknown },
	{ "dump unknown set", -ENOENT, 0, b_dump_unknown },
	{ "get without name", -EINVAL, 0, b_get_no_name },
	{ "update unknown set", -ENOENT, 0, b_update_unknown_set },
	{ "update unknown metric", -ENOENT, 0, b_update_unknown_metric },
	{ "update without entries", -EINVAL, 0, b_update_none },
	{ "observe on a counter", -EINVAL, 0, b_observe_counter },
	{ "set on a counter", -EINVAL, 0, b_set_counter },
	{ "add on a histogram", -EINVAL, 0, b_add_histogram },
	{ "negative counter add", -ERANGE, 0, b_counter_negative },
	{ "exemplar on a counter add", -EINVAL, 0, b_exemplar_counter },
	{ "exemplar without span id", -EINVAL, 0, b_exemplar_no_span },
	{ "exemplar trace id of 15 bytes", -ERANGE, 0, b_exemplar_short_trace },
	{ "exemplar span id of 9 bytes", -ERANGE, 0, b_exemplar_long_span },
	{ "exemplar all-zero trace id", -EINVAL, 0, b_exemplar_zero_trace },
	{ "exemplar all-zero span id", -EINVAL, 0, b_exemplar_zero_span },
	{ "exemplar with a reply's timestamp", -EINVAL, 0, b_exemplar_reply_attr },
	{ "update without op", -EINVAL, 0, b_update_no_op },
	{ "op out of range", -ERANGE, 0, b_update_op_range },
	{ "value of the wrong width", -EINVAL, 0, b_update_value_u32 },
	{ "trailing bytes", -EINVAL, 0, b_trailing_garbage },
	{ "child longer than its nest", -EINVAL, 0, b_truncated_nest },
	{ "status with an attribute", -EINVAL, 0, b_status_with_attr },
	{ "version with an attribute", -EINVAL, 0, b_version_with_attr },
	{ "unknown command", -EOPNOTSUPP, 1, b_unknown_command },
	{ "message larger than the send buffer", -EMSGSIZE, 1, b_oversized },
};

/* Counter c of bt_exists: a rejected batch must not have applied anything. */
static int counter_c_is_zero(void)
{
	struct nlmsgbuf m;
	struct nlanswer a;

	/* The value itself is checked by the shell test; here: the set answers. */
	msg_init(&m, &nl, BCMON_CMD_SET_GET, 0);
	msg_put_str(&m, BCMON_A_SET_NAME, "bt_exists");
	nlraw_exchange(&nl, &m, &a);
	msg_free(&m);
	return a.error == 0 && a.parts == 1;
}

static int run_badinput(void)
{
	int failed = 0, err;

	open_or_die();
	err = create_simple("bt_exists");
	if (err && err != -EEXIST) {
		fprintf(stderr, "cannot create bt_exists: %s\n", strerror(-err));
		return 1;
	}
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct nlmsgbuf m;
		struct nlanswer a;
		int ok;

		c->build(&m);
		err = nlraw_exchange(&nl, &m, &a);
		msg_free(&m);
		if (err)
			a.error = err;	/* refused by sendmsg() */
		ok = !a.timed_out && a.error == c->expect &&
		     (c->no_extack || a.extack[0]);
		printf("%s %-38s errno %-12s extack \"%s\"\n", ok ? "ok  " : "FAIL",
		       c->what, strerrorname_np(-a.error) ?: "0", a.extack);
		if (!ok) {
			printf("     expected %s%s\n", strerrorname_np(-c->expect),
			       c->no_extack ? "" : " with an extack message");
			failed++;
		}
	}
	if (!counter_c_is_zero()) {
		printf("FAIL bt_exists no longer answers\n");
		failed++;
	}
	printf("%d failed\n", failed);
	return failed ? 1 : 0;
}

/* --- fuzz ------------------------------------------------------------------ */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)rng_state;
}

static const char *const fuzz_names[] = {
	"fz", "fz_a", "fzl", "c", "g", "h", "x", "", "A", "fz_long_name_0123456789",
	"bt_exists", "peer", "a b", "p1",
};
#define FUZZ_NAMES (sizeof(fuzz_names) / sizeof(fuzz_names[0]))

static void fuzz_attrs(struct nlmsgbuf *m, int depth)
{
	int n = (int)(rnd() % 6);

	for (int i = 0; i < n; i++) {
		uint16_t type = (uint16_t)(rnd() % (BCMON_A_MAX + 3));
		unsigned char data[96];
		size_t len;

		switch (rnd() % 7) {
		case 0:
			if (depth < 3) {
				size_t nest = msg_nest_start(m, type);

				fuzz_attrs(m, depth + 1);
				msg_nest_end(m, nest);
				break;
			}
			/* fall through */
		case 1:
			msg_put_str(m, type, fuzz_names[rnd() % FUZZ_NAMES]);
			break;
		case 2:
			msg_put_u8(m, type, (uint8_t)(rnd() % 6));
			break;
		case 3:
			msg_put_u64(m, type, ((uint64_t)rnd() << 32 | rnd()) >>
					     (rnd() % 64));
			break;
		case 4:
			msg_put_u32(m, type, rnd());
			break;
		default:
			len = rnd() % sizeof(data);
			for (size_t k = 0; k < len; k++)
				data[k] = (unsigned char)rnd();
			msg_put(m, type, data, len);
		}
	}
}

/* One label nest {NAME, VALUE} of type, from the fuzz names. */
static void fuzz_label(struct nlmsgbuf *m, uint16_t type)
{
	size_t nest = msg_nest_start(m, type);

	msg_put_str(m, BCMON_LABEL_A_NAME, rnd() % 4 ? "peer" : fuzz_names[rnd() % FUZZ_NAMES]);
	msg_put_str(m, BCMON_LABEL_A_VALUE, fuzz_names[rnd() % FUZZ_NAMES]);
	msg_nest_end(m, nest);
}

/*
 * An exemplar nest: mostly well-formed ids (random, rarely all zero), now
 * and then an id of a wrong length or one of them left out.
 */
static void fuzz_exemplar(struct nlmsgbuf *m)
{
	uint8_t id[BCMON_TRACE_ID_LEN + 2];
	size_t nest = msg_nest_start(m, BCMON_UPDATE_A_EXEMPLAR);

	for (size_t i = 0; i < sizeof(id); i++)
		id[i] = rnd() % 8 ? (uint8_t)rnd() : 0;
	if (rnd() % 8)
		msg_put(m, BCMON_EXEMPLAR_A_TRACE_ID, id,
			rnd() % 8 ? BCMON_TRACE_ID_LEN : rnd() % sizeof(id));
	if (rnd() % 8)
		msg_put(m, BCMON_EXEMPLAR_A_SPAN_ID, id + 2,
			rnd() % 8 ? BCMON_SPAN_ID_LEN : rnd() % BCMON_TRACE_ID_LEN);
	msg_nest_end(m, nest);
}

/*
 * A valid labeled request on set fzl {lc counter{peer}, lh histogram{peer}}:
 * an update naming series, a create with label names, or a series delete.
 */
static void fuzz_labeled(struct nlmsgbuf *m)
{
	static const uint64_t b[] = { 1, 5, 10, 50 };
	size_t nest;

	switch (rnd() % 3) {
	case 0:
		msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
		msg_put_str(m, BCMON_A_SET_NAME, "fzl");
		for (int i = 0; i < 1 + (int)(rnd() % 4); i++) {
			nest = msg_nest_start(m, BCMON_A_UPDATE);
			msg_put_str(m, BCMON_UPDATE_A_METRIC, rnd() % 2 ? "lc" : "lh");
			msg_put_u8(m, BCMON_UPDATE_A_OP, (uint8_t)(1 + rnd() % 3));
			msg_put_u64(m, BCMON_UPDATE_A_VALUE, rnd() % 100);
			for (int l = 0; l < (int)(rnd() % 3); l++)
				fuzz_label(m, BCMON_UPDATE_A_LABEL);
			if (rnd() % 3 == 0)
				fuzz_exemplar(m);
			msg_nest_end(m, nest);
		}
		break;
	case 1:
		msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
		msg_put_str(m, BCMON_A_SET_NAME, fuzz_names[rnd() % 3]);
		nest = msg_nest_start(m, BCMON_A_METRIC);
		msg_put_str(m, BCMON_METRIC_A_NAME, "lc");
		msg_put_u8(m, BCMON_METRIC_A_KIND, BCMON_KIND_HISTOGRAM);
		for (int i = 0; i < 4; i++)
			msg_put_u64(m, BCMON_METRIC_A_BOUND, b[i]);
		for (int l = 0; l < (int)(rnd() % 10); l++)
			msg_put_str(m, BCMON_METRIC_A_LABEL_NAME, fuzz_names[rnd() % FUZZ_NAMES]);
		msg_nest_end(m, nest);
		break;
	default:
		msg_init(m, &nl, BCMON_CMD_SERIES_DELETE, 0);
		msg_put_str(m, BCMON_A_SET_NAME, "fzl");
		nest = msg_nest_start(m, BCMON_A_SERIES);
		msg_put_str(m, BCMON_SERIES_A_METRIC, rnd() % 2 ? "lc" : "lh");
		fuzz_label(m, BCMON_SERIES_A_LABEL);
		msg_nest_end(m, nest);
	}
}

/*
 * Native histograms on set fzn: a create whose native nest has random,
 * often out-of-range settings (schema, bucket limit, zero threshold, sign,
 * bounds or none), or observations of values of any sign and magnitude
 * into it, some with exemplars.
 */
static void fuzz_native(struct nlmsgbuf *m)
{
	static const uint64_t b[] = { 1, 5, 10, 50 };
	size_t nest, native;

	if (rnd() % 2) {
		msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
		msg_put_str(m, BCMON_A_SET_NAME, "fzn");
		nest = msg_nest_start(m, BCMON_A_METRIC);
		msg_put_str(m, BCMON_METRIC_A_NAME, "nh");
		msg_put_u8(m, BCMON_METRIC_A_KIND, (uint8_t)(rnd() % 8 ? BCMON_KIND_HISTOGRAM
							      : rnd() % 4));
		msg_put_u32(m, BCMON_METRIC_A_SCALE, (uint32_t)((int)(rnd() % 41) - 20));
		for (int i = 0; i < (int)(rnd() % 5); i++)
			msg_put_u64(m, BCMON_METRIC_A_BOUND, b[i % 4]);
		if (rnd() % 2)
			msg_put_str(m, BCMON_METRIC_A_LABEL_NAME, "peer");
		native = msg_nest_start(m, BCMON_METRIC_A_NATIVE);
		if (rnd() % 8)
			msg_put_u32(m, BCMON_NATIVE_A_SCHEMA, (uint32_t)((int)(rnd() % 15) - 6));
		if (rnd() % 2)
			msg_put_u32(m, BCMON_NATIVE_A_MAX_BUCKETS, rnd() % 300);
		if (rnd() % 2)
			msg_put_u64(m, BCMON_NATIVE_A_ZERO_THRESHOLD,
				    ((uint64_t)rnd() << 32 | rnd()) >> (rnd() % 64));
		if (rnd() % 2)
			msg_put(m, BCMON_NATIVE_A_NEGATIVE, NULL, 0);
		if (rnd() % 8 == 0)
			fuzz_attrs(m, 2);
		msg_nest_end(m, native);
		msg_nest_end(m, nest);
		return;
	}
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "fzn");
	for (int i = 0; i < 1 + (int)(rnd() % 8); i++) {
		nest = msg_nest_start(m, BCMON_A_UPDATE);
		msg_put_str(m, BCMON_UPDATE_A_METRIC, "nh");
		msg_put_u8(m, BCMON_UPDATE_A_OP, BCMON_OP_OBSERVE);
		msg_put_u64(m, BCMON_UPDATE_A_VALUE,
			    ((uint64_t)rnd() << 32 | rnd()) >> (rnd() % 64));
		if (rnd() % 2)
			fuzz_label(m, BCMON_UPDATE_A_LABEL);
		if (rnd() % 4 == 0)
			fuzz_exemplar(m);
		msg_nest_end(m, nest);
	}
}

/* A valid create or update, then a few bytes flipped after the headers. */
static void fuzz_mutated(struct nlmsgbuf *m)
{
	static const uint64_t b[] = { 1, 5, 10, 50 };
	size_t hdr = 20, flips = rnd() % 5;

	if (rnd() % 2) {
		if (rnd() % 2)
			fuzz_labeled(m);
		else
			fuzz_native(m);
	} else if (rnd() % 2) {
		msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
		msg_put_str(m, BCMON_A_SET_NAME, fuzz_names[rnd() % 3]);
		put_metric(m, "c", BCMON_KIND_COUNTER, NULL, 0);
		put_metric(m, "h", BCMON_KIND_HISTOGRAM, b, 4);
	} else {
		msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
		msg_put_str(m, BCMON_A_SET_NAME, fuzz_names[rnd() % 3]);
		put_update(m, "c", BCMON_OP_ADD, rnd() % 10);
		put_update(m, "h", BCMON_OP_OBSERVE, rnd() % 100);
		put_update(m, "g", (int)(rnd() % 4), (int32_t)rnd());
		if (rnd() % 2) {
			size_t nest = msg_nest_start(m, BCMON_A_UPDATE);

			msg_put_str(m, BCMON_UPDATE_A_METRIC, "h");
			msg_put_u8(m, BCMON_UPDATE_A_OP, BCMON_OP_OBSERVE);
			msg_put_u64(m, BCMON_UPDATE_A_VALUE, rnd() % 100);
			fuzz_exemplar(m);
			msg_nest_end(m, nest);
		}
	}
	for (size_t i = 0; i < flips && m->len > hdr; i++)
		m->data[hdr + rnd() % (m->len - hdr)] = (unsigned char)rnd();
}

static int run_fuzz(long n, unsigned long seed)
{
	long answered = 0, refused = 0, timeouts = 0;
	struct nlanswer a;

	rng_state = seed * 2654435761u + 1;
	open_or_die();
	for (long i = 0; i < n; i++) {
		struct nlmsgbuf m;
		int err;

		if (rnd() % 16 == 0) {
			/* Read back whatever the native histograms hold now. */
			msg_init(&m, &nl, BCMON_CMD_SET_GET, rnd() % 2 ? NLM_F_DUMP : 0);
			msg_put_str(&m, BCMON_A_SET_NAME, "fzn");
			msg_put_u32(&m, BCMON_A_READ_FLAGS, BCMON_READ_F_SERIES);
		} else if (rnd() % 4 == 0) {
			fuzz_mutated(&m);
		} else {
			/* Every real command and a few beyond. */
			uint8_t cmd = (uint8_t)(rnd() % (BCMON_CMD_MAX + 3));
			uint16_t flags = rnd() % 5 == 0 ? NLM_F_DUMP : 0;

			msg_init(&m, &nl, cmd, flags);
			fuzz_attrs(&m, 0);
		}
		err = nlraw_exchange(&nl, &m, &a);
		msg_free(&m);
		if (err)
			refused++;
		else if (a.timed_out)
			timeouts++;
		else
			answered++;
	}
	/* The module must still do its job. */
	{
		struct nlmsgbuf m;

		msg_init(&m, &nl, BCMON_CMD_GET_STATUS, 0);
		nlraw_exchange(&nl, &m, &a);
		msg_free(&m);
	}
	printf("fuzz: %ld messages, %ld answered, %ld refused by sendmsg, %ld unanswered; status after: %s\n",
	       n, answered, refused, timeouts, a.error ? strerror(-a.error) : "ok");
	return timeouts || a.error || a.timed_out ? 1 : 0;
}

/* --- privileges ------------------------------------------------------------ */

static int run_runas(int argc, char **argv)
{
	gid_t groups[16];
	int ngroups = 0;
	char *list, *tok, *save = NULL;
	uid_t uid;

	if (argc < 3)
		return 2;
	uid = (uid_t)strtoul(argv[0], NULL, 10);
	list = strdup(argv[1]);
	for (tok = strtok_r(list, ",", &save); tok && ngroups < 16;
	     tok = strtok_r(NULL, ",", &save))
		groups[ngroups++] = (gid_t)strtoul(tok, NULL, 10);
	if (setgroups((size_t)ngroups, groups) || setgid(groups[0]) || setuid(uid)) {
		perror("setstest runas");
		return 1;
	}
	execvp(argv[2], argv + 2);
	perror("setstest runas: exec");
	return 1;
}

/* --- load ------------------------------------------------------------------ */

static int run_add(const char *set, const char *metric, long n, long batch)
{
	long sent = 0;

	open_or_die();
	while (sent < n) {
		struct nlmsgbuf m;
		struct nlanswer a;
		long k = n - sent < batch ? n - sent : batch;
		int err;

		msg_init(&m, &nl, BCMON_CMD_SET_UPDATE, 0);
		msg_put_str(&m, BCMON_A_SET_NAME, set);
		for (long i = 0; i < k; i++)
			put_update(&m, metric, BCMON_OP_ADD, 1);
		err = nlraw_exchange(&nl, &m, &a);
		msg_free(&m);
		if (err || a.error || a.timed_out) {
			fprintf(stderr, "add: %s (%s)\n", strerror(-(err ?: a.error)), a.extack);
			return 1;
		}
		sent += k;
	}
	return 0;
}

static int run_dump(long n)
{
	long intr = 0, parts = 0, dgrams = 0;

	open_or_die();
	for (long i = 0; i < n; i++) {
		struct nlmsgbuf m;
		struct nlanswer a;
		int err;

		msg_init(&m, &nl, BCMON_CMD_SET_GET, NLM_F_DUMP);
		err = nlraw_exchange(&nl, &m, &a);
		msg_free(&m);
		if (err || a.error || a.timed_out) {
			fprintf(stderr, "dump: %s (%s)\n", strerror(-(err ?: a.error)), a.extack);
			return 1;
		}
		intr += a.intr;
		parts += a.parts;
		dgrams += a.datagrams;
	}
	printf("dump: %ld dumps, %ld messages, %ld datagrams, %ld flagged interrupted\n", n,
	       parts, dgrams, intr);
	return 0;
}

/*
 * One dump each of the sets, the error ring and the sensors: the reads
 * each took, for a check that a dump's last part carries its NLMSG_DONE.
 */
static int run_dgrams(void)
{
	static const struct {
		const char *name;
		uint8_t cmd;
	} dumps[] = {
		{ "sets", BCMON_CMD_SET_GET },
		{ "errors", BCMON_CMD_ERROR_GET },
		{ "sensors", BCMON_CMD_SENSORS_GET },
	};

	open_or_die();
	for (size_t i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		struct nlmsgbuf m;
		struct nlanswer a;
		int err;

		msg_init(&m, &nl, dumps[i].cmd, NLM_F_DUMP);
		err = nlraw_exchange(&nl, &m, &a);
		msg_free(&m);
		if (err || a.error || a.timed_out || !a.done) {
			fprintf(stderr, "dgrams %s: %s (%s)\n", dumps[i].name,
				strerror(-(err ?: a.error)), a.extack);
			return 1;
		}
		printf("%s%s=%d/%d", i ? " " : "", dumps[i].name, a.datagrams, a.parts);
	}
	printf("\n");
	return 0;
}

static int run_churn(const char *prefix, long n)
{
	char name[64];

	open_or_die();
	for (long i = 0; i < n; i++) {
		int err;

		snprintf(name, sizeof(name), "%s_%ld", prefix, i % 8);
		err = create_simple(name);
		if (!err)
			err = destroy(name);
		if (err) {
			fprintf(stderr, "churn %s: %s\n", name, strerror(-err));
			return 1;
		}
	}
	return 0;
}

static int run_events(long n)
{
	char name[64];
	int type;

	open_or_die();
	if (nlraw_join_events(&nl)) {
		fprintf(stderr, "events: cannot join the events group\n");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (long i = 0; i < n; i++) {
		if (nlraw_recv_event(&nl, 20000, &type, name, sizeof(name))) {
			fprintf(stderr, "events: timed out\n");
			return 1;
		}
		if (type == BCMON_EVENT_SET_CREATED || type == BCMON_EVENT_SET_DESTROYED)
			printf("%s %s\n", type == BCMON_EVENT_SET_CREATED ? "created" : "destroyed", name);
		else
			i--;	/* other parts of the module announce too */
		fflush(stdout);
	}
	return 0;
}

static int run_bigset(const char *set, long metrics)
{
	uint64_t b[64];
	struct nlmsgbuf m;
	struct nlanswer a;
	char name[32];
	int err;

	for (int i = 0; i < 64; i++)
		b[i] = (uint64_t)(i + 1) * 10;
	open_or_die();
	msg_init(&m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(&m, BCMON_A_SET_NAME, set);
	for (long i = 0; i < metrics; i++) {
		snprintf(name, sizeof(name), "h%ld", i);
		put_metric(&m, name, BCMON_KIND_HISTOGRAM, b, 64);
	}
	err = nlraw_exchange(&nl, &m, &a);
	msg_free(&m);
	if (err || a.error) {
		fprintf(stderr, "bigset: %s (%s)\n", strerror(-(err ?: a.error)), a.extack);
		return 1;
	}
	return 0;
}

static int run_many(const char *what, const char *prefix, long n)
{
	int create = !strcmp(what, "create");
	char name[64];

	open_or_die();
	for (long i = 0; i < n; i++) {
		int err;

		snprintf(name, sizeof(name), "%s%ld", prefix, i);
		err = create ? create_simple(name) : destroy(name);
		if (err) {
			fprintf(stderr, "many %s %s: %s\n", what, name, strerror(-err));
			return 1;
		}
	}
	return 0;
}

/*
 * A named dump whose set is destroyed after the first message: the reader
 * holds part of a set that no longer exists, and the end of the dump must
 * tell it (NLM_F_DUMP_INTR, or an error), never look like a complete set.
 */
static int run_dumpgone(const char *set)
{
	struct nlraw other;
	struct nlmsgbuf m;
	struct nlanswer a;
	int err, first;

	open_or_die();
	msg_init(&m, &nl, BCMON_CMD_SET_GET, NLM_F_DUMP);
	msg_put_str(&m, BCMON_A_SET_NAME, set);
	err = nlraw_send(&nl, &m, &a);
	if (!err)
		err = nlraw_read(&nl, &m, &a, 1);
	if (err || a.error || a.timed_out || a.done) {
		fprintf(stderr, "dumpgone: first part: %s (%s)%s\n",
			strerror(-(err ?: a.error)), a.extack,
			a.done ? ", the dump ended already" : "");
		msg_free(&m);
		return 1;
	}
	first = a.parts;
	/* Another socket: this one's queue holds the rest of the dump. */
	err = nlraw_open(&other);
	if (!err) {
		err = destroy_on(&other, set);
		nlraw_close(&other);
	}
	if (err) {
		fprintf(stderr, "dumpgone: destroy: %s\n", strerror(-err));
		msg_free(&m);
		return 1;
	}
	err = nlraw_read(&nl, &m, &a, 0);
	msg_free(&m);
	printf("dumpgone: %d messages before the destroy, %d in all, error %d%s%s, interrupted %d\n",
	       first, a.parts, a.error, a.extack[0] ? " " : "", a.extack, a.intr);
	if (err || a.timed_out)
		return 1;
	return a.intr || a.error ? 0 : 1;
}

/* --- histcheck -------------------------------------------------------------- */

struct hist_reading {
	const char *metric;
	uint64_t count;
	int64_t sum;
	int found;
};



static void hist_metric(struct nlattr *m, struct hist_reading *r)
{
	const char *name = NULL;
	uint64_t count = 0;
	int64_t sum = 0;

	nlraw_for_each_attr(at, NLRAW_DATA(m), NLRAW_LEN(m)) {
		switch (at->nla_type & NLA_TYPE_MASK) {
		case BCMON_METRIC_A_NAME:
			name = NLRAW_DATA(at);
			break;
		case BCMON_METRIC_A_COUNT:
			memcpy(&count, NLRAW_DATA(at), sizeof(count));
			break;
		case BCMON_METRIC_A_SUM:
			memcpy(&sum, NLRAW_DATA(at), sizeof(sum));
			break;
		}
	}
	if (name && !strcmp(name, r->metric)) {
		r->count = count;
		r->sum = sum;
		r->found = 1;
	}
}

static void hist_part(const struct nlmsghdr *nlh, void *arg)
{
	char *payload = (char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	nlraw_for_each_attr(set, payload, len) {
		if ((set->nla_type & NLA_TYPE_MASK) != BCMON_A_SET)
			continue;
		nlraw_for_each_attr(m, NLRAW_DATA(set), NLRAW_LEN(set))
			if ((m->nla_type & NLA_TYPE_MASK) == BCMON_SET_A_METRIC)
				hist_metric(m, arg);
	}
}

/* The metric's "  count N sum S" line of a debugfs set file. */
static int hist_debugfs(const char *path, struct hist_reading *r)
{
	char buf[16384], *line;
	int in_metric = 0;
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	r->found = 0;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long c;
		long long sm;

		if (line[0] != ' ')
			in_metric = !strncmp(line, r->metric, strlen(r->metric)) &&
				    line[strlen(r->metric)] == ' ';
		else if (in_metric && sscanf(line, "  count %llu sum %lld", &c, &sm) == 2) {
			r->count = c;
			r->sum = sm;
			r->found = 1;
		}
	}
	return r->found ? 0 : -ENOENT;
}

static int run_histcheck(const char *set, const char *metric, long seconds,
			 const char *debugfs)
{
	long readings = 0, bad = 0, reported = 0;
	struct hist_reading r = { .metric = metric };
	time_t end = time(NULL) + seconds;
	uint64_t last = 0;

	open_or_die();
	nl.on_part = hist_part;
	nl.on_part_arg = &r;
	while (time(NULL) < end) {
		struct hist_reading *cur = &r;
		struct nlmsgbuf m;
		struct nlanswer a;
		int err;

		r.found = 0;
		msg_init(&m, &nl, BCMON_CMD_SET_GET, 0);
		msg_put_str(&m, BCMON_A_SET_NAME, set);
		err = nlraw_exchange(&nl, &m, &a);
		msg_free(&m);
		for (int pass = 0; pass < (debugfs ? 2 : 1); pass++) {
			if (pass == 1)
				err = hist_debugfs(debugfs, cur);
			if (err || a.error || !cur->found) {
				fprintf(stderr, "histcheck: %s reading: %s (%s)\n",
					pass ? "debugfs" : "netlink",
					strerror(-(err ?: a.error ?: ENOENT)), a.extack);
				return 1;
			}
			readings++;
			last = cur->count;
			if ((int64_t)cur->count != cur->sum) {
				bad++;
				if (reported++ < 5)
					printf("histcheck: %s reading %ld: count %llu sum %lld\n",
					       pass ? "debugfs" : "netlink", readings,
					       (unsigned long long)cur->count,
					       (long long)cur->sum);
			}
		}
	}
	printf("histcheck: %ld readings, %ld with count != sum, %llu observations at the last\n",
	       readings, bad, (unsigned long long)last);
	return bad ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bcmon-setstest badinput | fuzz N SEED | runas UID GIDS CMD... |\n"
			"       add SET METRIC N BATCH | dump N | dgrams | churn PREFIX N | events N |\n"
			"       bigset SET METRICS | many create|destroy PREFIX N | dumpgone SET |\n"
			"       histcheck SET METRIC SECONDS [DEBUGFS_FILE]\n");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		goto bad;
	if (!strcmp(argv[1], "badinput") && argc == 2)
		return run_badinput();
	if (!strcmp(argv[1], "fuzz") && argc == 4)
		return run_fuzz(atol(argv[2]), strtoul(argv[3], NULL, 10));
	if (!strcmp(argv[1], "runas") && argc >= 5)
		return run_runas(argc - 2, argv + 2);
	if (!strcmp(argv[1], "add") && argc == 6)
		return run_add(argv[2], argv[3], atol(argv[4]), atol(argv[5]));
	if (!strcmp(argv[1], "dump") && argc == 3)
		return run_dump(atol(argv[2]));
	if (!strcmp(argv[1], "dgrams") && argc == 2)
		return run_dgrams();
	if (!strcmp(argv[1], "churn") && argc == 4)
		return run_churn(argv[2], atol(argv[3]));
	if (!strcmp(argv[1], "events") && argc == 3)
		return run_events(atol(argv[2]));
	if (!strcmp(argv[1], "many") && argc == 5)
		return run_many(argv[2], argv[3], atol(argv[4]));
	if (!strcmp(argv[1], "histcheck") && (argc == 5 || argc == 6))
		return run_histcheck(argv[2], argv[3], atol(argv[4]),
				     argc == 6 ? argv[5] : NULL);
	if (!strcmp(argv[1], "dumpgone") && argc == 3)
		return run_dumpgone(argv[2]);
	if (!strcmp(argv[1], "bigset") && argc == 4)
		return run_bigset(argv[2], atol(argv[3]));
bad:
	usage();
	return 2;
}
