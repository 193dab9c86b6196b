// SPDX-License-Identifier: GPL-2.0
#include "nlraw.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/bcmon.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#define RECV_BUF (256 * 1024)

static void grow(struct nlmsgbuf *m, size_t more)
{
	if (m->len + more <= m->cap)
		return;
	while (m->len + more > m->cap)
		m->cap = m->cap ? m->cap * 2 : 4096;
	m->data = realloc(m->data, m->cap);
	if (!m->data) {
		perror("realloc");
		exit(3);
	}
}

void msg_init(struct nlmsgbuf *m, struct nlraw *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(m, 0, sizeof(*m));
	grow(m, NLMSG_HDRLEN + GENL_HDRLEN);
	memset(m->data, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh = (struct nlmsghdr *)m->data;
	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = (struct genlmsghdr *)(m->data + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = BCMON_GENL_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

void msg_free(struct nlmsgbuf *m)
{
	free(m->data);
	m->data = NULL;
}

void *msg_put(struct nlmsgbuf *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a;
	size_t total = NLRAW_ALIGN4(NLA_HDRLEN + len);

	grow(m, total);
	a = (struct nlattr *)(m->data + m->len);
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	m->len += total;
	return a;
}

void msg_put_str(struct nlmsgbuf *m, uint16_t type, const char *s)
{
	msg_put(m, type, s, strlen(s) + 1);
}

void msg_put_u8(struct nlmsgbuf *m, uint16_t type, uint8_t v)
{
	msg_put(m, type, &v, 1);
}

void msg_put_u32(struct nlmsgbuf *m, uint16_t type, uint32_t v)
{
	msg_put(m, type, &v, 4);
}

void msg_put_u64(struct nlmsgbuf *m, uint16_t type, uint64_t v)
{
	msg_put(m, type, &v, 8);
}

size_t msg_nest_start(struct nlmsgbuf *m, uint16_t type)
{
	size_t off = m->len;

	msg_put(m, type | NLA_F_NESTED, NULL, 0);
	return off;
}

void msg_nest_end(struct nlmsgbuf *m, size_t off)
{
	struct nlattr *a = (struct nlattr *)(m->data + off);

	a->nla_len = (uint16_t)(m->len - off);
}

void msg_put_raw(struct nlmsgbuf *m, const void *data, size_t len)
{
	grow(m, len);
	memcpy(m->data + m->len, data, len);
	m->len += len;
}

static int send_msg(struct nlraw *nl, struct nlmsgbuf *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->data;

	nlh->nlmsg_len = (uint32_t)m->len;
	if (nl->write_only)
		return write(nl->fd, m->data, m->len) < 0 ? -errno : 0;
	if (sendto(nl->fd, m->data, m->len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/* Extack TLVs of an NLMSG_ERROR (after the request copy) or NLMSG_DONE
 * (after the errno). */
static void parse_extack(struct nlmsghdr *nlh, struct nlanswer *a)
{
	struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *at;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_DONE)
		off = NLMSG_HDRLEN + sizeof(int);
	else if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		at = (struct nlattr *)((char *)nlh + off);
		if (at->nla_len < NLA_HDRLEN || off + at->nla_len > nlh->nlmsg_len)
			break;
		if ((at->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			snprintf(a->extack, sizeof(a->extack), "%.*s",
				 (int)(at->nla_len - NLA_HDRLEN),
				 (char *)at + NLA_HDRLEN);
		off += NLRAW_ALIGN4(at->nla_len);
	}
}

/*
 * Read until the answer to seq ends, or (stop_after > 0) until a datagram
 * brought its data messages to at least stop_after; unrelated messages are
 * skipped. a->done is set when the answer ended.
 */
static int read_answer(struct nlraw *nl, uint32_t seq, struct nlanswer *a,
		       int stop_after)
{
	static unsigned char buf[RECV_BUF];
	struct pollfd p = { .fd = nl->fd, .events = POLLIN };

	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t n;

		if (poll(&p, 1, 5000) <= 0) {
			a->timed_out = 1;
			return 0;
		}
		n = recv(nl->fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS)	/* dropped events, not ours */
				continue;
			return -errno;
		}
		a->datagrams++;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				a->error = e->error;
				parse_extack(nlh, a);
				a->done = 1;
				return 0;
			}
			/* The end of a dump carries the flag too when the
			 * change came after the last data message. */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				a->intr = 1;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int *err = NLMSG_DATA(nlh);

				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					a->error = *err;
				if (a->error)
					parse_extack(nlh, a);
				a->done = 1;
				return 0;
			}
			if (nl->on_part)
				nl->on_part(nlh, nl->on_part_arg);
			a->parts++;
		}
		if (stop_after > 0 && a->parts >= stop_after)
			return 0;
	}
}

int nlraw_exchange(struct nlraw *nl, struct nlmsgbuf *m, struct nlanswer *a)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->data;
	int err;

	memset(a, 0, sizeof(*a));
	err = send_msg(nl, m);
	if (err)
		return err;
	return read_answer(nl, nlh->nlmsg_seq, a, 0);
}

