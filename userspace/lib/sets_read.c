// SPDX-License-Identifier: LGPL-2.1
/*
 * BCMON_CMD_SET_GET: read one set or all of them. Both use the dump form,
 * which the kernel may split over many messages, a large set included (its
 * parts repeat the set name and are merged by the reader, sets_parse.c).
 * bcmon_set_foreach() hands each set on as soon as it is whole; the
 * all-in-memory forms are built on it.
 */
#include <bcmon/libbcmon.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bcmon.h>
#include <netlink/attr.h>

#include "client.h"
#include "request.h"
#include "sets_parse.h"

/* Dumps interrupted by concurrent creates/destroys are retried this often. */
#define DUMP_ATTEMPTS 5

static int on_set_msg(struct nlmsghdr *nlh, void *arg)
{
	/* After an error, the rest of the dump is only drained. */
	return set_reader_feed(arg, nlh) ? NL_SKIP : NL_OK;
}

static int read_sets_flags(struct bcmon *bc, const char *name, uint32_t flags,
			   set_reader_fn fn, void *arg)
{
	struct set_reader r;
	struct nl_msg *msg;
	int err;

	msg = name ? bcmon_msg_new(bc, BCMON_CMD_SET_GET, NLM_F_DUMP) :
		     bcmon_msg_new_size(bc, BCMON_CMD_SET_GET, NLM_F_DUMP, BCMON_SMALL_REQUEST);
	if (!msg)
		return -ENOMEM;
	if ((name && nla_put_string(msg, BCMON_A_SET_NAME, name)) ||
	    (flags && nla_put_u32(msg, BCMON_A_READ_FLAGS, flags))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	set_reader_init(&r, fn, arg);
	err = bcmon_exchange(bc, msg, on_set_msg, &r);
	if (err && err != -EINTR) {
		set_reader_release(&r);
		return err;
	}
	err = set_reader_end(&r, err == -EINTR && bc->dump_end_intr);
	if (err == -EPROTO)
		snprintf(bc->err, sizeof(bc->err), "malformed counter set reply");
	else if (err == -ENOMEM)
		snprintf(bc->err, sizeof(bc->err), "%s", strerror(ENOMEM));
	return err;
}

/*
 * This reader understands labeled metrics, so it asks for them. A module
 * older than labels refuses the unknown BCMON_A_READ_FLAGS (strict
 * validation, EINVAL, before any reply): then it has no labeled metrics,
 * and the same read without the flag is complete.
 */
static int read_sets(struct bcmon *bc, const char *name, set_reader_fn fn,
		     void *arg)
{
	int err = read_sets_flags(bc, name, BCMON_READ_F_SERIES, fn, arg);

	if (err == -EINVAL)
		err = read_sets_flags(bc, name, 0, fn, arg);
	return err;
}

struct foreach_call {
	bcmon_set_fn fn;
	void *arg;
};

static int call_foreach_fn(struct bcmon_set_info *set, void *arg)
{
	struct foreach_call *call = arg;

	return call->fn(set, call->arg);
}

int bcmon_set_foreach(struct bcmon *bc, const char *set, bcmon_set_fn fn,
		      void *arg)
{
	struct foreach_call call = { .fn = fn, .arg = arg };

	return read_sets(bc, set, call_foreach_fn, &call);
}

void bcmon_set_list_free(struct bcmon_set_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->n_sets; i++)
		bcmon_set_info_free(&list->sets[i]);
	free(list->sets);
	memset(list, 0, sizeof(*list));
}

/* Takes each set over into the list. */
static int append_set(struct bcmon_set_info *set, void *arg)
{
	struct bcmon_set_list *list = arg;
	struct bcmon_set_info *sets;

	sets = realloc(list->sets, (list->n_sets + 1) * sizeof(*sets));
	if (!sets)
		return -ENOMEM;
	list->sets = sets;
	sets[list->n_sets++] = *set;
	memset(set, 0, sizeof(*set));
	return 0;
}

static int dump(struct bcmon *bc, const char *name, struct bcmon_set_list *out)
{
	int err = -EINTR;

	for (int attempt = 0; attempt < DUMP_ATTEMPTS && err == -EINTR; attempt++) {
		bcmon_set_list_free(out);
		err = read_sets(bc, name, append_set, out);
	}
	if (err)
		bcmon_set_list_free(out);
	return err;
}

int bcmon_set_dump(struct bcmon *bc, struct bcmon_set_list *out)
{
	memset(out, 0, sizeof(*out));
	return dump(bc, NULL, out);
}

int bcmon_set_get(struct bcmon *bc, const char *set, struct bcmon_set_info *out)
{
	struct bcmon_set_list list = { 0 };
	int err;

	memset(out, 0, sizeof(*out));
	err = dump(bc, set, &list);
	if (err)
		return err;
	if (list.n_sets != 1) {
		bcmon_set_list_free(&list);
		return -EPROTO;
	}
	*out = list.sets[0];
	free(list.sets);
	return 0;
}
