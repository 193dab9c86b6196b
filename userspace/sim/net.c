// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets for the peers (see net.h for the layout and the identity rules).
 *
 * TCP sockets are written with MSG_DONTWAIT: a peer whose receive buffer
 * is full loses the message (counted as a link failure, as a real node
 * would see a congested peer) instead of deadlocking the single-threaded
 * loop. Reads happen only after poll() reported data, so they never block
 * either. Connects are non-blocking too: a remote node that is not up yet
 * (or has gone away) costs one refused or timed-out attempt per second,
 * never a stalled loop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "net.h"

#define MAX_CONNS	(SIM_MAX_PEERS * SIM_MAX_PEERS)
#define RX_BUF		4096
#define RECONNECT_US	1000000u
/* A connect that has not completed by then is abandoned and retried
 * (the kernel's own SYN retries would take minutes). */
#define CONNECT_TIMEOUT_US	3000000u
/* An accepted connection must name its peer within this time, so that
 * strangers on the segment cannot hold every connection slot. */
#define HELLO_TIMEOUT_US	5000000u

struct conn {
	int fd;			/* -1: free slot */
	unsigned int owner;	/* local peer that owns this end */
	int remote;		/* peer at the other end, -1 until HELLO */
	bool connecting;	/* non-blocking connect in progress */
	uint64_t started_us;	/* of the connect, or when accepted */
	size_t rxlen;
	uint8_t rx[RX_BUF];
};

struct net {
	const struct sim_options *opt;
	int listen_fd[SIM_MAX_PEERS][SIM_MAX_PORTS];
	int udp_fd[SIM_MAX_PEERS][SIM_MAX_PORTS];
	/* conn index or -1; a connecting conn is linked but not up */
	int link[SIM_MAX_PEERS][SIM_MAX_PEERS];
	uint64_t retry_at[SIM_MAX_PEERS][SIM_MAX_PEERS];
	struct conn conns[MAX_CONNS];
	unsigned int failures;
};

/* Filler payload: what a real message would carry (signatures, state). */
static uint8_t filler[MSG_PAYLOAD_MAX];

static struct sockaddr_in peer_addr(const struct net *net, unsigned int peer, uint16_t port)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr = net->opt->addrs[peer],
	};
	return sa;
}

static const char *addr_str(const struct sockaddr_in *sa, char buf[INET_ADDRSTRLEN])
{
	if (!inet_ntop(AF_INET, &sa->sin_addr, buf, INET_ADDRSTRLEN))
		strcpy(buf, "?");
	return buf;
}

static int bound_socket(const struct net *net, int type, unsigned int peer, uint16_t port)
{
	struct sockaddr_in sa = peer_addr(net, peer, port);
	char name[INET_ADDRSTRLEN];
	int one = 1, fd;

	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (type == SOCK_STREAM)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		fprintf(stderr, "bcmon-sim: bind %s:%u: %s\n",
			addr_str(&sa, name), port, strerror(-err));
		close(fd);
		return err;
	}
	return fd;
}

static int conn_add(struct net *net, int fd, unsigned int owner, int remote)
{
	int i;

	for (i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &net->conns[i];

		if (c->fd >= 0)
			continue;
		c->fd = fd;
		c->owner = owner;
		c->remote = remote;
		c->connecting = false;
		c->started_us = now_us();
		c->rxlen = 0;
		if (remote >= 0)
			net->link[owner][remote] = i;
		return i;
	}
	return -ENOSPC;
}

/* Close a connection; a link that was up counts as a failure, and the
 * side that opens this pair's connection tries again in a second. */
static void conn_drop(struct net *net, int idx)
{
	struct conn *c = &net->conns[idx];

	if (c->remote >= 0 && net->link[c->owner][c->remote] == idx) {
		net->link[c->owner][c->remote] = -1;
		if (!c->connecting)
			net->failures++;
		net->retry_at[c->owner][c->remote] = now_us() + RECONNECT_US;
	}
	close(c->fd);
	c->fd = -1;
	c->connecting = false;
}

static int send_all(int fd, const struct msg *m)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)m, .iov_len = sizeof(*m) },
		{ .iov_base = filler, .iov_len = m->payload_len },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	size_t total = sizeof(*m) + m->payload_len, done;
	ssize_t n;

	n = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0)
		return -errno;
	/* A partial write must be finished, or the stream loses framing. */
	for (done = (size_t)n; done < total; done += (size_t)n) {
		const uint8_t *p = done < sizeof(*m) ? (const uint8_t *)m + done
						     : filler + (done - sizeof(*m));
		size_t len = done < sizeof(*m) ? sizeof(*m) - done
					       : total - done;

		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0)
			return -errno;
	}
	return 0;
}

