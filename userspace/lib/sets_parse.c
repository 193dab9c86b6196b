// SPDX-License-Identifier: LGPL-2.1
/*
 * Parsing of BCMON_CMD_SET_GET dump replies into bcmon_set_info, one set at
 * a time. Each message part's metrics get their strings and arrays in one
 * block sized by a first pass over the part, so a set costs a few
 * allocations per part however many metrics it has, and no fixed-size
 * help/unit arrays. A labeled metric's series array is its own allocation:
 * a metric with many series continues from one part into the next (the
 * kernel repeats its definition), and its series are appended.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bcmon.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "../common/short_copy.h"
#include "attr_walk.h"
#include "sets_native.h"
#include "sets_parse.h"

/*
 * One part's strings and arrays: the words (bounds, buckets), then the
 * string pointers (label names and values), then the chars.
 */
struct bcmon_set_storage {
	struct bcmon_set_storage *next;
	uint64_t words[];
};

struct cursor {
	uint64_t *words;
	const char **ptrs;
	char *chars;
};

/* What a part needs: sized in a first pass, taken in the second. */
struct room {
	size_t words, ptrs, chars;
};

/* Words of the part's block one exemplar takes. */
#define EXEMPLAR_WORDS	((sizeof(struct bcmon_exemplar_info) + sizeof(uint64_t) - 1) / \
			 sizeof(uint64_t))

static size_t string_len(const struct nlattr *a)
{
	return strnlen(attr_data(a), (size_t)attr_len(a));
}

/* Room for one BCMON_METRIC_A_SERIES nest. */
static void size_series(struct nlattr *nest, struct room *r)
{
	struct nlattr *a, *l;
	int rem, lrem;

	for_each_nested_attr(a, nest, rem) {
		if (attr_type(a) == BCMON_SERIES_A_BUCKET) {
			r->words++;
		} else if (attr_type(a) == BCMON_SERIES_A_EXEMPLAR) {
			r->words += EXEMPLAR_WORDS;
		} else if (attr_type(a) == BCMON_SERIES_A_NATIVE_BUCKETS) {
			r->words += native_buckets_words(a);
		} else if (attr_type(a) == BCMON_SERIES_A_LABEL) {
			r->ptrs++;
			for_each_nested_attr(l, a, lrem)
				if (attr_type(l) == BCMON_LABEL_A_VALUE)
					r->chars += string_len(l) + 1;
		}
	}
}

/* What the first pass learns of one metric nest besides its room. */
struct metric_shape {
	size_t nb, nk, nl, ne, nn, ns;	/* bounds, buckets, label names,
					 * exemplars, native buckets, series */
	bool too_short;			/* a fixed-size attribute is cut */
};

static bool too_short(const struct nlattr *a);

/* Room one BCMON_SET_A_METRIC nest needs, and its shape. */
static void size_metric(struct nlattr *nest, struct room *r, struct metric_shape *k)
{
	struct nlattr *a;
	int rem;

	memset(k, 0, sizeof(*k));
	for_each_nested_attr(a, nest, rem) {
		if (too_short(a))
			k->too_short = true;
		switch (attr_type(a)) {
		case BCMON_METRIC_A_LABEL_NAME:
			r->ptrs++;
			k->nl++;
			/* fall through */
		case BCMON_METRIC_A_NAME:
		case BCMON_METRIC_A_HELP:
		case BCMON_METRIC_A_UNIT:
			r->chars += string_len(a) + 1;
			break;
		case BCMON_METRIC_A_BOUND:
			r->words++;
			k->nb++;
			break;
		case BCMON_METRIC_A_BUCKET:
			r->words++;
			k->nk++;
			break;
		case BCMON_METRIC_A_SERIES:
			size_series(a, r);
			k->ns++;
			break;
		case BCMON_METRIC_A_EXEMPLAR:
			r->words += EXEMPLAR_WORDS;
			k->ne++;
			break;
		case BCMON_METRIC_A_NATIVE_BUCKETS:
			r->words += native_buckets_words(a);
			k->nn++;
			break;
		}
	}
}

