/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bcmon generic netlink ABI: the single source of truth shared by bcmon.ko
 * and userspace. Append-only: never renumber or remove an entry.
 */
#ifndef _UAPI_LINUX_BCMON_H
#define _UAPI_LINUX_BCMON_H

#include <linux/types.h>

#define BCMON_GENL_NAME		"bcmon"
#define BCMON_GENL_VERSION	1

/* Top-level attributes. */
enum {
	BCMON_A_UNSPEC,
	BCMON_A_VERSION,		/* string: module version */

	__BCMON_A_MAX,
	BCMON_A_MAX = __BCMON_A_MAX - 1
};

enum {
	BCMON_CMD_UNSPEC,
	BCMON_CMD_GET_VERSION,		/* read-only: replies BCMON_A_VERSION */

	__BCMON_CMD_MAX,
	BCMON_CMD_MAX = __BCMON_CMD_MAX - 1
};

#endif /* _UAPI_LINUX_BCMON_H */
