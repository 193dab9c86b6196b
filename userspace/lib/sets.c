// SPDX-License-Identifier: LGPL-2.1
/*
 * BCMON_CMD_SET_CREATE, BCMON_CMD_SET_DESTROY and BCMON_CMD_SERIES_DELETE,
 * and the names of kinds and refusal reasons.
 */
#include <bcmon/libbcmon.h>

#include <errno.h>
#include <string.h>

#include <linux/bcmon.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "request.h"

static const char *const kind_names[] = {
	[BCMON_KIND_COUNTER]	= "counter",
	[BCMON_KIND_GAUGE]	= "gauge",
	[BCMON_KIND_HISTOGRAM]	= "histogram",
};

const char *bcmon_kind_name(enum bcmon_metric_kind kind)
{
	if (kind <= BCMON_KIND_UNSPEC || kind > BCMON_KIND_MAX)
		return NULL;
	return kind_names[kind];
}

static const char *const refusal_names[] = {
	[BCMON_REFUSED_SERIES_LIMIT]	= "series_limit",
	[BCMON_REFUSED_MEMORY_QUOTA]	= "memory_quota",
	[BCMON_REFUSED_LABEL_VALUE]	= "label_value",
};

const char *bcmon_refusal_name(enum bcmon_refusal reason)
{
	if ((unsigned int)reason > BCMON_REFUSED_MAX)
		return NULL;
	return refusal_names[reason];
}

enum bcmon_metric_kind bcmon_kind_parse(const char *name)
{
	for (int k = BCMON_KIND_COUNTER; k <= BCMON_KIND_MAX; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return BCMON_KIND_UNSPEC;
}

/* Room for one metric definition in a request. */
static size_t spec_size(const struct bcmon_metric_spec *m)
{
	size_t size = 64 + strlen(m->name) + (m->unit ? strlen(m->unit) : 0) +
		      (m->help ? strlen(m->help) : 0) + 16 * m->n_bounds;

	for (size_t i = 0; i < m->n_labels; i++)
		size += 8 + strlen(m->label_names[i]);
	return size + (m->native ? 48 : 0);
}

/*
 * The BCMON_METRIC_A_NATIVE nest: max-buckets 0 is left out, for the
 * module's default, as an absent attribute means.
 */
static int put_native(struct nl_msg *msg, const struct bcmon_metric_spec *m)
{
	struct nlattr *nest = nla_nest_start(msg, BCMON_METRIC_A_NATIVE);

	if (!nest ||
	    nla_put_s32(msg, BCMON_NATIVE_A_SCHEMA, m->native_schema) ||
	    (m->native_zero_threshold &&
	     nla_put_u64(msg, BCMON_NATIVE_A_ZERO_THRESHOLD, m->native_zero_threshold)) ||
	    (m->native_max_buckets &&
	     nla_put_u32(msg, BCMON_NATIVE_A_MAX_BUCKETS, m->native_max_buckets)) ||
	    (m->native_negative && nla_put_flag(msg, BCMON_NATIVE_A_NEGATIVE)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_metric(struct nl_msg *msg, const struct bcmon_metric_spec *m)
{
	struct nlattr *nest = nla_nest_start(msg, BCMON_A_METRIC);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(msg, BCMON_METRIC_A_NAME, m->name) ||
	    nla_put_u8(msg, BCMON_METRIC_A_KIND, m->kind) ||
	    nla_put_s32(msg, BCMON_METRIC_A_SCALE, m->scale) ||
	    (m->unit && *m->unit &&
	     nla_put_string(msg, BCMON_METRIC_A_UNIT, m->unit)) ||
	    (m->help && *m->help &&
	     nla_put_string(msg, BCMON_METRIC_A_HELP, m->help)))
		return -EMSGSIZE;
	for (size_t i = 0; i < m->n_bounds; i++)
		if (nla_put_u64(msg, BCMON_METRIC_A_BOUND, m->bounds[i]))
			return -EMSGSIZE;
	for (size_t i = 0; i < m->n_labels; i++)
		if (nla_put_string(msg, BCMON_METRIC_A_LABEL_NAME, m->label_names[i]))
			return -EMSGSIZE;
	if (m->native && put_native(msg, m))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int bcmon_set_create(struct bcmon *bc, const char *set,
		     const struct bcmon_metric_spec *metrics, size_t n)
{
	size_t size = 256 + strlen(set);
	struct nl_msg *msg;

	for (size_t i = 0; i < n; i++)
		size += spec_size(&metrics[i]);
	msg = bcmon_msg_new_size(bc, BCMON_CMD_SET_CREATE, 0, size);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, BCMON_A_SET_NAME, set))
		goto err_size;
	for (size_t i = 0; i < n; i++)
		if (put_metric(msg, &metrics[i]))
			goto err_size;
	return bcmon_exchange(bc, msg, NULL, NULL);

err_size:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

int bcmon_set_destroy(struct bcmon *bc, const char *set)
{
	struct nl_msg *msg = bcmon_msg_new(bc, BCMON_CMD_SET_DESTROY, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, BCMON_A_SET_NAME, set)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return bcmon_exchange(bc, msg, NULL, NULL);
}

/* One BCMON_*_A_LABEL nest {NAME, VALUE} of type attr. */
int bcmon_put_label(struct nl_msg *msg, int attr, const struct bcmon_label *l)
{
	struct nlattr *nest = nla_nest_start(msg, attr);

	if (!nest || !l->name || !l->value ||
	    nla_put_string(msg, BCMON_LABEL_A_NAME, l->name) ||
	    nla_put_string(msg, BCMON_LABEL_A_VALUE, l->value))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int bcmon_series_delete(struct bcmon *bc, const char *set, const char *metric,
			const struct bcmon_label *labels, size_t n)
{
	size_t size = 256 + strlen(set) + strlen(metric);
	struct nlattr *nest;
	struct nl_msg *msg;

	for (size_t i = 0; i < n; i++)
		size += 16 + (labels[i].name ? strlen(labels[i].name) : 0) +
			(labels[i].value ? strlen(labels[i].value) : 0);
	msg = bcmon_msg_new_size(bc, BCMON_CMD_SERIES_DELETE, 0, size);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, BCMON_A_SET_NAME, set))
		goto err_size;
	nest = nla_nest_start(msg, BCMON_A_SERIES);
	if (!nest || nla_put_string(msg, BCMON_SERIES_A_METRIC, metric))
		goto err_size;
	for (size_t i = 0; i < n; i++)
		if (bcmon_put_label(msg, BCMON_SERIES_A_LABEL, &labels[i]))
			goto err_size;
	nla_nest_end(msg, nest);
	return bcmon_exchange(bc, msg, NULL, NULL);

err_size:
	nlmsg_free(msg);
	return -EMSGSIZE;
}
