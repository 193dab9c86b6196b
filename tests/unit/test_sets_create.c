// SPDX-License-Identifier: GPL-2.0
/*
 * libbcmon's SET_CREATE request (sets.c) as the kernel receives it: the
 * exchange is replaced here by one that keeps the request, which is then
 * parsed with the spec's own nesting, and answers with a canned reply.
 * Issue 13: a native histogram's definition travels in its
 * BCMON_METRIC_A_NATIVE nest, and a classic metric's request carries none;
 * GET_STATUS reports the module's native bucket limit (status.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <bcmon/libbcmon.h>
#include <linux/bcmon.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "client.h"
#include "request.h"

static struct nl_msg *sent, *reply;

struct nl_msg *bcmon_msg_new_size(struct bcmon *bc, int cmd, int flags, size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	(void)bc;
	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 0, 0x20, 0, flags, (uint8_t)cmd,
				    BCMON_GENL_VERSION));
	return msg;
}

struct nl_msg *bcmon_msg_new(struct bcmon *bc, int cmd, int flags)
{
	return bcmon_msg_new_size(bc, cmd, flags, 0);
}

int bcmon_exchange(struct bcmon *bc, struct nl_msg *req, bcmon_reply_fn fn, void *arg)
{
	(void)bc;
	nlmsg_free(sent);
	sent = req;
	if (reply && fn)
		fn(nlmsg_hdr(reply), arg);
	return 0;
}

int bcmon_exchange_one(struct bcmon *bc, struct nl_msg *req, bcmon_reply_fn fn, void *arg)
{
	return bcmon_exchange(bc, req, fn, arg);
}

/* The metric nests of the request kept, in order, each parsed into tb. */
static size_t sent_metrics(struct nlattr *tb[][BCMON_METRIC_A_MAX + 1], size_t max)
{
	struct nlattr *top[BCMON_A_MAX + 1], *a;
	size_t n = 0;
	int rem;

	assert_non_null(sent);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(sent), 0, top, BCMON_A_MAX, NULL), 0);
	nlmsg_for_each_attr(a, nlmsg_hdr(sent), GENL_HDRLEN, rem) {
		if (nla_type(a) != BCMON_A_METRIC)
			continue;
		assert_true(n < max);
		assert_int_equal(nla_parse_nested(tb[n++], BCMON_METRIC_A_MAX, a, NULL), 0);
	}
	return n;
}

static void native_definition_is_sent(void **state)
{
	static const uint64_t bounds[] = { 1000, 5000 };
	const struct bcmon_metric_spec specs[] = {
		{ .name = "rtt", .kind = BCMON_KIND_HISTOGRAM, .unit = "seconds", .scale = -9,
		  .bounds = bounds, .n_bounds = 2, .native = true, .native_schema = -2,
		  .native_zero_threshold = 500, .native_max_buckets = 40,
		  .native_negative = true },
		{ .name = "delay", .kind = BCMON_KIND_HISTOGRAM, .native = true,
		  .native_schema = 3 },
		{ .name = "classic", .kind = BCMON_KIND_HISTOGRAM, .bounds = bounds,
		  .n_bounds = 2 },
	};
	struct nlattr *tb[3][BCMON_METRIC_A_MAX + 1], *nt[BCMON_NATIVE_A_MAX + 1];

	(void)state;
	assert_int_equal(bcmon_set_create(NULL, "net", specs, 3), 0);
	assert_int_equal(sent_metrics(tb, 3), 3);

	assert_non_null(tb[0][BCMON_METRIC_A_BOUND]);
	assert_non_null(tb[0][BCMON_METRIC_A_NATIVE]);
	assert_int_equal(nla_parse_nested(nt, BCMON_NATIVE_A_MAX, tb[0][BCMON_METRIC_A_NATIVE],
					  NULL), 0);
	assert_int_equal((int32_t)nla_get_u32(nt[BCMON_NATIVE_A_SCHEMA]), -2);
	assert_int_equal(nla_get_u64(nt[BCMON_NATIVE_A_ZERO_THRESHOLD]), 500);
	assert_int_equal(nla_get_u32(nt[BCMON_NATIVE_A_MAX_BUCKETS]), 40);
	assert_non_null(nt[BCMON_NATIVE_A_NEGATIVE]);

	/* Native only; the defaults are left to the module (absent). */
	assert_null(tb[1][BCMON_METRIC_A_BOUND]);
	assert_int_equal(nla_parse_nested(nt, BCMON_NATIVE_A_MAX, tb[1][BCMON_METRIC_A_NATIVE],
					  NULL), 0);
	assert_int_equal((int32_t)nla_get_u32(nt[BCMON_NATIVE_A_SCHEMA]), 3);
	assert_null(nt[BCMON_NATIVE_A_ZERO_THRESHOLD]);
	assert_null(nt[BCMON_NATIVE_A_MAX_BUCKETS]);
	assert_null(nt[BCMON_NATIVE_A_NEGATIVE]);

	/* A classic metric's request is what it always was. */
	assert_null(tb[2][BCMON_METRIC_A_NATIVE]);
	assert_non_null(tb[2][BCMON_METRIC_A_BOUND]);
	nlmsg_free(sent);
	sent = NULL;
}

