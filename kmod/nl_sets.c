// SPDX-License-Identifier: GPL-2.0
/*
 * Counter-set commands of the bcmon family: SET_CREATE, SET_DESTROY,
 * SET_GET (one set, or a resumable dump of all) and SET_UPDATE (a batch
 * of updates in one message, checked completely before any is applied).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/err.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/bcmon.h>

#include "bcmon_internal.h"
#include "compat.h"
#include "sets.h"

/* --- policies ---------------------------------------------------------- */

static const struct nla_policy bcmon_metric_policy[BCMON_METRIC_A_BOUND + 1] = {
	[BCMON_METRIC_A_NAME]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
	[BCMON_METRIC_A_HELP]	= { .type = NLA_NUL_STRING, .len = BCMON_HELP_MAX - 1 },
	[BCMON_METRIC_A_KIND]	= NLA_POLICY_RANGE(NLA_U8, BCMON_KIND_COUNTER,
						   BCMON_KIND_MAX),
	[BCMON_METRIC_A_UNIT]	= { .type = NLA_NUL_STRING, .len = BCMON_UNIT_MAX - 1 },
	[BCMON_METRIC_A_SCALE]	= NLA_POLICY_RANGE(NLA_S32, -18, 18),
	[BCMON_METRIC_A_BOUND]	= { .type = NLA_U64 },
};

static const struct nla_policy bcmon_update_policy[BCMON_UPDATE_A_VALUE + 1] = {
	[BCMON_UPDATE_A_METRIC]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
	[BCMON_UPDATE_A_OP]	= NLA_POLICY_RANGE(NLA_U8, BCMON_OP_ADD, BCMON_OP_MAX),
	[BCMON_UPDATE_A_VALUE]	= { .type = NLA_S64 },
};

const struct nla_policy bcmon_set_name_policy[BCMON_A_SET_NAME + 1] = {
	[BCMON_A_SET_NAME]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
};

const struct nla_policy bcmon_set_create_policy[BCMON_A_METRIC + 1] = {
	[BCMON_A_SET_NAME]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
	[BCMON_A_METRIC]	= NLA_POLICY_NESTED(bcmon_metric_policy),
};

const struct nla_policy bcmon_set_update_policy[BCMON_A_UPDATE + 1] = {
	[BCMON_A_SET_NAME]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
	[BCMON_A_UPDATE]	= NLA_POLICY_NESTED(bcmon_update_policy),
};

/* A required attribute is missing: say which, in words and as miss_type. */
#define BCMON_REQUIRE(extack, nest, tb, type, what) ({			\
	bool __missing = !(tb)[type];					\
	if (__missing) {						\
		NL_SET_ERR_ATTR_MISS(extack, nest, type);		\
		NL_SET_ERR_MSG(extack, "missing attribute " what);	\
	}								\
	__missing;							\
})

/* --- SET_CREATE ----------------------------------------------------------- */

static int bcmon_parse_metric(const struct nlattr *attr,
			      struct bcmon_metric_def *def,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BCMON_METRIC_A_BOUND + 1];
	const struct nlattr *b;
	unsigned int nb = 0;
	u64 *bounds;
	int rem, err;

	err = nla_parse_nested(tb, BCMON_METRIC_A_BOUND, attr,
			       bcmon_metric_policy, extack);
	if (err)
		return err;
	if (BCMON_REQUIRE(extack, attr, tb, BCMON_METRIC_A_NAME,
			  "BCMON_METRIC_A_NAME") ||
	    BCMON_REQUIRE(extack, attr, tb, BCMON_METRIC_A_KIND,
			  "BCMON_METRIC_A_KIND"))
		return -EINVAL;

	def->name = nla_data(tb[BCMON_METRIC_A_NAME]);
	def->kind = nla_get_u8(tb[BCMON_METRIC_A_KIND]);
	if (tb[BCMON_METRIC_A_HELP])
		def->help = nla_data(tb[BCMON_METRIC_A_HELP]);
	if (tb[BCMON_METRIC_A_UNIT])
		def->unit = nla_data(tb[BCMON_METRIC_A_UNIT]);
	if (tb[BCMON_METRIC_A_SCALE])
		def->scale = nla_get_s32(tb[BCMON_METRIC_A_SCALE]);

	nla_for_each_nested(b, attr, rem) {
		if (nla_type(b) != BCMON_METRIC_A_BOUND)
			continue;
		if (++nb > bcmon_limits.max_buckets) {
			NL_SET_ERR_MSG_ATTR(extack, b,
					    "too many bucket bounds (module limit max_buckets)");
			return -E2BIG;
		}
	}
	if (!nb)
		return 0;
	bounds = kcalloc(nb, sizeof(*bounds), GFP_KERNEL);
	if (!bounds)
		return -ENOMEM;
	nb = 0;
	nla_for_each_nested(b, attr, rem)
		if (nla_type(b) == BCMON_METRIC_A_BOUND)
			bounds[nb++] = nla_get_u64(b);
	def->bounds = bounds;
	def->n_bounds = nb;
	return 0;
}