static const char *put_string(struct cursor *c, const struct nlattr *a)
{
	size_t n = string_len(a);
	char *s = c->chars;

	copy_short(s, attr_data(a), n);
	s[n] = '\0';
	c->chars += n + 1;
	return s;
}

/* Fixed-size attributes come without a policy here: check their length. */
static bool too_short(const struct nlattr *a)
{
	switch (attr_type(a)) {
	case BCMON_METRIC_A_KIND:
		return attr_len(a) < 1;
	case BCMON_METRIC_A_SCALE:
	case BCMON_METRIC_A_SERIES_COUNT:
		return attr_len(a) < 4;
	case BCMON_METRIC_A_VALUE:
	case BCMON_METRIC_A_COUNT:
	case BCMON_METRIC_A_SUM:
	case BCMON_METRIC_A_BOUND:
	case BCMON_METRIC_A_BUCKET:
		return attr_len(a) < 8;
	default:
		return false;
	}
}

/* BCMON_SERIES_A_* of the same widths. */
static bool series_attr_too_short(const struct nlattr *a)
{
	switch (attr_type(a)) {
	case BCMON_SERIES_A_VALUE:
	case BCMON_SERIES_A_COUNT:
	case BCMON_SERIES_A_SUM:
	case BCMON_SERIES_A_BUCKET:
		return attr_len(a) < 8;
	default:
		return false;
	}
}

/*
 * The value of one label nest, which must be the metric's label name
 * (replies carry them in the declared order); NULL when it is not.
 */
static const struct nlattr *label_value(const struct nlattr *nest,
					const char *name)
{
	const struct nlattr *l, *value = NULL;
	bool named = false;
	int rem;

	for_each_nested_attr(l, nest, rem) {
		if (attr_type(l) == BCMON_LABEL_A_VALUE)
			value = l;
		else if (attr_type(l) == BCMON_LABEL_A_NAME)
			named = !strncmp(name, attr_data(l), (size_t)attr_len(l));
	}
	return named ? value : NULL;
}

/*
 * One BCMON_*_A_EXEMPLAR nest into e: every field present and of its size,
 * the bucket one of n_buckets and after the previous exemplar's (the
 * kernel sends them in bucket order, one per bucket).
 */
static int parse_exemplar(const struct nlattr *nest, size_t n_buckets,
			  const struct bcmon_exemplar_info *prev,
			  struct bcmon_exemplar_info *e)
{
	const struct nlattr *a;
	unsigned int seen = 0;
	int rem;

	for_each_nested_attr(a, nest, rem) {
		int len = attr_len(a);

		switch (attr_type(a)) {
		case BCMON_EXEMPLAR_A_TRACE_ID:
			if (len != BCMON_TRACE_ID_LEN)
				return -EPROTO;
			memcpy(e->ids.trace_id, attr_data(a), BCMON_TRACE_ID_LEN);
			break;
		case BCMON_EXEMPLAR_A_SPAN_ID:
			if (len != BCMON_SPAN_ID_LEN)
				return -EPROTO;
			memcpy(e->ids.span_id, attr_data(a), BCMON_SPAN_ID_LEN);
			break;
		case BCMON_EXEMPLAR_A_BUCKET:
			if (len < 4)
				return -EPROTO;
			e->bucket = attr_u32(a);
			break;
		case BCMON_EXEMPLAR_A_VALUE:
			if (len < 8)
				return -EPROTO;
			e->value = (int64_t)attr_u64(a);
			break;
		case BCMON_EXEMPLAR_A_TIMESTAMP:
			if (len < 8)
				return -EPROTO;
			e->time_ns = attr_u64(a);
			break;
		default:
			continue;
		}
		seen |= 1u << attr_type(a);
	}
	if (seen != ((1u << BCMON_EXEMPLAR_A_TRACE_ID) | (1u << BCMON_EXEMPLAR_A_SPAN_ID) |
		     (1u << BCMON_EXEMPLAR_A_BUCKET) | (1u << BCMON_EXEMPLAR_A_VALUE) |
		     (1u << BCMON_EXEMPLAR_A_TIMESTAMP)) ||
	    e->bucket >= n_buckets || (prev && e->bucket <= prev->bucket))
		return -EPROTO;
	return 0;
}

