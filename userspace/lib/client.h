/* SPDX-License-Identifier: LGPL-2.1 */
/* libbcmon internals: the connection handle. */
#ifndef BCMON_LIB_CLIENT_H
#define BCMON_LIB_CLIENT_H

#include <stdbool.h>
#include <time.h>

#include <netlink/socket.h>

struct bcmon {
	struct nl_sock *sock;
	int family;		/* resolved generic netlink family id */
	bool has_deadline;
	struct timespec deadline;	/* CLOCK_MONOTONIC_COARSE, bcmon_open_timeout() */
	long long armed_us;	/* the socket's receive timeout; 0: none set */
	unsigned char *rbuf;	/* replies are read into this (client.c) */
	size_t rcap;
	char err[256];		/* last error, extack text when available */
	bool dump_end_intr;	/* the last dump's NLMSG_DONE had NLM_F_DUMP_INTR */
};

/*
 * Before a blocking receive: a receive timeout of the time left before
 * bc's deadline (kept when the one set is at most ARM_SLACK_US longer).
 * 0, or -ETIMEDOUT once the deadline has passed.
 */
int bcmon_arm_timeout(struct bcmon *bc);

#endif /* BCMON_LIB_CLIENT_H */