int bcmon_nl_set_create(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	const struct nlattr **mattrs = NULL;
	struct bcmon_metric_def *defs = NULL;
	struct bcmon_set *set;
	const struct nlattr *a;
	struct bcmon_caller who;
	struct bcmon_owner owner;
	unsigned int n = 0, i;
	int rem, err, bad;

	err = bcmon_nl_check_writer(skb, info, &who);
	if (err)
		return err;
	if (BCMON_REQUIRE(extack, NULL, info->attrs, BCMON_A_SET_NAME,
			  "BCMON_A_SET_NAME"))
		return -EINVAL;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != BCMON_A_METRIC)
			continue;
		if (++n > bcmon_limits.max_metrics) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "too many metrics in one set (module limit max_metrics)");
			return -E2BIG;
		}
	}
	if (!n) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, BCMON_A_METRIC);
		NL_SET_ERR_MSG(extack, "a set needs at least one BCMON_A_METRIC");
		return -EINVAL;
	}

	defs = kcalloc(n, sizeof(*defs), GFP_KERNEL);
	mattrs = kcalloc(n, sizeof(*mattrs), GFP_KERNEL);
	if (!defs || !mattrs) {
		err = -ENOMEM;
		goto out_free;
	}
	i = 0;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != BCMON_A_METRIC)
			continue;
		mattrs[i] = a;
		err = bcmon_parse_metric(a, &defs[i], extack);
		if (err)
			goto out_free;
		i++;
	}

	/* A process's set belongs to its uid, whatever its capabilities. */
	owner.origin = BCMON_ORIGIN_USER;
	owner.uid = who.uid;
	set = bcmon_set_create_owned(nla_data(info->attrs[BCMON_A_SET_NAME]),
				     defs, n, &owner, extack, &bad);
	if (IS_ERR(set)) {
		err = PTR_ERR(set);
		if (bad >= 0)
			NL_SET_BAD_ATTR(extack, mattrs[bad]);
		else if (err == -EINVAL || err == -EEXIST)
			NL_SET_BAD_ATTR(extack, info->attrs[BCMON_A_SET_NAME]);
		goto out_free;
	}
	bcmon_set_put(set);	/* the registry keeps its own reference */
	err = 0;

out_free:
	if (defs)
		for (i = 0; i < n; i++)
			kfree(defs[i].bounds);
	kfree(defs);
	kfree(mattrs);
	return err;
}

/* --- SET_DESTROY ---------------------------------------------------------- */

static void bcmon_set_not_found(struct genl_info *info)
{
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[BCMON_A_SET_NAME],
			    "no set with this name");
}

/* The set BCMON_A_SET_NAME names, with a reference, or an ERR_PTR. */
static struct bcmon_set *bcmon_nl_set_get_ref(struct genl_info *info)
{
	struct bcmon_set *set;

	if (BCMON_REQUIRE(info->extack, NULL, info->attrs, BCMON_A_SET_NAME,
			  "BCMON_A_SET_NAME"))
		return ERR_PTR(-EINVAL);
	set = bcmon_set_get(nla_data(info->attrs[BCMON_A_SET_NAME]));
	if (!set) {
		bcmon_set_not_found(info);
		return ERR_PTR(-ENOENT);
	}
	return set;
}

int bcmon_nl_set_destroy(struct sk_buff *skb, struct genl_info *info)
{
	struct bcmon_caller who;
	struct bcmon_set *set;
	int err;

	err = bcmon_nl_check_writer(skb, info, &who);
	if (err)
		return err;
	set = bcmon_nl_set_get_ref(info);
	if (IS_ERR(set))
		return PTR_ERR(set);
	err = bcmon_nl_check_owner(info, &who, set, true);
	if (!err && bcmon_set_unregister(set)) {
		bcmon_set_not_found(info);	/* lost a race with another destroy */
		err = -ENOENT;
	}
	bcmon_set_put(set);
	return err;
}

/* --- SET_UPDATE ----------------------------------------------------------- */

struct bcmon_update {
	const struct nlattr *metric;
	int index;
	u8 op;
	s64 value;
};