static void status_reports_native_bucket_limit(void **state)
{
	struct bcmon_status st;
	struct nlattr *nest;

	(void)state;
	reply = bcmon_msg_new(NULL, BCMON_CMD_GET_STATUS, 0);
	nest = nla_nest_start(reply, BCMON_A_STATUS);
	nla_put_u32(reply, BCMON_STATUS_A_MAX_BUCKETS, 64);
	nla_put_u32(reply, BCMON_STATUS_A_MAX_NATIVE_BUCKETS, 160);
	nla_nest_end(reply, nest);
	assert_int_equal(bcmon_get_status(NULL, &st), 0);
	assert_int_equal(st.max_buckets, 64);
	assert_int_equal(st.max_native_buckets, 160);
	nlmsg_free(reply);
	nlmsg_free(sent);
	reply = sent = NULL;
}

/* The error totals ride with the status: read from it, no dump. */
static void status_carries_error_totals(void **state)
{
	struct bcmon_error_list totals;
	struct bcmon bc = { 0 };
	struct bcmon_status st;
	struct nlattr *nest, *t;

	(void)state;
	reply = bcmon_msg_new(NULL, BCMON_CMD_GET_STATUS, 0);
	nest = nla_nest_start(reply, BCMON_A_STATUS);
	nla_put_u64(reply, BCMON_STATUS_A_ERRORS_RECORDED, 7);
	t = nla_nest_start(reply, BCMON_STATUS_A_ERROR_TOTAL);
	nla_put_u8(reply, BCMON_TOTAL_A_CATEGORY, BCMON_ERR_CAT_NETWORK);
	nla_put_u8(reply, BCMON_TOTAL_A_SEVERITY, BCMON_SEV_ERROR);
	nla_put_u64(reply, BCMON_TOTAL_A_COUNT, 7);
	nla_nest_end(reply, t);
	nla_nest_end(reply, nest);
	assert_int_equal(bcmon_get_status_totals(&bc, &st, &totals), 0);
	assert_true(totals.has_totals);
	assert_int_equal(totals.totals[BCMON_ERR_CAT_NETWORK][BCMON_SEV_ERROR], 7);
	assert_int_equal(st.errors_recorded, 7);
	bcmon_error_list_free(&totals);
	nlmsg_free(reply);

	/* A cut total after a good one: an error, and no totals half-read. */
	reply = bcmon_msg_new(NULL, BCMON_CMD_GET_STATUS, 0);
	nest = nla_nest_start(reply, BCMON_A_STATUS);
	t = nla_nest_start(reply, BCMON_STATUS_A_ERROR_TOTAL);
	nla_put_u8(reply, BCMON_TOTAL_A_CATEGORY, BCMON_ERR_CAT_NETWORK);
	nla_put_u8(reply, BCMON_TOTAL_A_SEVERITY, BCMON_SEV_ERROR);
	nla_put_u64(reply, BCMON_TOTAL_A_COUNT, 7);
	nla_nest_end(reply, t);
	t = nla_nest_start(reply, BCMON_STATUS_A_ERROR_TOTAL);
	nla_put_u8(reply, BCMON_TOTAL_A_CATEGORY, BCMON_ERR_CAT_GAMING);
	nla_put_u8(reply, BCMON_TOTAL_A_SEVERITY, BCMON_SEV_ERROR);
	nla_put_u32(reply, BCMON_TOTAL_A_COUNT, 7);	/* a u64 cut short */
	nla_nest_end(reply, t);
	nla_nest_end(reply, nest);
	assert_int_equal(bcmon_get_status_totals(&bc, &st, &totals), -EPROTO);
	assert_false(totals.has_totals);
	assert_int_equal(totals.totals[BCMON_ERR_CAT_NETWORK][BCMON_SEV_ERROR], 0);
	nlmsg_free(reply);

	/* A module older than that: no totals, and the caller dumps. */
	reply = bcmon_msg_new(NULL, BCMON_CMD_GET_STATUS, 0);
	nest = nla_nest_start(reply, BCMON_A_STATUS);
	nla_put_u32(reply, BCMON_STATUS_A_MAX_BUCKETS, 64);
	nla_nest_end(reply, nest);
	assert_int_equal(bcmon_get_status_totals(&bc, &st, &totals), 0);
	assert_false(totals.has_totals);
	nlmsg_free(reply);
	nlmsg_free(sent);
	reply = sent = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(native_definition_is_sent),
		cmocka_unit_test(status_reports_native_bucket_limit),
		cmocka_unit_test(status_carries_error_totals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
