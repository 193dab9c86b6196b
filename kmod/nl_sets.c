// SPDX-License-Identifier: GPL-2.0
/*
 * Counter-set commands of the bcmon family: SET_CREATE, SET_DESTROY,
 * SET_GET (one set, or a resumable dump of all) and SET_UPDATE (a batch
 * of updates in one message, checked completely before any is applied).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/err.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/bcmon.h>

#include "bcmon_internal.h"
#include "compat.h"
#include "sets.h"

/* --- policies ---------------------------------------------------------- */

/*
 * Attributes a request may carry; reply-only ones (VALUE, SERIES, ...) are
 * left out, so a strict parse refuses them.
 */
/* A native histogram's definition (the module limit is checked later). */
static const struct nla_policy bcmon_native_policy[BCMON_NATIVE_A_MAX + 1] = {
	[BCMON_NATIVE_A_SCHEMA]	= NLA_POLICY_RANGE(NLA_S32, NHIST_SCHEMA_MIN,
						   NHIST_SCHEMA_MAX),
	[BCMON_NATIVE_A_ZERO_THRESHOLD] = { .type = NLA_U64 },
	[BCMON_NATIVE_A_MAX_BUCKETS] = NLA_POLICY_RANGE(NLA_U32, NHIST_WINDOW_MIN,
							BCMON_MAX_NATIVE_BUCKETS_CEILING),
	[BCMON_NATIVE_A_NEGATIVE] = { .type = NLA_FLAG },
};

static const struct nla_policy bcmon_metric_policy[BCMON_METRIC_A_NATIVE + 1] = {
	[BCMON_METRIC_A_NAME]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
	[BCMON_METRIC_A_HELP]	= { .type = NLA_NUL_STRING, .len = BCMON_HELP_MAX - 1 },
	[BCMON_METRIC_A_KIND]	= NLA_POLICY_RANGE(NLA_U8, BCMON_KIND_COUNTER,
						   BCMON_KIND_MAX),
	[BCMON_METRIC_A_UNIT]	= { .type = NLA_NUL_STRING, .len = BCMON_UNIT_MAX - 1 },
	[BCMON_METRIC_A_SCALE]	= NLA_POLICY_RANGE(NLA_S32, -18, 18),
	[BCMON_METRIC_A_BOUND]	= { .type = NLA_U64 },
	[BCMON_METRIC_A_LABEL_NAME] = { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
	[BCMON_METRIC_A_NATIVE]	= NLA_POLICY_NESTED(bcmon_native_policy),
};

static const struct nla_policy bcmon_label_policy[BCMON_LABEL_A_MAX + 1] = {
	[BCMON_LABEL_A_NAME]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
	[BCMON_LABEL_A_VALUE]	= { .type = NLA_NUL_STRING, .len = BCMON_LABEL_VALUE_MAX - 1 },
};

/* An update's exemplar: the ids only (bucket, value and time are replies'). */
static const struct nla_policy bcmon_exemplar_policy[BCMON_EXEMPLAR_A_SPAN_ID + 1] = {
	[BCMON_EXEMPLAR_A_TRACE_ID] = NLA_POLICY_EXACT_LEN(BCMON_TRACE_ID_LEN),
	[BCMON_EXEMPLAR_A_SPAN_ID] = NLA_POLICY_EXACT_LEN(BCMON_SPAN_ID_LEN),
};

static const struct nla_policy bcmon_update_policy[BCMON_UPDATE_A_EXEMPLAR + 1] = {
	[BCMON_UPDATE_A_METRIC]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
	[BCMON_UPDATE_A_OP]	= NLA_POLICY_RANGE(NLA_U8, BCMON_OP_ADD, BCMON_OP_MAX),
	[BCMON_UPDATE_A_VALUE]	= { .type = NLA_S64 },
	[BCMON_UPDATE_A_LABEL]	= NLA_POLICY_NESTED(bcmon_label_policy),
	[BCMON_UPDATE_A_EXEMPLAR] = NLA_POLICY_NESTED(bcmon_exemplar_policy),
};

/* A series named in a request (SERIES_DELETE). */
static const struct nla_policy bcmon_series_policy[BCMON_SERIES_A_LABEL + 1] = {
	[BCMON_SERIES_A_METRIC]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
	[BCMON_SERIES_A_LABEL]	= NLA_POLICY_NESTED(bcmon_label_policy),
};

const struct nla_policy bcmon_set_name_policy[BCMON_A_SET_NAME + 1] = {
	[BCMON_A_SET_NAME]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
};

const struct nla_policy bcmon_set_create_policy[BCMON_A_METRIC + 1] = {
	[BCMON_A_SET_NAME]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
	[BCMON_A_METRIC]	= NLA_POLICY_NESTED(bcmon_metric_policy),
};

const struct nla_policy bcmon_set_update_policy[BCMON_A_UPDATE + 1] = {
	[BCMON_A_SET_NAME]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
	[BCMON_A_UPDATE]	= NLA_POLICY_NESTED(bcmon_update_policy),
};

/* The read flags this module knows; others are refused. */
#define BCMON_READ_F_KNOWN	BCMON_READ_F_SERIES

const struct nla_policy bcmon_set_get_policy[BCMON_A_READ_FLAGS + 1] = {
	[BCMON_A_SET_NAME]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
	[BCMON_A_READ_FLAGS]	= NLA_POLICY_MASK(NLA_U32, BCMON_READ_F_KNOWN),
};

const struct nla_policy bcmon_series_delete_policy[BCMON_A_SERIES + 1] = {
	[BCMON_A_SET_NAME]	= { .type = NLA_NUL_STRING, .len = BCMON_NAME_MAX - 1 },
	[BCMON_A_SERIES]	= NLA_POLICY_NESTED(bcmon_series_policy),
};

/* A required attribute is missing: say which, in words and as miss_type. */
#define BCMON_REQUIRE(extack, nest, tb, type, what) ({			\
	bool __missing = !(tb)[type];					\
	if (__missing) {						\
		NL_SET_ERR_ATTR_MISS(extack, nest, type);		\
		NL_SET_ERR_MSG(extack, "missing attribute " what);	\
	}								\
	__missing;							\
})

/* --- SET_CREATE ----------------------------------------------------------- */

static int bcmon_parse_native(const struct nlattr *attr,
			      struct bcmon_metric_def *def,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BCMON_NATIVE_A_MAX + 1];
	int err;

	/* Validated against bcmon_native_policy with the request. */
	err = nla_parse_nested(tb, BCMON_NATIVE_A_MAX, attr, bcmon_native_policy,
			       extack);
	if (err)
		return err;
	if (BCMON_REQUIRE(extack, attr, tb, BCMON_NATIVE_A_SCHEMA,
			  "BCMON_NATIVE_A_SCHEMA"))
		return -EINVAL;
	def->native = true;
	def->native_schema = nla_get_s32(tb[BCMON_NATIVE_A_SCHEMA]);
	if (tb[BCMON_NATIVE_A_ZERO_THRESHOLD])
		def->native_zero_threshold =
			nla_get_u64(tb[BCMON_NATIVE_A_ZERO_THRESHOLD]);
	if (tb[BCMON_NATIVE_A_MAX_BUCKETS]) {
		def->native_max_buckets = nla_get_u32(tb[BCMON_NATIVE_A_MAX_BUCKETS]);
		if (def->native_max_buckets > bcmon_limits.max_native_buckets) {
			NL_SET_ERR_MSG_ATTR(extack, tb[BCMON_NATIVE_A_MAX_BUCKETS],
					    "native bucket limit above the module limit max_native_buckets");
			return -ERANGE;
		}
	}
	def->native_negative = nla_get_flag(tb[BCMON_NATIVE_A_NEGATIVE]);
	return 0;
}

