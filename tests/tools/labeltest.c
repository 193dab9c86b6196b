// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-labeltest: checks of labeled metrics that need raw netlink or speed.
 *
 *   badinput             every bound and name rule of labels: refused with
 *                        its errno and an extack message; refused batches
 *                        change nothing; bound refusals counted per metric
 *   series SET METRIC N BATCH [PREFIX]   create N series of counter METRIC
 *                        (its one label, "peer", = PREFIX<i>), BATCH updates per
 *                        message, each adding i % 7 + 1
 *   hammer SET METRIC SERIES N BATCH [PREFIX]   N adds of 1 spread over
 *                        SERIES series (round robin), BATCH per message
 *   delchurn SET METRIC PREFIX N   create then delete series PREFIX<i>, N
 *                        times; deletes that lose a race are fine
 *   dumpcheck SET METRIC N [SUM]   dump SET with series and check METRIC
 *                        has N series, each exactly once (SUM: their total)
 *
 * Exit status 0 when everything behaved, 1 otherwise, 2 on usage errors.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bcmon.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nlraw.h"

static struct nlraw nl;

static void open_or_die(void)
{
	int err = nlraw_open(&nl);

	if (err) {
		fprintf(stderr, "labeltest: cannot open bcmon family: %s\n", strerror(-err));
		exit(1);
	}
}

/* --- message pieces -------------------------------------------------------- */

struct label {
	const char *name, *value;
};

static void put_labels(struct nlmsgbuf *m, uint16_t type, const struct label *l, int n)
{
	for (int i = 0; i < n; i++) {
		size_t nest = msg_nest_start(m, type);

		if (l[i].name)
			msg_put_str(m, BCMON_LABEL_A_NAME, l[i].name);
		if (l[i].value)
			msg_put_str(m, BCMON_LABEL_A_VALUE, l[i].value);
		msg_nest_end(m, nest);
	}
}

static void put_update(struct nlmsgbuf *m, const char *metric, int op, int64_t value,
		       const struct label *l, int n)
{
	size_t nest = msg_nest_start(m, BCMON_A_UPDATE);

	msg_put_str(m, BCMON_UPDATE_A_METRIC, metric);
	msg_put_u8(m, BCMON_UPDATE_A_OP, (uint8_t)op);
	msg_put_u64(m, BCMON_UPDATE_A_VALUE, (uint64_t)value);
	put_labels(m, BCMON_UPDATE_A_LABEL, l, n);
	msg_nest_end(m, nest);
}

static void put_metric(struct nlmsgbuf *m, const char *name, uint8_t kind,
		       const char *const *labels, int nl_, int nb)
{
	size_t nest = msg_nest_start(m, BCMON_A_METRIC);

	msg_put_str(m, BCMON_METRIC_A_NAME, name);
	msg_put_u8(m, BCMON_METRIC_A_KIND, kind);
	for (int i = 0; i < nb; i++)
		msg_put_u64(m, BCMON_METRIC_A_BOUND, (uint64_t)(i + 1) * 10);
	for (int i = 0; i < nl_; i++)
		msg_put_str(m, BCMON_METRIC_A_LABEL_NAME, labels[i]);
	msg_nest_end(m, nest);
}

static int exchange(struct nlmsgbuf *m, struct nlanswer *a)
{
	int err = nlraw_exchange(&nl, m, a);

	msg_free(m);
	if (err)
		a->error = err;
	return a->error;
}

/* --- bad input ---------------------------------------------------------------- */

static const char *const one[] = { "peer" };
static const char *const two[] = { "peer", "table" };

