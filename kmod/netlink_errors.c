// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon netlink: BCMON_CMD_ERROR_RECORD (write) and BCMON_CMD_ERROR_GET
 * (resumable dump: one message per event, oldest first, then one message
 * carrying every (category, severity) total).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/bcmon.h>

#include "bcmon_internal.h"
#include "errors.h"

static const struct nla_policy error_attr_policy[BCMON_ERROR_A_MAX + 1] = {
	[BCMON_ERROR_A_CATEGORY] = NLA_POLICY_MAX(NLA_U8, BCMON_ERR_CAT_MAX),
	[BCMON_ERROR_A_SEVERITY] = NLA_POLICY_MAX(NLA_U8, BCMON_SEV_MAX),
	[BCMON_ERROR_A_MESSAGE]	 = { .type = NLA_NUL_STRING,
				     .len = BCMON_ERROR_MSG_MAX - 1 },
	/*
	 * SEQ, TIMESTAMP, ORIGIN, UID and PID are the kernel's to assign:
	 * rejected as unsupported, so no writer can claim another origin.
	 */
};

const struct nla_policy bcmon_error_record_policy[BCMON_A_ERROR + 1] = {
	[BCMON_A_ERROR] = NLA_POLICY_NESTED(error_attr_policy),
};

const struct nla_policy bcmon_no_attrs_policy[BCMON_A_VERSION + 1] = {};

int bcmon_nl_error_record(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[BCMON_ERROR_A_MAX + 1];
	struct nlattr *nest = info->attrs[BCMON_A_ERROR];
	struct bcmon_error_origin from;
	struct bcmon_caller who;
	const char *msg;
	u8 cat, sev;
	int err;

	/* Admins and the writer group may record; the event says who did. */
	err = bcmon_nl_check_writer(skb, info, &who);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, BCMON_A_ERROR)) {
		NL_SET_ERR_MSG(info->extack, "missing error event (BCMON_A_ERROR)");
		return -EINVAL;
	}

	/* Already validated against error_attr_policy by the family. */
	err = nla_parse_nested(tb, BCMON_ERROR_A_MAX, nest, error_attr_policy,
			       info->extack);
	if (err)
		return err;
	/* The missing attribute's type also goes back (NLMSGERR_ATTR_MISS_TYPE). */
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, BCMON_ERROR_A_CATEGORY)) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "error event without a category");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, BCMON_ERROR_A_SEVERITY)) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "error event without a severity");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, BCMON_ERROR_A_MESSAGE)) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "error event without a message");
		return -EINVAL;
	}

	msg = nla_data(tb[BCMON_ERROR_A_MESSAGE]);
	if (!*msg) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[BCMON_ERROR_A_MESSAGE],
				    "error message is empty");
		return -EINVAL;
	}
	/*
	 * One event is one line wherever people read it (debugfs "errors",
	 * bcmonctl errors and watch): a newline would let a message end with
	 * a forged event (another seq, category, origin), and escape
	 * sequences act on the reader's terminal.
	 */
	if (!bcmon_str_printable(msg)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[BCMON_ERROR_A_MESSAGE],
				    "error message must be printable ASCII: one line, no control characters");
		return -EINVAL;
	}
	cat = nla_get_u8(tb[BCMON_ERROR_A_CATEGORY]);
	sev = nla_get_u8(tb[BCMON_ERROR_A_SEVERITY]);

	/*
	 * The writer group records what applications see go wrong; the
	 * severity that pages people and the security category are for the
	 * kernel and CAP_NET_ADMIN, and each writer uid is rate limited,
	 * which bounds how fast one can push everyone else's events out of
	 * the ring (the ring is shared: it slows a flood, it cannot stop it).
	 */
	if (!who.admin) {
		if (sev > BCMON_SEV_ERROR) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[BCMON_ERROR_A_SEVERITY],
					    "permission denied: severity critical needs CAP_NET_ADMIN");
			return -EPERM;
		}
		if (cat == BCMON_ERR_CAT_SECURITY) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[BCMON_ERROR_A_CATEGORY],
					    "permission denied: category security needs CAP_NET_ADMIN");
			return -EPERM;
		}
		err = bcmon_errors_user_admit(who.uid);
		if (err) {
			NL_SET_ERR_MSG(info->extack,
				       "rate limit: too many error records from this user (module parameters error_user_rate, error_user_burst)");
			return err;
		}
	}
	from.origin = BCMON_ORIGIN_USER;
	from.uid = who.uid;
	from.pid = who.pid;
	bcmon_errors_record_msg(cat, sev, msg, &from);
	return 0;
}