/* The connect of conns[idx] completed: introduce ourselves. */
static void connect_done(struct net *net, int idx)
{
	struct conn *c = &net->conns[idx];
	struct msg hello = { .type = MSG_HELLO, .from = (uint8_t)c->owner };
	int flags;

	c->connecting = false;
	/* Back to blocking for the partial-write completion in send_all. */
	flags = fcntl(c->fd, F_GETFL);
	if (flags >= 0)
		fcntl(c->fd, F_SETFL, flags & ~O_NONBLOCK);
	if (send_all(c->fd, &hello))
		conn_drop(net, idx);
}

/* Start connecting local peer i to peer j (i < j). */
static int connect_start(struct net *net, unsigned int i, unsigned int j)
{
	const struct sim_options *opt = net->opt;
	uint16_t port = opt->ports[(i + j) % opt->nports];
	struct sockaddr_in sa = peer_addr(net, j, port);
	int fd, idx, err;

	net->retry_at[i][j] = now_us() + RECONNECT_US;
	fd = bound_socket(net, SOCK_STREAM, i, 0);
	if (fd < 0)
		return fd;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS) {
		err = -errno;
		close(fd);
		return err;
	}
	idx = conn_add(net, fd, i, (int)j);
	if (idx < 0) {
		close(fd);
		return idx;
	}
	net->conns[idx].connecting = true;
	return 0;
}

/* Open the connections this process is responsible for that are down;
 * give up on connects and greetings that take too long. */
static void connect_due(struct net *net)
{
	const struct sim_options *opt = net->opt;
	uint64_t now = now_us();
	unsigned int i, j;

	for (i = 0; i < MAX_CONNS; i++) {
		const struct conn *c = &net->conns[i];

		if (c->fd >= 0 && c->remote < 0 && now - c->started_us >= HELLO_TIMEOUT_US)
			conn_drop(net, (int)i);
	}
	for (i = 0; i < opt->peers; i++) {
		if (!sim_peer_local(opt, i))
			continue;
		for (j = i + 1; j < opt->peers; j++) {
			int idx = net->link[i][j];

			if (idx >= 0 && net->conns[idx].connecting &&
			    now - net->conns[idx].started_us >= CONNECT_TIMEOUT_US)
				conn_drop(net, idx);
			else if (idx < 0 && now >= net->retry_at[i][j])
				connect_start(net, i, j);
		}
	}
}

int net_open(struct net **out, const struct sim_options *opt)
{
	struct net *net;
	unsigned int i, k;
	int err, fd;

	net = calloc(1, sizeof(*net));
	if (!net)
		return -ENOMEM;
	net->opt = opt;
	memset(net->listen_fd, -1, sizeof(net->listen_fd));
	memset(net->udp_fd, -1, sizeof(net->udp_fd));
	memset(net->link, -1, sizeof(net->link));
	for (i = 0; i < MAX_CONNS; i++)
		net->conns[i].fd = -1;
	for (i = 0; i < sizeof(filler); i++)
		filler[i] = (uint8_t)rng_next();

	for (i = 0; i < opt->peers; i++) {
		if (!sim_peer_local(opt, i))
			continue;
		for (k = 0; k < opt->nports; k++) {
			fd = bound_socket(net, SOCK_STREAM, i, opt->ports[k]);
			if (fd < 0 || listen(fd, 64) < 0) {
				err = fd < 0 ? fd : -errno;
				goto err_close;
			}
			net->listen_fd[i][k] = fd;
			fd = bound_socket(net, SOCK_DGRAM, i, opt->ports[k]);
			if (fd < 0) {
				err = fd;
				goto err_close;
			}
			net->udp_fd[i][k] = fd;
		}
	}
	/* The first connects start now (retry_at is 0); the accepts and the
	 * completions are picked up by the first net_poll() calls. */
	connect_due(net);
	*out = net;
	return 0;

err_close:
	net_close(net);
	return err;
}