/* The set every update case writes: bl {c{peer}, h{peer,table}, plain}. */
static int create_bl(void)
{
	struct nlmsgbuf m;
	struct nlanswer a;

	msg_init(&m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(&m, BCMON_A_SET_NAME, "bl");
	put_metric(&m, "c", BCMON_KIND_COUNTER, one, 1, 0);
	put_metric(&m, "h", BCMON_KIND_HISTOGRAM, two, 2, 3);
	put_metric(&m, "plain", BCMON_KIND_COUNTER, NULL, 0, 0);
	put_metric(&m, "cap", BCMON_KIND_COUNTER, one, 1, 0);	/* max_series: see script */
	return exchange(&m, &a);
}

static void create_with(struct nlmsgbuf *m, const char *set, const char *const *labels,
			int n)
{
	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, set);
	put_metric(m, "x", BCMON_KIND_COUNTER, labels, n, 0);
}

static void b_too_many_labels(struct nlmsgbuf *m)
{
	static const char *const five[] = { "a", "b", "c", "d", "e" };

	create_with(m, "bl_new", five, 5);	/* default max_labels 4 */
}

static void b_label_name_invalid(struct nlmsgbuf *m)
{
	static const char *const bad[] = { "Peer-id" };

	create_with(m, "bl_new", bad, 1);
}

static void b_label_name_le(struct nlmsgbuf *m)
{
	static const char *const le[] = { "le" };

	create_with(m, "bl_new", le, 1);
}

static void b_label_name_quantile(struct nlmsgbuf *m)
{
	static const char *const q[] = { "peer", "quantile" };

	create_with(m, "bl_new", q, 2);
}

static void b_label_name_twice(struct nlmsgbuf *m)
{
	static const char *const dup[] = { "peer", "peer" };

	create_with(m, "bl_new", dup, 2);
}

static void b_label_name_overlong(struct nlmsgbuf *m)
{
	static const char *const longname[] = {
		"a123456789012345678901234567890123456789012345678901234567890123",
	};

	create_with(m, "bl_new", longname, 1);
}

static void b_reserved_set(struct nlmsgbuf *m)
{
	create_with(m, "health", one, 1);
}

static void b_reserved_set_long(struct nlmsgbuf *m)
{
	create_with(m, "scrape_spoof", one, 1);
}

static void update(struct nlmsgbuf *m, const char *metric, int op, const struct label *l,
		   int n)
{
	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bl");
	put_update(m, metric, op, 1, l, n);
}

static void b_no_labels(struct nlmsgbuf *m)
{
	update(m, "c", BCMON_OP_ADD, NULL, 0);
}

static void b_missing_label(struct nlmsgbuf *m)
{
	static const struct label l[] = { { "peer", "a" } };

	update(m, "h", BCMON_OP_OBSERVE, l, 1);
}

static void b_unknown_label(struct nlmsgbuf *m)
{
	static const struct label l[] = { { "seat", "a" } };

	update(m, "c", BCMON_OP_ADD, l, 1);
}

static void b_label_twice(struct nlmsgbuf *m)
{
	static const struct label l[] = { { "peer", "a" }, { "peer", "b" } };

	update(m, "c", BCMON_OP_ADD, l, 2);
}

static void b_labels_on_plain(struct nlmsgbuf *m)
{
	static const struct label l[] = { { "peer", "a" } };

	update(m, "plain", BCMON_OP_ADD, l, 1);
}

static void b_label_without_value(struct nlmsgbuf *m)
{
	static const struct label l[] = { { "peer", NULL } };

	update(m, "c", BCMON_OP_ADD, l, 1);
}

static void b_label_without_name(struct nlmsgbuf *m)
{
	static const struct label l[] = { { NULL, "a" } };

	update(m, "c", BCMON_OP_ADD, l, 1);
}

static void b_value_empty(struct nlmsgbuf *m)
{
	static const struct label l[] = { { "peer", "" } };

	update(m, "c", BCMON_OP_ADD, l, 1);
}

static void b_value_space(struct nlmsgbuf *m)
{
	static const struct label l[] = { { "peer", "a b" } };

	update(m, "c", BCMON_OP_ADD, l, 1);
}

static void b_value_quote(struct nlmsgbuf *m)
{
	static const struct label l[] = { { "peer", "a\"b" } };

	update(m, "c", BCMON_OP_ADD, l, 1);
}

