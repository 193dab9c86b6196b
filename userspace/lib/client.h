/* SPDX-License-Identifier: LGPL-2.1 */
/* libbcmon internals: the connection handle. */
#ifndef BCMON_LIB_CLIENT_H
#define BCMON_LIB_CLIENT_H

#include <stdbool.h>

#include <netlink/socket.h>

struct bcmon {
	struct nl_sock *sock;
	int family;		/* resolved generic netlink family id */
	char err[256];		/* last error, extack text when available */
	bool dump_end_intr;	/* the last dump's NLMSG_DONE had NLM_F_DUMP_INTR */
};

#endif /* BCMON_LIB_CLIENT_H */
