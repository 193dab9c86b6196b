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
#include <linux/sched.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/bcmon.h>

#include "bcmon_internal.h"
#include "compat.h"
#include "sets.h"
#include "errors.h"
#include "sensors.h"
#include "notify.h"

static struct genl_family bcmon_genl_family;

/* --- permissions ---------------------------------------------------------- */

int bcmon_writer_gid = -1;	/* module parameter, see main.c */

/* Is gid cred's effective group or one of its supplementary groups? */
static bool bcmon_cred_in_group(const struct cred *cred, kgid_t gid)
{
	const struct group_info *gi = cred->group_info;
	int i;

	if (gid_eq(cred->egid, gid))
		return true;
	for (i = 0; gi && i < gi->ngroups; i++)
		if (gid_eq(gi->gid[i], gid))
			return true;
	return false;
}

/* The credentials the request's socket was opened with, or NULL. */
static const struct cred *bcmon_opener_cred(struct sk_buff *skb)
{
	const struct sock *sk = NETLINK_CB(skb).sk;

	/*
	 * A request from userspace arrives in the sender's sendmsg(), which
	 * holds the socket's file; netlink_ns_capable() relies on the same.
	 */
	if (!sk || !sk->sk_socket || !sk->sk_socket->file)
		return NULL;
	return sk->sk_socket->file->f_cred;
}

int bcmon_nl_check_writer(struct sk_buff *skb, struct genl_info *info,
			  struct bcmon_caller *who)
{
	struct net *net = genl_info_net(info);
	const struct cred *opener = bcmon_opener_cred(skb);
	kgid_t writers;

	who->uid = current_euid();
	who->pid = task_tgid_nr(current);
	/* The opener's file capability and the caller's (sk_ns_capable()). */
	who->admin = netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN);
	if (who->admin)
		return 0;
	if (bcmon_writer_gid < 0 || !opener) {
		NL_SET_ERR_MSG(info->extack,
			       "permission denied: needs CAP_NET_ADMIN or the bcmon writer group");
		return -EPERM;
	}
	/*
	 * The writer group is a grant of the initial user namespace, and so
	 * is the uid that owns sets, carries a quota and a rate bucket. In a
	 * user namespace a member may become other uids (newuidmap maps a
	 * user's /etc/subuid range) and setuid() keeps its supplementary
	 * groups: each of those uids would be one more writer, with quotas
	 * of its own, that the administrator never put in the group.
	 */
	if (current_user_ns() != &init_user_ns ||
	    opener->user_ns != &init_user_ns) {
		NL_SET_ERR_MSG(info->extack,
			       "permission denied: the bcmon writer group counts only in the initial user namespace (the caller or the socket's opener is in another)");
		return -EPERM;
	}
	writers = make_kgid(&init_user_ns, bcmon_writer_gid);
	if (!in_egroup_p(writers) || !bcmon_cred_in_group(opener, writers)) {
		NL_SET_ERR_MSG(info->extack,
			       "permission denied: needs CAP_NET_ADMIN or the bcmon writer group (the caller and the socket's opener both)");
		return -EPERM;
	}
	if (!uid_eq(opener->euid, who->uid)) {
		NL_SET_ERR_MSG(info->extack,
			       "permission denied: the socket was opened by another user");
		return -EPERM;
	}
	return 0;
}

int bcmon_nl_check_owner(struct genl_info *info, const struct bcmon_caller *who,
			 const struct bcmon_set *set, bool destroy)
{
	if (bcmon_owner_is_kernel(&set->owner)) {
		if (destroy && who->admin)
			return 0;
		if (destroy)
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[BCMON_A_SET_NAME],
					    "permission denied: a kernel-owned set is destroyed only by its module or CAP_NET_ADMIN");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[BCMON_A_SET_NAME],
					    "permission denied: a kernel-owned set is written only by the kernel");
		return -EPERM;
	}
	if (who->admin || uid_eq(set->owner.uid, who->uid))
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[BCMON_A_SET_NAME],
			    "permission denied: the set belongs to another user");
	return -EPERM;
}

/* --- notifications -------------------------------------------------------- */

/*
 * Who may listen: CAP_NET_ADMIN in the netns' user namespace, checked by
 * the generic netlink core when a socket joins (drop_monitor's rule for its
 * own "events" group). Events push other users' error messages, their uids
 * and pids as they happen, and every listener costs a copy of every event;
 * everyone may still read the same state by dumps, at their own cost.
 */
static const struct genl_multicast_group bcmon_mcgrps[] = {
	[BCMON_MCGRP_EVENTS] = {
		.name	= BCMON_GENL_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
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

static void bcmon_nl_notify_set(u8 event_type, const char *name)
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

static void bcmon_nl_set_added(struct bcmon_set *set)
{
	bcmon_nl_notify_set(BCMON_EVENT_SET_CREATED, set->name);
}

static void bcmon_nl_set_removed(struct bcmon_set *set)
{
	bcmon_nl_notify_set(BCMON_EVENT_SET_DESTROYED, set->name);
}

/* Set creations and destructions on the events group, in registry order. */
static const struct bcmon_sets_observer bcmon_nl_sets_observer = {
	.set_added	= bcmon_nl_set_added,
	.set_removed	= bcmon_nl_set_removed,
};

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

static const struct bcmon_status_provider *bcmon_status_providers[8];

void bcmon_status_register(const struct bcmon_status_provider *p)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bcmon_status_providers); i++) {
		if (!bcmon_status_providers[i]) {
			/* A debugfs reader may walk the table meanwhile. */
			WRITE_ONCE(bcmon_status_providers[i], p);
			return;
		}
	}
	pr_err("too many status providers\n");
}