static int bcmon_parse_metric(const struct nlattr *attr,
			      struct bcmon_metric_def *def,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BCMON_METRIC_A_NATIVE + 1];
	const struct nlattr *b;
	unsigned int nb = 0, nl = 0;
	const char **names;
	u64 *bounds;
	int rem, err;

	err = nla_parse_nested(tb, BCMON_METRIC_A_NATIVE, attr,
			       bcmon_metric_policy, extack);
	if (err)
		return err;
	if (tb[BCMON_METRIC_A_NATIVE]) {
		err = bcmon_parse_native(tb[BCMON_METRIC_A_NATIVE], def, extack);
		if (err)
			return err;
	}
	if (BCMON_REQUIRE(extack, attr, tb, BCMON_METRIC_A_NAME,
			  "BCMON_METRIC_A_NAME") ||
	    BCMON_REQUIRE(extack, attr, tb, BCMON_METRIC_A_KIND,
			  "BCMON_METRIC_A_KIND"))
		return -EINVAL;

	def->name = nla_data(tb[BCMON_METRIC_A_NAME]);
	def->kind = nla_get_u8(tb[BCMON_METRIC_A_KIND]);
	if (tb[BCMON_METRIC_A_HELP])
		def->help = nla_data(tb[BCMON_METRIC_A_HELP]);
	if (tb[BCMON_METRIC_A_UNIT])
		def->unit = nla_data(tb[BCMON_METRIC_A_UNIT]);
	if (tb[BCMON_METRIC_A_SCALE])
		def->scale = nla_get_s32(tb[BCMON_METRIC_A_SCALE]);

	nla_for_each_nested(b, attr, rem) {
		if (nla_type(b) == BCMON_METRIC_A_NATIVE && b != tb[BCMON_METRIC_A_NATIVE]) {
			NL_SET_ERR_MSG_ATTR(extack, b, "one BCMON_METRIC_A_NATIVE per metric");
			return -EINVAL;
		}
		if (nla_type(b) == BCMON_METRIC_A_LABEL_NAME &&
		    ++nl > bcmon_limits.max_labels) {
			NL_SET_ERR_MSG_ATTR(extack, b,
					    "too many label names (module limit max_labels)");
			return -E2BIG;
		}
		if (nla_type(b) != BCMON_METRIC_A_BOUND)
			continue;
		if (++nb > bcmon_limits.max_buckets) {
			NL_SET_ERR_MSG_ATTR(extack, b,
					    "too many bucket bounds (module limit max_buckets)");
			return -E2BIG;
		}
	}
	if (nl) {
		names = kcalloc(nl, sizeof(*names), GFP_KERNEL);
		if (!names)
			return -ENOMEM;
		nl = 0;
		nla_for_each_nested(b, attr, rem)
			if (nla_type(b) == BCMON_METRIC_A_LABEL_NAME)
				names[nl++] = nla_data(b);
		def->label_names = names;
		def->n_labels = nl;
	}
	if (!nb)
		return 0;
	bounds = kcalloc(nb, sizeof(*bounds), GFP_KERNEL);
	if (!bounds)
		return -ENOMEM;
	nb = 0;
	nla_for_each_nested(b, attr, rem)
		if (nla_type(b) == BCMON_METRIC_A_BOUND)
			bounds[nb++] = nla_get_u64(b);
	def->bounds = bounds;
	def->n_bounds = nb;
	return 0;
}

int bcmon_nl_set_create(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	const struct nlattr **mattrs = NULL;
	struct bcmon_metric_def *defs = NULL;
	struct bcmon_set *set;
	const struct nlattr *a;
	struct bcmon_caller who;
	struct bcmon_owner owner;
	unsigned int n = 0, i;
	int rem, err, bad;

	err = bcmon_nl_check_writer(skb, info, &who);
	if (err)
		return err;
	if (BCMON_REQUIRE(extack, NULL, info->attrs, BCMON_A_SET_NAME,
			  "BCMON_A_SET_NAME"))
		return -EINVAL;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != BCMON_A_METRIC)
			continue;
		if (++n > bcmon_limits.max_metrics) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "too many metrics in one set (module limit max_metrics)");
			return -E2BIG;
		}
	}
	if (!n) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, BCMON_A_METRIC);
		NL_SET_ERR_MSG(extack, "a set needs at least one BCMON_A_METRIC");
		return -EINVAL;
	}

	defs = kcalloc(n, sizeof(*defs), GFP_KERNEL);
	mattrs = kcalloc(n, sizeof(*mattrs), GFP_KERNEL);
	if (!defs || !mattrs) {
		err = -ENOMEM;
		goto out_free;
	}
	i = 0;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != BCMON_A_METRIC)
			continue;
		mattrs[i] = a;
		err = bcmon_parse_metric(a, &defs[i], extack);
		if (err)
			goto out_free;
		i++;
	}

	/* A process's set belongs to its uid, whatever its capabilities. */
	owner.origin = BCMON_ORIGIN_USER;
	owner.uid = who.uid;
	set = bcmon_set_create_owned(nla_data(info->attrs[BCMON_A_SET_NAME]),
				     defs, n, &owner, extack, &bad);
	if (IS_ERR(set)) {
		err = PTR_ERR(set);
		if (bad >= 0)
			NL_SET_BAD_ATTR(extack, mattrs[bad]);
		else if (err == -EINVAL || err == -EEXIST)
			NL_SET_BAD_ATTR(extack, info->attrs[BCMON_A_SET_NAME]);
		goto out_free;
	}
	bcmon_set_put(set);	/* the registry keeps its own reference */
	err = 0;

out_free:
	if (defs)
		for (i = 0; i < n; i++) {
			kfree(defs[i].bounds);
			kfree(defs[i].label_names);
		}
	kfree(defs);
	kfree(mattrs);
	return err;
}

/* --- SET_DESTROY ---------------------------------------------------------- */

static void bcmon_set_not_found(struct genl_info *info)
{
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[BCMON_A_SET_NAME],
			    "no set with this name");
}

/* The set BCMON_A_SET_NAME names, with a reference, or an ERR_PTR. */
static struct bcmon_set *bcmon_nl_set_get_ref(struct genl_info *info)
{
	struct bcmon_set *set;

	if (BCMON_REQUIRE(info->extack, NULL, info->attrs, BCMON_A_SET_NAME,
			  "BCMON_A_SET_NAME"))
		return ERR_PTR(-EINVAL);
	set = bcmon_set_get(nla_data(info->attrs[BCMON_A_SET_NAME]));
	if (!set) {
		bcmon_set_not_found(info);
		return ERR_PTR(-ENOENT);
	}
	return set;
}

int bcmon_nl_set_destroy(struct sk_buff *skb, struct genl_info *info)
{
	struct bcmon_caller who;
	struct bcmon_set *set;
	int err;

	err = bcmon_nl_check_writer(skb, info, &who);
	if (err)
		return err;
	set = bcmon_nl_set_get_ref(info);
	if (IS_ERR(set))
		return PTR_ERR(set);
	err = bcmon_nl_check_owner(info, &who, set, true);
	if (!err && bcmon_set_unregister(set)) {
		bcmon_set_not_found(info);	/* lost a race with another destroy */
		err = -ENOENT;
	}
	bcmon_set_put(set);
	return err;
}

/* --- SET_UPDATE ----------------------------------------------------------- */

struct bcmon_update {
	const struct nlattr *metric;
	int index;
	u8 op;
	s64 value;
	u16 key_len;		/* labeled metric: the series' key ... */
	char *key;		/* ... built here */
	const u8 *trace_id;	/* an exemplar's ids, or NULL */
	const u8 *span_id;
};

static bool bcmon_id_valid(const struct nlattr *a)
{
	return memchr_inv(nla_data(a), 0, nla_len(a)) != NULL;
}

/*
 * An update's BCMON_UPDATE_A_EXEMPLAR, which the family's policy validated
 * with the whole message (types, exact lengths, nothing else in it): both
 * ids, neither all zero (W3C: an invalid id), on a histogram observation.
 */