void net_close(struct net *net)
{
	unsigned int i, k;

	if (!net)
		return;
	for (i = 0; i < MAX_CONNS; i++)
		if (net->conns[i].fd >= 0)
			close(net->conns[i].fd);
	for (i = 0; i < SIM_MAX_PEERS; i++) {
		for (k = 0; k < SIM_MAX_PORTS; k++) {
			if (net->listen_fd[i][k] >= 0)
				close(net->listen_fd[i][k]);
			if (net->udp_fd[i][k] >= 0)
				close(net->udp_fd[i][k]);
		}
	}
	free(net);
}

int net_send_tcp(struct net *net, unsigned int from, unsigned int to, struct msg *m)
{
	int idx = net->link[from][to], err;

	if (idx < 0 || net->conns[idx].connecting)
		return -ENOTCONN;
	m->from = (uint8_t)from;
	err = send_all(net->conns[idx].fd, m);
	if (err == -EAGAIN)
		net->failures++;	/* congested peer: this message is lost */
	else if (err)
		conn_drop(net, idx);	/* counts the failure */
	return err;
}

int net_send_udp(struct net *net, unsigned int from, unsigned int to, struct msg *m)
{
	unsigned int k = rng_below(net->opt->nports);
	struct sockaddr_in sa = peer_addr(net, to, net->opt->ports[k]);
	struct iovec iov[2] = {
		{ .iov_base = m, .iov_len = sizeof(*m) },
		{ .iov_base = filler, .iov_len = m->payload_len },
	};
	struct msghdr mh = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = iov, .msg_iovlen = 2,
	};

	m->from = (uint8_t)from;
	if (sendmsg(net->udp_fd[from][k], &mh, MSG_DONTWAIT) < 0)
		return -errno;
	return 0;
}

static bool msg_valid(const struct msg *m, unsigned int peers)
{
	return m->type >= MSG_HELLO && m->type <= MSG_ROLL &&
	       m->from < peers && m->payload_len <= MSG_PAYLOAD_MAX;
}

/* Does the connection's source address belong to peer 'from'? */
static bool conn_is_from(const struct net *net, int fd, unsigned int from)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	if (getpeername(fd, (struct sockaddr *)&sa, &len) < 0 || sa.sin_family != AF_INET)
		return false;
	return sa.sin_addr.s_addr == net->opt->addrs[from].s_addr;
}

/* A HELLO names the peer at the other end; false: drop the connection. */
static bool conn_hello(struct net *net, int idx, const struct msg *m)
{
	struct conn *c = &net->conns[idx];
	int old;

	if (c->remote >= 0 || m->from == c->owner || !conn_is_from(net, c->fd, m->from))
		return false;
	/* The peer restarted and connected again while our side of its old
	 * connection still looked up: the new connection wins. */
	old = net->link[c->owner][m->from];
	if (old >= 0 && old != idx)
		conn_drop(net, old);
	c->remote = m->from;
	net->link[c->owner][m->from] = idx;
	return true;
}

/* Parse every complete frame in a connection's buffer. */
static void conn_frames(struct net *net, int idx, net_deliver_fn deliver, void *ctx)
{
	struct conn *c = &net->conns[idx];
	size_t off = 0;

	while (c->rxlen - off >= sizeof(struct msg)) {
		struct msg m;
		size_t frame;

		memcpy(&m, c->rx + off, sizeof(m));
		if (!msg_valid(&m, net->opt->peers) ||
		    (m.type == MSG_HELLO) != (c->remote < 0) ||
		    (c->remote >= 0 && m.from != (unsigned int)c->remote)) {
			conn_drop(net, idx);
			return;
		}
		frame = sizeof(m) + m.payload_len;
		if (c->rxlen - off < frame)
			break;
		off += frame;
		if (m.type == MSG_HELLO) {
			if (!conn_hello(net, idx, &m)) {
				conn_drop(net, idx);
				return;
			}
			continue;
		}
		deliver(ctx, c->owner, &m, true);
	}
	memmove(c->rx, c->rx + off, c->rxlen - off);
	c->rxlen -= off;
}

static void conn_read(struct net *net, int idx, net_deliver_fn deliver, void *ctx)
{
	struct conn *c = &net->conns[idx];
	ssize_t n;

	n = recv(c->fd, c->rx + c->rxlen, sizeof(c->rx) - c->rxlen, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_drop(net, idx);
		return;
	}
	c->rxlen += (size_t)n;
	conn_frames(net, idx, deliver, ctx);
}

