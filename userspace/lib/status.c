// SPDX-License-Identifier: LGPL-2.1
/* BCMON_CMD_GET_STATUS: the module's version, limits and usage. */
#include <bcmon/libbcmon.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/bcmon.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "client.h"
#include "request.h"

struct status_reply {
	struct bcmon_status *st;
	struct bcmon_error_list *totals;	/* NULL: not wanted */
	int found;
	int err;
};

static int parse_status(struct nlmsghdr *nlh, void *arg)
{
	struct status_reply *reply = arg;
	struct bcmon_status *st = reply->st;
	struct nlattr *tb[BCMON_A_MAX + 1];
	struct nlattr *a;
	int rem;

	if (genlmsg_parse(nlh, 0, tb, BCMON_A_MAX, NULL) < 0 ||
	    !tb[BCMON_A_STATUS])
		return NL_SKIP;
	reply->found = 1;
	nla_for_each_nested(a, tb[BCMON_A_STATUS], rem) {
		switch (nla_type(a)) {
		case BCMON_STATUS_A_VERSION:
			snprintf(st->version, sizeof(st->version), "%s",
				 nla_get_string(a));
			break;
		case BCMON_STATUS_A_SETS:
			st->sets = nla_get_u32(a);
			break;
		case BCMON_STATUS_A_MAX_SETS:
			st->max_sets = nla_get_u32(a);
			break;
		case BCMON_STATUS_A_MAX_METRICS:
			st->max_metrics = nla_get_u32(a);
			break;
		case BCMON_STATUS_A_MAX_BUCKETS:
			st->max_buckets = nla_get_u32(a);
			break;
		case BCMON_STATUS_A_MEM_USED:
			st->mem_used = nla_get_u64(a);
			break;
		case BCMON_STATUS_A_MEM_LIMIT:
			st->mem_limit = nla_get_u64(a);
			break;
		case BCMON_STATUS_A_WRITER_GID:
			st->has_writer_gid = true;
			st->writer_gid = nla_get_u32(a);
			break;
		case BCMON_STATUS_A_ERROR_RING_SIZE:
			st->has_error_ring_size = true;
			st->error_ring_size = nla_get_u32(a);
			break;
		case BCMON_STATUS_A_ERRORS_RECORDED:
			st->has_errors_recorded = true;
			st->errors_recorded = nla_get_u64(a);
			break;
		case BCMON_STATUS_A_SENSOR_INTERVAL_MS:
			st->has_sensor_interval = true;
			st->sensor_interval_ms = nla_get_u32(a);
			break;
		case BCMON_STATUS_A_MAX_LABELS:
			st->has_labels = true;
			st->max_labels = nla_get_u32(a);
			break;
		case BCMON_STATUS_A_MAX_SERIES:
			st->max_series = nla_get_u32(a);
			break;
		case BCMON_STATUS_A_MAX_LABEL_VALUE_LEN:
			st->max_label_value_len = nla_get_u32(a);
			break;
		case BCMON_STATUS_A_LABEL_CHARSET:
			st->label_charset = nla_get_u8(a);
			break;
		case BCMON_STATUS_A_MAX_NATIVE_BUCKETS:
			st->max_native_buckets = nla_get_u32(a);
			break;
		case BCMON_STATUS_A_RESERVED_SET_WORDS:
			snprintf(st->reserved_set_words, sizeof(st->reserved_set_words),
				 "%s", nla_get_string(a));
			break;
		case BCMON_STATUS_A_ERROR_TOTAL:
			if (reply->totals && !reply->err)
				reply->err = bcmon_error_total_parse(reply->totals, a);
			break;
		}
	}
	return NL_OK;
}

static int get_status(struct bcmon *bc, struct bcmon_status *out,
		      struct bcmon_error_list *totals)
{
	struct status_reply reply = { .st = out, .totals = totals };
	struct nl_msg *msg;
	int err;

	memset(out, 0, sizeof(*out));
	if (totals)
		memset(totals, 0, sizeof(*totals));
	msg = bcmon_msg_new_size(bc, BCMON_CMD_GET_STATUS, 0, BCMON_SMALL_REQUEST);
	if (!msg)
		return -ENOMEM;
	err = bcmon_exchange_one(bc, msg, parse_status, &reply);
	if (!err && reply.err) {
		snprintf(bc->err, sizeof(bc->err), "malformed error totals in the status");
		err = reply.err;
	}
	if (!err && !reply.found)
		err = -EPROTO;
	/* No half-read totals: a caller would serve zeros for counters. */
	if (err && totals) {
		bcmon_error_list_free(totals);
		memset(totals, 0, sizeof(*totals));
	}
	return err;
}

int bcmon_get_status(struct bcmon *bc, struct bcmon_status *out)
{
	return get_status(bc, out, NULL);
}

int bcmon_get_status_totals(struct bcmon *bc, struct bcmon_status *st,
			    struct bcmon_error_list *totals)
{
	return get_status(bc, st, totals);
}
