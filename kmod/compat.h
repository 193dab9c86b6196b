/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels bcmon supports (6.1 and 6.12), wrapped
 * so that the rest of the module reads the same on both.
 */
#ifndef _BCMON_COMPAT_H
#define _BCMON_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/*
 * The parsed request attributes of a dump. 6.1 keeps them in
 * genl_dumpit_info::attrs; 6.6 moved them into an embedded genl_info.
 */
static inline struct nlattr **bcmon_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * Visit every registered power supply. 6.1 exports the class pointer
 * power_supply_class; 6.12 keeps the class private and exports
 * power_supply_for_each_device() instead. The 6.10 boundary is our best
 * knowledge of when that changed; only 6.1 and 6.12 are built and tested.
 */
#include <linux/power_supply.h>

static inline int bcmon_for_each_power_supply(void *data,
					      int (*fn)(struct device *dev,
							void *data))
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
	return power_supply_for_each_device(data, fn);
#else
	return class_for_each_device(power_supply_class, NULL, data, fn);
#endif
}

/*
 * Joining the "events" multicast group needs CAP_NET_ADMIN (netlink.c,
 * Documentation/security.md). The generic netlink core enforces a group's
 * GENL_MCAST_CAP_* flag in genl_bind() since 6.7 (drop_monitor's fix), and
 * Debian backported it to 6.1; the flag is a macro, so its presence is the
 * feature test (not a version check). On a kernel without it the group
 * would silently stay open to everyone: refuse to build instead.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "bcmon needs GENL_MCAST_CAP_NET_ADMIN (Linux 6.7 or a backport) to restrict its events group"
#endif

#endif /* _BCMON_COMPAT_H */
