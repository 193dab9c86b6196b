/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bcmon error events: the ring of recent events and the never-reset totals
 * (errors.c), their netlink commands (netlink_errors.c).
 */
#ifndef _BCMON_ERRORS_H
#define _BCMON_ERRORS_H

#include <linux/types.h>
#include <linux/uidgid.h>
#include <net/netlink.h>
#include <linux/bcmon.h>

struct dentry;
struct genl_info;
struct netlink_callback;
struct sk_buff;
struct user_namespace;

/* Who recorded an event: the kernel, or a process (uid, pid). */
struct bcmon_error_origin {
	u8 origin;		/* enum bcmon_origin */
	kuid_t uid;		/* BCMON_ORIGIN_USER: the recorder's euid */
	u32 pid;		/* BCMON_ORIGIN_USER: its tgid, initial pid ns */
};

/* One recorded event, as kept in the ring and copied out to readers. */
struct bcmon_error_event {
	u64 seq;		/* 1, 2, 3, ... over the module's lifetime */
	u64 timestamp_ns;	/* CLOCK_REALTIME */
	u8 category;		/* enum bcmon_error_category */
	u8 severity;		/* enum bcmon_severity */
	struct bcmon_error_origin from;
	char message[BCMON_ERROR_MSG_MAX];
};

int bcmon_errors_init(void);
void bcmon_errors_exit(void);

/*
 * Announcements of events of severity error and above: fn is called from a
 * work item (process context) once per event, in order. Start once whoever
 * announces is ready (the netlink family registered); stop before it goes
 * away. Records made while stopped still reach the ring and the totals;
 * those of severity error and above that are still in the ring when
 * notification starts are announced then.
 */
typedef void (*bcmon_error_announce_fn)(const struct bcmon_error_event *ev);
void bcmon_errors_start_notify(bcmon_error_announce_fn fn);
void bcmon_errors_stop_notify(void);

/* Record with an already formatted message (the netlink path). */
void bcmon_errors_record_msg(enum bcmon_error_category cat,
			     enum bcmon_severity sev, const char *msg,
			     const struct bcmon_error_origin *from);

/*
 * Admit one record by a writer-group member of uid: a token bucket per uid
 * (error_user_rate per second, bursts of error_user_burst), which bounds
 * how fast one writer pushes other events out of the shared ring (at the
 * defaults it replaces a ring of 100 in about 5 s; it cannot be made to
 * keep them). 0, or -EBUSY when uid is over its rate
 * (or every bucket is busy with other uids).
 */
int bcmon_errors_user_admit(kuid_t uid);

unsigned int bcmon_errors_ring_size(void);
unsigned int bcmon_errors_user_rate(void);
unsigned int bcmon_errors_user_burst(void);
u64 bcmon_errors_recorded(void);

/*
 * Copy up to @max events with seq >= @from, oldest first, into @out.
 * Returns the number copied; *@oldest is set to the oldest seq still in
 * the ring and *@next to the seq the next recorded event will get.
 */
unsigned int bcmon_errors_copy(u64 from, struct bcmon_error_event *out,
			       unsigned int max, u64 *oldest, u64 *next);

/* The oldest seq still in the ring and the seq the next event will get. */
void bcmon_errors_bounds(u64 *oldest, u64 *next);

/* Snapshot of the totals, indexed [category][severity]. */
void bcmon_errors_totals(u64 totals[__BCMON_ERR_CAT_MAX][__BCMON_SEV_MAX]);

/* Names for people (debugfs, log lines); "?" for out-of-range values. */
const char *bcmon_error_category_name(unsigned int cat);
const char *bcmon_severity_name(unsigned int sev);

/* debugfs "errors" file, created under the bcmon directory (debugfs_errors.c). */
void bcmon_errors_debugfs_init(struct dentry *dir);
/* GET_STATUS fields (netlink_errors.c); before the family registers. */
void bcmon_nl_errors_init(void);

/* netlink_errors.c: handlers named in the family's op table. */
extern const struct nla_policy bcmon_error_record_policy[BCMON_A_ERROR + 1];
int bcmon_nl_error_record(struct sk_buff *skb, struct genl_info *info);
int bcmon_nl_error_get_start(struct netlink_callback *cb);
int bcmon_nl_error_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

/*
 * Requests that carry no attributes: a policy with nothing allowed, so a
 * strict parse rejects every attribute ("Unsupported attribute" or
 * "Unknown attribute type") instead of ignoring it.
 */
extern const struct nla_policy bcmon_no_attrs_policy[BCMON_A_VERSION + 1];

/* Entries for the family's op table (netlink.c). */
#define BCMON_ERROR_GENL_OPS						\
	{								\
		.cmd		= BCMON_CMD_ERROR_RECORD,		\
		.doit		= bcmon_nl_error_record,		\
		.policy		= bcmon_error_record_policy,		\
		.maxattr	= BCMON_A_ERROR,			\
	},								\
	{								\
		.cmd		= BCMON_CMD_ERROR_GET,			\
		.start		= bcmon_nl_error_get_start,		\
		.dumpit		= bcmon_nl_error_get_dumpit,		\
		.policy		= bcmon_no_attrs_policy,		\
		.maxattr	= BCMON_A_VERSION,			\
		.flags		= 0,					\
	},

/* Room a BCMON_A_ERROR nest takes at most. */
#define BCMON_NL_ERROR_SIZE						\
	(nla_total_size(0) + 2 * nla_total_size_64bit(sizeof(u64)) +	\
	 3 * nla_total_size(sizeof(u8)) +				\
	 2 * nla_total_size(sizeof(u32)) +				\
	 nla_total_size(BCMON_ERROR_MSG_MAX))

/*
 * Fill a BCMON_A_ERROR nest (also used by the event announcement), the
 * recorder's uid as seen from ns.
 */
int bcmon_nl_put_error(struct sk_buff *skb, const struct bcmon_error_event *ev,
		       struct user_namespace *ns);

#endif /* _BCMON_ERRORS_H */
