// SPDX-License-Identifier: LGPL-2.1
/*
 * Subscription to the bcmon "events" multicast group. A socket of its own,
 * so that events never interleave with request/reply exchanges. Each
 * multicast notification arrives as its own datagram; we still walk every
 * message in a datagram and keep the rest for the next call.
 */
#include <bcmon/libbcmon.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/bcmon.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

struct bcmon_events {
	struct nl_sock *sock;
	int family;		/* bcmon's generic netlink family id */
	unsigned char buf[16384];
	size_t len, off;	/* unread messages in buf[off..len) */
};

const char *bcmon_event_type_name(unsigned int type)
{
	static const char *const names[] = {
		[BCMON_EVENT_SET_CREATED]	= "set_created",
		[BCMON_EVENT_SET_DESTROYED]	= "set_destroyed",
		[BCMON_EVENT_ERROR]		= "error",
		[BCMON_EVENT_SUPPLY_STATUS]	= "supply_status",
		[BCMON_EVENT_SUPPLY_LOW]	= "supply_low",
		[BCMON_EVENT_SUPPLY_OK]		= "supply_ok",
		[BCMON_EVENT_TRIP_CROSSED]	= "trip_crossed",
		[BCMON_EVENT_TRIP_CLEARED]	= "trip_cleared",
		[BCMON_EVENT_THROTTLE_START]	= "throttle_start",
		[BCMON_EVENT_THROTTLE_STOP]	= "throttle_stop",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "unknown";
}

int bcmon_events_open(struct bcmon_events **out)
{
	struct bcmon_events *ev;
	int grp, err;

	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	ev->sock = nl_socket_alloc();
	if (!ev->sock) {
		err = -ENOMEM;
		goto err_free;
	}
	if (genl_connect(ev->sock)) {
		err = -EPROTONOSUPPORT;
		goto err_sock;
	}
	ev->family = genl_ctrl_resolve(ev->sock, BCMON_GENL_NAME);
	grp = genl_ctrl_resolve_grp(ev->sock, BCMON_GENL_NAME,
				    BCMON_GENL_MCGRP_EVENTS);
	if (ev->family < 0 || grp < 0) {
		err = -ENOENT;
		goto err_sock;
	}
	if (nl_socket_add_membership(ev->sock, grp)) {
		err = -EPERM;
		goto err_sock;
	}
	/*
	 * The generic netlink controller's "notify" group too: when the
	 * module is unloaded, its family goes and with it our membership of
	 * "events" (the kernel clears a departing family's group members),
	 * even if the module is loaded again at once. Its DELFAMILY tells us.
	 */
	grp = genl_ctrl_resolve_grp(ev->sock, "nlctrl", "notify");
	if (grp < 0 || nl_socket_add_membership(ev->sock, grp)) {
		err = -EPROTONOSUPPORT;
		goto err_sock;
	}
	*out = ev;
	return 0;

err_sock:
	nl_socket_free(ev->sock);
err_free:
	free(ev);
	return err;
}

void bcmon_events_close(struct bcmon_events *ev)
{
	if (!ev)
		return;
	nl_socket_free(ev->sock);
	free(ev);
}

int bcmon_events_fd(const struct bcmon_events *ev)
{
	return nl_socket_get_fd(ev->sock);
}

/* A controller notification that bcmon's family is gone: -ENOENT. */
static int family_gone(const struct bcmon_events *ev, struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (g->cmd != CTRL_CMD_DELFAMILY ||
	    genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_ID])
		return 0;
	return nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]) == ev->family ? -ENOENT : 0;
}

/* Fill out from one BCMON_CMD_EVENT message; -EAGAIN to skip it. */
static int parse_event(const struct bcmon_events *ev, struct nlmsghdr *nlh,
		       struct bcmon_event *out)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[BCMON_A_MAX + 1];
	int err = 0;

	/* A malformed event is skipped, not fatal to the subscription. */
	if (nlh->nlmsg_type != ev->family || g->cmd != BCMON_CMD_EVENT)
		return -EAGAIN;
	if (genlmsg_parse(nlh, 0, tb, BCMON_A_MAX, NULL) < 0 ||
	    !tb[BCMON_A_EVENT_TYPE])
		return -EAGAIN;
	memset(out, 0, sizeof(*out));
	out->type = nla_get_u8(tb[BCMON_A_EVENT_TYPE]);
	if (tb[BCMON_A_SET_NAME]) {
		nla_strlcpy(out->set_name, tb[BCMON_A_SET_NAME],
			    sizeof(out->set_name));
		out->has_set_name = true;
	}
	if (!err && tb[BCMON_A_ERROR]) {
		err = bcmon_error_event_parse(tb[BCMON_A_ERROR], &out->error);
		out->has_error = !err;
	}
	if (!err && tb[BCMON_A_SUPPLY]) {
		err = bcmon_supply_parse(tb[BCMON_A_SUPPLY], &out->supply);
		out->has_supply = !err;
	}
	if (!err && tb[BCMON_A_ZONE]) {
		err = bcmon_zone_parse(tb[BCMON_A_ZONE], &out->zone);
		out->has_zone = !err;
	}
	if (!err && tb[BCMON_A_EVENT_TRIP]) {
		err = bcmon_trip_parse(tb[BCMON_A_EVENT_TRIP], &out->trip);
		out->has_trip = !err;
	}
	if (tb[BCMON_A_THROTTLING]) {
		out->throttling = nla_get_u8(tb[BCMON_A_THROTTLING]);
		out->has_throttling = true;
	}
	return err ? -EAGAIN : 0;
}

int bcmon_events_next(struct bcmon_events *ev, struct bcmon_event *out,
		      int timeout_ms)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(ev->sock), .events = POLLIN };
	struct nlmsghdr *nlh;
	ssize_t n;
	int ret;

	for (;;) {
		while (ev->off < ev->len) {
			nlh = (struct nlmsghdr *)(ev->buf + ev->off);
			if (!NLMSG_OK(nlh, ev->len - ev->off)) {
				ev->off = ev->len;
				break;
			}
			ev->off += NLMSG_ALIGN(nlh->nlmsg_len);
			if (nlh->nlmsg_type == GENL_ID_CTRL) {
				if (family_gone(ev, nlh))
					return -ENOENT;
				continue;
			}
			if (parse_event(ev, nlh, out) == 0)
				return 0;
		}
		ret = poll(&pfd, 1, timeout_ms);
		if (ret < 0)
			return -errno;
		if (ret == 0)
			return -ETIMEDOUT;
		n = recv(pfd.fd, ev->buf, sizeof(ev->buf), 0);
		if (n < 0)
			return -errno;	/* ENOBUFS: overrun, keep reading */
		ev->len = (size_t)n;
		ev->off = 0;
	}
}