static void conn_writable(struct net *net, int idx)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(net->conns[idx].fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err)
		conn_drop(net, idx);	/* refused or unreachable: retried later */
	else
		connect_done(net, idx);
}

static void udp_read(struct net *net, unsigned int peer, int fd,
		     net_deliver_fn deliver, void *ctx)
{
	uint8_t buf[sizeof(struct msg) + MSG_PAYLOAD_MAX];
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	struct msg m;
	ssize_t n;

	n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&sa, &salen);
	if (n < (ssize_t)sizeof(m) || sa.sin_family != AF_INET)
		return;
	memcpy(&m, buf, sizeof(m));
	if (msg_valid(&m, net->opt->peers) && m.type != MSG_HELLO &&
	    (size_t)n == sizeof(m) + m.payload_len &&
	    sa.sin_addr.s_addr == net->opt->addrs[m.from].s_addr)
		deliver(ctx, peer, &m, false);
}

static void accept_one(struct net *net, unsigned int peer, int lfd)
{
	int one = 1, fd;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (conn_add(net, fd, peer, -1) < 0)
		close(fd);
}

enum fd_kind { FD_LISTEN, FD_UDP, FD_CONN };

int net_poll(struct net *net, int timeout_ms, net_deliver_fn deliver, void *ctx)
{
	enum { MAX_FDS = 2 * SIM_MAX_PEERS * SIM_MAX_PORTS + MAX_CONNS };
	struct pollfd pfd[MAX_FDS];
	struct { enum fd_kind kind; unsigned int peer; int idx; } what[MAX_FDS];
	const struct sim_options *opt = net->opt;
	unsigned int i, k, n = 0;
	int ready;

	connect_due(net);
	for (i = 0; i < opt->peers; i++) {
		if (!sim_peer_local(opt, i))
			continue;
		for (k = 0; k < opt->nports; k++) {
			pfd[n] = (struct pollfd){ .fd = net->listen_fd[i][k], .events = POLLIN };
			what[n].kind = FD_LISTEN, what[n].peer = i, n++;
			pfd[n] = (struct pollfd){ .fd = net->udp_fd[i][k], .events = POLLIN };
			what[n].kind = FD_UDP, what[n].peer = i, n++;
		}
	}
	for (i = 0; i < MAX_CONNS; i++) {
		if (net->conns[i].fd < 0)
			continue;
		pfd[n] = (struct pollfd){ .fd = net->conns[i].fd,
					  .events = net->conns[i].connecting ? POLLOUT : POLLIN };
		what[n].kind = FD_CONN, what[n].idx = (int)i, n++;
	}

	ready = poll(pfd, n, timeout_ms);
	if (ready < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n && ready > 0; i++) {
		if (!pfd[i].revents)
			continue;
		ready--;
		switch (what[i].kind) {
		case FD_LISTEN:
			accept_one(net, what[i].peer, pfd[i].fd);
			break;
		case FD_UDP:
			udp_read(net, what[i].peer, pfd[i].fd, deliver, ctx);
			break;
		case FD_CONN:
			/* The slot may have been dropped and reused meanwhile. */
			if (net->conns[what[i].idx].fd != pfd[i].fd)
				break;
			if (net->conns[what[i].idx].connecting)
				conn_writable(net, what[i].idx);
			else
				conn_read(net, what[i].idx, deliver, ctx);
			break;
		}
	}
	return 0;
}

bool net_can_send(const struct net *net, unsigned int from, unsigned int to)
{
	int idx = net->link[from][to];

	return idx >= 0 && !net->conns[idx].connecting;
}

unsigned int net_links_up(const struct net *net)
{
	const struct sim_options *opt = net->opt;
	unsigned int i, j, up = 0;

	for (i = 0; i < opt->peers; i++) {
		for (j = i + 1; j < opt->peers; j++) {
			int a = net->link[i][j], b = net->link[j][i];
			bool a_up = a >= 0 && !net->conns[a].connecting;
			bool b_up = b >= 0 && !net->conns[b].connecting;

			/* Every side this process holds must be up. */
			if (sim_peer_local(opt, i) && sim_peer_local(opt, j))
				up += a_up && b_up;
			else if (sim_peer_local(opt, i))
				up += a_up;
			else if (sim_peer_local(opt, j))
				up += b_up;
		}
	}
	return up;
}

unsigned int net_take_failures(struct net *net)
{
	unsigned int f = net->failures;

	net->failures = 0;
	return f;
}
