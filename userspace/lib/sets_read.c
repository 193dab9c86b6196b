// SPDX-License-Identifier: LGPL-2.1
/*
 * BCMON_CMD_SET_GET: read one set or all of them. Both use the dump form,
 * which the kernel may split over many messages, a large set included (its
 * parts repeat the set name and are merged here).
 */
#include <bcmon/libbcmon.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bcmon.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "request.h"

/* Dumps interrupted by concurrent creates/destroys are retried this often. */
#define DUMP_ATTEMPTS 5

struct dump_state {
	struct bcmon_set_list *list;
	int err;
};

static void copy_string(char *dst, size_t len, const struct nlattr *a)
{
	if (a)
		snprintf(dst, len, "%s", nla_get_string((struct nlattr *)a));
}

/* Fill m from one BCMON_SET_A_METRIC nest. */
static int parse_metric(struct nlattr *nest, struct bcmon_metric_info *m)
{
	size_t nb = 0, nk = 0;
	struct nlattr *a;
	int rem;

	memset(m, 0, sizeof(*m));
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case BCMON_METRIC_A_BOUND:
			nb++;
			break;
		case BCMON_METRIC_A_BUCKET:
			nk++;
			break;
		}
	}
	if (nb) {
		if (nk != nb + 1)
			return -EPROTO;
		m->bounds = calloc(nb, sizeof(*m->bounds));
		m->buckets = calloc(nk, sizeof(*m->buckets));
		if (!m->bounds || !m->buckets)
			return -ENOMEM;
	}
	m->n_bounds = nb;
	nb = nk = 0;
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case BCMON_METRIC_A_NAME:
			copy_string(m->name, sizeof(m->name), a);
			break;
		case BCMON_METRIC_A_HELP:
			copy_string(m->help, sizeof(m->help), a);
			break;
		case BCMON_METRIC_A_UNIT:
			copy_string(m->unit, sizeof(m->unit), a);
			break;
		case BCMON_METRIC_A_KIND:
			m->kind = nla_get_u8(a);
			break;
		case BCMON_METRIC_A_SCALE:
			m->scale = (int32_t)nla_get_u32(a);
			break;
		case BCMON_METRIC_A_VALUE:
			m->value = nla_get_s64(a);
			break;
		case BCMON_METRIC_A_COUNT:
			m->count = nla_get_u64(a);
			break;
		case BCMON_METRIC_A_SUM:
			m->sum = nla_get_s64(a);
			break;
		case BCMON_METRIC_A_BOUND:
			if (m->bounds)
				m->bounds[nb++] = nla_get_u64(a);
			break;
		case BCMON_METRIC_A_BUCKET:
			if (m->buckets)
				m->buckets[nk++] = nla_get_u64(a);
			break;
		}
	}
	return m->name[0] && m->kind ? 0 : -EPROTO;
}

static void metric_free(struct bcmon_metric_info *m)
{
	free(m->bounds);
	free(m->buckets);
}

void bcmon_set_info_free(struct bcmon_set_info *info)
{
	if (!info)
		return;
	for (size_t i = 0; i < info->n_metrics; i++)
		metric_free(&info->metrics[i]);
	free(info->metrics);
	memset(info, 0, sizeof(*info));
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

/* The set this part belongs to: the last one if the name continues it. */
static struct bcmon_set_info *part_owner(struct bcmon_set_list *list,
					 const char *name)
{
	struct bcmon_set_info *sets;

	if (list->n_sets && !strcmp(list->sets[list->n_sets - 1].name, name))
		return &list->sets[list->n_sets - 1];
	sets = realloc(list->sets, (list->n_sets + 1) * sizeof(*sets));
	if (!sets)
		return NULL;
	list->sets = sets;
	memset(&sets[list->n_sets], 0, sizeof(*sets));
	snprintf(sets[list->n_sets].name, sizeof(sets->name), "%s", name);
	return &sets[list->n_sets++];
}

static int parse_set(struct nlattr *nest, struct bcmon_set_list *list)
{
	struct bcmon_metric_info *metrics;
	struct bcmon_set_info *set;
	struct nlattr *a, *name;
	size_t n = 0;
	int rem, err;

	name = nla_find(nla_data(nest), nla_len(nest), BCMON_SET_A_NAME);
	if (!name)
		return -EPROTO;
	set = part_owner(list, nla_get_string(name));
	if (!set)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == BCMON_SET_A_OWNER_UID)
			set->owner_uid = nla_get_u32(a);
		else if (nla_type(a) == BCMON_SET_A_METRIC)
			n++;
	}
	metrics = realloc(set->metrics, (set->n_metrics + n) * sizeof(*metrics));
	if (!metrics && n)
		return -ENOMEM;
	set->metrics = metrics;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != BCMON_SET_A_METRIC)
			continue;
		err = parse_metric(a, &set->metrics[set->n_metrics]);
		set->n_metrics++;	/* counted even on error: freed later */
		if (err)
			return err;
	}
	return 0;
}

static int on_set_msg(struct nl_msg *msg, void *arg)
{
	struct dump_state *st = arg;
	struct nlattr *tb[BCMON_A_MAX + 1];
	int err;

	if (st->err)
		return NL_SKIP;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, BCMON_A_MAX, NULL) < 0 ||
	    !tb[BCMON_A_SET]) {
		st->err = -EPROTO;
		return NL_SKIP;
	}
	err = parse_set(tb[BCMON_A_SET], st->list);
	if (err)
		st->err = err;
	return NL_OK;
}

static int dump(struct bcmon *bc, const char *name, struct bcmon_set_list *out)
{
	int err = -EINTR;

	for (int attempt = 0; attempt < DUMP_ATTEMPTS && err == -EINTR; attempt++) {
		struct dump_state st = { .list = out };
		struct nl_msg *msg;

		bcmon_set_list_free(out);
		msg = bcmon_msg_new(bc, BCMON_CMD_SET_GET, NLM_F_DUMP);
		if (!msg)
			return -ENOMEM;
		if (name && nla_put_string(msg, BCMON_A_SET_NAME, name)) {
			nlmsg_free(msg);
			return -EMSGSIZE;
		}
		err = bcmon_exchange(bc, msg, on_set_msg, &st);
		if (!err)
			err = st.err;
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

int bcmon_set_info_find(const struct bcmon_set_info *info, const char *name)
{
	for (size_t i = 0; i < info->n_metrics; i++)
		if (!strcmp(info->metrics[i].name, name))
			return (int)i;
	return -1;
}