/* Fill s from one BCMON_METRIC_A_SERIES nest of metric m. */
static int parse_series(struct nlattr *nest, const struct bcmon_metric_info *m,
			struct bcmon_series_info *s, struct cursor *c)
{
	size_t nl = 0, nk = 0, ne = 0;
	const struct nlattr *native = NULL;
	const char **values = c->ptrs;
	uint64_t *buckets = c->words;
	struct bcmon_exemplar_info *exemplars;
	struct nlattr *a;
	int rem, err;

	memset(s, 0, sizeof(*s));
	/*
	 * After the buckets, which come first (an exemplar before them is
	 * refused); only histograms have room for them.
	 */
	exemplars = m->kind == BCMON_KIND_HISTOGRAM ?
		    (struct bcmon_exemplar_info *)(c->words + m->n_bounds + 1) : NULL;
	for_each_nested_attr(a, nest, rem) {
		const struct nlattr *v;

		if (series_attr_too_short(a))
			return -EPROTO;
		switch (attr_type(a)) {
		case BCMON_SERIES_A_LABEL:
			if (nl == m->n_labels)
				return -EPROTO;
			v = label_value(a, m->label_names[nl]);
			if (!v)
				return -EPROTO;
			values[nl++] = put_string(c, v);
			break;
		case BCMON_SERIES_A_VALUE:
			s->value = (int64_t)attr_u64(a);
			break;
		case BCMON_SERIES_A_COUNT:
			s->count = attr_u64(a);
			break;
		case BCMON_SERIES_A_SUM:
			s->sum = (int64_t)attr_u64(a);
			break;
		case BCMON_SERIES_A_BUCKET:
			if (nk == m->n_bounds + 1)
				return -EPROTO;
			buckets[nk++] = attr_u64(a);
			break;
		case BCMON_SERIES_A_EXEMPLAR:
			if (m->kind != BCMON_KIND_HISTOGRAM || nk != m->n_bounds + 1)
				return -EPROTO;
			err = parse_exemplar(a, nk, ne ? &exemplars[ne - 1] : NULL,
					     &exemplars[ne]);
			if (err)
				return err;
			ne++;
			break;
		case BCMON_SERIES_A_NATIVE_BUCKETS:
			if (native)
				return -EPROTO;
			native = a;
			break;
		}
	}
	/*
	 * Every label has its value; a histogram has all its buckets, and
	 * its native ones when it is native.
	 */
	if (nl != m->n_labels ||
	    (m->kind == BCMON_KIND_HISTOGRAM ? nk != m->n_bounds + 1 : nk != 0) ||
	    !m->native != !native)
		return -EPROTO;
	c->ptrs += nl;
	c->words += nk + ne * EXEMPLAR_WORDS;
	if (native) {
		err = native_buckets_parse(native, m, c->words, &s->native);
		if (err < 0)
			return err;
		c->words += err;
	}
	s->label_values = values;
	s->buckets = nk ? buckets : NULL;
	s->n_exemplars = ne;
	s->exemplars = ne ? exemplars : NULL;
	return 0;
}

static void parse_refused(struct nlattr *nest, struct bcmon_metric_info *m)
{
	struct nlattr *a;
	uint8_t reason = UINT8_MAX;
	uint64_t count = 0;
	int rem;

	for_each_nested_attr(a, nest, rem) {
		if (attr_type(a) == BCMON_REFUSED_A_REASON && attr_len(a) >= 1)
			reason = attr_u8(a);
		else if (attr_type(a) == BCMON_REFUSED_A_COUNT && attr_len(a) >= 8)
			count = attr_u64(a);
	}
	/* A reason this reader does not know yet is left out. */
	if (reason <= BCMON_REFUSED_MAX)
		m->refused[reason] = count;
}

/* Append the series nests of nest to m (its series array grows). */
static int add_series(struct nlattr *nest, struct bcmon_metric_info *m,
		      size_t n, struct cursor *c)
{
	struct bcmon_series_info *series;
	struct nlattr *a;
	int rem, err;

	if (!n)
		return 0;
	series = realloc(m->series, (m->n_series + n) * sizeof(*series));
	if (!series)
		return -ENOMEM;
	m->series = series;
	for_each_nested_attr(a, nest, rem) {
		if (attr_type(a) != BCMON_METRIC_A_SERIES)
			continue;
		err = parse_series(a, m, &m->series[m->n_series], c);
		if (err)
			return err;
		m->n_series++;
	}
	return 0;
}