int bcmon_nl_put_error(struct sk_buff *skb, const struct bcmon_error_event *ev,
		       struct user_namespace *ns)
{
	bool user = ev->from.origin == BCMON_ORIGIN_USER;
	struct nlattr *nest;

	nest = nla_nest_start(skb, BCMON_A_ERROR);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, BCMON_ERROR_A_SEQ, ev->seq,
			      BCMON_ERROR_A_PAD) ||
	    nla_put_u64_64bit(skb, BCMON_ERROR_A_TIMESTAMP, ev->timestamp_ns,
			      BCMON_ERROR_A_PAD) ||
	    nla_put_u8(skb, BCMON_ERROR_A_CATEGORY, ev->category) ||
	    nla_put_u8(skb, BCMON_ERROR_A_SEVERITY, ev->severity) ||
	    nla_put_string(skb, BCMON_ERROR_A_MESSAGE, ev->message) ||
	    nla_put_u8(skb, BCMON_ERROR_A_ORIGIN, ev->from.origin) ||
	    (user && nla_put_u32(skb, BCMON_ERROR_A_UID,
				 from_kuid_munged(ns, ev->from.uid))) ||
	    (user && nla_put_u32(skb, BCMON_ERROR_A_PID, ev->from.pid))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Dump cursor, kept in cb->ctx between the parts of one dump. */
struct error_dump_ctx {
	u64 next;	/* next event seq to send */
	u64 end;	/* first seq not to send: the stream when the dump began */
	bool totals_sent;
};

int bcmon_nl_error_get_start(struct netlink_callback *cb)
{
	struct error_dump_ctx *ctx = (void *)cb->ctx;
	u64 oldest;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	bcmon_errors_bounds(&oldest, &ctx->end);
	ctx->next = oldest;
	ctx->totals_sent = false;
	/* cb->seq changes only if events are lost while the dump runs. */
	cb->seq = 1;
	return 0;
}