/* Parse one BCMON_A_UPDATE (already validated against the policy). */
static int bcmon_update_parse(const struct bcmon_set *set,
			      const struct nlattr *attr, struct bcmon_update *u,
			      struct netlink_ext_ack *extack)
{
	bool has_op = false, has_value = false;
	const struct nlattr *a;
	int rem;

	u->metric = NULL;
	nla_for_each_nested(a, attr, rem) {
		switch (nla_type(a)) {
		case BCMON_UPDATE_A_METRIC:
			u->metric = a;
			break;
		case BCMON_UPDATE_A_OP:
			u->op = nla_get_u8(a);
			has_op = true;
			break;
		case BCMON_UPDATE_A_VALUE:
			u->value = nla_get_s64(a);
			has_value = true;
			break;
		}
	}
	if (!u->metric || !has_op || !has_value) {
		NL_SET_ERR_ATTR_MISS(extack, attr, !u->metric ? BCMON_UPDATE_A_METRIC :
				     !has_op ? BCMON_UPDATE_A_OP : BCMON_UPDATE_A_VALUE);
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "an update needs BCMON_UPDATE_A_METRIC, _OP and _VALUE");
		return -EINVAL;
	}
	u->index = bcmon_metric_find(set, nla_data(u->metric));
	if (u->index < 0) {
		NL_SET_ERR_MSG_ATTR(extack, u->metric, "no metric with this name in the set");
		return -ENOENT;
	}
	if (!bcmon_op_valid(&set->metrics[u->index], u->op, u->value)) {
		if (u->op == BCMON_OP_ADD && u->value < 0) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "a counter only goes up: negative BCMON_UPDATE_A_VALUE");
			return -ERANGE;
		}
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "BCMON_UPDATE_A_OP does not fit the metric kind");
		return -EINVAL;
	}
	return 0;
}

/* Updates resolved in the checking pass, applied in the second. */
struct bcmon_resolved {
	s64 value;
	u16 index;
	u8 op;
};

#define BCMON_UPDATES_ON_STACK	16

int bcmon_nl_set_update(struct sk_buff *skb, struct genl_info *info)
{
	struct bcmon_resolved stack[BCMON_UPDATES_ON_STACK], *todo = stack;
	struct netlink_ext_ack *extack = info->extack;
	struct bcmon_caller who;
	struct bcmon_update u;
	struct bcmon_set *set;
	const struct nlattr *a;
	unsigned int n = 0, i;
	int rem, err;

	err = bcmon_nl_check_writer(skb, info, &who);
	if (err)
		return err;
	if (BCMON_REQUIRE(extack, NULL, info->attrs, BCMON_A_SET_NAME,
			  "BCMON_A_SET_NAME") ||
	    BCMON_REQUIRE(extack, NULL, info->attrs, BCMON_A_UPDATE,
			  "BCMON_A_UPDATE"))
		return -EINVAL;

	/* The batch is bounded by the message; large ones get a heap array. */
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		n += nla_type(a) == BCMON_A_UPDATE;
	if (n > BCMON_UPDATES_ON_STACK) {
		todo = kvmalloc_array(n, sizeof(*todo), GFP_KERNEL);
		if (!todo)
			return -ENOMEM;
	}

	rcu_read_lock();
	set = bcmon_set_lookup_rcu(nla_data(info->attrs[BCMON_A_SET_NAME]));
	if (!set) {
		bcmon_set_not_found(info);
		err = -ENOENT;
		goto out_unlock;
	}
	err = bcmon_nl_check_owner(info, &who, set, false);
	if (err)
		goto out_unlock;

	/* All or nothing: check every entry before applying any. */
	i = 0;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != BCMON_A_UPDATE)
			continue;
		err = bcmon_update_parse(set, a, &u, extack);
		if (err)
			goto out_unlock;
		todo[i].index = u.index;
		todo[i].op = u.op;
		todo[i].value = u.value;
		i++;
	}
	for (i = 0; i < n; i++)
		bcmon_metric_apply(set, todo[i].index, todo[i].op, todo[i].value);
out_unlock:
	rcu_read_unlock();
	if (todo != stack)
		kvfree(todo);
	return err;
}

/* --- SET_GET: message building -------------------------------------------- */

