// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon generic netlink family: registration, the op table, permissions,
 * notifications to the "events" group and GET_VERSION/GET_STATUS. The
 * counter-set commands live in nl_sets.c; other parts of the module add
 * their ops to bcmon_genl_ops[] below with handlers in their own files.
 *
 * Strict validation everywhere (resv_start_op = 0): unknown attributes,
 * attributes an op has no policy for and trailing data are rejected with
 * an extack pointing at the attribute. parallel_ops: handlers do their own
 * locking (RCU and bcmon_sets_lock), so requests run concurrently.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/bcmon.h>

#include "bcmon_internal.h"
#include "sets.h"
#include "errors.h"
#include "sensors.h"

static struct genl_family bcmon_genl_family;

/* --- permissions ---------------------------------------------------------- */

int bcmon_writer_gid = -1;	/* module parameter, see main.c */

/*
 * May the sender of this request write at all? CAP_NET_ADMIN in the user
 * namespace of the network namespace, or membership of the writer group.
 * *admin tells the caller whether ownership checks apply.
 */
int bcmon_nl_check_writer(struct sk_buff *skb, struct genl_info *info,
			  bool *admin)
{
	struct net *net = genl_info_net(info);

	*admin = netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN);
	if (*admin)
		return 0;
	if (bcmon_writer_gid >= 0 &&
	    in_egroup_p(make_kgid(&init_user_ns, bcmon_writer_gid)))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "permission denied: needs CAP_NET_ADMIN or the bcmon writer group");
	return -EPERM;
}

/* A writer-group member may only touch the sets it created. */
int bcmon_nl_check_owner(struct genl_info *info, bool admin,
			 const struct bcmon_set *set)
{
	if (admin || uid_eq(set->owner, current_euid()))
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[BCMON_A_SET_NAME],
			    "permission denied: the set belongs to another user");
	return -EPERM;
}

/* --- notifications -------------------------------------------------------- */

static const struct genl_multicast_group bcmon_mcgrps[] = {
	[BCMON_MCGRP_EVENTS] = { .name = BCMON_GENL_MCGRP_EVENTS },
};

struct sk_buff *bcmon_nl_event_new(u8 type, size_t payload, gfp_t gfp,
				   void **hdr)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&bcmon_genl_family, &init_net,
				BCMON_MCGRP_EVENTS))
		return NULL;
	skb = genlmsg_new(nla_total_size(sizeof(u8)) + payload, gfp);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &bcmon_genl_family, 0, BCMON_CMD_EVENT);
	if (!*hdr || nla_put_u8(skb, BCMON_A_EVENT_TYPE, type)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

void bcmon_nl_event_send(struct sk_buff *skb, void *hdr, gfp_t gfp)
{
	genlmsg_end(skb, hdr);
	/* -ESRCH only means that everyone left the group meanwhile. */
	genlmsg_multicast(&bcmon_genl_family, skb, 0, BCMON_MCGRP_EVENTS, gfp);
}

void bcmon_nl_notify_set(u8 event_type, const char *name)
{
	struct sk_buff *skb;
	void *hdr;

	skb = bcmon_nl_event_new(event_type, nla_total_size(BCMON_NAME_MAX),
				 GFP_KERNEL, &hdr);
	if (!skb)
		return;
	if (nla_put_string(skb, BCMON_A_SET_NAME, name)) {
		nlmsg_free(skb);
		return;
	}
	bcmon_nl_event_send(skb, hdr, GFP_KERNEL);
}

/* --- version and status ---------------------------------------------------- */

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

static const struct bcmon_status_provider *bcmon_status_providers[4];

void bcmon_status_register(const struct bcmon_status_provider *p)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bcmon_status_providers); i++) {
		if (!bcmon_status_providers[i]) {
			bcmon_status_providers[i] = p;
			return;
		}
	}
	pr_err("too many status providers\n");
}

void bcmon_status_for_each(void (*fn)(const struct bcmon_status_provider *p,
				      void *arg), void *arg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bcmon_status_providers); i++)
		if (bcmon_status_providers[i])
			fn(bcmon_status_providers[i], arg);
}

struct bcmon_status_fill {
	struct sk_buff *skb;
	int err;
};

