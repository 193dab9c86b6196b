// SPDX-License-Identifier: LGPL-2.1
/*
 * BCMON_CMD_ERROR_RECORD and BCMON_CMD_ERROR_GET: record an error event,
 * read the ring (oldest first) and the per (category, severity) totals.
 */
#include <bcmon/libbcmon.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bcmon.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "client.h"
#include "request.h"

static const char *const category_names[__BCMON_ERR_CAT_MAX] = {
	[BCMON_ERR_CAT_NETWORK]		= "network",
	[BCMON_ERR_CAT_CONSENSUS]	= "consensus",
	[BCMON_ERR_CAT_VALIDATION]	= "validation",
	[BCMON_ERR_CAT_GAMING]		= "gaming",
	[BCMON_ERR_CAT_RESOURCE]	= "resource",
	[BCMON_ERR_CAT_SECURITY]	= "security",
	[BCMON_ERR_CAT_OTHER]		= "other",
};

static const char *const severity_names[__BCMON_SEV_MAX] = {
	[BCMON_SEV_INFO]	= "info",
	[BCMON_SEV_WARNING]	= "warning",
	[BCMON_SEV_ERROR]	= "error",
	[BCMON_SEV_CRITICAL]	= "critical",
};

const char *bcmon_error_category_name(unsigned int category)
{
	return category < __BCMON_ERR_CAT_MAX ? category_names[category] : NULL;
}

const char *bcmon_origin_name(unsigned int origin)
{
	switch (origin) {
	case BCMON_ORIGIN_KERNEL:
		return "kernel";
	case BCMON_ORIGIN_USER:
		return "user";
	}
	return NULL;
}

const char *bcmon_severity_name(unsigned int severity)
{
	return severity < __BCMON_SEV_MAX ? severity_names[severity] : NULL;
}

static int lookup(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -EINVAL;
}

int bcmon_error_category_parse(const char *name)
{
	return lookup(category_names, __BCMON_ERR_CAT_MAX, name);
}

int bcmon_severity_parse(const char *name)
{
	return lookup(severity_names, __BCMON_SEV_MAX, name);
}

int bcmon_error_record(struct bcmon *bc, enum bcmon_error_category category,
		       enum bcmon_severity severity, const char *msg)
{
	struct nlattr *nest;
	struct nl_msg *req;

	req = bcmon_msg_new(bc, BCMON_CMD_ERROR_RECORD, 0);
	if (!req)
		return -ENOMEM;
	nest = nla_nest_start(req, BCMON_A_ERROR);
	if (!nest ||
	    nla_put_u8(req, BCMON_ERROR_A_CATEGORY, (uint8_t)category) ||
	    nla_put_u8(req, BCMON_ERROR_A_SEVERITY, (uint8_t)severity) ||
	    nla_put_string(req, BCMON_ERROR_A_MESSAGE, msg)) {
		nlmsg_free(req);
		return -EMSGSIZE;
	}
	nla_nest_end(req, nest);
	return bcmon_exchange(bc, req, NULL, NULL);
}

int bcmon_error_event_parse(struct nlattr *nest, struct bcmon_error_event *ev)
{
	struct nlattr *tb[BCMON_ERROR_A_MAX + 1];

	if (nla_parse_nested(tb, BCMON_ERROR_A_MAX, nest, NULL) < 0)
		return -EPROTO;
	if (!tb[BCMON_ERROR_A_SEQ] || !tb[BCMON_ERROR_A_TIMESTAMP] ||
	    !tb[BCMON_ERROR_A_CATEGORY] || !tb[BCMON_ERROR_A_SEVERITY] ||
	    !tb[BCMON_ERROR_A_MESSAGE])
		return -EPROTO;
	memset(ev, 0, sizeof(*ev));
	ev->seq = nla_get_u64(tb[BCMON_ERROR_A_SEQ]);
	ev->timestamp_ns = nla_get_u64(tb[BCMON_ERROR_A_TIMESTAMP]);
	ev->category = nla_get_u8(tb[BCMON_ERROR_A_CATEGORY]);
	ev->severity = nla_get_u8(tb[BCMON_ERROR_A_SEVERITY]);
	nla_strlcpy(ev->message, tb[BCMON_ERROR_A_MESSAGE], sizeof(ev->message));
	/* Who recorded it: absent from older modules, never guessed. */
	if (tb[BCMON_ERROR_A_ORIGIN] && nla_len(tb[BCMON_ERROR_A_ORIGIN]) >= 1)
		ev->origin = nla_get_u8(tb[BCMON_ERROR_A_ORIGIN]);
	ev->has_uid = tb[BCMON_ERROR_A_UID] && nla_len(tb[BCMON_ERROR_A_UID]) >= 4;
	if (ev->has_uid)
		ev->uid = nla_get_u32(tb[BCMON_ERROR_A_UID]);
	ev->has_pid = tb[BCMON_ERROR_A_PID] && nla_len(tb[BCMON_ERROR_A_PID]) >= 4;
	if (ev->has_pid)
		ev->pid = nla_get_u32(tb[BCMON_ERROR_A_PID]);
	return 0;
}

