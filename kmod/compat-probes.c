// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel feature tests for compat.h; never part of bcmon.ko. Each section
 * is compiled on its own by compat-probe.sh (with -Werror and Kbuild's own
 * flags), and BCMON_HAVE_<NAME> is defined when it compiles. A section
 * uses the interface exactly as bcmon does, with the types bcmon relies
 * on, so that "compiles" means "bcmon's use of it compiles".
 */

#ifdef BCMON_PROBE_GENL_INFO_DUMP
/* struct genl_dumpit_info embeds a struct genl_info with the attributes. */
#include <net/genetlink.h>

struct nlattr **bcmon_probe(struct netlink_callback *cb);
struct nlattr **bcmon_probe(struct netlink_callback *cb)
{
	return genl_info_dump(cb)->attrs;
}
#endif

#ifdef BCMON_PROBE_POWER_SUPPLY_FOR_EACH_PSY
/* The iterator hands out struct power_supply pointers. */
#include <linux/power_supply.h>

static int bcmon_probe_one(struct power_supply *psy, void *data)
{
	return 0;
}

int bcmon_probe(void);
int bcmon_probe(void)
{
	return power_supply_for_each_psy(NULL, bcmon_probe_one);
}
#endif

#ifdef BCMON_PROBE_POWER_SUPPLY_FOR_EACH_DEVICE
/* The iterator hands out the class devices. */
#include <linux/power_supply.h>

static int bcmon_probe_one(struct device *dev, void *data)
{
	return 0;
}

int bcmon_probe(void);
int bcmon_probe(void)
{
	return power_supply_for_each_device(NULL, bcmon_probe_one);
}
#endif

#ifdef BCMON_PROBE_USERSPACE_INIT_FS
/* PID 1's filesystem state has a name of its own. */
#include <linux/fs_struct.h>

struct fs_struct *bcmon_probe(void);
struct fs_struct *bcmon_probe(void)
{
	return userspace_init_fs;
}
#endif
