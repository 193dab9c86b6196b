/* SPDX-License-Identifier: LGPL-2.1 */
/* libbcmon internals: one request/reply exchange with the kernel. */
#ifndef BCMON_LIB_REQUEST_H
#define BCMON_LIB_REQUEST_H

#include <stddef.h>

#include <netlink/msg.h>

struct bcmon;

/* Called once per reply message (every part of a dump); return NL_OK. */
typedef int (*bcmon_reply_fn)(struct nlmsghdr *nlh, void *arg);

/* Start a request for cmd with the given netlink flags (e.g. NLM_F_DUMP). */
struct nl_msg *bcmon_msg_new(struct bcmon *bc, int cmd, int flags);
/* The same with room for size bytes (0: one page). */
/* Room for a request that carries no caller's string: a small allocation
 * (libnl zeroes the whole page of the default one, every request). */
#define BCMON_SMALL_REQUEST 512
struct nl_msg *bcmon_msg_new_size(struct bcmon *bc, int cmd, int flags,
				  size_t size);

/*
 * Send msg (always consumed), feed each reply to fn, wait for the final
 * ACK or error. Returns 0 or a negative errno; the kernel's extack text,
 * when present, becomes bcmon_strerror(bc). A dump flagged as interrupted
 * (NLM_F_DUMP_INTR) is read to its end and then fails with -EINTR.
 */
int bcmon_exchange(struct bcmon *bc, struct nl_msg *msg, bcmon_reply_fn fn,
		   void *arg);
/*
 * The same for a request the kernel answers with exactly one message (a
 * GET that is not a dump): sent without NLM_F_ACK, so that the answer is
 * that message alone, not it and an ACK (a failure still comes as an
 * error message).
 */
int bcmon_exchange_one(struct bcmon *bc, struct nl_msg *msg, bcmon_reply_fn fn,
		       void *arg);

struct bcmon_error_list;
struct nlattr;
/* One BCMON_TOTAL_A_* nest into list->totals (errors.c); 0 or -EPROTO. */
int bcmon_error_total_parse(struct bcmon_error_list *list, struct nlattr *nest);

struct bcmon_label;
/* Put one label nest {BCMON_LABEL_A_NAME, _VALUE} of type attr (sets.c). */
int bcmon_put_label(struct nl_msg *msg, int attr, const struct bcmon_label *l);

#endif /* BCMON_LIB_REQUEST_H */