static size_t bcmon_metric_msg_size(const struct bcmon_metric *m)
{
	size_t size = nla_total_size(0) +			/* nest */
		      nla_total_size(strlen(m->name) + 1) +
		      nla_total_size(sizeof(u8)) +		/* kind */
		      nla_total_size(sizeof(s32));		/* scale */

	if (m->help)
		size += nla_total_size(strlen(m->help) + 1);
	if (m->unit[0])
		size += nla_total_size(strlen(m->unit) + 1);
	if (m->kind == BCMON_KIND_HISTOGRAM)
		/* bounds, buckets (one more than bounds), count, sum */
		size += (2 * m->n_bounds + 3) * nla_total_size_64bit(sizeof(u64));
	else
		size += nla_total_size_64bit(sizeof(u64));
	return size;
}

static int bcmon_fill_metric(struct sk_buff *skb, struct bcmon_set *set,
			     unsigned int i)
{
	const struct bcmon_metric *m = &set->metrics[i];
	u64 buckets[BCMON_MAX_BUCKETS_CEILING + 1];
	struct bcmon_metric_value v = { .buckets = buckets };
	struct nlattr *nest;
	u32 b;

	nest = nla_nest_start(skb, BCMON_SET_A_METRIC);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, BCMON_METRIC_A_NAME, m->name) ||
	    nla_put_u8(skb, BCMON_METRIC_A_KIND, m->kind) ||
	    nla_put_s32(skb, BCMON_METRIC_A_SCALE, m->scale) ||
	    (m->help && nla_put_string(skb, BCMON_METRIC_A_HELP, m->help)) ||
	    (m->unit[0] && nla_put_string(skb, BCMON_METRIC_A_UNIT, m->unit)))
		goto err_cancel;

	bcmon_metric_read(set, i, &v);
	if (m->kind != BCMON_KIND_HISTOGRAM) {
		if (nla_put_s64(skb, BCMON_METRIC_A_VALUE, v.value,
				BCMON_METRIC_A_PAD))
			goto err_cancel;
		nla_nest_end(skb, nest);
		return 0;
	}
	for (b = 0; b < m->n_bounds; b++)
		if (nla_put_u64_64bit(skb, BCMON_METRIC_A_BOUND, m->bounds[b],
				      BCMON_METRIC_A_PAD))
			goto err_cancel;
	/* One reading: count is the sum of these buckets, sum theirs. */
	for (b = 0; b <= m->n_bounds; b++)
		if (nla_put_u64_64bit(skb, BCMON_METRIC_A_BUCKET, buckets[b],
				      BCMON_METRIC_A_PAD))
			goto err_cancel;
	if (nla_put_u64_64bit(skb, BCMON_METRIC_A_COUNT, v.count,
			      BCMON_METRIC_A_PAD) ||
	    nla_put_s64(skb, BCMON_METRIC_A_SUM, v.sum, BCMON_METRIC_A_PAD))
		goto err_cancel;
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * Put a BCMON_A_SET with the metrics from *next on. Stops at the first
 * metric that does not fit and leaves *next there. Returns -EMSGSIZE when
 * not even the set header fits.
 */
static int bcmon_fill_set(struct sk_buff *skb, struct bcmon_set *set,
			  struct user_namespace *ns, u32 *next)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, BCMON_A_SET);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, BCMON_SET_A_NAME, set->name) ||
	    nla_put_u8(skb, BCMON_SET_A_OWNER, set->owner.origin) ||
	    (!bcmon_owner_is_kernel(&set->owner) &&
	     nla_put_u32(skb, BCMON_SET_A_OWNER_UID,
			 from_kuid_munged(ns, set->owner.uid)))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	while (*next < set->n_metrics && !bcmon_fill_metric(skb, set, *next))
		(*next)++;
	nla_nest_end(skb, nest);
	return 0;
}

/* --- SET_GET doit: one set in one message --------------------------------- */

/* Larger replies are refused: the dump (with BCMON_A_SET_NAME) splits them. */
#define BCMON_DOIT_REPLY_MAX	(64 * 1024)

int bcmon_nl_set_get(struct sk_buff *skb, struct genl_info *info)
{
	struct bcmon_set *set;
	struct sk_buff *msg;
	size_t size;
	u32 next = 0;
	void *hdr;
	unsigned int i;
	int err;

	set = bcmon_nl_set_get_ref(info);
	if (IS_ERR(set))
		return PTR_ERR(set);
	size = nla_total_size(0) + nla_total_size(BCMON_NAME_MAX) +
	       nla_total_size(sizeof(u32)) + nla_total_size(sizeof(u8));
	for (i = 0; i < set->n_metrics; i++)
		size += bcmon_metric_msg_size(&set->metrics[i]);
	if (size > BCMON_DOIT_REPLY_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[BCMON_A_SET_NAME],
				    "set too large for one message: dump it with BCMON_A_SET_NAME");
		err = -EMSGSIZE;
		goto out_put;
	}
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_put;
	}
	hdr = genlmsg_put_reply(msg, info, bcmon_nl_family(), 0,
				BCMON_CMD_SET_GET);
	if (!hdr || bcmon_fill_set(msg, set, sk_user_ns(NETLINK_CB(skb).sk),
				   &next) || next != set->n_metrics) {
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto out_put;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out_put:
	bcmon_set_put(set);
	return err;
}