static int bcmon_exemplar_parse(const struct bcmon_metric *m,
				const struct nlattr *attr, struct bcmon_update *u,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BCMON_EXEMPLAR_A_SPAN_ID + 1] = {};
	struct nlattr *a;
	int rem;

	if (m->kind != BCMON_KIND_HISTOGRAM || u->op != BCMON_OP_OBSERVE) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "an exemplar goes with a histogram observation only");
		return -EINVAL;
	}
	nla_for_each_nested(a, attr, rem)
		if (nla_type(a) <= BCMON_EXEMPLAR_A_SPAN_ID)
			tb[nla_type(a)] = a;
	if (BCMON_REQUIRE(extack, attr, tb, BCMON_EXEMPLAR_A_TRACE_ID,
			  "BCMON_EXEMPLAR_A_TRACE_ID") ||
	    BCMON_REQUIRE(extack, attr, tb, BCMON_EXEMPLAR_A_SPAN_ID,
			  "BCMON_EXEMPLAR_A_SPAN_ID"))
		return -EINVAL;
	if (!bcmon_id_valid(tb[BCMON_EXEMPLAR_A_TRACE_ID]) ||
	    !bcmon_id_valid(tb[BCMON_EXEMPLAR_A_SPAN_ID])) {
		NL_SET_ERR_MSG_ATTR(extack, !bcmon_id_valid(tb[BCMON_EXEMPLAR_A_TRACE_ID]) ?
				    tb[BCMON_EXEMPLAR_A_TRACE_ID] : tb[BCMON_EXEMPLAR_A_SPAN_ID],
				    "an all-zero trace or span id is invalid");
		return -EINVAL;
	}
	u->trace_id = nla_data(tb[BCMON_EXEMPLAR_A_TRACE_ID]);
	u->span_id = nla_data(tb[BCMON_EXEMPLAR_A_SPAN_ID]);
	return 0;
}

/*
 * The key of the series a labeled update names: one BCMON_UPDATE_A_LABEL
 * (or BCMON_SERIES_A_LABEL: type) per label name of metric i, any order,
 * values checked. A value refused for a bound is counted in the metric.
 */
static int bcmon_labels_key(struct bcmon_set *set, unsigned int i,
			    const struct nlattr *attr, int type, char *key,
			    u16 *key_len, struct netlink_ext_ack *extack)
{
	const struct bcmon_metric *m = &set->metrics[i];
	const struct nlattr *value[BCMON_LABELS_MAX] = {};
	struct nlattr *tb[BCMON_LABEL_A_MAX + 1];
	const struct nlattr *a;
	unsigned int l, n = 0;
	int rem, err;

	nla_for_each_nested(a, attr, rem) {
		if (nla_type(a) != type)
			continue;
		if (!m->n_labels) {
			NL_SET_ERR_MSG_ATTR(extack, a, "labels given for a metric without labels");
			return -EINVAL;
		}
		n++;
		err = nla_parse_nested(tb, BCMON_LABEL_A_MAX, a, bcmon_label_policy,
				       extack);
		if (err)
			return err;
		if (BCMON_REQUIRE(extack, a, tb, BCMON_LABEL_A_NAME,
				  "BCMON_LABEL_A_NAME") ||
		    BCMON_REQUIRE(extack, a, tb, BCMON_LABEL_A_VALUE,
				  "BCMON_LABEL_A_VALUE"))
			return -EINVAL;
		for (l = 0; l < m->n_labels; l++)
			if (!strcmp(m->label_names[l], nla_data(tb[BCMON_LABEL_A_NAME])))
				break;
		if (l == m->n_labels) {
			NL_SET_ERR_MSG_ATTR(extack, tb[BCMON_LABEL_A_NAME],
					    "the metric has no label with this name");
			return -EINVAL;
		}
		if (value[l]) {
			NL_SET_ERR_MSG_ATTR(extack, a, "label given twice");
			return -EINVAL;
		}
		err = bcmon_label_value_check(nla_data(tb[BCMON_LABEL_A_VALUE]), extack);
		if (err) {
			bcmon_series_refused(set, i, BCMON_REFUSED_LABEL_VALUE);
			NL_SET_BAD_ATTR(extack, tb[BCMON_LABEL_A_VALUE]);
			return err;
		}
		value[l] = tb[BCMON_LABEL_A_VALUE];
	}
	if (n != m->n_labels) {
		NL_SET_ERR_ATTR_MISS(extack, attr, type);
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a labeled metric needs one label per label name");
		return -EINVAL;
	}
	*key_len = 0;
	for (l = 0; l < m->n_labels; l++)
		bcmon_series_key_add(key, key_len, nla_data(value[l]));
	return 0;
}

/* Parse one BCMON_A_UPDATE (already validated against the policy). */
static int bcmon_update_parse(struct bcmon_set *set,
			      const struct nlattr *attr, struct bcmon_update *u,
			      struct netlink_ext_ack *extack)
{
	const struct nlattr *a, *exemplar = NULL;
	bool has_op = false, has_value = false;
	int rem, err;

	u->metric = NULL;
	u->trace_id = NULL;
	u->span_id = NULL;
	nla_for_each_nested(a, attr, rem) {
		switch (nla_type(a)) {
		case BCMON_UPDATE_A_METRIC:
			u->metric = a;
			break;
		case BCMON_UPDATE_A_OP:
			u->op = nla_get_u8(a);
			has_op = true;
			break;
		case BCMON_UPDATE_A_VALUE:
			u->value = nla_get_s64(a);
			has_value = true;
			break;
		case BCMON_UPDATE_A_EXEMPLAR:
			exemplar = a;
			break;
		}
	}
	if (!u->metric || !has_op || !has_value) {
		NL_SET_ERR_ATTR_MISS(extack, attr, !u->metric ? BCMON_UPDATE_A_METRIC :
				     !has_op ? BCMON_UPDATE_A_OP : BCMON_UPDATE_A_VALUE);
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "an update needs BCMON_UPDATE_A_METRIC, _OP and _VALUE");
		return -EINVAL;
	}
	u->index = bcmon_metric_find(set, nla_data(u->metric));
	if (u->index < 0) {
		NL_SET_ERR_MSG_ATTR(extack, u->metric, "no metric with this name in the set");
		return -ENOENT;
	}
	if (!bcmon_op_valid(&set->metrics[u->index], u->op, u->value)) {
		if (u->op == BCMON_OP_ADD && u->value < 0) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "a counter only goes up: negative BCMON_UPDATE_A_VALUE");
			return -ERANGE;
		}
		if (u->op == BCMON_OP_OBSERVE && u->value < 0 &&
		    set->metrics[u->index].kind == BCMON_KIND_HISTOGRAM) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "negative BCMON_UPDATE_A_VALUE into a native histogram without BCMON_NATIVE_A_NEGATIVE");
			return -ERANGE;
		}
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "BCMON_UPDATE_A_OP does not fit the metric kind");
		return -EINVAL;
	}
	if (exemplar) {
		err = bcmon_exemplar_parse(&set->metrics[u->index], exemplar, u,
					   extack);
		if (err)
			return err;
	}
	return bcmon_labels_key(set, u->index, attr, BCMON_UPDATE_A_LABEL,
				u->key, &u->key_len, extack);
}

/* Updates resolved in the checking pass, applied in the second. */
struct bcmon_resolved {
	s64 value;
	u16 index;
	u8 op;
	int req;		/* labeled: its series request, else -1 */
	const u8 *trace_id;	/* exemplar ids (in the request), or NULL */
	const u8 *span_id;
};

#define BCMON_UPDATES_ON_STACK	16

/* Blame the i-th BCMON_A_UPDATE of the request. */
static void bcmon_nl_bad_update(struct genl_info *info,
				struct netlink_ext_ack *extack, unsigned int i)
{
	const struct nlattr *a;
	unsigned int k = 0;
	int rem;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		if (nla_type(a) == BCMON_A_UPDATE && k++ == i)
			NL_SET_BAD_ATTR(extack, a);
}

