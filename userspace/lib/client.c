// SPDX-License-Identifier: LGPL-2.1
/*
 * libbcmon connection handling and the request/reply exchange over
 * libnl-genl-3, including extack messages for rejected requests.
 */
#include <bcmon/libbcmon.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/time.h>
#include <time.h>

#include <linux/bcmon.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "client.h"
#include "request.h"

static void set_error(struct bcmon *bc, int err, const char *msg)
{
	if (msg && *msg)
		snprintf(bc->err, sizeof(bc->err), "%s", msg);
	else
		snprintf(bc->err, sizeof(bc->err), "%s", strerror(-err));
}

/*
 * A receive may outlast the deadline by this much: then the timeout set
 * for the first exchange of a scrape serves the others too, instead of a
 * setsockopt() before each receive. (Send timeouts are not set: a send
 * to the kernel's netlink socket never waits for room.)
 */
#define ARM_SLACK_US 100000

/*
 * Deadlines are kept on the coarse monotonic clock (a few ms of
 * resolution): read without a system call even where the clock source has
 * no vDSO read (an HPET, a VM under emulation), for limits of seconds.
 */
#define BCMON_DEADLINE_CLOCK CLOCK_MONOTONIC_COARSE

int bcmon_arm_timeout(struct bcmon *bc)
{
	struct timespec now;
	struct timeval tv;
	long long us;

	if (!bc->has_deadline)
		return 0;
	clock_gettime(BCMON_DEADLINE_CLOCK, &now);
	us = (long long)(bc->deadline.tv_sec - now.tv_sec) * 1000000 +
	     (bc->deadline.tv_nsec - now.tv_nsec) / 1000;
	if (us <= 0)
		return -ETIMEDOUT;
	if (bc->armed_us && bc->armed_us >= us && bc->armed_us <= us + ARM_SLACK_US)
		return 0;
	tv.tv_sec = (time_t)(us / 1000000);
	tv.tv_usec = (suseconds_t)(us % 1000000);
	bc->armed_us = 0;
	if (setsockopt(nl_socket_get_fd(bc->sock), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return -errno;
	bc->armed_us = us;
	return 0;
}

void bcmon_set_timeout(struct bcmon *bc, int timeout_ms)
{
	bc->has_deadline = timeout_ms > 0;
	if (!bc->has_deadline) {
		struct timeval none = { 0 };

		/* No limit: receives wait as long as they must. */
		if (bc->armed_us && bc->sock &&
		    !setsockopt(nl_socket_get_fd(bc->sock), SOL_SOCKET, SO_RCVTIMEO,
				&none, sizeof(none)))
			bc->armed_us = 0;
		return;
	}
	clock_gettime(BCMON_DEADLINE_CLOCK, &bc->deadline);
	bc->deadline.tv_sec += timeout_ms / 1000;
	bc->deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (bc->deadline.tv_nsec >= 1000000000L) {
		bc->deadline.tv_sec++;
		bc->deadline.tv_nsec -= 1000000000L;
	}
}

int bcmon_open(struct bcmon **out)
{
	return bcmon_open_timeout(out, 0);
}

int bcmon_open_timeout(struct bcmon **out, int timeout_ms)
{
	struct bcmon *bc;
	int one = 1;
	int err;

	if (timeout_ms < 0)
		return -EINVAL;
	bc = calloc(1, sizeof(*bc));
	if (!bc)
		return -ENOMEM;
	bcmon_set_timeout(bc, timeout_ms);
	bc->sock = nl_socket_alloc();
	if (!bc->sock) {
		err = -ENOMEM;
		goto err_free;
	}
	if (genl_connect(bc->sock)) {
		err = -EPROTONOSUPPORT;
		goto err_sock;
	}
	err = bcmon_arm_timeout(bc);
	if (err)
		goto err_sock;
	bc->family = genl_ctrl_resolve(bc->sock, BCMON_GENL_NAME);
	if (bc->family == -NLE_AGAIN || bcmon_arm_timeout(bc) == -ETIMEDOUT) {
		err = -ETIMEDOUT;
		goto err_sock;
	}
	if (bc->family < 0) {
		err = -ENOENT;	/* module not loaded */
		goto err_sock;
	}
	/*
	 * Extended ACKs carry the kernel's reason for a rejection; capped
	 * ACKs spare us a copy of our own request in every error.
	 */
	setsockopt(nl_socket_get_fd(bc->sock), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(bc->sock), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/* Replies (dumps of large sets) may exceed a page: peek for the size. */
	nl_socket_enable_msg_peek(bc->sock);
	*out = bc;
	return 0;

err_sock:
	nl_socket_free(bc->sock);
err_free:
	free(bc);
	return err;
}

void bcmon_close(struct bcmon *bc)
{
	if (!bc)
		return;
	free(bc->rbuf);
	nl_socket_free(bc->sock);
	free(bc);
}

const char *bcmon_strerror(const struct bcmon *bc)
{
	return bc->err;
}

struct nl_msg *bcmon_msg_new(struct bcmon *bc, int cmd, int flags)
{
	return bcmon_msg_new_size(bc, cmd, flags, 0);
}

struct nl_msg *bcmon_msg_new_size(struct bcmon *bc, int cmd, int flags,
				  size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, bc->family, 0, flags,
			 cmd, BCMON_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * Replies are read 64 KiB at a time: the kernel sizes each dump part by
 * the largest receive buffer it has seen on the socket (up to 32 KiB), so
 * a large buffer means a dump of 10,000 metrics comes in ~40 parts, not
 * the ~300 of one page each that libnl's default page-sized read gets,
 * and each part costs one netlink_dump() and two system calls fewer. The
 * length is peeked first, so a larger datagram is read whole, never
 * truncated; the peek copies nothing (an empty buffer, MSG_TRUNC gives the
 * datagram's length). The buffer is the connection's, kept from read to
 * read, and replies are parsed where they lie: libnl's receive loop
 * allocated a buffer per datagram and copied every message out of it.
 */
#define RECV_BUF (64 * 1024)

/* One datagram into bc's buffer: its length, or a negative errno. */
static ssize_t recv_datagram(struct bcmon *bc)
{
	struct sockaddr_nl nla;
	struct iovec iov = { .iov_len = 0 };
	struct msghdr msg = {
		.msg_name = &nla,
		.msg_namelen = sizeof(nla),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	int fd = nl_socket_get_fd(bc->sock);
	ssize_t n;

	if (!bc->rbuf) {
		bc->rbuf = malloc(RECV_BUF);
		if (!bc->rbuf)
			return -ENOMEM;
		bc->rcap = RECV_BUF;
	}
	iov.iov_base = bc->rbuf;
	do
		n = recvmsg(fd, &msg, MSG_PEEK | MSG_TRUNC);	/* the length only */
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n > bc->rcap) {
		unsigned char *bigger = realloc(bc->rbuf, (size_t)n);

		if (!bigger)
			return -ENOMEM;
		bc->rbuf = bigger;
		bc->rcap = (size_t)n;
	}
	/* The whole buffer, also so that the kernel sizes dump parts by it. */
	iov.iov_base = bc->rbuf;
	iov.iov_len = bc->rcap;
	msg.msg_namelen = sizeof(nla);
	do
		n = recvmsg(fd, &msg, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (msg.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;	/* cannot be: the peek sized the buffer */
	if (msg.msg_namelen != sizeof(nla) || nla.nl_pid != 0)
		return 0;		/* not from the kernel: ignored */
	return n;
}

struct exchange {
	struct bcmon *bc;
	bcmon_reply_fn fn;
	void *arg;
	uint32_t seq;		/* of the request: replies carry it */
	bool one_reply;		/* the first reply ends the answer (no ACK) */
	int done;
	int err;
	int interrupted;	/* a dump part carried NLM_F_DUMP_INTR */
	int end_interrupted;	/* so did the dump's NLMSG_DONE */
};

/* The extack message follows the error header and the (possibly capped)
 * copy of the request. */
static const char *extack_message(struct nlmsgerr *e, struct nlmsghdr *nlh)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t ack_len = sizeof(*nlh) + sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		ack_len += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (ack_len >= nlh->nlmsg_len)
		return NULL;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + ack_len),
		      nlh->nlmsg_len - ack_len, NULL))
		return NULL;
	return tb[NLMSGERR_ATTR_MSG] ? nla_get_string(tb[NLMSGERR_ATTR_MSG]) : NULL;
}

/* An NLMSG_ERROR: an ACK (0) or the request's failure. */
static void on_error(struct exchange *ex, struct nlmsghdr *nlh)
{
	struct nlmsgerr *e = nlmsg_data(nlh);

	ex->done = 1;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
		ex->err = -EPROTO;
		set_error(ex->bc, -EPROTO, "truncated netlink error message");
		return;
	}
	ex->err = e->error;
	if (e->error)
		set_error(ex->bc, e->error, extack_message(e, nlh));
}

/*
 * A dump ends with NLMSG_DONE, which carries an errno (and extack) when the
 * kernel failed the dump part-way or before its first part.
 */
static void done_error(struct exchange *ex, struct nlmsghdr *nlh)
{
	size_t off = NLMSG_HDRLEN + sizeof(int);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *text = NULL;
	int err;

	if (nlh->nlmsg_type != NLMSG_DONE || nlh->nlmsg_len < off)
		return;
	memcpy(&err, nlmsg_data(nlh), sizeof(err));
	if (err >= 0)
		return;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && nlh->nlmsg_len > off &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		       nlh->nlmsg_len - off, NULL) && tb[NLMSGERR_ATTR_MSG])
		text = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
	ex->err = err;
	set_error(ex->bc, err, text);
}