/* Series nests in one metric nest. */
static size_t count_series(struct nlattr *nest)
{
	struct nlattr *a;
	size_t n = 0;
	int rem;

	for_each_nested_attr(a, nest, rem)
		n += attr_type(a) == BCMON_METRIC_A_SERIES;
	return n;
}

/*
 * Fill m (all zero) from one BCMON_SET_A_METRIC nest of shape k (from
 * size_metric()), taking its room from c.
 */
static int parse_metric(struct nlattr *nest, const struct metric_shape *k,
			struct bcmon_metric_info *m, struct cursor *c)
{
	size_t nb = k->nb, nk = k->nk, nl = k->nl, ne = k->ne, nn = k->nn, ns = k->ns;
	const struct nlattr *native_buckets = NULL;
	struct bcmon_exemplar_info *exemplars;
	uint64_t *bounds, *buckets;
	const char **names;
	struct nlattr *a;
	int rem, err;

	if (k->too_short)
		return -EPROTO;
	if ((nk && nk != nb + 1) || nl > BCMON_LABELS_MAX || (ne && !nk) || nn > 1)
		return -EPROTO;
	/* m is all zero (add_part()). */
	m->help = m->unit = "";
	bounds = c->words;
	buckets = c->words + nb;
	exemplars = (struct bcmon_exemplar_info *)(c->words + nb + nk);
	c->words += nb + nk + ne * EXEMPLAR_WORDS;
	names = c->ptrs;
	c->ptrs += nl;
	m->n_bounds = nb;
	m->bounds = nb ? bounds : NULL;
	m->buckets = nk ? buckets : NULL;
	m->n_labels = nl;
	m->label_names = nl ? names : NULL;
	m->exemplars = ne ? exemplars : NULL;
	nb = nk = nl = ne = 0;
	for_each_nested_attr(a, nest, rem) {
		switch (attr_type(a)) {
		case BCMON_METRIC_A_NAME:
			m->name = put_string(c, a);
			break;
		case BCMON_METRIC_A_HELP:
			m->help = put_string(c, a);
			break;
		case BCMON_METRIC_A_UNIT:
			m->unit = put_string(c, a);
			break;
		case BCMON_METRIC_A_KIND:
			m->kind = attr_u8(a);
			break;
		case BCMON_METRIC_A_SCALE:
			m->scale = (int32_t)attr_u32(a);
			break;
		case BCMON_METRIC_A_VALUE:
			m->value = (int64_t)attr_u64(a);
			break;
		case BCMON_METRIC_A_COUNT:
			m->count = attr_u64(a);
			break;
		case BCMON_METRIC_A_SUM:
			m->sum = (int64_t)attr_u64(a);
			break;
		case BCMON_METRIC_A_BOUND:
			bounds[nb++] = attr_u64(a);
			break;
		case BCMON_METRIC_A_BUCKET:
			buckets[nk++] = attr_u64(a);
			break;
		case BCMON_METRIC_A_LABEL_NAME:
			names[nl++] = put_string(c, a);
			break;
		case BCMON_METRIC_A_SERIES_COUNT:
			m->series_count = attr_u32(a);
			break;
		case BCMON_METRIC_A_REFUSED:
			parse_refused(a, m);
			break;
		case BCMON_METRIC_A_EXEMPLAR:
			err = parse_exemplar(a, m->n_bounds + 1,
					     ne ? &exemplars[ne - 1] : NULL,
					     &exemplars[ne]);
			if (err)
				return err;
			ne++;
			break;
		case BCMON_METRIC_A_NATIVE:
			err = native_def_parse(a, m);
			if (err)
				return err;
			break;
		case BCMON_METRIC_A_NATIVE_BUCKETS:
			native_buckets = a;
			break;
		}
	}
	m->n_exemplars = ne;
	if (!m->name || !m->name[0] || !m->kind)
		return -EPROTO;
	/*
	 * An unlabeled histogram has at least its +Inf bucket, and its
	 * native buckets when it is native; a labeled one has its bounds or
	 * a native form (or both), and its series carry the buckets.
	 */
	if (m->kind == BCMON_KIND_HISTOGRAM &&
	    (m->n_labels ? (!nb && !m->native) || nk || native_buckets :
			   !nk || !m->native != !native_buckets))
		return -EPROTO;
	if (m->native && m->kind != BCMON_KIND_HISTOGRAM)
		return -EPROTO;
	if (native_buckets) {
		err = native_buckets_parse(native_buckets, m, c->words, &m->native_buckets);
		if (err < 0)
			return err;
		c->words += err;
	}
	if (!m->n_labels && ns)
		return -EPROTO;
	return add_series(nest, m, ns, c);
}