/* Bytes the label values of the update attributes need as keys, at most. */
static size_t bcmon_updates_key_bytes(const struct nlmsghdr *nlh,
				      unsigned int *n)
{
	const struct nlattr *a, *l;
	size_t bytes = 0;
	int rem, lrem;

	*n = 0;
	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		if (nla_type(a) != BCMON_A_UPDATE)
			continue;
		(*n)++;
		nla_for_each_nested(l, a, lrem)
			if (nla_type(l) == BCMON_UPDATE_A_LABEL)
				bytes += nla_len(l);
	}
	return bytes;
}

int bcmon_nl_set_update(struct sk_buff *skb, struct genl_info *info)
{
	struct bcmon_resolved stack[BCMON_UPDATES_ON_STACK], *todo = stack;
	struct bcmon_series_req sreqs[BCMON_UPDATES_ON_STACK], *reqs = sreqs;
	struct bcmon_exemplars_req xstack[BCMON_UPDATES_ON_STACK], *xreqs = xstack;
	struct netlink_ext_ack *extack = info->extack;
	unsigned int n, i, nreqs = 0, nex = 0;
	struct bcmon_caller who;
	struct bcmon_update u;
	struct bcmon_set *set;
	const struct nlattr *a;
	char *keys = NULL;
	size_t key_bytes;
	int rem, err, bad;
	u64 now = 0;

	err = bcmon_nl_check_writer(skb, info, &who);
	if (err)
		return err;
	if (BCMON_REQUIRE(extack, NULL, info->attrs, BCMON_A_SET_NAME,
			  "BCMON_A_SET_NAME") ||
	    BCMON_REQUIRE(extack, NULL, info->attrs, BCMON_A_UPDATE,
			  "BCMON_A_UPDATE"))
		return -EINVAL;
	set = bcmon_nl_set_get_ref(info);
	if (IS_ERR(set))
		return PTR_ERR(set);
	err = bcmon_nl_check_owner(info, &who, set, false);
	if (err)
		goto out_put;

	/* The batch is bounded by the message; large ones get heap arrays. */
	key_bytes = bcmon_updates_key_bytes(info->nlhdr, &n);
	if (n > BCMON_UPDATES_ON_STACK) {
		todo = kvmalloc_array(n, sizeof(*todo), GFP_KERNEL);
		reqs = kvmalloc_array(n, sizeof(*reqs), GFP_KERNEL);
	}
	if (key_bytes)
		keys = kvmalloc(key_bytes, GFP_KERNEL);
	if (!todo || !reqs || (key_bytes && !keys)) {
		err = -ENOMEM;
		goto out_free;
	}

	/* All or nothing: check every entry before applying any. */
	i = 0;
	u.key = keys;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != BCMON_A_UPDATE)
			continue;
		u.key_len = 0;
		err = bcmon_update_parse(set, a, &u, extack);
		if (err)
			goto out_free;
		todo[i].index = u.index;
		todo[i].op = u.op;
		todo[i].value = u.value;
		todo[i].req = -1;
		todo[i].trace_id = u.trace_id;
		todo[i].span_id = u.span_id;
		nex += !!u.trace_id;
		if (set->metrics[u.index].n_labels) {
			reqs[nreqs].metric = u.index;
			reqs[nreqs].key = u.key;
			reqs[nreqs].key_len = u.key_len;
			todo[i].req = nreqs++;
			u.key += u.key_len;
		}
		i++;
	}
	/* The series every labeled update names, created if new (bounded). */
	err = bcmon_series_resolve(set, reqs, nreqs, extack, &bad);
	if (err) {
		for (i = 0; bad >= 0 && i < n; i++)
			if (todo[i].req == bad)
				break;
		if (bad >= 0 && i < n)
			bcmon_nl_bad_update(info, extack, i);
		goto out_free;
	}
	/*
	 * Exemplar slots for the series that get their first exemplar, all or
	 * none. A refusal here changes no value; series the batch created
	 * stay, empty.
	 */
	if (nex) {
		unsigned int k = 0;

		if (nex > BCMON_UPDATES_ON_STACK) {
			xreqs = kvmalloc_array(nex, sizeof(*xreqs), GFP_KERNEL);
			if (!xreqs) {
				err = -ENOMEM;
				goto out_reqs;
			}
		}
		for (i = 0; i < n; i++) {
			struct bcmon_metric *m = &set->metrics[todo[i].index];

			if (todo[i].trace_id)
				xreqs[k++].series = todo[i].req < 0 ? m->series0 :
						    reqs[todo[i].req].series;
		}
		err = bcmon_exemplars_prepare(set, xreqs, nex, extack, &bad);
		if (err) {
			/* The bad-th update that has an exemplar. */
			for (i = 0, k = 0; bad >= 0 && i < n; i++)
				if (todo[i].trace_id && k++ == (unsigned int)bad)
					break;
			if (bad >= 0 && i < n)
				bcmon_nl_bad_update(info, extack, i);
			goto out_reqs;
		}
	}
	for (i = 0; i < n; i++) {
		struct bcmon_metric *m = &set->metrics[todo[i].index];
		struct bcmon_series *s = todo[i].req < 0 ? m->series0 :
					 reqs[todo[i].req].series;

		bcmon_series_apply(set, m, s, todo[i].op, todo[i].value);
		if (!todo[i].trace_id)
			continue;
		/* One clock read per message: its exemplars share the time. */
		if (!now)
			now = ktime_get_real_ns();
		bcmon_exemplar_store(m, s, todo[i].value, todo[i].trace_id,
				     todo[i].span_id, now);
	}
out_reqs:
	bcmon_series_reqs_put(reqs, nreqs);
out_free:
	if (xreqs != xstack)
		kvfree(xreqs);
	kvfree(keys);
	if (todo != stack)
		kvfree(todo);
	if (reqs != sreqs)
		kvfree(reqs);
out_put:
	bcmon_set_put(set);
	return err;
}

/* --- SERIES_DELETE ---------------------------------------------------------- */

/* Parse one BCMON_A_SERIES (a request to delete) into its metric and key. */
static int bcmon_series_parse(struct bcmon_set *set, const struct nlattr *attr,
			      int *metric, char *key, u16 *key_len,
			      struct netlink_ext_ack *extack)
{
	const struct nlattr *name = nla_find_nested(attr, BCMON_SERIES_A_METRIC);

	if (!name) {
		NL_SET_ERR_ATTR_MISS(extack, attr, BCMON_SERIES_A_METRIC);
		NL_SET_ERR_MSG_ATTR(extack, attr, "missing attribute BCMON_SERIES_A_METRIC");
		return -EINVAL;
	}
	*metric = bcmon_metric_find(set, nla_data(name));
	if (*metric < 0) {
		NL_SET_ERR_MSG_ATTR(extack, name, "no metric with this name in the set");
		return -ENOENT;
	}
	if (!set->metrics[*metric].n_labels) {
		NL_SET_ERR_MSG_ATTR(extack, name,
				    "an unlabeled metric has one series, which cannot be deleted");
		return -EINVAL;
	}
	return bcmon_labels_key(set, *metric, attr, BCMON_SERIES_A_LABEL, key,
				key_len, extack);
}

