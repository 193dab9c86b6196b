// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon generic netlink family. Strict validation everywhere
 * (resv_start_op = 0): unknown attributes and trailing data are rejected.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>
#include <linux/bcmon.h>

#include "bcmon_internal.h"

static struct genl_family bcmon_genl_family;

static int bcmon_nl_get_version(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(nla_total_size(sizeof(BCMON_VERSION)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &bcmon_genl_family, 0,
				BCMON_CMD_GET_VERSION);
	if (!hdr)
		goto err_free;
	if (nla_put_string(msg, BCMON_A_VERSION, BCMON_VERSION))
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct genl_small_ops bcmon_genl_ops[] = {
	{
		.cmd	= BCMON_CMD_GET_VERSION,
		.doit	= bcmon_nl_get_version,
	},
};

static struct genl_family bcmon_genl_family __ro_after_init = {
	.name		= BCMON_GENL_NAME,
	.version	= BCMON_GENL_VERSION,
	.maxattr	= BCMON_A_MAX,
	.module		= THIS_MODULE,
	.small_ops	= bcmon_genl_ops,
	.n_small_ops	= ARRAY_SIZE(bcmon_genl_ops),
	.resv_start_op	= 0,	/* strict validation for every command */
};

int __init bcmon_netlink_init(void)
{
	return genl_register_family(&bcmon_genl_family);
}

void bcmon_netlink_exit(void)
{
	genl_unregister_family(&bcmon_genl_family);
}
