// SPDX-License-Identifier: GPL-2.0
/*
 * Admission: a connection limit that an attacker cannot use to shut the
 * door on everyone else. libmicrohttpd's own limit refuses (leaves in the
 * kernel's backlog) every connection beyond it, so a few hundred clients
 * that connect and then send nothing, or a byte a second (slow-loris),
 * would keep Prometheus out for good. Here libmicrohttpd accepts up to
 * ADMISSION_RESERVE more than --web.max-connections, and each connection
 * beyond the limit makes room by closing a connection without a request in
 * progress (one still sending its headers or its TLS handshake, or a
 * keep-alive connection between requests): among the EVICT_SCAN that have
 * waited longest, one from the client address that holds the most
 * connections, the longest waiting of those. A connection with a request
 * being served is never closed. So a flood from a few addresses makes
 * room from its own connections, never from a client with one or two
 * connections, however long that one waits (a prompt client could lose
 * its connection between accept and its request being read, while the
 * listener took in a flood's new connections); only when every waiting
 * connection's address holds as few does the longest waiting one go.
 *
 * Everything here runs on the listener thread (libmicrohttpd's
 * notifications and the access handler): no locks.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "http_internal.h"
#include "log.h"

/* How many of the longest-idle connections an eviction looks at. */
#define EVICT_SCAN 64

/* A client address and its open connections. */
struct http_peer {
	struct http_peer *next;		/* in its hash bucket */
	struct sockaddr_storage addr;	/* the address only (IPv6: its /64) */
	socklen_t len;
	unsigned int open;
};

struct http_conn {
	struct http_conn *prev, *next;	/* in the idle list while idle */
	bool idle;
	bool evicted;
	int fd;
	struct http_peer *peer;		/* NULL: address unknown (counts as one) */
};

/* The address of sa without its port (IPv6: its /64), and its length; 0
 * if not IP. */
static socklen_t peer_key(const struct sockaddr *sa, struct sockaddr_storage *key)
{
	memset(key, 0, sizeof(*key));
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)key;

		in->sin_family = AF_INET;
		in->sin_addr = ((const struct sockaddr_in *)sa)->sin_addr;
		return sizeof(*in);
	}
	if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)key;

		/* Its /64, as the authentication limiter counts: one host
		 * may hold a whole /64 of addresses. */
		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, &((const struct sockaddr_in6 *)sa)->sin6_addr, 8);
		return sizeof(*in6);
	}
	return 0;
}

static size_t peer_bucket(const struct sockaddr_storage *key, socklen_t len)
{
	const unsigned char *p = (const unsigned char *)key;
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (socklen_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h % ADMISSION_PEER_BUCKETS;
}

/* The peer of sa, its open count raised; NULL when unknown or no memory. */
static struct http_peer *peer_get(struct http_admission *a, const struct sockaddr *sa)
{
	struct sockaddr_storage key;
	socklen_t len = sa ? peer_key(sa, &key) : 0;
	struct http_peer *p;
	size_t b;

	if (!len)
		return NULL;
	b = peer_bucket(&key, len);
	for (p = a->peers[b]; p; p = p->next)
		if (p->len == len && !memcmp(&p->addr, &key, len))
			break;
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return NULL;
		p->addr = key;
		p->len = len;
		p->next = a->peers[b];
		a->peers[b] = p;
	}
	p->open++;
	return p;
}

static void peer_put(struct http_admission *a, struct http_peer *p)
{
	struct http_peer **pp;

	if (!p || --p->open)
		return;
	for (pp = &a->peers[peer_bucket(&p->addr, p->len)]; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
	free(p);
}

static void idle_remove(struct http_admission *a, struct http_conn *c)
{
	if (!c->idle)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		a->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		a->tail = c->prev;
	c->prev = c->next = NULL;
	c->idle = false;
}

static void idle_append(struct http_admission *a, struct http_conn *c)
{
	if (c->idle || c->evicted)
		return;
	c->prev = a->tail;
	c->next = NULL;
	if (a->tail)
		a->tail->next = c;
	else
		a->head = c;
	a->tail = c;
	c->idle = true;
}

/* Among the longest-idle connections other than c, the first one of the
 * address with the most connections; NULL if there is none. */
static struct http_conn *pick_victim(struct http_admission *a, struct http_conn *c)
{
	struct http_conn *pick = NULL;
	unsigned int most = 0, seen = 0;

	for (struct http_conn *v = a->head; v && seen < EVICT_SCAN; v = v->next, seen++) {
		unsigned int open = v->peer ? v->peer->open : 1;

		if (v != c && open > most) {
			most = open;
			pick = v;
		}
	}
	return pick;
}

/* Over the limit: close idle connections other than c (pick_victim()). */
static void make_room(struct http_server *srv, struct http_conn *c)
{
	struct http_admission *a = &srv->admission;
	struct http_conn *victim;

	while (a->open - a->evicting > srv->opts.max_connections &&
	       (victim = pick_victim(a, c))) {
		idle_remove(a, victim);
		victim->evicted = true;
		a->evicting++;
		/* libmicrohttpd sees the end of the stream and closes it; the
		 * descriptor stays ours to use until its CLOSED notification. */
		shutdown(victim->fd, SHUT_RDWR);
		stats_connection_evicted();
	}
}

void http_notify_connection(void *cls, struct MHD_Connection *connection,
			    void **socket_context, enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *srv = cls;
	struct http_admission *a = &srv->admission;
	struct http_conn *c = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci;

		c = calloc(1, sizeof(*c));
		*socket_context = c;
		a->open++;
		if (!c)
			return;	/* not tracked: never evicted */
		ci = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
		c->fd = ci ? ci->connect_fd : -1;
		ci = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		c->peer = peer_get(a, ci ? ci->client_addr : NULL);
		if (c->fd >= 0)
			idle_append(a, c);
		make_room(srv, c);
		return;
	}
	a->open--;
	if (!c)
		return;
	idle_remove(a, c);
	if (c->evicted)
		a->evicting--;
	peer_put(a, c->peer);
	free(c);
	*socket_context = NULL;
}

static struct http_conn *conn_of(struct MHD_Connection *connection)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

void http_admission_busy(struct http_server *srv, struct MHD_Connection *connection)
{
	struct http_conn *c = conn_of(connection);

	if (c)
		idle_remove(&srv->admission, c);
}

void http_admission_idle(struct http_server *srv, struct MHD_Connection *connection)
{
	struct http_conn *c = conn_of(connection);

	if (c && c->fd >= 0)
		idle_append(&srv->admission, c);
}
