// SPDX-License-Identifier: GPL-2.0
/*
 * Admission: a connection limit that an attacker cannot use to shut the
 * door on everyone else. libmicrohttpd's own limit refuses (leaves in the
 * kernel's backlog) every connection beyond it, so a few hundred clients
 * that connect and then send nothing, or a byte a second (slow-loris),
 * would keep Prometheus out for good. Here libmicrohttpd accepts up to
 * ADMISSION_RESERVE more than --web.max-connections, and each connection
 * beyond the limit makes room by closing the connection that has waited
 * longest without a request in progress: one still sending its headers
 * (or its TLS handshake), or a keep-alive connection between requests. A
 * connection with a request being served is never closed. So a client
 * that sends its request promptly always gets in, and a slow one keeps its
 * place only until the limit's worth of newer connections arrive.
 *
 * Everything here runs on the listener thread (libmicrohttpd's
 * notifications and the access handler): no locks.
 */
#include <stdlib.h>
#include <sys/socket.h>

#include "http_internal.h"
#include "log.h"

struct http_conn {
	struct http_conn *prev, *next;	/* in the idle list while idle */
	bool idle;
	bool evicted;
	int fd;
};

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

/* Over the limit: close the longest-idle connections other than c. */
static void make_room(struct http_server *srv, struct http_conn *c)
{
	struct http_admission *a = &srv->admission;

	while (a->open - a->evicting > srv->opts.max_connections && a->head && a->head != c) {
		struct http_conn *victim = a->head;

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