int bcmon_nl_series_delete(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct bcmon_caller who;
	struct bcmon_set *set;
	const struct nlattr *a;
	char *key;
	int rem, err, metric;
	u16 len;

	err = bcmon_nl_check_writer(skb, info, &who);
	if (err)
		return err;
	if (BCMON_REQUIRE(extack, NULL, info->attrs, BCMON_A_SET_NAME,
			  "BCMON_A_SET_NAME") ||
	    BCMON_REQUIRE(extack, NULL, info->attrs, BCMON_A_SERIES,
			  "BCMON_A_SERIES"))
		return -EINVAL;
	set = bcmon_nl_set_get_ref(info);
	if (IS_ERR(set))
		return PTR_ERR(set);
	err = bcmon_nl_check_owner(info, &who, set, false);
	if (err)
		goto out_put;
	key = kmalloc(BCMON_SERIES_KEY_MAX, GFP_KERNEL);
	if (!key) {
		err = -ENOMEM;
		goto out_put;
	}
	/* All or nothing: every series named must exist before any goes. */
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != BCMON_A_SERIES)
			continue;
		err = bcmon_series_parse(set, a, &metric, key, &len, extack);
		if (err)
			goto out_free;
		rcu_read_lock();
		if (!bcmon_series_lookup_rcu(set, metric, key, len)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "no series with these label values");
			err = -ENOENT;
		}
		rcu_read_unlock();
		if (err)
			goto out_free;
	}
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != BCMON_A_SERIES)
			continue;
		err = bcmon_series_parse(set, a, &metric, key, &len, extack);
		/* Gone since the check: another deleter won; it is gone all the same. */
		if (!err && bcmon_series_delete_key(set, metric, key, len) == -ENOENT)
			err = 0;
		if (err)
			break;
	}
out_free:
	kfree(key);
out_put:
	bcmon_set_put(set);
	return err;
}

/* --- SET_GET: message building -------------------------------------------- */

/* What a reader asked for (BCMON_A_READ_FLAGS) and where a dump stands. */
struct bcmon_fill {
	u32 flags;
	u32 next_metric;
	unsigned long next_series;	/* labeled metric: next series id */
	/* Buffers for reading native histograms, for one fill (not kept). */
	struct bcmon_native_read *native;
};

static bool bcmon_reader_sees(const struct bcmon_fill *f,
			      const struct bcmon_metric *m)
{
	return !m->n_labels || (f->flags & BCMON_READ_F_SERIES);
}

/* Bytes a metric's definition takes in a reply (no values). */
static size_t bcmon_metric_def_size(const struct bcmon_metric *m)
{
	size_t size = nla_total_size(0) +			/* nest */
		      nla_total_size(strlen(m->name) + 1) +
		      nla_total_size(sizeof(u8)) +		/* kind */
		      nla_total_size(sizeof(s32));		/* scale */
	unsigned int l;

	if (m->help)
		size += nla_total_size(strlen(m->help) + 1);
	if (m->unit[0])
		size += nla_total_size(strlen(m->unit) + 1);
	size += m->n_bounds * nla_total_size_64bit(sizeof(u64));
	for (l = 0; l < m->n_labels; l++)
		size += nla_total_size(strlen(m->label_names[l]) + 1);
	if (m->native_table)
		size += nla_total_size(0) +			/* native nest */
			nla_total_size(sizeof(s32)) +		/* schema */
			nla_total_size_64bit(sizeof(u64)) +	/* zero threshold */
			nla_total_size(sizeof(u32)) +		/* max buckets */
			nla_total_size(0);			/* negative */
	if (m->n_labels)
		size += nla_total_size(sizeof(u32)) +		/* series count */
			__BCMON_REFUSED_MAX * (nla_total_size(0) +
			nla_total_size(sizeof(u8)) + nla_total_size_64bit(sizeof(u64)));
	return size;
}

/* Bytes the native buckets of a histogram with windows of max take at most. */
static size_t bcmon_native_buckets_size(u32 max, bool negative)
{
	/* nest, schema, zero count, then each sign's offset and counts */
	return nla_total_size(0) + nla_total_size(sizeof(s32)) +
	       nla_total_size_64bit(sizeof(u64)) +
	       (negative ? 2 : 1) * (nla_total_size(sizeof(s32)) +
				     nla_total_size_64bit(max * sizeof(u64)));
}

/* Bytes one set of values (a metric's or a series') takes. */
static size_t bcmon_values_size(const struct bcmon_metric *m)
{
	size_t size;

	if (m->kind != BCMON_KIND_HISTOGRAM)
		return nla_total_size_64bit(sizeof(u64));
	/* buckets (one more than bounds), count, sum */
	size = (m->n_bounds + 3) * nla_total_size_64bit(sizeof(u64));
	if (m->native_table)
		size += bcmon_native_buckets_size(m->native_max,
						  m->native_negative);
	return size;
}

/* Bytes one exemplar nest takes. */
static size_t bcmon_exemplar_size(void)
{
	return nla_total_size(0) +
	       nla_total_size(BCMON_TRACE_ID_LEN) +
	       nla_total_size(BCMON_SPAN_ID_LEN) +
	       nla_total_size(sizeof(u32)) +			/* bucket */
	       2 * nla_total_size_64bit(sizeof(u64));		/* value, time */
}

/*
 * Bytes the exemplars of s may take: every bucket's, once it has slots (a
 * bucket may get its first one between this count and the fill).
 */
static size_t bcmon_exemplars_reply_size(const struct bcmon_series *s)
{
	const struct bcmon_exemplars *ex = smp_load_acquire(&s->exemplars);

	return ex ? ex->n * bcmon_exemplar_size() : 0;
}

/* Bytes one series takes, under rcu_read_lock(). */
static size_t bcmon_series_size(const struct bcmon_metric *m,
				const struct bcmon_series *s)
{
	size_t size = nla_total_size(0) + bcmon_values_size(m) +
		      bcmon_exemplars_reply_size(s);
	unsigned int l, off = 0;

	for (l = 0; l < m->n_labels; l++) {
		size_t len = strlen(s->key + off) + 1;

		size += nla_total_size(0) +
			nla_total_size(strlen(m->label_names[l]) + 1) +
			nla_total_size(len);
		off += len;
	}
	return size;
}

/*
 * Values of one reading: VALUE, or BUCKETs then COUNT and SUM (the count is
 * the sum of these buckets, the sum theirs). Attribute types of the nest
 * being filled: the metric's (BCMON_METRIC_A_*) or a series' (*_SERIES_A_*).
 */
struct bcmon_value_attrs {
	int value, bucket, count, sum, pad, exemplar, native;
};

static const struct bcmon_value_attrs bcmon_metric_value_attrs = {
	BCMON_METRIC_A_VALUE, BCMON_METRIC_A_BUCKET, BCMON_METRIC_A_COUNT,
	BCMON_METRIC_A_SUM, BCMON_METRIC_A_PAD, BCMON_METRIC_A_EXEMPLAR,
	BCMON_METRIC_A_NATIVE_BUCKETS,
};

static const struct bcmon_value_attrs bcmon_series_value_attrs = {
	BCMON_SERIES_A_VALUE, BCMON_SERIES_A_BUCKET, BCMON_SERIES_A_COUNT,
	BCMON_SERIES_A_SUM, BCMON_SERIES_A_PAD, BCMON_SERIES_A_EXEMPLAR,
	BCMON_SERIES_A_NATIVE_BUCKETS,
};