/* The last metric of set, if nest continues it (a labeled metric split). */
static struct bcmon_metric_info *continued(struct bcmon_set_info *set,
					   struct nlattr *nest)
{
	struct bcmon_metric_info *last;
	struct nlattr *name;

	if (!set->n_metrics)
		return NULL;
	last = &set->metrics[set->n_metrics - 1];
	name = nla_find(nla_data(nest), nla_len(nest), BCMON_METRIC_A_NAME);
	if (!last->n_labels || !name ||
	    strncmp(last->name, attr_data(name), (size_t)attr_len(name)))
		return NULL;
	return last;
}

/* The rest of a labeled metric's series, and its latest counts. */
static int continue_metric(struct nlattr *nest, struct bcmon_metric_info *m,
			   struct cursor *c)
{
	struct nlattr *a;
	int rem;

	for_each_nested_attr(a, nest, rem) {
		if (too_short(a))
			return -EPROTO;
		if (attr_type(a) == BCMON_METRIC_A_SERIES_COUNT)
			m->series_count = attr_u32(a);
		else if (attr_type(a) == BCMON_METRIC_A_REFUSED)
			parse_refused(a, m);
	}
	return add_series(nest, m, count_series(nest), c);
}

/* Append the metrics of one BCMON_A_SET nest (one part) to set. */
static int add_part(struct bcmon_set_info *set, struct nlattr *nest)
{
	struct bcmon_metric_info *metrics, *cont;
	struct metric_shape few[64], *shapes = few;
	struct bcmon_set_storage *block;
	struct room room = { 0 };
	size_t n = 0, k = 0;
	struct cursor c;
	struct nlattr *a;
	bool first = true;
	int rem, err = 0;

	for_each_nested_attr(a, nest, rem)
		n += attr_type(a) == BCMON_SET_A_METRIC;
	if (n > sizeof(few) / sizeof(few[0])) {
		shapes = malloc(n * sizeof(*shapes));
		if (!shapes)
			return -ENOMEM;
	}
	/* One pass for the room and each metric's shape. */
	for_each_nested_attr(a, nest, rem) {
		if (attr_type(a) == BCMON_SET_A_OWNER_UID && attr_len(a) >= 4) {
			set->owner_uid = attr_u32(a);
			set->has_owner_uid = true;
		} else if (attr_type(a) == BCMON_SET_A_OWNER && attr_len(a) >= 1) {
			set->owner = attr_u8(a);
		} else if (attr_type(a) == BCMON_SET_A_METRIC) {
			size_metric(a, &room, &shapes[k++]);
		}
	}
	if (!n)
		goto out;
	metrics = realloc(set->metrics, (set->n_metrics + n) * sizeof(*metrics));
	if (!metrics) {
		err = -ENOMEM;
		goto out;
	}
	set->metrics = metrics;
	block = malloc(sizeof(*block) + room.words * sizeof(uint64_t) +
		       room.ptrs * sizeof(const char *) + room.chars);
	if (!block) {
		err = -ENOMEM;
		goto out;
	}
	block->next = set->storage;
	set->storage = block;
	c.words = block->words;
	c.ptrs = (const char **)(block->words + room.words);
	c.chars = (char *)(c.ptrs + room.ptrs);
	k = 0;
	for_each_nested_attr(a, nest, rem) {
		if (attr_type(a) != BCMON_SET_A_METRIC)
			continue;
		cont = first ? continued(set, a) : NULL;
		first = false;
		if (cont) {
			err = shapes[k].too_short ? -EPROTO : continue_metric(a, cont, &c);
		} else {
			memset(&set->metrics[set->n_metrics], 0, sizeof(*metrics));
			err = parse_metric(a, &shapes[k], &set->metrics[set->n_metrics], &c);
			if (!err)
				set->n_metrics++;
			else
				free(set->metrics[set->n_metrics].series);
		}
		k++;
		if (err)
			break;
	}
out:
	if (shapes != few)
		free(shapes);
	return err;
}