static void bcmon_status_fill_one(const struct bcmon_status_provider *p,
				  void *arg)
{
	struct bcmon_status_fill *f = arg;

	if (!f->err && p->fill_nl)
		f->err = p->fill_nl(f->skb);
}

static int bcmon_nl_fill_status(struct sk_buff *msg)
{
	struct bcmon_status_fill fill = { .skb = msg };
	struct nlattr *nest;

	nest = nla_nest_start(msg, BCMON_A_STATUS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(msg, BCMON_STATUS_A_VERSION, BCMON_VERSION) ||
	    nla_put_u32(msg, BCMON_STATUS_A_SETS, bcmon_sets_count()) ||
	    nla_put_u32(msg, BCMON_STATUS_A_MAX_SETS, bcmon_limits.max_sets) ||
	    nla_put_u32(msg, BCMON_STATUS_A_MAX_METRICS, bcmon_limits.max_metrics) ||
	    nla_put_u32(msg, BCMON_STATUS_A_MAX_BUCKETS, bcmon_limits.max_buckets) ||
	    nla_put_u64_64bit(msg, BCMON_STATUS_A_MEM_USED, bcmon_sets_mem_used(),
			      BCMON_STATUS_A_PAD) ||
	    nla_put_u64_64bit(msg, BCMON_STATUS_A_MEM_LIMIT, bcmon_limits.max_memory,
			      BCMON_STATUS_A_PAD))
		return -EMSGSIZE;
	if (bcmon_writer_gid >= 0 &&
	    nla_put_u32(msg, BCMON_STATUS_A_WRITER_GID, bcmon_writer_gid))
		return -EMSGSIZE;
	bcmon_status_for_each(bcmon_status_fill_one, &fill);
	if (fill.err)
		return fill.err;
	nla_nest_end(msg, nest);
	return 0;
}

static int bcmon_nl_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &bcmon_genl_family, 0,
				BCMON_CMD_GET_STATUS);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	err = bcmon_nl_fill_status(msg);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

const struct genl_family *bcmon_nl_family(void)
{
	return &bcmon_genl_family;
}

/* --- the family ----------------------------------------------------------- */

/*
 * One entry per command. Commands without a .policy accept no attributes.
 * Writes check permissions in their handlers (bcmon_nl_check_writer):
 * GENL_ADMIN_PERM cannot express the writer group.
 */
static const struct genl_ops bcmon_genl_ops[] = {
	{
		.cmd	= BCMON_CMD_GET_VERSION,
		.doit	= bcmon_nl_get_version,
	},
	{
		.cmd	= BCMON_CMD_GET_STATUS,
		.doit	= bcmon_nl_get_status,
	},
	{
		.cmd	= BCMON_CMD_SET_CREATE,
		.doit	= bcmon_nl_set_create,
		.policy	= bcmon_set_create_policy,
		.maxattr = BCMON_A_METRIC,
	},
	{
		.cmd	= BCMON_CMD_SET_DESTROY,
		.doit	= bcmon_nl_set_destroy,
		.policy	= bcmon_set_name_policy,
		.maxattr = BCMON_A_SET_NAME,
	},
	{
		.cmd	= BCMON_CMD_SET_GET,
		.doit	= bcmon_nl_set_get,
		.start	= bcmon_nl_set_dump_start,
		.dumpit	= bcmon_nl_set_dump,
		.policy	= bcmon_set_name_policy,
		.maxattr = BCMON_A_SET_NAME,
	},
	{
		.cmd	= BCMON_CMD_SET_UPDATE,
		.doit	= bcmon_nl_set_update,
		.policy	= bcmon_set_update_policy,
		.maxattr = BCMON_A_UPDATE,
	},
	/* Error ring and sensors: ERROR_RECORD, ERROR_GET, SENSORS_GET go here. */
	BCMON_ERROR_GENL_OPS
	BCMON_SENSORS_GENL_OPS
};

static struct genl_family bcmon_genl_family __ro_after_init = {
	.name		= BCMON_GENL_NAME,
	.version	= BCMON_GENL_VERSION,
	.maxattr	= BCMON_A_MAX,
	.module		= THIS_MODULE,
	.ops		= bcmon_genl_ops,
	.n_ops		= ARRAY_SIZE(bcmon_genl_ops),
	.mcgrps		= bcmon_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(bcmon_mcgrps),
	.parallel_ops	= true,
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