/*
 * The messages of one datagram, in order: replies to other requests
 * (an earlier exchange that timed out) are passed over; NLM_F_DUMP_INTR
 * is noted; the end of the answer (ACK, error or NLMSG_DONE) ends it.
 * A callback's NL_SKIP passes over one message, NL_STOP the rest of the
 * datagram (the answer is still read to its end).
 */
static void on_datagram(struct exchange *ex, unsigned char *buf, size_t len)
{
	struct nlmsghdr *nlh;
	int n = (int)len;

	for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n) && !ex->done;
	     nlh = NLMSG_NEXT(nlh, n)) {
		if (nlh->nlmsg_seq != ex->seq || nlh->nlmsg_type == NLMSG_NOOP)
			continue;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			/* The kernel's list changed during a dump: keep
			 * reading, report later; after the last part, what
			 * was read last may have been cut. */
			ex->interrupted = 1;
			if (nlh->nlmsg_type == NLMSG_DONE)
				ex->end_interrupted = 1;
		}
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			on_error(ex, nlh);
		} else if (nlh->nlmsg_type == NLMSG_DONE) {
			done_error(ex, nlh);
			ex->done = 1;
		} else if (nlh->nlmsg_type == NLMSG_OVERRUN) {
			ex->err = -EIO;
			ex->done = 1;
			set_error(ex->bc, -EIO, "netlink overrun");
		} else {
			int r = ex->fn ? ex->fn(nlh, ex->arg) : NL_OK;

			/* A request answered by one message ends with it. */
			if (ex->one_reply)
				ex->done = 1;
			if (r == NL_STOP)
				return;
		}
	}
}