void bcmon_set_info_free(struct bcmon_set_info *info)
{
	struct bcmon_set_storage *block, *next;

	if (!info)
		return;
	for (block = info->storage; block; block = next) {
		next = block->next;
		free(block);
	}
	for (size_t i = 0; i < info->n_metrics; i++)
		free(info->metrics[i].series);
	free(info->metrics);
	memset(info, 0, sizeof(*info));
}

int bcmon_set_info_find(const struct bcmon_set_info *info, const char *name)
{
	for (size_t i = 0; i < info->n_metrics; i++)
		if (!strcmp(info->metrics[i].name, name))
			return (int)i;
	return -1;
}

int bcmon_metric_label_index(const struct bcmon_metric_info *m, const char *name)
{
	for (size_t i = 0; i < m->n_labels; i++)
		if (!strcmp(m->label_names[i], name))
			return (int)i;
	return -1;
}

void set_reader_init(struct set_reader *r, set_reader_fn fn, void *arg)
{
	memset(r, 0, sizeof(*r));
	r->fn = fn;
	r->arg = arg;
}

static void drop_pending(struct set_reader *r)
{
	bcmon_set_info_free(&r->pending);
	r->have_pending = false;
}

static int deliver_pending(struct set_reader *r)
{
	int err;

	if (!r->have_pending)
		return 0;
	err = r->fn(&r->pending, r->arg);
	drop_pending(r);
	return err;
}

int set_reader_feed(struct set_reader *r, struct nlmsghdr *nlh)
{
	struct nlattr *tb[BCMON_A_MAX + 1], *name;
	bool same;

	if (r->err)
		return r->err;
	if (genlmsg_parse(nlh, 0, tb, BCMON_A_MAX, NULL) < 0 || !tb[BCMON_A_SET])
		return r->err = -EPROTO;
	name = nla_find(nla_data(tb[BCMON_A_SET]), nla_len(tb[BCMON_A_SET]),
			BCMON_SET_A_NAME);
	if (!name || !string_len(name) || string_len(name) >= BCMON_NAME_MAX)
		return r->err = -EPROTO;
	same = r->have_pending && !strncmp(r->pending.name, nla_data(name),
					   BCMON_NAME_MAX);
	/*
	 * The set list changed since the previous part: the set read last may
	 * have been destroyed half-way or be continued by a new set of the
	 * same name, so it is dropped, and so are the rest of its parts.
	 */
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
		r->interrupted = true;
		if (r->have_pending) {
			memcpy(r->skip, r->pending.name, sizeof(r->skip));
			drop_pending(r);
		}
		same = false;
	}
	if (same)
		return r->err = add_part(&r->pending, tb[BCMON_A_SET]);
	if (r->skip[0]) {
		if (!strncmp(r->skip, nla_data(name), BCMON_NAME_MAX))
			return 0;
		r->skip[0] = '\0';
	}
	r->err = deliver_pending(r);
	if (r->err)
		return r->err;
	memcpy(r->pending.name, nla_data(name), string_len(name));
	r->pending.name[string_len(name)] = '\0';
	r->have_pending = true;
	return r->err = add_part(&r->pending, tb[BCMON_A_SET]);
}

int set_reader_end(struct set_reader *r, bool end_interrupted)
{
	int err = r->err;

	if (end_interrupted) {
		r->interrupted = true;
		drop_pending(r);
	}
	if (!err)
		err = deliver_pending(r);
	drop_pending(r);
	if (!err && r->interrupted)
		err = -EINTR;
	return err;
}

void set_reader_release(struct set_reader *r)
{
	drop_pending(r);
}