/* Each bucket's exemplar, in bucket order, as nests of type. */
static int bcmon_put_exemplars(struct sk_buff *skb, const struct bcmon_metric *m,
			       const struct bcmon_series *s, int type)
{
	struct bcmon_exemplar e;
	struct nlattr *nest;
	u32 b;

	for (b = 0; b <= m->n_bounds; b++) {
		if (!bcmon_exemplar_read(s, b, &e))
			continue;
		nest = nla_nest_start(skb, type);
		if (!nest ||
		    nla_put(skb, BCMON_EXEMPLAR_A_TRACE_ID, BCMON_TRACE_ID_LEN,
			    e.trace_id) ||
		    nla_put(skb, BCMON_EXEMPLAR_A_SPAN_ID, BCMON_SPAN_ID_LEN,
			    e.span_id) ||
		    nla_put_u32(skb, BCMON_EXEMPLAR_A_BUCKET, b) ||
		    nla_put_s64(skb, BCMON_EXEMPLAR_A_VALUE, e.value,
				BCMON_EXEMPLAR_A_PAD) ||
		    nla_put_u64_64bit(skb, BCMON_EXEMPLAR_A_TIMESTAMP, e.time_ns,
				      BCMON_EXEMPLAR_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/* One sign's buckets: the offset and counts of its non-empty span. */
static int bcmon_put_native_window(struct sk_buff *skb,
				   const struct nhist_window *w,
				   int offset_type, int counts_type)
{
	struct nlattr *counts;
	u32 lo, hi;

	if (!w->used || !nhist_window_span(w, &lo, &hi))
		return 0;
	if (nla_put_s32(skb, offset_type, w->offset + (s32)lo))
		return -EMSGSIZE;
	/* 8-byte aligned payload (a pad attribute first where needed). */
	counts = nla_reserve_64bit(skb, counts_type, (hi - lo + 1) * sizeof(u64),
				   BCMON_NATIVE_BUCKETS_A_PAD);
	if (!counts)
		return -EMSGSIZE;
	memcpy(nla_data(counts), &w->b[lo], (hi - lo + 1) * sizeof(u64));
	return 0;
}

static int bcmon_put_native_buckets(struct sk_buff *skb, int type,
				    const struct bcmon_native_read *nr)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_s32(skb, BCMON_NATIVE_BUCKETS_A_SCHEMA, nr->pos->schema) ||
	    nla_put_u64_64bit(skb, BCMON_NATIVE_BUCKETS_A_ZERO_COUNT, nr->zero,
			      BCMON_NATIVE_BUCKETS_A_PAD) ||
	    bcmon_put_native_window(skb, nr->pos,
				    BCMON_NATIVE_BUCKETS_A_POSITIVE_OFFSET,
				    BCMON_NATIVE_BUCKETS_A_POSITIVE_COUNTS) ||
	    bcmon_put_native_window(skb, nr->neg,
				    BCMON_NATIVE_BUCKETS_A_NEGATIVE_OFFSET,
				    BCMON_NATIVE_BUCKETS_A_NEGATIVE_COUNTS))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int bcmon_put_values(struct sk_buff *skb, struct bcmon_set *set,
			    const struct bcmon_metric *m,
			    const struct bcmon_series *s,
			    const struct bcmon_value_attrs *t,
			    struct bcmon_native_read *nr)
{
	u64 buckets[BCMON_MAX_BUCKETS_CEILING + 1];
	struct bcmon_metric_value v = { .buckets = buckets, .native = nr };
	u32 b;

	bcmon_series_read(set, m, s, &v);
	if (m->kind != BCMON_KIND_HISTOGRAM)
		return nla_put_s64(skb, t->value, v.value, t->pad);
	for (b = 0; b <= m->n_bounds; b++)
		if (nla_put_u64_64bit(skb, t->bucket, buckets[b], t->pad))
			return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, t->count, v.count, t->pad) ||
	    nla_put_s64(skb, t->sum, v.sum, t->pad))
		return -EMSGSIZE;
	if (m->native_table && bcmon_put_native_buckets(skb, t->native, nr))
		return -EMSGSIZE;
	return bcmon_put_exemplars(skb, m, s, t->exemplar);
}

/* One BCMON_METRIC_A_SERIES nest: its labels in order, then its values. */
static int bcmon_fill_series(struct sk_buff *skb, struct bcmon_set *set,
			     const struct bcmon_metric *m,
			     const struct bcmon_series *s,
			     struct bcmon_native_read *nr)
{
	struct nlattr *nest, *label;
	unsigned int l, off = 0;

	nest = nla_nest_start(skb, BCMON_METRIC_A_SERIES);
	if (!nest)
		return -EMSGSIZE;
	for (l = 0; l < m->n_labels; l++) {
		label = nla_nest_start(skb, BCMON_SERIES_A_LABEL);
		if (!label ||
		    nla_put_string(skb, BCMON_LABEL_A_NAME, m->label_names[l]) ||
		    nla_put_string(skb, BCMON_LABEL_A_VALUE, s->key + off))
			goto err_cancel;
		nla_nest_end(skb, label);
		off += strlen(s->key + off) + 1;
	}
	if (bcmon_put_values(skb, set, m, s, &bcmon_series_value_attrs, nr))
		goto err_cancel;
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int bcmon_put_native_def(struct sk_buff *skb, const struct bcmon_metric *m)
{
	struct nlattr *nest = nla_nest_start(skb, BCMON_METRIC_A_NATIVE);

	if (!nest ||
	    nla_put_s32(skb, BCMON_NATIVE_A_SCHEMA, m->native_schema) ||
	    nla_put_u64_64bit(skb, BCMON_NATIVE_A_ZERO_THRESHOLD, m->native_zero,
			      BCMON_NATIVE_A_PAD) ||
	    nla_put_u32(skb, BCMON_NATIVE_A_MAX_BUCKETS, m->native_max) ||
	    (m->native_negative && nla_put_flag(skb, BCMON_NATIVE_A_NEGATIVE)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* A metric's definition; for a labeled one also its counts and refusals. */
static int bcmon_put_metric_def(struct sk_buff *skb, const struct bcmon_metric *m)
{
	struct nlattr *r;
	unsigned int l;
	u32 b;
	u8 why;

	/* A scale of 0 (nearly every metric) goes without its attribute. */
	if (nla_put_string(skb, BCMON_METRIC_A_NAME, m->name) ||
	    nla_put_u8(skb, BCMON_METRIC_A_KIND, m->kind) ||
	    (m->scale && nla_put_s32(skb, BCMON_METRIC_A_SCALE, m->scale)) ||
	    (m->help && nla_put_string(skb, BCMON_METRIC_A_HELP, m->help)) ||
	    (m->unit[0] && nla_put_string(skb, BCMON_METRIC_A_UNIT, m->unit)))
		return -EMSGSIZE;
	for (b = 0; b < m->n_bounds; b++)
		if (nla_put_u64_64bit(skb, BCMON_METRIC_A_BOUND, m->bounds[b],
				      BCMON_METRIC_A_PAD))
			return -EMSGSIZE;
	if (m->native_table && bcmon_put_native_def(skb, m))
		return -EMSGSIZE;
	if (!m->n_labels)
		return 0;
	for (l = 0; l < m->n_labels; l++)
		if (nla_put_string(skb, BCMON_METRIC_A_LABEL_NAME, m->label_names[l]))
			return -EMSGSIZE;
	if (nla_put_u32(skb, BCMON_METRIC_A_SERIES_COUNT, READ_ONCE(m->n_series)))
		return -EMSGSIZE;
	for (why = 0; why <= BCMON_REFUSED_MAX; why++) {
		r = nla_nest_start(skb, BCMON_METRIC_A_REFUSED);
		if (!r || nla_put_u8(skb, BCMON_REFUSED_A_REASON, why) ||
		    nla_put_u64_64bit(skb, BCMON_REFUSED_A_COUNT,
				      atomic64_read(&m->refused[why]),
				      BCMON_REFUSED_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, r);
	}
	return 0;
}

/*
 * A counter or gauge with nothing but its name, kind and value (no help,
 * unit, scale or labels: most metrics) goes in with one room check and
 * one skb_put(), where the general path below makes five attribute puts
 * for it, each with its own: the same bytes (the METRIC nest, NAME, KIND,
 * VALUE, as nla_put_string(), nla_put_u8() and nla_put_s64() lay them
 * out), for every such metric of every dump. Only where a u64 needs no
 * pad attribute (CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS), as there
 * nla_put_s64() adds none either.
 */
static bool bcmon_metric_is_plain(const struct bcmon_metric *m)
{
	return IS_ENABLED(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS) &&
	       (m->kind == BCMON_KIND_COUNTER || m->kind == BCMON_KIND_GAUGE) &&
	       !m->n_labels && !m->help && !m->unit[0] && !m->scale;
}

static struct nlattr *bcmon_attr_at(void *at, int type, int payload)
{
	struct nlattr *a = at;

	a->nla_type = type;
	a->nla_len = nla_attr_size(payload);
	memset((char *)nla_data(a) + payload, 0, nla_padlen(payload));
	return a;
}

static int bcmon_put_plain_metric(struct sk_buff *skb, struct bcmon_set *set,
				  const struct bcmon_metric *m)
{
	int name_len = strlen(m->name) + 1;
	int total = NLA_HDRLEN + nla_total_size(name_len) + nla_total_size(sizeof(u8)) +
		    nla_total_size(sizeof(s64));
	struct bcmon_metric_value v = { };
	struct nlattr *a;
	char *at;

	if (skb_tailroom(skb) < total)
		return -EMSGSIZE;
	bcmon_series_read(set, m, m->series0, &v);
	at = skb_put(skb, total);
	a = bcmon_attr_at(at, BCMON_SET_A_METRIC | NLA_F_NESTED, total - NLA_HDRLEN);
	at += NLA_HDRLEN;
	a = bcmon_attr_at(at, BCMON_METRIC_A_NAME, name_len);
	memcpy(nla_data(a), m->name, name_len);
	at += nla_total_size(name_len);
	a = bcmon_attr_at(at, BCMON_METRIC_A_KIND, sizeof(u8));
	*(u8 *)nla_data(a) = m->kind;
	at += nla_total_size(sizeof(u8));
	a = bcmon_attr_at(at, BCMON_METRIC_A_VALUE, sizeof(s64));
	memcpy(nla_data(a), &v.value, sizeof(s64));
	return 0;
}

/*
 * Put metric i with its values, or with its series from f->next_series on,
 * under rcu_read_lock(). Returns 0 when the metric is complete, 1 when the
 * message is full after some of its series (f->next_series moved on), and
 * -EMSGSIZE when nothing of it fit (the nest is cancelled).
 */
static int bcmon_fill_metric(struct sk_buff *skb, struct bcmon_set *set,
			     unsigned int i, struct bcmon_fill *f)
{
	struct bcmon_metric *m = &set->metrics[i];
	struct bcmon_series *s;
	struct nlattr *nest;
	unsigned long id;
	bool some = false;

	if (bcmon_metric_is_plain(m))
		return bcmon_put_plain_metric(skb, set, m);
	nest = nla_nest_start(skb, BCMON_SET_A_METRIC);
	if (!nest)
		return -EMSGSIZE;
	if (bcmon_put_metric_def(skb, m))
		goto err_cancel;
	if (!m->n_labels) {
		if (bcmon_put_values(skb, set, m, m->series0,
				     &bcmon_metric_value_attrs, f->native))
			goto err_cancel;
		nla_nest_end(skb, nest);
		return 0;
	}
	for (id = f->next_series; (s = bcmon_series_next_rcu(m, &id)); id++) {
		if (bcmon_fill_series(skb, set, m, s, f->native)) {
			if (!some)
				goto err_cancel;
			f->next_series = id;
			nla_nest_end(skb, nest);
			return 1;
		}
		some = true;
		if (id == ULONG_MAX)
			break;
	}
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * Put a BCMON_A_SET with the metrics from f's position on, under
 * rcu_read_lock(). Stops where the message is full and leaves f there.
 * Metrics the reader does not see (labeled ones, for a reader that did not
 * ask for series) are passed over. Returns -EMSGSIZE when not even the set
 * header fits.
 */
static int bcmon_fill_set(struct sk_buff *skb, struct bcmon_set *set,
			  struct user_namespace *ns, struct bcmon_fill *f)
{
	struct nlattr *nest;
	int r;

	nest = nla_nest_start(skb, BCMON_A_SET);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, BCMON_SET_A_NAME, set->name) ||
	    nla_put_u8(skb, BCMON_SET_A_OWNER, set->owner.origin) ||
	    (!bcmon_owner_is_kernel(&set->owner) &&
	     nla_put_u32(skb, BCMON_SET_A_OWNER_UID,
			 from_kuid_munged(ns, set->owner.uid)))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	while (f->next_metric < set->n_metrics) {
		if (!bcmon_reader_sees(f, &set->metrics[f->next_metric])) {
			f->next_metric++;
			continue;
		}
		r = bcmon_fill_metric(skb, set, f->next_metric, f);
		if (r)
			break;
		f->next_metric++;
		f->next_series = 0;
	}
	/* A nest's length is 16 bits: a larger one would be sent wrapped. */
	if (skb_tail_pointer(skb) - (unsigned char *)nest > U16_MAX) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* --- SET_GET doit: one set in one message --------------------------------- */

/* Larger replies are refused: the dump (with BCMON_A_SET_NAME) splits them. */
#define BCMON_DOIT_REPLY_MAX	(64 * 1024)

/* Bytes the whole set takes for this reader; stops counting past max. */
static size_t bcmon_set_reply_size(struct bcmon_set *set, u32 flags, size_t max)
{
	struct bcmon_fill f = { .flags = flags };
	size_t size = nla_total_size(0) + nla_total_size(BCMON_NAME_MAX) +
		      nla_total_size(sizeof(u32)) + nla_total_size(sizeof(u8));
	struct bcmon_series *s;
	unsigned long id;
	unsigned int i;

	for (i = 0; i < set->n_metrics && size <= max; i++) {
		struct bcmon_metric *m = &set->metrics[i];

		if (!bcmon_reader_sees(&f, m))
			continue;
		size += bcmon_metric_def_size(m);
		if (!m->n_labels) {
			size += bcmon_values_size(m) +
				bcmon_exemplars_reply_size(m->series0);
			continue;
		}
		rcu_read_lock();
		for (id = 0; size <= max && (s = bcmon_series_next_rcu(m, &id)); id++)
			size += bcmon_series_size(m, s);
		rcu_read_unlock();
	}
	return size;
}

static u32 bcmon_read_flags(struct nlattr **attrs)
{
	return attrs[BCMON_A_READ_FLAGS] ?
	       nla_get_u32(attrs[BCMON_A_READ_FLAGS]) : 0;
}

int bcmon_nl_set_get(struct sk_buff *skb, struct genl_info *info)
{
	struct bcmon_fill f = { .flags = bcmon_read_flags(info->attrs) };
	struct bcmon_set *set;
	struct sk_buff *msg;
	int err, attempt;
	size_t size;
	void *hdr;

	set = bcmon_nl_set_get_ref(info);
	if (IS_ERR(set))
		return PTR_ERR(set);
	if (set->has_native) {
		f.native = bcmon_native_read_alloc(GFP_KERNEL);
		if (!f.native) {
			err = -ENOMEM;
			goto out_put;
		}
	}
	/*
	 * Series created, or exemplar slots given, since the count take more
	 * room than the slack: count again once before refusing.
	 */
	for (attempt = 0; ; attempt++) {
		size = bcmon_set_reply_size(set, f.flags, BCMON_DOIT_REPLY_MAX);
		if (size > BCMON_DOIT_REPLY_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[BCMON_A_SET_NAME],
					    "set too large for one message: dump it with BCMON_A_SET_NAME");
			err = -EMSGSIZE;
			goto out_put;
		}
		msg = genlmsg_new(size + size / 4 + NLMSG_GOODSIZE, GFP_KERNEL);
		if (!msg) {
			err = -ENOMEM;
			goto out_put;
		}
		hdr = genlmsg_put_reply(msg, info, bcmon_nl_family(), 0,
					BCMON_CMD_SET_GET);
		f.next_metric = 0;
		f.next_series = 0;
		rcu_read_lock();
		err = !hdr || bcmon_fill_set(msg, set, sk_user_ns(NETLINK_CB(skb).sk), &f) ||
		      f.next_metric != set->n_metrics;
		rcu_read_unlock();
		if (!err)
			break;
		nlmsg_free(msg);
		if (attempt) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[BCMON_A_SET_NAME],
					    "set grew too large for one message: dump it with BCMON_A_SET_NAME");
			err = -EMSGSIZE;
			goto out_put;
		}
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out_put:
	bcmon_native_read_free(f.native);
	bcmon_set_put(set);
	return err;
}

/* --- SET_GET dump: every set, or one large set, over many messages -------- */

/*
 * Position in the dump: the set (by id, ids only grow), the next metric in
 * it and, in a labeled metric, the next series id (ids only grow too). A
 * set too large for one message continues in the next one with its name
 * repeated, a labeled metric with its definition repeated; readers merge
 * consecutive parts of the same set and metric.
 */
struct bcmon_dump_ctx {
	u64 next_id;
	u64 only_id;		/* 0: every set */
	struct bcmon_fill fill;
	bool not_found;		/* the named set does not exist */
};

static struct bcmon_dump_ctx *bcmon_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct bcmon_dump_ctx) > sizeof(cb->ctx));
	return (struct bcmon_dump_ctx *)cb->ctx;
}

/*
 * The largest part a dump must be able to send whole: a set's header, one
 * metric's definition and one series at the module's limits (which every
 * set, the kernel's included, is held to), with an exemplar in every
 * bucket (a series is never split between messages).
 */
static size_t bcmon_dump_min_alloc(void)
{
	const struct bcmon_limits *l = &bcmon_limits;
	size_t set = nla_total_size(0) + nla_total_size(BCMON_NAME_MAX) +
		     nla_total_size(sizeof(u32)) + nla_total_size(sizeof(u8));
	size_t def = nla_total_size(0) + nla_total_size(BCMON_NAME_MAX) +
		     nla_total_size(BCMON_HELP_MAX) + nla_total_size(BCMON_UNIT_MAX) +
		     nla_total_size(sizeof(u8)) + nla_total_size(sizeof(s32)) +
		     l->max_buckets * nla_total_size_64bit(sizeof(u64)) +
		     l->max_labels * nla_total_size(BCMON_NAME_MAX) +
		     nla_total_size(0) + nla_total_size(sizeof(s32)) +	/* native */
		     nla_total_size_64bit(sizeof(u64)) +
		     nla_total_size(sizeof(u32)) + nla_total_size(0) +
		     nla_total_size(sizeof(u32)) +
		     __BCMON_REFUSED_MAX * (nla_total_size(0) + nla_total_size(sizeof(u8)) +
					    nla_total_size_64bit(sizeof(u64)));
	size_t series = nla_total_size(0) +
			l->max_labels * (nla_total_size(0) +
					 nla_total_size(BCMON_NAME_MAX) +
					 nla_total_size(l->max_label_value_len + 1)) +
			(l->max_buckets + 3) * nla_total_size_64bit(sizeof(u64)) +
			bcmon_native_buckets_size(l->max_native_buckets, true) +
			(l->max_buckets + 1) * bcmon_exemplar_size();

	return nlmsg_total_size(GENL_HDRLEN + set + def + series);
}

int bcmon_nl_set_dump_start(struct netlink_callback *cb)
{
	struct bcmon_dump_ctx *ctx = bcmon_dump_ctx(cb);
	struct nlattr **attrs = bcmon_dump_attrs(cb);
	struct bcmon_set *set;

	/*
	 * netlink_dump() allocates at least this much for each part (more,
	 * up to 32 KiB, when the reader's buffer is larger and the allocation
	 * succeeds without reclaim); its own floor, NLMSG_GOODSIZE, is
	 * smaller than one series with exemplars at the default limits.
	 */
	cb->min_dump_alloc = bcmon_dump_min_alloc();
	memset(ctx, 0, sizeof(*ctx));
	ctx->next_id = 1;
	ctx->fill.flags = bcmon_read_flags(attrs);
	if (!attrs[BCMON_A_SET_NAME])
		return 0;
	rcu_read_lock();
	set = bcmon_set_lookup_rcu(nla_data(attrs[BCMON_A_SET_NAME]));
	if (set)
		ctx->next_id = ctx->only_id = set->id;
	rcu_read_unlock();
	/*
	 * Not an error here: 6.1 passes no extack to .start, so the answer
	 * comes from the first dumpit, in NLMSG_DONE with the extack.
	 */
	ctx->not_found = !set;
	return 0;
}

/*
 * Flag the rest of this dump (the next message or NLMSG_DONE) with
 * NLM_F_DUMP_INTR: nl_dump_check_consistent() flags a message whose
 * cb->seq differs from the one of the message before.
 */
static void bcmon_dump_mark_interrupted(struct netlink_callback *cb)
{
	cb->seq = cb->prev_seq + 1;
}

int bcmon_nl_set_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct user_namespace *ns = sk_user_ns(NETLINK_CB(cb->skb).sk);
	struct bcmon_dump_ctx *ctx = bcmon_dump_ctx(cb);
	struct bcmon_fill *f = &ctx->fill;
	unsigned long start_series;
	struct bcmon_set *set;
	bool complete = false;
	u32 start_metric;
	bool in_set;
	int err = 0;
	void *hdr;
	u64 id;

	if (ctx->not_found) {
		NL_SET_ERR_MSG(cb->extack, "no set with this name");
		return -ENOENT;
	}
	/*
	 * For this part only: the context keeps nothing between parts. Any
	 * set may have native histograms, including one created meanwhile.
	 */
	f->native = bcmon_native_read_alloc(GFP_KERNEL);
	if (!f->native)
		return -ENOMEM;
	cb->seq = bcmon_sets_generation();
	rcu_read_lock();
	for (;;) {
		id = ctx->next_id;
		set = bcmon_set_next_rcu(&id);
		in_set = set && id == ctx->next_id;
		if ((f->next_metric || f->next_series) && !in_set) {
			/*
			 * The set we were in the middle of is gone, and the
			 * reader holds part of it: say so whatever the
			 * generation sampled above (a destroy bumps it only
			 * after unlisting the set).
			 */
			bcmon_dump_mark_interrupted(cb);
			f->next_metric = 0;
			f->next_series = 0;
		} else if (ctx->only_id && !in_set &&
			   ctx->next_id == ctx->only_id) {
			/* The named set went away before any of it was sent. */
			NL_SET_ERR_MSG(cb->extack, "no set with this name (destroyed)");
			err = -ENOENT;
			break;
		}
		if (!set || (ctx->only_id && set->id != ctx->only_id)) {
			complete = true;
			break;
		}
		ctx->next_id = id;

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, bcmon_nl_family(),
				  NLM_F_MULTI, BCMON_CMD_SET_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		start_metric = f->next_metric;
		start_series = f->next_series;
		/*
		 * "Nothing fit" is the header failing or the position not
		 * moving while metrics are left; a set with nothing left to
		 * send (no set has no metrics, but never loop on one) is
		 * complete.
		 */
		if (bcmon_fill_set(skb, set, ns, f) ||
		    (f->next_metric == start_metric &&
		     f->next_series == start_series &&
		     start_metric < set->n_metrics)) {
			/* Nothing of this set fit: retry it in the next message. */
			genlmsg_cancel(skb, hdr);
			if (!skb->len)
				err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		if (f->next_metric < set->n_metrics)
			break;			/* the rest in the next message */
		ctx->next_id = set->id + 1;
		f->next_metric = 0;
		f->next_series = 0;
	}
	rcu_read_unlock();
	bcmon_native_read_free(f->native);
	f->native = NULL;
	/*
	 * 0 once every set is in: netlink_dump() then puts NLMSG_DONE into
	 * this message's buffer when it fits, rather than into one more
	 * buffer (as large as this one) and one more read.
	 */
	if (err)
		return err;
	if (!complete)
		return skb->len;
	/*
	 * NLMSG_DONE goes into this part's buffer now, not into one more
	 * call that sampled the generation again: a create or destroy during
	 * this walk must still flag it. The walk's reads come before this
	 * one (pairs with the barrier before a create's or destroy's bump).
	 */
	smp_rmb();
	if (bcmon_sets_generation() != cb->seq)
		bcmon_dump_mark_interrupted(cb);
	return 0;
}
