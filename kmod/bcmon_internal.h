/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared between the files of bcmon.ko. */
#ifndef _BCMON_INTERNAL_H
#define _BCMON_INTERNAL_H

#include <linux/dcache.h>
#include <linux/gfp.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <net/netlink.h>

struct genl_family;
struct genl_info;
struct netlink_callback;
struct seq_file;
struct sk_buff;
struct bcmon_set;

#ifndef BCMON_VERSION
#define BCMON_VERSION "unknown"
#endif

int bcmon_netlink_init(void);
void bcmon_netlink_exit(void);

/*
 * Printable ASCII, space included: what metric help and error messages may
 * hold. Each is shown as one line (debugfs, bcmonctl, a HELP line of the
 * exposition), so none may carry a newline or a terminal escape sequence.
 */
static inline bool bcmon_char_printable(unsigned char c)
{
	return c >= 0x20 && c <= 0x7e;
}

static inline bool bcmon_str_printable(const char *s)
{
	for (; *s; s++)
		if (!bcmon_char_printable(*s))
			return false;
	return true;
}

/* --- netlink core (netlink.c) --- */
enum bcmon_mcgrp { BCMON_MCGRP_EVENTS };

/* Module parameter: members of this group may write their own sets (-1: none). */
extern int bcmon_writer_gid;

const struct genl_family *bcmon_nl_family(void);

/* The sender of a write request, as the permission check saw it. */
struct bcmon_caller {
	bool admin;		/* CAP_NET_ADMIN: the socket's opener and the caller */
	kuid_t uid;		/* the caller's euid */
	u32 pid;		/* its thread-group id in the initial pid namespace */
};

/*
 * Permission for a write request: 0 when both the process that opened the
 * socket and the caller have CAP_NET_ADMIN in the netns' user namespace
 * (who->admin), or when both are in the writer group with the same euid
 * and in the initial user namespace; else -EPERM with an extack message.
 * Checking the opener's credentials as well as the caller's keeps a socket
 * handed to (or opened for) someone else from lending it privileges
 * (CVE-2014-0181).
 */
int bcmon_nl_check_writer(struct sk_buff *skb, struct genl_info *info,
			  struct bcmon_caller *who);
/*
 * May who update (or destroy) set? A kernel-owned set is updated only by
 * the kernel and destroyed (unlisted) only by an admin; a user's set by its
 * owner or an admin. 0 or -EPERM with extack.
 */
int bcmon_nl_check_owner(struct genl_info *info, const struct bcmon_caller *who,
			 const struct bcmon_set *set, bool destroy);

/*
 * Events: bcmon_nl_event_new() returns a message for the "events" group
 * with BCMON_A_EVENT_TYPE already in it and room for payload more bytes,
 * or NULL when nobody listens (or no memory): then skip the event. Add
 * attributes, then bcmon_nl_event_send() (which consumes skb). Safe in
 * atomic context with GFP_ATOMIC. Only while the family is registered.
 */
struct sk_buff *bcmon_nl_event_new(u8 type, size_t payload, gfp_t gfp,
				   void **hdr);
void bcmon_nl_event_send(struct sk_buff *skb, void *hdr, gfp_t gfp);

/*
 * Presentation of other parts of the module adds fields to GET_STATUS
 * (inside the BCMON_A_STATUS nest; netlink_errors.c, netlink_sensors.c,
 * before the family registers) and lines to debugfs "status"
 * (debugfs_errors.c, debugfs_sensors.c). Register during module init,
 * either or both of fill_nl and show; never unregistered.
 */
struct bcmon_status_provider {
	int (*fill_nl)(struct sk_buff *skb);	/* 0 or -EMSGSIZE */
	size_t nl_size;		/* what fill_nl adds beyond NLMSG_GOODSIZE's slack */
	void (*show)(struct seq_file *m);
};
void bcmon_status_register(const struct bcmon_status_provider *p);
void bcmon_status_for_each(void (*fn)(const struct bcmon_status_provider *p,
				      void *arg), void *arg);

/* --- counter-set commands (nl_sets.c) --- */
extern const struct nla_policy bcmon_set_create_policy[];
extern const struct nla_policy bcmon_set_name_policy[];
extern const struct nla_policy bcmon_set_update_policy[];
extern const struct nla_policy bcmon_set_get_policy[];
extern const struct nla_policy bcmon_series_delete_policy[];
int bcmon_nl_set_create(struct sk_buff *skb, struct genl_info *info);
int bcmon_nl_set_destroy(struct sk_buff *skb, struct genl_info *info);
int bcmon_nl_set_get(struct sk_buff *skb, struct genl_info *info);
int bcmon_nl_set_dump_start(struct netlink_callback *cb);
int bcmon_nl_set_dump(struct sk_buff *skb, struct netlink_callback *cb);
int bcmon_nl_set_update(struct sk_buff *skb, struct genl_info *info);
int bcmon_nl_series_delete(struct sk_buff *skb, struct genl_info *info);

/* --- debugfs (debugfs.c, debugfs_sets.c) --- */
void bcmon_debugfs_sets_init(struct dentry *root);
void bcmon_debugfs_sets_exit(void);
int bcmon_debugfs_init(void);
void bcmon_debugfs_exit(void);
struct dentry *bcmon_debugfs_root(void);

#endif /* _BCMON_INTERNAL_H */