void bcmon_status_for_each(void (*fn)(const struct bcmon_status_provider *p,
				      void *arg), void *arg)
{
	unsigned int i;

	const struct bcmon_status_provider *p;

	for (i = 0; i < ARRAY_SIZE(bcmon_status_providers); i++) {
		p = READ_ONCE(bcmon_status_providers[i]);
		if (p)
			fn(p, arg);
	}
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
	if (nla_put_u32(msg, BCMON_STATUS_A_UID_MAX_SETS, bcmon_limits.uid_max_sets) ||
	    nla_put_u64_64bit(msg, BCMON_STATUS_A_UID_MAX_MEMORY,
			      bcmon_limits.uid_max_memory, BCMON_STATUS_A_PAD) ||
	    nla_put_u32(msg, BCMON_STATUS_A_KERNEL_RESERVED_SETS,
			bcmon_limits.kernel_reserved_sets) ||
	    nla_put_u64_64bit(msg, BCMON_STATUS_A_KERNEL_RESERVED_MEMORY,
			      bcmon_limits.kernel_reserved_memory, BCMON_STATUS_A_PAD) ||
	    nla_put_string(msg, BCMON_STATUS_A_RESERVED_SET_WORDS,
			   bcmon_reserved_set_words ?: "") ||
	    nla_put_u32(msg, BCMON_STATUS_A_MAX_LABELS, bcmon_limits.max_labels) ||
	    nla_put_u32(msg, BCMON_STATUS_A_MAX_SERIES, bcmon_limits.max_series) ||
	    nla_put_u32(msg, BCMON_STATUS_A_MAX_LABEL_VALUE_LEN,
			bcmon_limits.max_label_value_len) ||
	    nla_put_u8(msg, BCMON_STATUS_A_LABEL_CHARSET, bcmon_limits.label_charset) ||
	    nla_put_u32(msg, BCMON_STATUS_A_MAX_NATIVE_BUCKETS,
			bcmon_limits.max_native_buckets))
		return -EMSGSIZE;
	bcmon_status_for_each(bcmon_status_fill_one, &fill);
	if (fill.err)
		return fill.err;
	nla_nest_end(msg, nest);
	return 0;
}

static void bcmon_status_size_one(const struct bcmon_status_provider *p, void *arg)
{
	*(size_t *)arg += p->nl_size;
}

/* The fixed fields fit in NLMSG_GOODSIZE; the word list and providers' extras on top. */
static size_t bcmon_status_size(void)
{
	size_t size = NLMSG_GOODSIZE +
		      nla_total_size(strlen(bcmon_reserved_set_words ?: "") + 1);

	bcmon_status_for_each(bcmon_status_size_one, &size);
	return size;
}

static int bcmon_nl_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(bcmon_status_size(), GFP_KERNEL);
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
 * One entry per command, each with its own .policy and .maxattr: commands
 * that take no attributes use bcmon_no_attrs_policy. Never leave .policy
 * out while the family sets .maxattr: the genetlink core then pairs its
 * one-entry reject-all policy with the family's maxattr
 * (genl_op_from_full) and reads past that array when an attribute
 * arrives, which is a kernel BUG on 7.3 (BUG_ON in
 * __nla_validate_parse) and an out-of-bounds read before.
 * Writes check permissions in their handlers (bcmon_nl_check_writer):
 * GENL_ADMIN_PERM cannot express the writer group.
 */
static const struct genl_ops bcmon_genl_ops[] = {
	{
		.cmd	= BCMON_CMD_GET_VERSION,
		.doit	= bcmon_nl_get_version,
		.policy	= bcmon_no_attrs_policy,
		.maxattr = BCMON_A_VERSION,
	},
	{
		.cmd	= BCMON_CMD_GET_STATUS,
		.doit	= bcmon_nl_get_status,
		.policy	= bcmon_no_attrs_policy,
		.maxattr = BCMON_A_VERSION,
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
		.policy	= bcmon_set_get_policy,
		.maxattr = BCMON_A_READ_FLAGS,
	},
	{
		.cmd	= BCMON_CMD_SET_UPDATE,
		.doit	= bcmon_nl_set_update,
		.policy	= bcmon_set_update_policy,
		.maxattr = BCMON_A_UPDATE,
	},
	{
		.cmd	= BCMON_CMD_SERIES_DELETE,
		.doit	= bcmon_nl_series_delete,
		.policy	= bcmon_series_delete_policy,
		.maxattr = BCMON_A_SERIES,
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
	int err = bcmon_sets_observe(&bcmon_nl_sets_observer);

	if (err)
		return err;
	bcmon_nl_errors_init();
	bcmon_nl_sensors_init();
	err = genl_register_family(&bcmon_genl_family);
	if (err)
		return err;
	/* The family exists: error events may be announced on it. */
	bcmon_errors_start_notify(bcmon_notify_error);
	return 0;
}

void bcmon_netlink_exit(void)
{
	bcmon_nl_sensors_exit();
	genl_unregister_family(&bcmon_genl_family);
}
