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

int bcmon_arm_timeout(struct bcmon *bc)
{
	struct timespec now;
	struct timeval tv;
	long long us;

	if (!bc->has_deadline)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (long long)(bc->deadline.tv_sec - now.tv_sec) * 1000000 +
	     (bc->deadline.tv_nsec - now.tv_nsec) / 1000;
	if (us <= 0)
		return -ETIMEDOUT;
	tv.tv_sec = (time_t)(us / 1000000);
	tv.tv_usec = (suseconds_t)(us % 1000000);
	if (setsockopt(nl_socket_get_fd(bc->sock), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(nl_socket_get_fd(bc->sock), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		return -errno;
	return 0;
}

void bcmon_set_timeout(struct bcmon *bc, int timeout_ms)
{
	bc->has_deadline = timeout_ms > 0;
	if (!bc->has_deadline)
		return;
	clock_gettime(CLOCK_MONOTONIC, &bc->deadline);
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
 * datagram's length), where peeking into the whole buffer copied every
 * reply twice.
 */
#define RECV_BUF (64 * 1024)

static int recv_reply(struct nl_sock *sk, struct sockaddr_nl *nla, unsigned char **buf,
		      struct ucred **creds)
{
	struct iovec iov = { .iov_len = 0 };
	struct msghdr msg = {
		.msg_name = nla,
		.msg_namelen = sizeof(*nla),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	int fd = nl_socket_get_fd(sk);
	size_t len = RECV_BUF;
	ssize_t n;

	*creds = NULL;
	*buf = malloc(len);
	if (!*buf)
		return -NLE_NOMEM;
	iov.iov_base = *buf;
	do
		n = recvmsg(fd, &msg, MSG_PEEK | MSG_TRUNC);	/* the length only */
	while (n < 0 && errno == EINTR);
	if (n > (ssize_t)len) {
		unsigned char *bigger = realloc(*buf, (size_t)n);

		if (!bigger) {
			free(*buf);
			return -NLE_NOMEM;
		}
		*buf = bigger;
		len = (size_t)n;
	}
	if (n >= 0) {
		/* The whole buffer, also so that the kernel sizes dump parts by it. */
		iov.iov_base = *buf;
		iov.iov_len = len;
		msg.msg_namelen = sizeof(*nla);
		do
			n = recvmsg(fd, &msg, 0);
		while (n < 0 && errno == EINTR);
	}
	if (n <= 0) {
		int err = n < 0 ? -nl_syserr2nlerr(errno) : 0;

		free(*buf);
		*buf = NULL;
		return err;
	}
	return (int)n;
}

struct exchange {
	struct bcmon *bc;
	bcmon_reply_fn fn;
	void *arg;
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

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct exchange *ex = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;

	(void)nla;
	ex->err = e->error;
	ex->done = 1;
	set_error(ex->bc, e->error, extack_message(e, nlh));
	return NL_STOP;
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

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;

	done_error(ex, nlmsg_hdr(msg));
	ex->done = 1;
	return NL_STOP;
}

/* The kernel's set list changed during a dump: keep reading, report later. */
static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;

	ex->interrupted = 1;
	/* After the last part: what was read last may have been cut. */
	if (nlmsg_hdr(msg)->nlmsg_type == NLMSG_DONE)
		ex->end_interrupted = 1;
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;

	return ex->fn ? ex->fn(msg, ex->arg) : NL_OK;
}

int bcmon_exchange(struct bcmon *bc, struct nl_msg *msg, bcmon_reply_fn fn,
		   void *arg)
{
	struct exchange ex = { .bc = bc, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	bc->err[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ex);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &ex);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_finish, &ex);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &ex);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, &ex);
	nl_cb_overwrite_recv(cb, recv_reply);

	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	err = nl_send_auto(bc->sock, msg);
	nlmsg_free(msg);
	if (err < 0) {
		set_error(bc, -EIO, nl_geterror(err));
		ex.err = -EIO;
		goto out;
	}
	while (!ex.done) {
		err = bcmon_arm_timeout(bc);
		if (err) {
			set_error(bc, err, "no complete reply before the deadline");
			ex.err = err;
			break;
		}
		err = nl_recvmsgs(bc->sock, cb);
		if (err == -NLE_AGAIN && !ex.done) {
			set_error(bc, -ETIMEDOUT, "no complete reply before the deadline");
			ex.err = -ETIMEDOUT;
			break;
		}
		if (err < 0 && !ex.done) {
			set_error(bc, -EIO, nl_geterror(err));
			ex.err = -EIO;
			break;
		}
	}
out:
	nl_cb_put(cb);
	bc->dump_end_intr = ex.end_interrupted;
	if (!ex.err && ex.interrupted) {
		set_error(bc, -EINTR, "dump interrupted: the set list changed meanwhile");
		return -EINTR;
	}
	return ex.err;
}
