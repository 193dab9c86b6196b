// SPDX-License-Identifier: GPL-2.0
/*
 * libbcmon's request/reply loop (client.c) against a real generic netlink
 * family every kernel has, the controller (nlctrl): a dump read to its
 * NLMSG_DONE, a request answered by one reply and an ACK (or, asked
 * without one, by the reply alone), a refused one with its errno, and replies to an earlier request that nobody read
 * (an exchange that timed out) passed over by the next one.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <bcmon/libbcmon.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "client.h"
#include "request.h"

struct seen {
	int replies;
	char last[GENL_NAMSIZ];
};

static int on_family(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct seen *s = arg;

	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0 || !tb[CTRL_ATTR_FAMILY_NAME])
		return NL_SKIP;
	s->replies++;
	snprintf(s->last, sizeof(s->last), "%s", nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]));
	return NL_OK;
}

static struct nl_msg *ctrl_request(int flags, const char *name)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, flags,
				    CTRL_CMD_GETFAMILY, 1));
	if (name)
		assert_int_equal(nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name), 0);
	return msg;
}

static int setup(void **state)
{
	struct bcmon *bc = calloc(1, sizeof(*bc));

	if (!bc)
		return -1;
	bc->sock = nl_socket_alloc();
	if (!bc->sock || genl_connect(bc->sock)) {
		nl_socket_free(bc->sock);
		free(bc);
		return -1;
	}
	*state = bc;
	return 0;
}

static int teardown(void **state)
{
	bcmon_close(*state);
	return 0;
}

static void dump_to_done(void **state)
{
	struct seen s = { 0 };

	assert_int_equal(bcmon_exchange(*state, ctrl_request(NLM_F_DUMP, NULL), on_family, &s), 0);
	assert_true(s.replies >= 1);	/* nlctrl itself at least */
}

static void reply_then_ack(void **state)
{
	struct seen s = { 0 };

	assert_int_equal(bcmon_exchange(*state, ctrl_request(0, "nlctrl"), on_family, &s), 0);
	assert_int_equal(s.replies, 1);
	assert_string_equal(s.last, "nlctrl");
}

static void refused(void **state)
{
	struct seen s = { 0 };

	assert_int_equal(bcmon_exchange(*state, ctrl_request(0, "nosuchfam0x"), on_family,
					&s), -ENOENT);
	assert_int_equal(s.replies, 0);
}

/* Nothing left in the socket's queue (an ACK nobody asked for, say). */
static bool nothing_queued(struct bcmon *bc)
{
	char buf[256];

	return recv(nl_socket_get_fd(bc->sock), buf, sizeof(buf), MSG_DONTWAIT) < 0 &&
	       (errno == EAGAIN || errno == EWOULDBLOCK);
}

/* Without NLM_F_ACK: the reply alone ends it, and nothing stays queued. */
static void one_reply(void **state)
{
	struct seen s = { 0 };

	assert_int_equal(bcmon_exchange_one(*state, ctrl_request(0, "nlctrl"), on_family, &s), 0);
	assert_int_equal(s.replies, 1);
	assert_true(nothing_queued(*state));
	assert_int_equal(bcmon_exchange_one(*state, ctrl_request(0, "nosuchfam0x"), on_family,
					    &s), -ENOENT);
	assert_int_equal(s.replies, 1);
	assert_true(nothing_queued(*state));
	assert_int_equal(bcmon_exchange(*state, ctrl_request(0, "nlctrl"), on_family, &s), 0);
	assert_int_equal(s.replies, 2);
}

static void stale_replies_passed_over(void **state)
{
	struct bcmon *bc = *state;
	struct nl_msg *unread = ctrl_request(NLM_F_DUMP | NLM_F_ACK, NULL);
	struct seen s = { 0 };

	/* A dump nobody reads: its parts wait in the socket's queue. */
	assert_true(nl_send_auto(bc->sock, unread) >= 0);
	nlmsg_free(unread);
	assert_int_equal(bcmon_exchange(bc, ctrl_request(0, "nlctrl"), on_family, &s), 0);
	assert_int_equal(s.replies, 1);
	assert_string_equal(s.last, "nlctrl");
	/* And the connection is in step for the next one. */
	s.replies = 0;
	assert_int_equal(bcmon_exchange(bc, ctrl_request(0, "nlctrl"), on_family, &s), 0);
	assert_int_equal(s.replies, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(dump_to_done, setup, teardown),
		cmocka_unit_test_setup_teardown(reply_then_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(refused, setup, teardown),
		cmocka_unit_test_setup_teardown(one_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(stale_replies_passed_over, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