static int exchange(struct bcmon *bc, struct nl_msg *msg, bcmon_reply_fn fn, void *arg,
		    bool one_reply)
{
	struct exchange ex = { .bc = bc, .fn = fn, .arg = arg, .one_reply = one_reply };
	ssize_t n;
	int err;

	bc->err[0] = '\0';
	/*
	 * Port and sequence number from libnl, then the ACK flag ours to
	 * set (libnl's auto-ACK would add it): a failure is answered either
	 * way; a success by its reply alone when one_reply.
	 */
	nl_complete_msg(bc->sock, msg);
	if (one_reply)
		nlmsg_hdr(msg)->nlmsg_flags &= ~NLM_F_ACK;
	else
		nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	err = nl_send(bc->sock, msg);
	ex.seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (err < 0) {
		set_error(bc, -EIO, nl_geterror(err));
		ex.err = -EIO;
		goto out;
	}
	while (!ex.done) {
		err = bcmon_arm_timeout(bc);
		if (!err) {
			n = recv_datagram(bc);
			err = n < 0 ? (int)n : 0;
		}
		if (err == -EAGAIN || err == -EWOULDBLOCK || err == -ETIMEDOUT) {
			set_error(bc, -ETIMEDOUT, "no complete reply before the deadline");
			ex.err = -ETIMEDOUT;
			break;
		}
		if (err) {
			set_error(bc, -EIO, strerror(-err));
			ex.err = -EIO;
			break;
		}
		on_datagram(&ex, bc->rbuf, (size_t)n);
	}
out:
	bc->dump_end_intr = ex.end_interrupted;
	if (!ex.err && ex.interrupted) {
		set_error(bc, -EINTR, "dump interrupted: the set list changed meanwhile");
		return -EINTR;
	}
	return ex.err;
}

int bcmon_exchange(struct bcmon *bc, struct nl_msg *msg, bcmon_reply_fn fn,
		   void *arg)
{
	return exchange(bc, msg, fn, arg, false);
}

int bcmon_exchange_one(struct bcmon *bc, struct nl_msg *msg, bcmon_reply_fn fn,
		       void *arg)
{
	return exchange(bc, msg, fn, arg, true);
}