struct errors_reply {
	struct bcmon_error_list *list;
	size_t cap;
	bool totals_only;
	int err;
};

static int add_event(struct errors_reply *r, struct nlattr *nest)
{
	struct bcmon_error_list *list = r->list;

	if (list->n_events == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		void *p = realloc(list->events, cap * sizeof(*list->events));

		if (!p)
			return -ENOMEM;
		list->events = p;
		r->cap = cap;
	}
	if (bcmon_error_event_parse(nest, &list->events[list->n_events]))
		return -EPROTO;
	list->n_events++;
	return 0;
}

/* Lengths checked by the parse: replies are read where they lie. */
static struct nla_policy total_policy[BCMON_TOTAL_A_MAX + 1] = {
	[BCMON_TOTAL_A_CATEGORY] = { .type = NLA_U8 },
	[BCMON_TOTAL_A_SEVERITY] = { .type = NLA_U8 },
	[BCMON_TOTAL_A_COUNT] = { .type = NLA_U64 },
};

int bcmon_error_total_parse(struct bcmon_error_list *list, struct nlattr *nest)
{
	struct nlattr *tb[BCMON_TOTAL_A_MAX + 1];
	unsigned int c, s;

	if (nla_parse_nested(tb, BCMON_TOTAL_A_MAX, nest, total_policy) < 0 ||
	    !tb[BCMON_TOTAL_A_CATEGORY] || !tb[BCMON_TOTAL_A_SEVERITY] ||
	    !tb[BCMON_TOTAL_A_COUNT])
		return -EPROTO;
	c = nla_get_u8(tb[BCMON_TOTAL_A_CATEGORY]);
	s = nla_get_u8(tb[BCMON_TOTAL_A_SEVERITY]);
	/* A newer module may know more categories: skip what we cannot name. */
	if (c < __BCMON_ERR_CAT_MAX && s < __BCMON_SEV_MAX)
		list->totals[c][s] = nla_get_u64(tb[BCMON_TOTAL_A_COUNT]);
	list->has_totals = true;
	return 0;
}

static int parse_errors(struct nlmsghdr *nlh, void *arg)
{
	struct errors_reply *r = arg;
	struct nlattr *attr;
	int rem, err = 0;

	nlmsg_for_each_attr(attr, nlh, GENL_HDRLEN, rem) {
		if (nla_type(attr) == BCMON_A_ERROR && !r->totals_only)
			err = add_event(r, attr);
		else if (nla_type(attr) == BCMON_A_ERROR_TOTAL)
			err = bcmon_error_total_parse(r->list, attr);
		if (err && !r->err)
			r->err = err;
	}
	return NL_OK;
}

/*
 * The kernel flags a dump "interrupted" when events it was about to send
 * were overwritten meanwhile (a small ring under heavy recording). What
 * arrived is still correct, only with a gap in seq: retry a few times for
 * a gap-free copy, then hand back the last one marked interrupted.
 */
#define ERRORS_DUMP_ATTEMPTS 3

static int errors_dump_once(struct bcmon *bc, struct bcmon_error_list *out, bool totals_only)
{
	struct errors_reply r = { .list = out, .totals_only = totals_only };
	struct nl_msg *req;
	int err;

	bcmon_error_list_free(out);
	memset(out, 0, sizeof(*out));
	req = bcmon_msg_new_size(bc, BCMON_CMD_ERROR_GET, NLM_F_DUMP, BCMON_SMALL_REQUEST);
	if (!req)
		return -ENOMEM;
	err = bcmon_exchange(bc, req, parse_errors, &r);
	return err ? err : r.err;
}

int bcmon_errors_get(struct bcmon *bc, struct bcmon_error_list *out)
{
	int err = -EINTR;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < ERRORS_DUMP_ATTEMPTS && err == -EINTR; i++)
		err = errors_dump_once(bc, out, false);
	if (err == -EINTR) {
		out->interrupted = true;
		err = 0;
	}
	if (!err && !out->has_totals)
		err = -EPROTO;
	if (err == -EPROTO || err == -ENOMEM)
		snprintf(bc->err, sizeof(bc->err), "%s", strerror(-err));
	if (err)
		bcmon_error_list_free(out);
	return err;
}

void bcmon_error_list_free(struct bcmon_error_list *list)
{
	free(list->events);
	list->events = NULL;
	list->n_events = 0;
}

int bcmon_error_totals_get(struct bcmon *bc, struct bcmon_error_list *out)
{
	int err;

	memset(out, 0, sizeof(*out));
	err = errors_dump_once(bc, out, true);
	if (err == -EINTR) {
		out->interrupted = true;	/* events overwritten; totals whole */
		err = 0;
	}
	if (!err && !out->has_totals)
		err = -EPROTO;
	return err;
}