/* --- SET_GET dump: every set, or one large set, over many messages -------- */

/*
 * Position in the dump: the set (by id, ids only grow) and the next metric
 * in it. A set too large for one message continues in the next one, with
 * its name repeated; readers merge consecutive parts of the same set.
 */
struct bcmon_dump_ctx {
	u64 next_id;
	u64 only_id;		/* 0: every set */
	u32 next_metric;
	bool not_found;		/* the named set does not exist */
};

static struct bcmon_dump_ctx *bcmon_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct bcmon_dump_ctx) > sizeof(cb->ctx));
	return (struct bcmon_dump_ctx *)cb->ctx;
}

int bcmon_nl_set_dump_start(struct netlink_callback *cb)
{
	struct bcmon_dump_ctx *ctx = bcmon_dump_ctx(cb);
	struct nlattr **attrs = bcmon_dump_attrs(cb);
	struct bcmon_set *set;

	memset(ctx, 0, sizeof(*ctx));
	ctx->next_id = 1;
	if (!attrs[BCMON_A_SET_NAME])
		return 0;
	rcu_read_lock();
	set = bcmon_set_lookup_rcu(nla_data(attrs[BCMON_A_SET_NAME]));
	if (set)
		ctx->next_id = ctx->only_id = set->id;
	rcu_read_unlock();
	/*
	 * Not an error here: 6.1 passes no extack to .start, so the answer
	 * comes from the first dumpit, in NLMSG_DONE with the extack.
	 */
	ctx->not_found = !set;
	return 0;
}

/*
 * Flag the rest of this dump (the next message or NLMSG_DONE) with
 * NLM_F_DUMP_INTR: nl_dump_check_consistent() flags a message whose
 * cb->seq differs from the one of the message before.
 */
static void bcmon_dump_mark_interrupted(struct netlink_callback *cb)
{
	cb->seq = cb->prev_seq + 1;
}

int bcmon_nl_set_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct user_namespace *ns = sk_user_ns(NETLINK_CB(cb->skb).sk);
	struct bcmon_dump_ctx *ctx = bcmon_dump_ctx(cb);
	struct bcmon_set *set;
	bool in_set;
	int err = 0;
	u32 start;
	void *hdr;
	u64 id;

	if (ctx->not_found) {
		NL_SET_ERR_MSG(cb->extack, "no set with this name");
		return -ENOENT;
	}
	cb->seq = bcmon_sets_generation();
	rcu_read_lock();
	for (;;) {
		id = ctx->next_id;
		set = bcmon_set_next_rcu(&id);
		in_set = set && id == ctx->next_id;
		if (ctx->next_metric && !in_set) {
			/*
			 * The set we were in the middle of is gone, and the
			 * reader holds part of it: say so whatever the
			 * generation sampled above (a destroy bumps it only
			 * after unlisting the set).
			 */
			bcmon_dump_mark_interrupted(cb);
			ctx->next_metric = 0;
		} else if (ctx->only_id && !in_set &&
			   ctx->next_id == ctx->only_id) {
			/* The named set went away before any of it was sent. */
			NL_SET_ERR_MSG(cb->extack, "no set with this name (destroyed)");
			err = -ENOENT;
			break;
		}
		if (!set || (ctx->only_id && set->id != ctx->only_id))
			break;
		ctx->next_id = id;

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, bcmon_nl_family(),
				  NLM_F_MULTI, BCMON_CMD_SET_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		start = ctx->next_metric;
		/*
		 * "Nothing fit" is the header failing or not one metric of
		 * those left going in; a set with nothing left to send (no
		 * set has no metrics, but never loop on one) is complete.
		 */
		if (bcmon_fill_set(skb, set, ns, &ctx->next_metric) ||
		    (ctx->next_metric == start && start < set->n_metrics)) {
			/* Nothing of this set fit: retry it in the next message. */
			genlmsg_cancel(skb, hdr);
			if (!skb->len)
				err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		if (ctx->next_metric < set->n_metrics)
			break;			/* the rest in the next message */
		ctx->next_id = set->id + 1;
		ctx->next_metric = 0;
	}
	rcu_read_unlock();
	return err ?: skb->len;
}
