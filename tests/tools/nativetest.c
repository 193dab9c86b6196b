// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-nativetest: raw-netlink checks of native histograms in counter sets
 * (tests/vm/tests/1f-native.sh), independent of libbcmon:
 *
 *   create SET           a set with native histograms (native only, classic
 *                        and native, labeled; see create_defs below)
 *   badinput SET         every malformed native definition and observation:
 *                        each refused with its errno and extack message,
 *                        and the valid ones accepted
 *   observe SET METRIC LABEL|- V...   observe each V (raw SET_UPDATE;
 *                        LABEL: the value of the label "lane")
 *   check SET METRIC LABEL REF [nonneg]
 *                        read the set (SET_GET dump with series) and check
 *                        the metric's (LABEL "-": unlabeled) native buckets
 *                        exactly against REF, lines "VALUE COUNT" of what
 *                        was observed ("nonneg": the metric refused the
 *                        negative ones): each bucket at the schema the
 *                        reply gives, the zero bucket, count and sum; that
 *                        the schema is no higher than defined and that one
 *                        schema higher the buckets would not have fit; and
 *                        classic buckets where the metric has bounds.
 *
 * Expected indices come from kmod/nhist.c, whose unit test checks it
 * against exact arithmetic (tests/unit/test_nhist.c).
 * Exit status 0 when everything behaved, 1 otherwise, 2 on usage errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bcmon.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nhist.h"
#include "nlraw.h"

static struct nlraw nl;
static int failures;


