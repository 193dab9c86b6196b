// SPDX-License-Identifier: LGPL-2.1
/* BCMON_CMD_GET_VERSION: the loaded module's version string. */
#include <bcmon/libbcmon.h>

#include <errno.h>
#include <stdio.h>

#include <linux/bcmon.h>
#include <netlink/genl/genl.h>

#include "request.h"

struct version_reply {
	char *buf;
	size_t len;
	int found;
};

static int parse_version(struct nlmsghdr *nlh, void *arg)
{
	struct version_reply *reply = arg;
	struct nlattr *tb[BCMON_A_MAX + 1];

	if (genlmsg_parse(nlh, 0, tb, BCMON_A_MAX, NULL) < 0)
		return NL_SKIP;
	if (tb[BCMON_A_VERSION]) {
		snprintf(reply->buf, reply->len, "%s",
			 nla_get_string(tb[BCMON_A_VERSION]));
		reply->found = 1;
	}
	return NL_OK;
}

int bcmon_get_version(struct bcmon *bc, char *buf, size_t len)
{
	struct version_reply reply = { .buf = buf, .len = len };
	struct nl_msg *msg;
	int err;

	msg = bcmon_msg_new_size(bc, BCMON_CMD_GET_VERSION, 0, BCMON_SMALL_REQUEST);
	if (!msg)
		return -ENOMEM;
	err = bcmon_exchange_one(bc, msg, parse_version, &reply);
	if (err)
		return err;
	return reply.found ? 0 : -EPROTO;
}
