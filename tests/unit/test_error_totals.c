// SPDX-License-Identifier: GPL-2.0
/*
 * The exporter's error totals cost one ERROR_GET dump per scrape, however
 * busy the ring (issue 11: every scrape dumped the whole ring up to three
 * times, retrying while new events interrupted the dump, to read 28
 * totals the first dump already held whole). libbcmon's exchange is
 * replaced here by one that counts the dumps and answers each as
 * interrupted, with the totals in its reply.
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

static int dumps;

struct nl_msg *bcmon_msg_new(struct bcmon *bc, int cmd, int flags)
{
	(void)bc;
	(void)cmd;
	(void)flags;
	return nlmsg_alloc();
}

struct nl_msg *bcmon_msg_new_size(struct bcmon *bc, int cmd, int flags, size_t size)
{
	(void)size;
	return bcmon_msg_new(bc, cmd, flags);
}

/* One reply holding every (category, severity) total, then -EINTR as for
 * a dump during which the ring moved on. */
int bcmon_exchange(struct bcmon *bc, struct nl_msg *req, bcmon_reply_fn fn, void *arg)
{
	struct nl_msg *reply = nlmsg_alloc();
	struct nlattr *nest;

	(void)bc;
	nlmsg_free(req);
	dumps++;
	assert_non_null(reply);
	assert_non_null(genlmsg_put(reply, 0, 0, 1, 0, 0, BCMON_CMD_ERROR_GET, 1));
	for (unsigned int c = 0; c < __BCMON_ERR_CAT_MAX; c++)
		for (unsigned int s = 0; s < __BCMON_SEV_MAX; s++) {
			nest = nla_nest_start(reply, BCMON_A_ERROR_TOTAL);
			assert_non_null(nest);
			assert_int_equal(nla_put_u8(reply, BCMON_TOTAL_A_CATEGORY, (uint8_t)c), 0);
			assert_int_equal(nla_put_u8(reply, BCMON_TOTAL_A_SEVERITY, (uint8_t)s), 0);
			assert_int_equal(nla_put_u64(reply, BCMON_TOTAL_A_COUNT, 10 * c + s), 0);
			nla_nest_end(reply, nest);
		}
	fn(nlmsg_hdr(reply), arg);
	nlmsg_free(reply);
	return -EINTR;
}

static void totals_take_one_dump(void **state)
{
	struct bcmon bc = { 0 };
	struct bcmon_error_list list;

	(void)state;
	dumps = 0;
	assert_int_equal(bcmon_error_totals_get(&bc, &list), 0);
	assert_int_equal(dumps, 1);
	assert_true(list.has_totals);
	assert_int_equal(list.totals[BCMON_ERR_CAT_NETWORK][BCMON_SEV_ERROR],
			 10 * BCMON_ERR_CAT_NETWORK + BCMON_SEV_ERROR);
	bcmon_error_list_free(&list);
}

/* The events themselves still get their retries for a gap-free copy. */
static void events_retry_interrupted_dumps(void **state)
{
	struct bcmon bc = { 0 };
	struct bcmon_error_list list;

	(void)state;
	dumps = 0;
	assert_int_equal(bcmon_errors_get(&bc, &list), 0);
	assert_int_equal(dumps, 3);
	assert_true(list.interrupted);
	bcmon_error_list_free(&list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(totals_take_one_dump),
		cmocka_unit_test(events_retry_interrupted_dumps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
