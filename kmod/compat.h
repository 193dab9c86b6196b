/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels bcmon supports, wrapped so that the rest
 * of the module reads the same on all of them. Built and tested: Debian's
 * 6.1 (bookworm), 6.12 (bookworm-backports) and 7.3 (trixie-backports).
 *
 * Every choice below is a feature test, not a version test: the
 * BCMON_HAVE_* macros come from compat_probed.h, which kmod/Kbuild
 * generates by compiling each section of compat-probes.c against the
 * headers being built against (compat-probe.sh). Distribution kernels
 * backport interfaces (Debian's 6.1 has the GENL_MCAST_CAP_* flags that
 * mainline added in 6.7), so a version number says less than the headers
 * do. Where the fallback uses an interface newer kernels removed, a probe
 * that wrongly failed is a build error; where it still compiles there
 * (bcmon_get_init_root), the VM suite on the newest kernel is what catches
 * it.
 */
#ifndef _BCMON_COMPAT_H
#define _BCMON_COMPAT_H

#include <linux/fs_struct.h>
#include <linux/path.h>
#include <linux/power_supply.h>
#include <linux/sched/task.h>
#include <net/genetlink.h>

#include "compat_probed.h"

/*
 * The parsed request attributes of a dump. Up to 6.5 they are
 * genl_dumpit_info::attrs. Commit 9272af109fe6 ("genetlink: add struct
 * genl_info to struct genl_dumpit_info", 6.6) embedded a struct genl_info
 * read with genl_info_dump(), and 7288dd2fd488 ("genetlink: use attrs from
 * struct genl_info", 6.6) removed the old field.
 */
static inline struct nlattr **bcmon_dump_attrs(struct netlink_callback *cb)
{
#ifdef BCMON_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * Visit every registered power supply: fn(psy, data) for each, stopping at
 * the first non-zero return, which is returned. Three interfaces:
 *  - up to 6.8 the class pointer power_supply_class is exported, walked
 *    with class_for_each_device();
 *  - 68ade0976df7 ("power: supply: core: add power_supply_for_each_device()",
 *    6.9) made the class static and exported an iterator over its devices;
 *  - 9029409d1a25 ("power: supply: core: introduce
 *    power_supply_for_each_psy()", 6.14) added an iterator over struct
 *    power_supply, and bfc330323cf3 ("power: supply: core: remove
 *    power_supply_for_each_device()", 6.14) removed the device one.
 * Where the kernel hands out devices, the power_supply is their drvdata
 * (the core sets it in power_supply_register before device_add), so fn is
 * only called with a registered supply.
 */
typedef int (*bcmon_supply_fn)(struct power_supply *psy, void *data);

#ifndef BCMON_HAVE_POWER_SUPPLY_FOR_EACH_PSY
struct bcmon_supply_walk {
	bcmon_supply_fn fn;
	void *data;
};

static inline int bcmon_supply_walk_one(struct device *dev, void *data)
{
	struct bcmon_supply_walk *w = data;
	struct power_supply *psy = dev_get_drvdata(dev);

	return psy ? w->fn(psy, w->data) : 0;
}
#endif

static inline int bcmon_for_each_power_supply(void *data, bcmon_supply_fn fn)
{
#if defined(BCMON_HAVE_POWER_SUPPLY_FOR_EACH_PSY)
	return power_supply_for_each_psy(data, fn);
#else
	struct bcmon_supply_walk w = { .fn = fn, .data = data };

#if defined(BCMON_HAVE_POWER_SUPPLY_FOR_EACH_DEVICE)
	return power_supply_for_each_device(&w, bcmon_supply_walk_one);
#else
	return class_for_each_device(power_supply_class, NULL, &w,
				     bcmon_supply_walk_one);
#endif
#endif
}

/*
 * Take a reference on the root of PID 1's filesystem state: where paths
 * the module reads on behalf of the whole machine resolve (sysfs), never
 * the root of whoever happens to be calling. Kernel threads used to share
 * init_task's fs_struct with PID 1 (the kernel rewrote it to follow
 * switch_root), so init_task.fs->root was PID 1's root. In the 7.x series
 * 14adbd5341aa ("fs: stop sharing fs_struct between init_task and pid 1")
 * gave PID 1 its own fs_struct, exported as userspace_init_fs
 * (9a8e29695888, "fs: make userspace_init_fs a dynamically-initialized
 * pointer"), and 32750c77e811 ("fs: start all kthreads in nullfs") points
 * init_task's root at an empty private nullfs in which every lookup fails.
 * Both the old init_fs and userspace_init_fs live as long as the kernel.
 */
static inline void bcmon_get_init_root(struct path *root)
{
#ifdef BCMON_HAVE_USERSPACE_INIT_FS
	get_fs_root(userspace_init_fs, root);
#else
	task_lock(&init_task);
	get_fs_root(init_task.fs, root);
	task_unlock(&init_task);
#endif
}

/*
 * Joining the "events" multicast group needs CAP_NET_ADMIN (netlink.c,
 * Documentation/security.md). The generic netlink core enforces a group's
 * GENL_MCAST_CAP_* flag in genl_bind() since cd4d7263d58a ("genetlink: Use
 * internal flags for multicast groups", 6.7, after drop_monitor's fix),
 * and the stable backport put it in Debian's 6.1; the flag is a macro, so
 * its presence is the feature test (not a version check). On a kernel
 * without it the group would silently stay open to everyone: refuse to
 * build instead.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "bcmon needs GENL_MCAST_CAP_NET_ADMIN (Linux 6.7 or a backport) to restrict its events group"
#endif

#endif /* _BCMON_COMPAT_H */