static void fail(const char *what, const char *detail)
{
	printf("FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	failures++;
}

static void open_or_die(void)
{
	int err = nlraw_open(&nl);

	if (err) {
		fprintf(stderr, "nativetest: cannot open bcmon family: %s\n", strerror(-err));
		exit(1);
	}
}

/* --- creating ----------------------------------------------------------------- */

struct native_def {
	int schema;			/* -100: no native nest */
	int has_zero, has_max, negative;
	uint64_t zero;
	uint32_t max;
};

static void put_native(struct nlmsgbuf *m, const struct native_def *d)
{
	size_t nest;

	if (d->schema == -100)
		return;
	nest = msg_nest_start(m, BCMON_METRIC_A_NATIVE);
	if (d->schema != -99)		/* -99: the nest without a schema */
		msg_put_u32(m, BCMON_NATIVE_A_SCHEMA, (uint32_t)d->schema);
	if (d->has_zero)
		msg_put_u64(m, BCMON_NATIVE_A_ZERO_THRESHOLD, d->zero);
	if (d->has_max)
		msg_put_u32(m, BCMON_NATIVE_A_MAX_BUCKETS, d->max);
	if (d->negative)
		msg_put(m, BCMON_NATIVE_A_NEGATIVE, NULL, 0);
	msg_nest_end(m, nest);
}

static void put_metric(struct nlmsgbuf *m, const char *name, uint8_t kind,
		       int32_t scale, const uint64_t *bounds, int nb,
		       const char *label, const struct native_def *d)
{
	size_t nest = msg_nest_start(m, BCMON_A_METRIC);

	msg_put_str(m, BCMON_METRIC_A_NAME, name);
	msg_put_u8(m, BCMON_METRIC_A_KIND, kind);
	msg_put_u32(m, BCMON_METRIC_A_SCALE, (uint32_t)scale);
	for (int i = 0; i < nb; i++)
		msg_put_u64(m, BCMON_METRIC_A_BOUND, bounds[i]);
	if (label)
		msg_put_str(m, BCMON_METRIC_A_LABEL_NAME, label);
	put_native(m, d);
	msg_nest_end(m, nest);
}

static int exchange(struct nlmsgbuf *m, struct nlanswer *a)
{
	int err = nlraw_exchange(&nl, m, a);

	msg_free(m);
	return err ?: a->error;
}

static void destroy(const char *set)
{
	struct nlmsgbuf m;
	struct nlanswer a;

	msg_init(&m, &nl, BCMON_CMD_SET_DESTROY, 0);
	msg_put_str(&m, BCMON_A_SET_NAME, set);
	exchange(&m, &a);
}

/* Create SET with one metric, expecting err (0 or -errno) and a message. */
static void expect_create(const char *set, uint8_t kind, int nb,
			  const struct native_def *d, int want,
			  const char *msg, const char *what)
{
	static const uint64_t bounds[] = { 10, 100 };
	struct nlmsgbuf m;
	struct nlanswer a;
	int err;

	msg_init(&m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(&m, BCMON_A_SET_NAME, set);
	put_metric(&m, "h", kind, -9, bounds, nb, NULL, d);
	err = exchange(&m, &a);
	if (err != want)
		printf("FAIL: %s: got %d (%s), want %d\n", what, err, a.extack, want),
		failures++;
	else if (msg && !strstr(a.extack, msg))
		printf("FAIL: %s: message \"%s\", want \"%s\"\n", what, a.extack, msg),
		failures++;
	else
		printf("ok: %s: %d %s\n", what, err, a.extack);
	if (!err)
		destroy(set);
}

static int observe(const char *set, const char *metric, int64_t v,
		   const char *label, struct nlanswer *a)
{
	struct nlmsgbuf m;
	size_t nest, l;

	msg_init(&m, &nl, BCMON_CMD_SET_UPDATE, 0);
	msg_put_str(&m, BCMON_A_SET_NAME, set);
	nest = msg_nest_start(&m, BCMON_A_UPDATE);
	msg_put_str(&m, BCMON_UPDATE_A_METRIC, metric);
	msg_put_u8(&m, BCMON_UPDATE_A_OP, BCMON_OP_OBSERVE);
	msg_put_u64(&m, BCMON_UPDATE_A_VALUE, (uint64_t)v);
	if (label) {
		l = msg_nest_start(&m, BCMON_UPDATE_A_LABEL);
		msg_put_str(&m, BCMON_LABEL_A_NAME, "lane");
		msg_put_str(&m, BCMON_LABEL_A_VALUE, label);
		msg_nest_end(&m, l);
	}
	msg_nest_end(&m, nest);
	return exchange(&m, a);
}

static int run_create(const char *set)
{
	static const uint64_t bounds[] = { 1000, 1000000 };
	const struct native_def n = { .schema = 8, .has_max = 1, .max = 8, .negative = 1 };
	const struct native_def nc = { .schema = 3, .has_zero = 1, .zero = 10 };
	const struct native_def neg4 = { .schema = -4 };
	struct nlmsgbuf m;
	struct nlanswer a;
	int err;

	open_or_die();
	msg_init(&m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(&m, BCMON_A_SET_NAME, set);
	put_metric(&m, "n", BCMON_KIND_HISTOGRAM, -9, NULL, 0, NULL, &n);
	put_metric(&m, "nc", BCMON_KIND_HISTOGRAM, -9, bounds, 2, NULL, &nc);
	put_metric(&m, "nl", BCMON_KIND_HISTOGRAM, -9, NULL, 0, "lane", &n);
	put_metric(&m, "n4", BCMON_KIND_HISTOGRAM, 0, NULL, 0, NULL, &neg4);
	err = exchange(&m, &a);
	if (err) {
		printf("create %s: %s (%s)\n", set, strerror(-err), a.extack);
		return 1;
	}
	return 0;
}

static int run_badinput(const char *set)
{
	struct native_def d;
	struct nlanswer a;

	open_or_die();
	d = (struct native_def){ .schema = 9 };
	expect_create(set, BCMON_KIND_HISTOGRAM, 0, &d, -ERANGE, NULL, "schema 9");
	d.schema = -5;
	expect_create(set, BCMON_KIND_HISTOGRAM, 0, &d, -ERANGE, NULL, "schema -5");
	d.schema = -99;
	expect_create(set, BCMON_KIND_HISTOGRAM, 0, &d, -EINVAL,
		      "missing attribute BCMON_NATIVE_A_SCHEMA", "no schema");
	d = (struct native_def){ .schema = 3, .has_max = 1, .max = 7 };
	expect_create(set, BCMON_KIND_HISTOGRAM, 0, &d, -ERANGE, NULL, "max buckets 7");
	d.max = 257;
	expect_create(set, BCMON_KIND_HISTOGRAM, 0, &d, -ERANGE, NULL, "max buckets 257");
	d.max = 0;
	expect_create(set, BCMON_KIND_HISTOGRAM, 0, &d, -ERANGE, NULL, "max buckets 0");
	d.max = 200;
	expect_create(set, BCMON_KIND_HISTOGRAM, 0, &d, -ERANGE,
		      "native bucket limit above the module limit max_native_buckets",
		      "max buckets 200 (module limit 160)");
	d = (struct native_def){ .schema = 3 };
	expect_create(set, BCMON_KIND_COUNTER, 0, &d, -EINVAL,
		      "native buckets are only allowed on histograms", "native counter");
	expect_create(set, BCMON_KIND_GAUGE, 0, &d, -EINVAL,
		      "native buckets are only allowed on histograms", "native gauge");
	d.schema = -100;
	expect_create(set, BCMON_KIND_HISTOGRAM, 0, &d, -EINVAL,
		      "a histogram needs bucket bounds or a native schema",
		      "histogram with neither");
	/* What is valid is accepted. */
	d = (struct native_def){ .schema = 8, .has_max = 1, .max = 8, .negative = 1,
				 .has_zero = 1, .zero = UINT64_MAX };
	expect_create(set, BCMON_KIND_HISTOGRAM, 0, &d, 0, NULL, "native only, every setting");
	d = (struct native_def){ .schema = -4 };
	expect_create(set, BCMON_KIND_HISTOGRAM, 2, &d, 0, NULL, "classic and native -4");

	/* A negative observation without negative buckets is refused. */
	if (run_create(set))
		return 1;
	if (observe(set, "nc", -1, NULL, &a) != -ERANGE)
		fail("negative value into nc accepted", NULL);
	else
		printf("ok: negative into nc: %s\n", a.extack);
	if (observe(set, "n", -1, NULL, &a))
		fail("negative value into n refused", a.extack);
	if (observe(set, "nl", -1, "x", &a))
		fail("negative value into nl refused", a.extack);
	destroy(set);
	return failures ? 1 : 0;
}

static int run_observe(const char *set, const char *metric, const char *label,
		       int n, char **values)
{
	struct nlanswer a;
	int err;

	open_or_die();
	for (int i = 0; i < n; i++) {
		err = observe(set, metric, strtoll(values[i], NULL, 10),
			      strcmp(label, "-") ? label : NULL, &a);
		if (err) {
			printf("observe %s: %s (%s)\n", values[i], strerror(-err),
			       a.extack);
			return 1;
		}
	}
	return 0;
}

/* --- reading ------------------------------------------------------------------ */

#define MAX_COUNTS 512

struct reading {
	const char *metric, *label;	/* label NULL: unlabeled */
	int found;
	/* definition */
	int32_t scale, def_schema;
	uint64_t zero_threshold;
	uint32_t max;
	int negative, n_bounds;
	uint64_t bounds[64];
	/* values */
	uint64_t count, buckets[65];
	int64_t sum;
	int has_native, schema;
	uint64_t zero_count;
	int32_t off[2];
	uint64_t counts[2][MAX_COUNTS];
	size_t n[2];
};

static void read_native_def(struct nlattr *nest, struct reading *r)
{
	nlraw_for_each_attr(at, NLRAW_DATA(nest), NLRAW_LEN(nest)) {
		switch (NLRAW_TYPE(at)) {
		case BCMON_NATIVE_A_SCHEMA:
			memcpy(&r->def_schema, NLRAW_DATA(at), 4);
			break;
		case BCMON_NATIVE_A_ZERO_THRESHOLD:
			memcpy(&r->zero_threshold, NLRAW_DATA(at), 8);
			break;
		case BCMON_NATIVE_A_MAX_BUCKETS:
			memcpy(&r->max, NLRAW_DATA(at), 4);
			break;
		case BCMON_NATIVE_A_NEGATIVE:
			r->negative = 1;
			break;
		}
	}
}

static void read_counts(struct nlattr *at, struct reading *r, int sign)
{
	size_t len = NLRAW_LEN(at);

	if (len % 8 || !len || len / 8 > MAX_COUNTS) {
		printf("FAIL: counts attribute of %zu bytes\n", len);
		failures++;
		return;
	}
	r->n[sign] = len / 8;
	memcpy(r->counts[sign], NLRAW_DATA(at), len);
}

static void read_native_buckets(struct nlattr *nest, struct reading *r)
{
	r->has_native++;
	nlraw_for_each_attr(at, NLRAW_DATA(nest), NLRAW_LEN(nest)) {
		switch (NLRAW_TYPE(at)) {
		case BCMON_NATIVE_BUCKETS_A_SCHEMA:
			memcpy(&r->schema, NLRAW_DATA(at), 4);
			break;
		case BCMON_NATIVE_BUCKETS_A_ZERO_COUNT:
			memcpy(&r->zero_count, NLRAW_DATA(at), 8);
			break;
		case BCMON_NATIVE_BUCKETS_A_POSITIVE_OFFSET:
			memcpy(&r->off[0], NLRAW_DATA(at), 4);
			break;
		case BCMON_NATIVE_BUCKETS_A_NEGATIVE_OFFSET:
			memcpy(&r->off[1], NLRAW_DATA(at), 4);
			break;
		case BCMON_NATIVE_BUCKETS_A_POSITIVE_COUNTS:
			read_counts(at, r, 0);
			break;
		case BCMON_NATIVE_BUCKETS_A_NEGATIVE_COUNTS:
			read_counts(at, r, 1);
			break;
		}
	}
}

/*
 * Values of a metric or a series: the attribute types are the same for
 * COUNT, SUM, BUCKET and NATIVE_BUCKETS relative to their set, given here.
 */
static void read_values(struct nlattr *at, struct reading *r, int count_t,
			int sum_t, int bucket_t, int native_t, int *nb)
{
	int t = NLRAW_TYPE(at);

	if (t == count_t)
		memcpy(&r->count, NLRAW_DATA(at), 8);
	else if (t == sum_t)
		memcpy(&r->sum, NLRAW_DATA(at), 8);
	else if (t == bucket_t && *nb < 65)
		memcpy(&r->buckets[(*nb)++], NLRAW_DATA(at), 8);
	else if (t == native_t)
		read_native_buckets(at, r);
}

static int series_is(struct nlattr *series, const char *label)
{
	nlraw_for_each_attr(at, NLRAW_DATA(series), NLRAW_LEN(series)) {
		if (NLRAW_TYPE(at) != BCMON_SERIES_A_LABEL)
			continue;
		nlraw_for_each_attr(l, NLRAW_DATA(at), NLRAW_LEN(at))
			if (NLRAW_TYPE(l) == BCMON_LABEL_A_VALUE &&
			    !strcmp(NLRAW_DATA(l), label))
				return 1;
	}
	return 0;
}

static void read_metric(struct nlattr *m, struct reading *r)
{
	const char *name = NULL;
	int nb = 0;

	nlraw_for_each_attr(at, NLRAW_DATA(m), NLRAW_LEN(m))
		if (NLRAW_TYPE(at) == BCMON_METRIC_A_NAME)
			name = NLRAW_DATA(at);
	if (!name || strcmp(name, r->metric))
		return;
	r->n_bounds = 0;
	nlraw_for_each_attr(at, NLRAW_DATA(m), NLRAW_LEN(m)) {
		switch (NLRAW_TYPE(at)) {
		case BCMON_METRIC_A_SCALE:
			memcpy(&r->scale, NLRAW_DATA(at), 4);
			break;
		case BCMON_METRIC_A_BOUND:
			if (r->n_bounds < 64)
				memcpy(&r->bounds[r->n_bounds++], NLRAW_DATA(at), 8);
			break;
		case BCMON_METRIC_A_NATIVE:
			read_native_def(at, r);
			break;
		case BCMON_METRIC_A_SERIES:
			if (!r->label || !series_is(at, r->label))
				break;
			r->found++;
			nlraw_for_each_attr(v, NLRAW_DATA(at), NLRAW_LEN(at))
				read_values(v, r, BCMON_SERIES_A_COUNT, BCMON_SERIES_A_SUM,
					    BCMON_SERIES_A_BUCKET,
					    BCMON_SERIES_A_NATIVE_BUCKETS, &nb);
			break;
		default:
			if (r->label)
				break;
			if (NLRAW_TYPE(at) == BCMON_METRIC_A_COUNT)
				r->found++;
			read_values(at, r, BCMON_METRIC_A_COUNT, BCMON_METRIC_A_SUM,
				    BCMON_METRIC_A_BUCKET,
				    BCMON_METRIC_A_NATIVE_BUCKETS, &nb);
		}
	}
}

static void read_part(const struct nlmsghdr *nlh, void *arg)
{
	char *payload = (char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	nlraw_for_each_attr(set, payload, len) {
		if (NLRAW_TYPE(set) != BCMON_A_SET)
			continue;
		nlraw_for_each_attr(m, NLRAW_DATA(set), NLRAW_LEN(set))
			if (NLRAW_TYPE(m) == BCMON_SET_A_METRIC)
				read_metric(m, arg);
	}
}

/* --- checking ----------------------------------------------------------------- */

struct ref {
	int64_t value;
	uint64_t count;
};

/* Expected count per index of one sign, at schema: a sparse list. */
struct expect {
	int32_t idx[256];
	uint64_t count[256];
	int n;
};

static void expect_add(struct expect *e, int32_t idx, uint64_t c)
{
	for (int i = 0; i < e->n; i++)
		if (e->idx[i] == idx) {
			e->count[i] += c;
			return;
		}
	e->idx[e->n] = idx;
	e->count[e->n++] = c;
}

static int32_t expect_span(const struct expect *e)
{
	int32_t lo = INT32_MAX, hi = INT32_MIN;

	for (int i = 0; i < e->n; i++) {
		if (e->idx[i] < lo)
			lo = e->idx[i];
		if (e->idx[i] > hi)
			hi = e->idx[i];
	}
	return e->n ? hi - lo + 1 : 0;
}

/* Buckets of refs at schema (<= the table's schema after reduce). */
static void expected_at(const struct nhist_table *t, int table_reduce, int by,
			uint64_t zero_threshold, const struct ref *refs, int nrefs,
			struct expect e[2], uint64_t *zero)
{
	memset(e, 0, 2 * sizeof(*e));
	*zero = 0;
	for (int i = 0; i < nrefs; i++) {
		int32_t idx;
		enum nhist_where w = nhist_classify(t, (unsigned int)table_reduce,
						    zero_threshold, refs[i].value, &idx);

		if (w == NHIST_ZERO)
			*zero += refs[i].count;
		else
			expect_add(&e[w == NHIST_NEGATIVE],
				   nhist_index_reduce(idx, (unsigned int)by),
				   refs[i].count);
	}
}

static void check_sign(const struct reading *r, const struct expect *e, int sign)
{
	uint64_t got_total = 0, want_total = 0;
	const char *name = sign ? "negative" : "positive";

	for (size_t p = 0; p < r->n[sign]; p++) {
		int32_t idx = r->off[sign] + (int32_t)p;
		uint64_t want = 0;

		for (int i = 0; i < e->n; i++)
			if (e->idx[i] == idx)
				want = e->count[i];
		got_total += r->counts[sign][p];
		if (r->counts[sign][p] != want) {
			printf("FAIL: %s bucket %d: %llu, want %llu\n", name, idx,
			       (unsigned long long)r->counts[sign][p],
			       (unsigned long long)want);
			failures++;
		}
	}
	for (int i = 0; i < e->n; i++)
		want_total += e->count[i];
	if (got_total != want_total) {
		printf("FAIL: %s buckets hold %llu, want %llu (some outside the reply)\n",
		       name, (unsigned long long)got_total,
		       (unsigned long long)want_total);
		failures++;
	}
	if (r->n[sign] && (!r->counts[sign][0] || !r->counts[sign][r->n[sign] - 1]))
		fail("counts start or end with an empty bucket", name);
}

/* The first bound >= v (negative values: the first), else +Inf. */
static int classic_bucket(const struct reading *r, int64_t v)
{
	int b = 0;

	if (v < 0)
		return 0;
	while (b < r->n_bounds && (uint64_t)v > r->bounds[b])
		b++;
	return b;
}

static int load_refs(const char *path, int nonneg, struct ref *refs, int max)
{
	FILE *f = fopen(path, "r");
	long long v;
	unsigned long long c;
	int n = 0;

	if (!f) {
		perror(path);
		exit(2);
	}
	while (n < max && fscanf(f, "%lld %llu", &v, &c) == 2)
		if (!(nonneg && v < 0))
			refs[n++] = (struct ref){ v, c };
	fclose(f);
	return n;
}

static int run_check(const char *set, const char *metric, const char *label,
		     const char *refpath, int nonneg)
{
	struct reading *r = calloc(1, sizeof(*r));
	struct ref refs[256];
	struct expect e[2], up[2];
	struct nhist_table *t;
	uint64_t count = 0, zero, upzero, sum = 0;
	int nrefs, table_schema, err;
	struct nlmsgbuf m;
	struct nlanswer a;

	if (!r)
		return 2;
	nrefs = load_refs(refpath, nonneg, refs, 256);
	r->metric = metric;
	r->label = strcmp(label, "-") ? label : NULL;
	open_or_die();
	nl.on_part = read_part;
	nl.on_part_arg = r;
	msg_init(&m, &nl, BCMON_CMD_SET_GET, NLM_F_DUMP);
	msg_put_str(&m, BCMON_A_SET_NAME, set);
	msg_put_u32(&m, BCMON_A_READ_FLAGS, BCMON_READ_F_SERIES);
	err = exchange(&m, &a);
	if (err || r->found != 1 || r->has_native != 1) {
		printf("FAIL: read %s %s: %s (%s), found %d, native %d\n", set,
		       metric, strerror(-err), a.extack, r->found, r->has_native);
		return 1;
	}
	for (int i = 0; i < nrefs; i++) {
		count += refs[i].count;
		sum += (uint64_t)refs[i].value * refs[i].count;
	}
	printf("%s %s%s%s: schema %d (defined %d, max %u), zero %llu, %zu+%zu buckets, count %llu\n",
	       set, metric, r->label ? " " : "", r->label ? r->label : "",
	       r->schema, r->def_schema, r->max,
	       (unsigned long long)r->zero_count, r->n[0], r->n[1],
	       (unsigned long long)r->count);
	if (r->count != count || (uint64_t)r->sum != sum) {
		printf("FAIL: count %llu sum %lld, want %llu and %lld\n",
		       (unsigned long long)r->count, (long long)r->sum,
		       (unsigned long long)count, (long long)sum);
		failures++;
	}
	if (r->schema > r->def_schema || r->schema < NHIST_SCHEMA_MIN)
		fail("schema out of range", NULL);
	table_schema = r->def_schema > 0 ? r->def_schema : 0;
	t = malloc(nhist_table_size(table_schema));
	if (!t || nhist_table_build(t, table_schema, r->scale))
		return 2;
	expected_at(t, table_schema - r->def_schema, r->def_schema - r->schema,
		    r->zero_threshold, refs, nrefs, e, &zero);
	if (r->zero_count != zero) {
		printf("FAIL: zero count %llu, want %llu\n",
		       (unsigned long long)r->zero_count, (unsigned long long)zero);
		failures++;
	}
	check_sign(r, &e[0], 0);
	check_sign(r, &e[1], 1);
	/* Lowered only as far as needed: one schema up, some sign overflows. */
	if (r->schema < r->def_schema) {
		expected_at(t, table_schema - r->def_schema,
			    r->def_schema - r->schema - 1, r->zero_threshold, refs,
			    nrefs, up, &upzero);
		if (expect_span(&up[0]) <= (int32_t)r->max &&
		    expect_span(&up[1]) <= (int32_t)r->max)
			fail("resolution lowered although one schema higher fits", NULL);
	}
	/* Classic buckets, from the same observations (bcmon_bucket_of()). */
	for (int b = 0; b <= r->n_bounds; b++) {
		uint64_t want = 0;

		for (int i = 0; i < nrefs; i++)
			if (classic_bucket(r, refs[i].value) == b)
				want += refs[i].count;
		if (r->buckets[b] != want) {
			printf("FAIL: classic bucket %d: %llu, want %llu\n", b,
			       (unsigned long long)r->buckets[b],
			       (unsigned long long)want);
			failures++;
		}
	}
	free(t);
	free(r);
	printf("%s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bcmon-nativetest create SET | badinput SET |\n"
			"       observe SET METRIC LABEL|- VALUE... |\n"
			"       check SET METRIC LABEL|- REFFILE [nonneg]\n");
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "create"))
		return run_create(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "badinput"))
		return run_badinput(argv[2]);
	if (argc >= 6 && !strcmp(argv[1], "observe"))
		return run_observe(argv[2], argv[3], argv[4], argc - 5, argv + 5);
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "check"))
		return run_check(argv[2], argv[3], argv[4], argv[5],
				 argc == 7 && !strcmp(argv[6], "nonneg"));
	usage();
	return 2;
}