static void b_value_newline(struct nlmsgbuf *m)
{
	static const struct label l[] = { { "peer", "a\nb" } };

	update(m, "c", BCMON_OP_ADD, l, 1);
}

static void b_value_too_long(struct nlmsgbuf *m)
{
	static char v[66];
	static const struct label l[] = { { "peer", v } };

	memset(v, 'v', 65);	/* max_label_value_len 64 */
	update(m, "c", BCMON_OP_ADD, l, 1);
}

static void b_value_over_uapi(struct nlmsgbuf *m)
{
	static char v[129];
	static const struct label l[] = { { "peer", v } };

	memset(v, 'v', 128);	/* BCMON_LABEL_VALUE_MAX - 1 = 127 */
	update(m, "c", BCMON_OP_ADD, l, 1);
}

static void b_batch_with_one_bad(struct nlmsgbuf *m)
{
	static const struct label good[] = { { "peer", "batch_ok" } };
	static const struct label bad[] = { { "peer", "bad value" } };

	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bl");
	put_update(m, "c", BCMON_OP_ADD, 5, good, 1);
	put_update(m, "plain", BCMON_OP_ADD, 5, NULL, 0);
	put_update(m, "c", BCMON_OP_ADD, 5, bad, 1);
}

static void b_series_limit(struct nlmsgbuf *m)
{
	static const struct label l[] = { { "peer", "one_too_many" } };

	msg_init(m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bl");
	put_update(m, "cap", BCMON_OP_ADD, 1, l, 1);
}

static void delete(struct nlmsgbuf *m, const char *metric, const struct label *l, int n)
{
	size_t nest;

	msg_init(m, &nl, BCMON_CMD_SERIES_DELETE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bl");
	nest = msg_nest_start(m, BCMON_A_SERIES);
	if (metric)
		msg_put_str(m, BCMON_SERIES_A_METRIC, metric);
	put_labels(m, BCMON_SERIES_A_LABEL, l, n);
	msg_nest_end(m, nest);
}

static void b_delete_unknown(struct nlmsgbuf *m)
{
	static const struct label l[] = { { "peer", "nobody" } };

	delete(m, "c", l, 1);
}

static void b_delete_plain(struct nlmsgbuf *m)
{
	delete(m, "plain", NULL, 0);
}

static void b_delete_no_metric(struct nlmsgbuf *m)
{
	static const struct label l[] = { { "peer", "a" } };

	delete(m, NULL, l, 1);
}

static void b_delete_no_series(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SERIES_DELETE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bl");
}

static void b_delete_unknown_set(struct nlmsgbuf *m)
{
	static const struct label l[] = { { "peer", "a" } };
	size_t nest;

	msg_init(m, &nl, BCMON_CMD_SERIES_DELETE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "nothere");
	nest = msg_nest_start(m, BCMON_A_SERIES);
	msg_put_str(m, BCMON_SERIES_A_METRIC, "c");
	put_labels(m, BCMON_SERIES_A_LABEL, l, 1);
	msg_nest_end(m, nest);
}

static void b_read_flags_unknown(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SET_GET, NLM_F_DUMP);
	msg_put_u32(m, BCMON_A_READ_FLAGS, 1u << 7);
}

static void b_value_in_create(struct nlmsgbuf *m)
{
	size_t nest;

	msg_init(m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "bl_new");
	nest = msg_nest_start(m, BCMON_A_METRIC);
	msg_put_str(m, BCMON_METRIC_A_NAME, "x");
	msg_put_u8(m, BCMON_METRIC_A_KIND, BCMON_KIND_COUNTER);
	msg_put_u32(m, BCMON_METRIC_A_SERIES_COUNT, 5);	/* reply-only */
	msg_nest_end(m, nest);
}

struct bad_case {
	const char *what;
	int expect;
	void (*build)(struct nlmsgbuf *m);
};

static const struct bad_case bad_cases[] = {
	{ "more label names than max_labels", -E2BIG, b_too_many_labels },
	{ "label name with capitals and dash", -EINVAL, b_label_name_invalid },
	{ "label name le", -EINVAL, b_label_name_le },
	{ "label name quantile", -EINVAL, b_label_name_quantile },
	{ "label name twice in a metric", -EINVAL, b_label_name_twice },
	{ "label name of 64 bytes", -EINVAL, b_label_name_overlong },
	{ "set named health (exporter's)", -EINVAL, b_reserved_set },
	{ "set named scrape_spoof", -EINVAL, b_reserved_set_long },
	{ "reply attribute in a create", -EINVAL, b_value_in_create },
	{ "labeled update without labels", -EINVAL, b_no_labels },
	{ "update missing one label", -EINVAL, b_missing_label },
	{ "update with an unknown label", -EINVAL, b_unknown_label },
	{ "update with a label twice", -EINVAL, b_label_twice },
	{ "labels on an unlabeled metric", -EINVAL, b_labels_on_plain },
	{ "label without a value", -EINVAL, b_label_without_value },
	{ "label without a name", -EINVAL, b_label_without_name },
	{ "empty label value", -EINVAL, b_value_empty },
	{ "label value with a space", -EINVAL, b_value_space },
	{ "label value with a quote", -EINVAL, b_value_quote },
	{ "label value with a newline", -EINVAL, b_value_newline },
	{ "label value over max_label_value_len", -E2BIG, b_value_too_long },
	{ "label value over the UAPI limit", -EINVAL, b_value_over_uapi },
	{ "batch whose third entry is bad", -EINVAL, b_batch_with_one_bad },
	{ "series past max_series", -ENOSPC, b_series_limit },
	{ "delete a series that does not exist", -ENOENT, b_delete_unknown },
	{ "delete from an unlabeled metric", -EINVAL, b_delete_plain },
	{ "delete without a metric", -EINVAL, b_delete_no_metric },
	{ "delete without a series", -EINVAL, b_delete_no_series },
	{ "delete in an unknown set", -ENOENT, b_delete_unknown_set },
	{ "unknown read flag", -EINVAL, b_read_flags_unknown },
};

static int run_badinput(void)
{
	static const struct label first[] = { { "peer", "first" } };
	int failed = 0, err;
	struct nlmsgbuf m;
	struct nlanswer a;

	open_or_die();
	err = create_bl();
	if (err) {
		fprintf(stderr, "cannot create bl: %s\n", strerror(-err));
		return 1;
	}
	/* "cap" gets its max_series series (the script loads max_series=2). */
	msg_init(&m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(&m, BCMON_A_SET_NAME, "bl");
	put_update(&m, "cap", BCMON_OP_ADD, 1, first, 1);
	put_update(&m, "cap", BCMON_OP_ADD, 1,
		   (const struct label[]){ { "peer", "second" } }, 1);
	if (exchange(&m, &a)) {
		fprintf(stderr, "cannot fill cap: %s (%s)\n", strerror(-a.error), a.extack);
		return 1;
	}
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		int ok;

		c->build(&m);
		exchange(&m, &a);
		ok = !a.timed_out && a.error == c->expect && a.extack[0];
		printf("%s %-38s errno %-12s extack \"%s\"\n", ok ? "ok  " : "FAIL",
		       c->what, a.error ? strerrorname_np(-a.error) : "0", a.extack);
		if (!ok) {
			printf("     expected %s with an extack message\n",
			       strerrorname_np(-c->expect));
			failed++;
		}
	}
	printf("%d failed\n", failed);
	return failed ? 1 : 0;
}

/* --- load ---------------------------------------------------------------------- */

/* The label name of metric in set (its only one), read from a dump. */
static char label_name[BCMON_NAME_MAX] = "peer";

static int add_batch(const char *set, const char *metric, const char *prefix,
		     long first, long n, long modulo, int value_from_index)
{
	char values[64][BCMON_LABEL_VALUE_MAX];
	struct nlmsgbuf m;
	struct nlanswer a;

	if (n > 64)
		return -E2BIG;
	msg_init(&m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(&m, BCMON_A_SET_NAME, set);
	for (long i = 0; i < n; i++) {
		long k = modulo ? (first + i) % modulo : first + i;
		struct label l = { label_name, values[i] };

		snprintf(values[i], sizeof(values[i]), "%s%ld", prefix, k);
		put_update(&m, metric, BCMON_OP_ADD, value_from_index ? k % 7 + 1 : 1, &l, 1);
	}
	if (exchange(&m, &a)) {
		fprintf(stderr, "update: %s (%s)\n", strerror(-a.error), a.extack);
		return a.error;
	}
	return 0;
}

static int run_series(const char *set, const char *metric, long n, long batch,
		      const char *prefix)
{
	open_or_die();
	for (long i = 0; i < n; i += batch)
		if (add_batch(set, metric, prefix, i, i + batch > n ? n - i : batch, 0, 1))
			return 1;
	printf("series: %ld created in %s.%s\n", n, set, metric);
	return 0;
}

static int run_hammer(const char *set, const char *metric, long series, long n,
		      long batch, const char *prefix)
{
	open_or_die();
	for (long i = 0; i < n; i += batch)
		if (add_batch(set, metric, prefix, i, i + batch > n ? n - i : batch, series, 0))
			return 1;
	return 0;
}

static int run_delchurn(const char *set, const char *metric, const char *prefix, long n)
{
	long deleted = 0, lost = 0;

	open_or_die();
	for (long i = 0; i < n; i++) {
		char value[BCMON_LABEL_VALUE_MAX];
		struct label l = { label_name, value };
		struct nlmsgbuf m;
		struct nlanswer a;
		size_t nest;

		if (add_batch(set, metric, prefix, i % 50, 1, 0, 0))
			return 1;
		snprintf(value, sizeof(value), "%s%ld", prefix, i % 50);
		msg_init(&m, &nl, BCMON_CMD_SERIES_DELETE, 0);
		msg_put_str(&m, BCMON_A_SET_NAME, set);
		nest = msg_nest_start(&m, BCMON_A_SERIES);
		msg_put_str(&m, BCMON_SERIES_A_METRIC, metric);
		put_labels(&m, BCMON_SERIES_A_LABEL, &l, 1);
		msg_nest_end(&m, nest);
		exchange(&m, &a);
		if (!a.error)
			deleted++;
		else if (a.error == -ENOENT)
			lost++;	/* another churner deleted it first */
		else {
			fprintf(stderr, "delete: %s (%s)\n", strerror(-a.error), a.extack);
			return 1;
		}
	}
	printf("delchurn: %ld deleted, %ld already gone\n", deleted, lost);
	return 0;
}

/* --- dump check ------------------------------------------------------------------ */

struct dumpcheck {
	const char *metric;
	unsigned char *seen;	/* per series index, from the label value's number */
	long n, series, dup, bad, parts_with_metric;
	unsigned long long sum;
};

static const struct nlattr *attr_next(const struct nlattr *a, int *rem)
{
	int len = NLA_ALIGN(a->nla_len);

	*rem -= len;
	return (const struct nlattr *)((const char *)a + len);
}

#define for_each_attr(a, head, len, rem)					\
	for (a = (const struct nlattr *)(head), rem = (int)(len);		\
	     rem >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&		\
	     a->nla_len <= rem; a = attr_next(a, &rem))

static const void *attr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static int attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static void check_series(struct dumpcheck *d, const struct nlattr *s)
{
	const struct nlattr *a, *l;
	long idx = -1;
	int rem, lrem;

	for_each_attr(a, attr_data(s), attr_len(s), rem) {
		if ((a->nla_type & NLA_TYPE_MASK) == BCMON_SERIES_A_LABEL) {
			for_each_attr(l, attr_data(a), attr_len(a), lrem)
				if (l->nla_type == BCMON_LABEL_A_VALUE) {
					const char *v = attr_data(l);

					while (*v && (*v < '0' || *v > '9'))
						v++;
					idx = strtol(v, NULL, 10);
				}
		} else if (a->nla_type == BCMON_SERIES_A_VALUE) {
			unsigned long long v;

			memcpy(&v, attr_data(a), sizeof(v));
			d->sum += v;
		}
	}
	d->series++;
	if (idx < 0 || idx >= d->n) {
		d->bad++;
		return;
	}
	if (d->seen[idx]++)
		d->dup++;
}

static void on_part(const struct nlmsghdr *nlh, void *arg)
{
	struct dumpcheck *d = arg;
	const struct nlattr *top, *set, *m, *a;
	int rem, srem, mrem, arem;
	bool ours, counted = false;

	for_each_attr(top, (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		      nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), rem) {
		if ((top->nla_type & NLA_TYPE_MASK) != BCMON_A_SET)
			continue;
		for_each_attr(set, attr_data(top), attr_len(top), srem) {
			if ((set->nla_type & NLA_TYPE_MASK) != BCMON_SET_A_METRIC)
				continue;
			m = set;
			ours = false;
			for_each_attr(a, attr_data(m), attr_len(m), mrem)
				if (a->nla_type == BCMON_METRIC_A_NAME &&
				    !strcmp(attr_data(a), d->metric))
					ours = true;
			if (!ours)
				continue;
			if (!counted)
				d->parts_with_metric++;
			counted = true;
			for_each_attr(a, attr_data(m), attr_len(m), arem)
				if ((a->nla_type & NLA_TYPE_MASK) == BCMON_METRIC_A_SERIES)
					check_series(d, a);
		}
	}
}

static int run_dumpcheck(const char *set, const char *metric, long n, long long sum)
{
	struct dumpcheck d = { .metric = metric, .n = n };
	struct nlmsgbuf m;
	struct nlanswer a;
	long missing = 0;

	open_or_die();
	d.seen = calloc((size_t)n, 1);
	if (!d.seen)
		return 1;
	nl.on_part = on_part;
	nl.on_part_arg = &d;
	msg_init(&m, &nl, BCMON_CMD_SET_GET, NLM_F_DUMP);
	msg_put_str(&m, BCMON_A_SET_NAME, set);
	msg_put_u32(&m, BCMON_A_READ_FLAGS, BCMON_READ_F_SERIES);
	exchange(&m, &a);
	for (long i = 0; i < n; i++)
		missing += !d.seen[i];
	printf("dumpcheck: %d messages, %ld carry %s, %ld series (%ld missing, %ld twice, %ld foreign), sum %llu, error %d %s\n",
	       a.parts, d.parts_with_metric, metric, d.series, missing, d.dup, d.bad,
	       d.sum, a.error, a.extack);
	free(d.seen);
	return a.error || a.timed_out || missing || d.dup || d.bad || d.series != n ||
	       (sum >= 0 && (long long)d.sum != sum);
}

static void usage(void)
{
	fprintf(stderr, "usage: bcmon-labeltest badinput | series SET METRIC N BATCH [PREFIX] |\n"
			"       hammer SET METRIC SERIES N BATCH [PREFIX] |\n"
			"       delchurn SET METRIC PREFIX N | dumpcheck SET METRIC N [SUM]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "badinput"))
		return run_badinput();
	if (!strcmp(argv[1], "series") && (argc == 6 || argc == 7))
		return run_series(argv[2], argv[3], atol(argv[4]), atol(argv[5]),
				  argc == 7 ? argv[6] : "s");
	if (!strcmp(argv[1], "hammer") && (argc == 7 || argc == 8))
		return run_hammer(argv[2], argv[3], atol(argv[4]), atol(argv[5]),
				  atol(argv[6]), argc == 8 ? argv[7] : "s");
	if (!strcmp(argv[1], "delchurn") && argc == 6)
		return run_delchurn(argv[2], argv[3], argv[4], atol(argv[5]));
	if (!strcmp(argv[1], "dumpcheck") && (argc == 5 || argc == 6))
		return run_dumpcheck(argv[2], argv[3], atol(argv[4]),
				     argc == 6 ? atoll(argv[5]) : -1);
	usage();
	return 2;
}