static int put_event_msg(struct sk_buff *skb, struct netlink_callback *cb,
			 const struct bcmon_error_event *ev)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  bcmon_nl_family(), NLM_F_MULTI, BCMON_CMD_ERROR_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (bcmon_nl_put_error(skb, ev, sk_user_ns(NETLINK_CB(cb->skb).sk))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* One BCMON_TOTAL_A_* nest per (category, severity) pair under attr. */
static int put_totals(struct sk_buff *skb, int attr,
		      const u64 totals[__BCMON_ERR_CAT_MAX][__BCMON_SEV_MAX])
{
	struct nlattr *nest;
	unsigned int c, s;

	for (c = 0; c < __BCMON_ERR_CAT_MAX; c++) {
		for (s = 0; s < __BCMON_SEV_MAX; s++) {
			nest = nla_nest_start(skb, attr);
			if (!nest ||
			    nla_put_u8(skb, BCMON_TOTAL_A_CATEGORY, c) ||
			    nla_put_u8(skb, BCMON_TOTAL_A_SEVERITY, s) ||
			    nla_put_u64_64bit(skb, BCMON_TOTAL_A_COUNT,
					      totals[c][s], BCMON_TOTAL_A_PAD))
				return -EMSGSIZE;
			nla_nest_end(skb, nest);
		}
	}
	return 0;
}

/* put_totals()'s bytes: per pair, the nest's header, two u8s and a u64
 * with the pad attribute it may need (nla_total_size*(), as constants). */
#define BCMON_TOTALS_NL_SIZE \
	(__BCMON_ERR_CAT_MAX * __BCMON_SEV_MAX * \
	 (NLA_HDRLEN + 2 * NLA_ALIGN(NLA_HDRLEN + 1) + NLA_ALIGN(NLA_HDRLEN + 8) + \
	  NLA_HDRLEN))

static int put_totals_msg(struct sk_buff *skb, struct netlink_callback *cb)
{
	u64 totals[__BCMON_ERR_CAT_MAX][__BCMON_SEV_MAX];
	void *hdr;

	bcmon_errors_totals(totals);
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  bcmon_nl_family(), NLM_F_MULTI, BCMON_CMD_ERROR_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (put_totals(skb, BCMON_A_ERROR_TOTAL, totals)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

#define ERROR_DUMP_BATCH 4	/* events copied per lock hold; on the stack */

int bcmon_nl_error_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct error_dump_ctx *ctx = (void *)cb->ctx;
	struct bcmon_error_event batch[ERROR_DUMP_BATCH];
	unsigned int n, i;
	u64 oldest, next;
	int err;

	while (ctx->next < ctx->end) {
		n = bcmon_errors_copy(ctx->next, batch, ERROR_DUMP_BATCH,
				      &oldest, &next);
		if (ctx->next < oldest) {
			/* Overwritten while we were dumping: say so. */
			cb->seq = 2;
			ctx->next = oldest;
		}
		if (!n)
			break;
		for (i = 0; i < n && batch[i].seq < ctx->end; i++) {
			err = put_event_msg(skb, cb, &batch[i]);
			if (err)
				return skb->len ? skb->len : err;
			ctx->next = batch[i].seq + 1;
		}
		if (i < n)
			break;
	}
	ctx->next = ctx->end;

	if (!ctx->totals_sent) {
		err = put_totals_msg(skb, cb);
		if (err)
			return skb->len ? skb->len : err;
		ctx->totals_sent = true;
	}
	/* Complete: NLMSG_DONE goes into this buffer when it fits. */
	return 0;
}

/* --- GET_STATUS fields ----------------------------------------------------- */

/*
 * The totals go with the status too, so that a reader of the status has
 * them without dumping the ring; one copy under the ring's lock, so that
 * errors-recorded is their sum.
 */
static int errors_status_fill(struct sk_buff *skb)
{
	u64 totals[__BCMON_ERR_CAT_MAX][__BCMON_SEV_MAX];
	u64 recorded = 0;
	unsigned int c, s;

	bcmon_errors_totals(totals);
	for (c = 0; c < __BCMON_ERR_CAT_MAX; c++)
		for (s = 0; s < __BCMON_SEV_MAX; s++)
			recorded += totals[c][s];
	if (nla_put_u32(skb, BCMON_STATUS_A_ERROR_RING_SIZE, bcmon_errors_ring_size()) ||
	    nla_put_u32(skb, BCMON_STATUS_A_ERROR_USER_RATE, bcmon_errors_user_rate()) ||
	    nla_put_u32(skb, BCMON_STATUS_A_ERROR_USER_BURST, bcmon_errors_user_burst()) ||
	    nla_put_u64_64bit(skb, BCMON_STATUS_A_ERRORS_RECORDED, recorded,
			      BCMON_STATUS_A_PAD) ||
	    put_totals(skb, BCMON_STATUS_A_ERROR_TOTAL, totals))
		return -EMSGSIZE;
	return 0;
}

static const struct bcmon_status_provider errors_status_fields = {
	.fill_nl	= errors_status_fill,
	.nl_size	= BCMON_TOTALS_NL_SIZE,
};

/* The netlink side of the error events: status fields, announcements. */
void bcmon_nl_errors_init(void)
{
	bcmon_status_register(&errors_status_fields);
}
