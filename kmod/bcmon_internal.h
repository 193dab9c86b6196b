/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared between the files of bcmon.ko. */
#ifndef _BCMON_INTERNAL_H
#define _BCMON_INTERNAL_H

#include <linux/dcache.h>

#ifndef BCMON_VERSION
#define BCMON_VERSION "unknown"
#endif

int bcmon_netlink_init(void);
void bcmon_netlink_exit(void);

int bcmon_debugfs_init(void);
void bcmon_debugfs_exit(void);
struct dentry *bcmon_debugfs_root(void);

#endif /* _BCMON_INTERNAL_H */