int nlraw_send(struct nlraw *nl, struct nlmsgbuf *m, struct nlanswer *a)
{
	memset(a, 0, sizeof(*a));
	return send_msg(nl, m);
}

int nlraw_read(struct nlraw *nl, const struct nlmsgbuf *m, struct nlanswer *a,
	       int stop_after)
{
	return read_answer(nl, ((struct nlmsghdr *)m->data)->nlmsg_seq, a,
			   stop_after);
}

/* CTRL_CMD_GETFAMILY: the family id and the "events" group id. */
static int resolve(struct nlraw *nl)
{
	static unsigned char buf[16384];
	struct nlmsgbuf m;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	ssize_t n;

	memset(&m, 0, sizeof(m));
	grow(&m, NLMSG_HDRLEN + GENL_HDRLEN);
	memset(m.data, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh = (struct nlmsghdr *)m.data;
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++nl->seq;
	g = (struct genlmsghdr *)(m.data + NLMSG_HDRLEN);
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	m.len = NLMSG_HDRLEN + GENL_HDRLEN;
	msg_put_str(&m, CTRL_ATTR_FAMILY_NAME, BCMON_GENL_NAME);
	if (send_msg(nl, &m)) {
		msg_free(&m);
		return -errno;
	}
	msg_free(&m);
	n = recv(nl->fd, buf, sizeof(buf), 0);
	if (n < 0)
		return -errno;
	nlh = (struct nlmsghdr *)buf;
	if (nlh->nlmsg_type == NLMSG_ERROR)
		return ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
	{
		char *p = (char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
		char *end = (char *)nlh + nlh->nlmsg_len;

		while (p + NLA_HDRLEN <= end) {
			struct nlattr *at = (struct nlattr *)p;
			int type = at->nla_type & NLA_TYPE_MASK;

			if (at->nla_len < NLA_HDRLEN)
				break;
			if (type == CTRL_ATTR_FAMILY_ID)
				nl->family = *(uint16_t *)(p + NLA_HDRLEN);
			if (type == CTRL_ATTR_MCAST_GROUPS) {
				char *q = p + NLA_HDRLEN, *qend = p + at->nla_len;

				while (q + NLA_HDRLEN <= qend) {
					struct nlattr *grp = (struct nlattr *)q;
					char *r = q + NLA_HDRLEN, *rend = q + grp->nla_len;
					uint32_t id = 0;
					int is_events = 0;

					if (grp->nla_len < NLA_HDRLEN)
						break;
					while (r + NLA_HDRLEN <= rend) {
						struct nlattr *ga = (struct nlattr *)r;

						if (ga->nla_len < NLA_HDRLEN)
							break;
						if ((ga->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_ID)
							id = *(uint32_t *)(r + NLA_HDRLEN);
						if ((ga->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_NAME &&
						    !strcmp(r + NLA_HDRLEN, BCMON_GENL_MCGRP_EVENTS))
							is_events = 1;
						r += NLRAW_ALIGN4(ga->nla_len);
					}
					if (is_events)
						nl->events_group = id;
					q += NLRAW_ALIGN4(grp->nla_len);
				}
			}
			p += NLRAW_ALIGN4(at->nla_len);
		}
	}
	return nl->family ? 0 : -ENOENT;
}

int nlraw_open(struct nlraw *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(nl->fd);
		return err;
	}
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	err = resolve(nl);
	if (err) {
		close(nl->fd);
		return err;
	}
	return 0;
}

void nlraw_close(struct nlraw *nl)
{
	close(nl->fd);
}

int nlraw_join_events(struct nlraw *nl)
{
	int g = (int)nl->events_group;

	if (!g)
		return -ENOENT;
	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)))
		return -errno;
	return 0;
}

int nlraw_recv_event(struct nlraw *nl, int timeout_ms, int *type, char *name,
		     size_t len)
{
	static unsigned char buf[RECV_BUF];
	struct pollfd p = { .fd = nl->fd, .events = POLLIN };

	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t n;

		if (poll(&p, 1, timeout_ms) <= 0)
			return -ETIMEDOUT;
		n = recv(nl->fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		nlh = (struct nlmsghdr *)buf;
		if (!NLMSG_OK(nlh, (size_t)n) || nlh->nlmsg_type != nl->family)
			continue;
		{
			char *q = (char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
			char *end = (char *)nlh + nlh->nlmsg_len;

			*type = 0;
			name[0] = '\0';
			while (q + NLA_HDRLEN <= end) {
				struct nlattr *at = (struct nlattr *)q;

				if (at->nla_len < NLA_HDRLEN)
					break;
				if ((at->nla_type & NLA_TYPE_MASK) == BCMON_A_EVENT_TYPE)
					*type = *(uint8_t *)(q + NLA_HDRLEN);
				if ((at->nla_type & NLA_TYPE_MASK) == BCMON_A_SET_NAME)
					snprintf(name, len, "%s", q + NLA_HDRLEN);
				q += NLRAW_ALIGN4(at->nla_len);
			}
		}
		return 0;
	}
}
