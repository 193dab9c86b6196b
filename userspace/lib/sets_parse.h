/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libbcmon internals: the reader of BCMON_CMD_SET_GET dump replies. It is
 * fed one reply message at a time, merges the parts of a set that the
 * kernel split over several messages, and hands each set on once it is
 * whole, so that a reader holds one set at a time. Pure parsing: the unit
 * tests feed it messages built as the kernel builds them.
 */
#ifndef BCMON_LIB_SETS_PARSE_H
#define BCMON_LIB_SETS_PARSE_H

#include <stdbool.h>

#include <bcmon/libbcmon.h>
#include <netlink/msg.h>

/* Receives a whole set; may take it over (then leaves *set zeroed). */
typedef int (*set_reader_fn)(struct bcmon_set_info *set, void *arg);

struct set_reader {
	set_reader_fn fn;
	void *arg;
	bool have_pending;
	struct bcmon_set_info pending;	/* the set whose parts are coming in */
	char skip[BCMON_NAME_MAX];	/* later parts of a set cut by a change */
	bool interrupted;		/* a part carried NLM_F_DUMP_INTR */
	int err;			/* first parse error or fn's return */
};

void set_reader_init(struct set_reader *r, set_reader_fn fn, void *arg);
/* One reply message. Returns r->err: after an error the rest is ignored. */
int set_reader_feed(struct set_reader *r, struct nlmsghdr *nlh);
/*
 * The dump ended well: hand on the last set. end_interrupted: its
 * NLMSG_DONE carried NLM_F_DUMP_INTR, i.e. the list changed after the last
 * part, so the set held may have been destroyed half-way (a named dump
 * whose set went away) and is dropped, not handed on as if whole. Returns
 * the first error, else -EINTR if the dump was interrupted, else 0.
 * Releases everything.
 */
int set_reader_end(struct set_reader *r, bool end_interrupted);
/* The dump failed: drop what is held. */
void set_reader_release(struct set_reader *r);

#endif /* BCMON_LIB_SETS_PARSE_H */
