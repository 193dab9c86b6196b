// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for libbcmon's reader of counter-set dumps (sets_parse.c): the
 * reply messages are built here as the kernel builds them, a set split over
 * several messages must come out whole and once, and a dump interrupted
 * between two parts of a set must never yield a mix of before and after.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "sets_parse.h"

#define MAX_SETS 8

/* What the reader delivered: each set taken over, as bcmon_set_dump does. */
struct delivered {
	size_t n;
	struct bcmon_set_info sets[MAX_SETS];
	int fail_with;		/* returned instead of taking a set over */
};

static int take_set(struct bcmon_set_info *set, void *arg)
{
	struct delivered *d = arg;

	if (d->fail_with)
		return d->fail_with;
	assert_true(d->n < MAX_SETS);
	d->sets[d->n++] = *set;
	memset(set, 0, sizeof(*set));
	return 0;
}

static void delivered_free(struct delivered *d)
{
	for (size_t i = 0; i < d->n; i++)
		bcmon_set_info_free(&d->sets[i]);
}

/* One dump reply message: the genl header; the BCMON_A_SET part follows. */
static struct nl_msg *part_new(int flags)
{
	struct nl_msg *msg = nlmsg_alloc_size(64 * 1024);

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20, 0,
				    NLM_F_MULTI | flags, BCMON_CMD_SET_GET,
				    BCMON_GENL_VERSION));
	return msg;
}

static struct nlattr *set_start(struct nl_msg *msg, const char *set)
{
	struct nlattr *nest = nla_nest_start(msg, BCMON_A_SET);

	nla_put_string(msg, BCMON_SET_A_NAME, set);
	nla_put_u32(msg, BCMON_SET_A_OWNER_UID, 1000);
	return nest;
}

static void put_counter(struct nl_msg *msg, const char *name, uint64_t value)
{
	struct nlattr *m = nla_nest_start(msg, BCMON_SET_A_METRIC);

	nla_put_string(msg, BCMON_METRIC_A_NAME, name);
	nla_put_u8(msg, BCMON_METRIC_A_KIND, BCMON_KIND_COUNTER);
	nla_put_u32(msg, BCMON_METRIC_A_SCALE, 0);
	nla_put_u64(msg, BCMON_METRIC_A_VALUE, value);
	nla_nest_end(msg, m);
}

/* A part of set holding counters named c<first>..c<first + n - 1>. */
static struct nl_msg *counters_part(const char *set, int first, int n, int flags)
{
	struct nl_msg *msg = part_new(flags);
	struct nlattr *nest = set_start(msg, set);

	for (int i = first; i < first + n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "c%d", i);
		put_counter(msg, name, (uint64_t)i * 10);
	}
	nla_nest_end(msg, nest);
	return msg;
}

static int feed_free(struct set_reader *r, struct nl_msg *msg)
{
	int err = set_reader_feed(r, nlmsg_hdr(msg));

	nlmsg_free(msg);
	return err;
}

static void metrics_of_every_kind(void **state)
{
	static const uint64_t bounds[] = { 10, 100 }, buckets[] = { 1, 2, 3 };
	struct delivered d = { 0 };
	struct set_reader r;
	struct nl_msg *msg = part_new(0);
	struct nlattr *nest, *m;
	const struct bcmon_metric_info *mi;

	(void)state;
	nest = set_start(msg, "game");
	m = nla_nest_start(msg, BCMON_SET_A_METRIC);
	nla_put_string(msg, BCMON_METRIC_A_NAME, "volume");
	nla_put_string(msg, BCMON_METRIC_A_HELP, "Chips bet.");
	nla_put_string(msg, BCMON_METRIC_A_UNIT, "chips");
	nla_put_u8(msg, BCMON_METRIC_A_KIND, BCMON_KIND_COUNTER);
	nla_put_u64(msg, BCMON_METRIC_A_VALUE, 42);
	nla_nest_end(msg, m);
	m = nla_nest_start(msg, BCMON_SET_A_METRIC);
	nla_put_string(msg, BCMON_METRIC_A_NAME, "players");
	nla_put_u8(msg, BCMON_METRIC_A_KIND, BCMON_KIND_GAUGE);
	nla_put_s64(msg, BCMON_METRIC_A_VALUE, -7);
	nla_nest_end(msg, m);
	m = nla_nest_start(msg, BCMON_SET_A_METRIC);
	nla_put_string(msg, BCMON_METRIC_A_NAME, "round");
	nla_put_string(msg, BCMON_METRIC_A_UNIT, "seconds");
	nla_put_u8(msg, BCMON_METRIC_A_KIND, BCMON_KIND_HISTOGRAM);
	nla_put_u32(msg, BCMON_METRIC_A_SCALE, (uint32_t)-3);
	for (int i = 0; i < 2; i++)
		nla_put_u64(msg, BCMON_METRIC_A_BOUND, bounds[i]);
	for (int i = 0; i < 3; i++)
		nla_put_u64(msg, BCMON_METRIC_A_BUCKET, buckets[i]);
	nla_put_u64(msg, BCMON_METRIC_A_COUNT, 6);
	nla_put_s64(msg, BCMON_METRIC_A_SUM, 555);
	nla_nest_end(msg, m);
	nla_nest_end(msg, nest);

	set_reader_init(&r, take_set, &d);
	assert_int_equal(feed_free(&r, msg), 0);
	assert_int_equal(d.n, 0);	/* held until the set is known whole */
	assert_int_equal(set_reader_end(&r, false), 0);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.sets[0].name, "game");
	assert_int_equal(d.sets[0].owner_uid, 1000);
	assert_int_equal(d.sets[0].n_metrics, 3);

	mi = &d.sets[0].metrics[0];
	assert_string_equal(mi->name, "volume");
	assert_string_equal(mi->help, "Chips bet.");
	assert_string_equal(mi->unit, "chips");
	assert_int_equal(mi->kind, BCMON_KIND_COUNTER);
	assert_int_equal(mi->value, 42);
	assert_null(mi->buckets);

	mi = &d.sets[0].metrics[1];
	assert_string_equal(mi->help, "");	/* absent: empty, never NULL */
	assert_string_equal(mi->unit, "");
	assert_int_equal(mi->value, -7);

	mi = &d.sets[0].metrics[2];
	assert_int_equal(mi->kind, BCMON_KIND_HISTOGRAM);
	assert_int_equal(mi->scale, -3);
	assert_int_equal(mi->n_bounds, 2);
	assert_memory_equal(mi->bounds, bounds, sizeof(bounds));
	assert_memory_equal(mi->buckets, buckets, sizeof(buckets));
	assert_int_equal(mi->count, 6);
	assert_int_equal(mi->sum, 555);
	assert_int_equal(bcmon_set_info_find(&d.sets[0], "round"), 2);
	assert_int_equal(bcmon_set_info_find(&d.sets[0], "nope"), -1);
	delivered_free(&d);
}

static void split_set_is_merged_and_handed_on_once(void **state)
{
	struct delivered d = { 0 };
	struct set_reader r;

	(void)state;
	set_reader_init(&r, take_set, &d);
	assert_int_equal(feed_free(&r, counters_part("big", 0, 100, 0)), 0);
	assert_int_equal(feed_free(&r, counters_part("big", 100, 100, 0)), 0);
	assert_int_equal(feed_free(&r, counters_part("big", 200, 50, 0)), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(feed_free(&r, counters_part("small", 0, 2, 0)), 0);
	assert_int_equal(d.n, 1);	/* "big" is whole once another set starts */
	assert_int_equal(set_reader_end(&r, false), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.sets[0].name, "big");
	assert_int_equal(d.sets[0].n_metrics, 250);
	for (size_t i = 0; i < 250; i++) {
		char name[16];

		snprintf(name, sizeof(name), "c%zu", i);
		assert_string_equal(d.sets[0].metrics[i].name, name);
		assert_int_equal(d.sets[0].metrics[i].value, i * 10);
	}
	assert_string_equal(d.sets[1].name, "small");
	assert_int_equal(d.sets[1].n_metrics, 2);
	delivered_free(&d);
}

static void change_between_parts_drops_that_set_only(void **state)
{
	struct delivered d = { 0 };
	struct set_reader r;

	(void)state;
	set_reader_init(&r, take_set, &d);
	assert_int_equal(feed_free(&r, counters_part("a", 0, 3, 0)), 0);
	assert_int_equal(feed_free(&r, counters_part("b", 0, 100, 0)), 0);
	/* The list changed here: b's next part may be another set "b". */
	assert_int_equal(feed_free(&r, counters_part("b", 0, 100, NLM_F_DUMP_INTR)), 0);
	assert_int_equal(feed_free(&r, counters_part("b", 100, 10, 0)), 0);
	assert_int_equal(feed_free(&r, counters_part("c", 0, 1, 0)), 0);
	assert_int_equal(set_reader_end(&r, false), -EINTR);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.sets[0].name, "a");
	assert_int_equal(d.sets[0].n_metrics, 3);
	assert_string_equal(d.sets[1].name, "c");
	delivered_free(&d);
}

static void change_after_a_set_drops_the_set_read_last(void **state)
{
	struct delivered d = { 0 };
	struct set_reader r;

	(void)state;
	set_reader_init(&r, take_set, &d);
	assert_int_equal(feed_free(&r, counters_part("a", 0, 3, 0)), 0);
	/* "a" may have been destroyed half-way: not handed on as if whole. */
	assert_int_equal(feed_free(&r, counters_part("b", 0, 2, NLM_F_DUMP_INTR)), 0);
	assert_int_equal(set_reader_end(&r, false), -EINTR);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.sets[0].name, "b");
	delivered_free(&d);
}

static void change_after_the_last_part_drops_the_set_held(void **state)
{
	struct delivered d = { 0 };
	struct set_reader r;

	(void)state;
	set_reader_init(&r, take_set, &d);
	assert_int_equal(feed_free(&r, counters_part("big", 0, 100, 0)), 0);
	assert_int_equal(feed_free(&r, counters_part("big", 100, 100, 0)), 0);
	/*
	 * NLMSG_DONE carried NLM_F_DUMP_INTR: "big" was destroyed after its
	 * second part (a named dump stops there); 200 metrics of more are not
	 * a whole set.
	 */
	assert_int_equal(set_reader_end(&r, true), -EINTR);
	assert_int_equal(d.n, 0);
	delivered_free(&d);
}

static void malformed_parts_are_refused(void **state)
{
	struct delivered d = { 0 };
	struct set_reader r;
	struct nl_msg *msg;
	struct nlattr *nest, *m;

	(void)state;
	/* Histogram with 2 bounds and 2 buckets (needs 3). */
	msg = part_new(0);
	nest = set_start(msg, "h");
	m = nla_nest_start(msg, BCMON_SET_A_METRIC);
	nla_put_string(msg, BCMON_METRIC_A_NAME, "lat");
	nla_put_u8(msg, BCMON_METRIC_A_KIND, BCMON_KIND_HISTOGRAM);
	nla_put_u64(msg, BCMON_METRIC_A_BOUND, 1);
	nla_put_u64(msg, BCMON_METRIC_A_BOUND, 2);
	nla_put_u64(msg, BCMON_METRIC_A_BUCKET, 1);
	nla_put_u64(msg, BCMON_METRIC_A_BUCKET, 1);
	nla_nest_end(msg, m);
	nla_nest_end(msg, nest);
	set_reader_init(&r, take_set, &d);
	assert_int_equal(feed_free(&r, counters_part("ok", 0, 1, 0)), 0);
	assert_int_equal(feed_free(&r, msg), -EPROTO);
	/* After an error the rest is ignored, the error stays. */
	assert_int_equal(feed_free(&r, counters_part("z", 0, 1, 0)), -EPROTO);
	assert_int_equal(set_reader_end(&r, false), -EPROTO);
	assert_int_equal(d.n, 1);	/* "ok" was whole before the bad part */
	delivered_free(&d);

	/* A metric without a name. */
	msg = part_new(0);
	nest = set_start(msg, "n");
	m = nla_nest_start(msg, BCMON_SET_A_METRIC);
	nla_put_u8(msg, BCMON_METRIC_A_KIND, BCMON_KIND_GAUGE);
	nla_nest_end(msg, m);
	nla_nest_end(msg, nest);
	set_reader_init(&r, take_set, &d);
	assert_int_equal(feed_free(&r, msg), -EPROTO);
	set_reader_release(&r);

	/* A value shorter than 8 bytes. */
	msg = part_new(0);
	nest = set_start(msg, "v");
	m = nla_nest_start(msg, BCMON_SET_A_METRIC);
	nla_put_string(msg, BCMON_METRIC_A_NAME, "x");
	nla_put_u8(msg, BCMON_METRIC_A_KIND, BCMON_KIND_GAUGE);
	nla_put_u32(msg, BCMON_METRIC_A_VALUE, 1);
	nla_nest_end(msg, m);
	nla_nest_end(msg, nest);
	set_reader_init(&r, take_set, &d);
	assert_int_equal(feed_free(&r, msg), -EPROTO);
	set_reader_release(&r);

	/* No set nest at all. */
	msg = part_new(0);
	nla_put_u32(msg, BCMON_A_SET_NAME, 1);
	set_reader_init(&r, take_set, &d);
	assert_int_equal(feed_free(&r, msg), -EPROTO);
	set_reader_release(&r);
}

/* --- labeled metrics ------------------------------------------------------ */

static void put_label(struct nl_msg *msg, const char *name, const char *value)
{
	struct nlattr *l = nla_nest_start(msg, BCMON_SERIES_A_LABEL);

	nla_put_string(msg, BCMON_LABEL_A_NAME, name);
	nla_put_string(msg, BCMON_LABEL_A_VALUE, value);
	nla_nest_end(msg, l);
}

/* A labeled counter "bets" {peer, table} with series p<first>.. as the kernel sends it. */
static void put_labeled_counter(struct nl_msg *msg, int first, int n, uint32_t count)
{
	struct nlattr *m = nla_nest_start(msg, BCMON_SET_A_METRIC), *r;

	nla_put_string(msg, BCMON_METRIC_A_NAME, "bets");
	nla_put_u8(msg, BCMON_METRIC_A_KIND, BCMON_KIND_COUNTER);
	nla_put_u32(msg, BCMON_METRIC_A_SCALE, 0);
	nla_put_string(msg, BCMON_METRIC_A_LABEL_NAME, "peer");
	nla_put_string(msg, BCMON_METRIC_A_LABEL_NAME, "table");
	nla_put_u32(msg, BCMON_METRIC_A_SERIES_COUNT, count);
	for (uint8_t reason = 0; reason <= BCMON_REFUSED_MAX; reason++) {
		r = nla_nest_start(msg, BCMON_METRIC_A_REFUSED);
		nla_put_u8(msg, BCMON_REFUSED_A_REASON, reason);
		nla_put_u64(msg, BCMON_REFUSED_A_COUNT, reason * 10 + count);
		nla_nest_end(msg, r);
	}
	for (int i = first; i < first + n; i++) {
		struct nlattr *s = nla_nest_start(msg, BCMON_METRIC_A_SERIES);
		char peer[16];

		snprintf(peer, sizeof(peer), "p%d", i);
		put_label(msg, "peer", peer);
		put_label(msg, "table", i % 2 ? "odd" : "even");
		nla_put_u64(msg, BCMON_SERIES_A_VALUE, (uint64_t)i * 100);
		nla_nest_end(msg, s);
	}
	nla_nest_end(msg, m);
}

static void labeled_metric_series(void **state)
{
	static const uint64_t bounds[] = { 10, 100 };
	struct delivered d = { 0 };
	struct set_reader r;
	struct nl_msg *msg = part_new(0);
	struct nlattr *nest, *m, *s;
	const struct bcmon_metric_info *mi;

	(void)state;
	nest = set_start(msg, "players");
	put_labeled_counter(msg, 0, 3, 3);
	/* A labeled histogram: bounds on the metric, buckets on each series. */
	m = nla_nest_start(msg, BCMON_SET_A_METRIC);
	nla_put_string(msg, BCMON_METRIC_A_NAME, "stake");
	nla_put_u8(msg, BCMON_METRIC_A_KIND, BCMON_KIND_HISTOGRAM);
	nla_put_u32(msg, BCMON_METRIC_A_SCALE, 0);
	nla_put_u64(msg, BCMON_METRIC_A_BOUND, bounds[0]);
	nla_put_u64(msg, BCMON_METRIC_A_BOUND, bounds[1]);
	nla_put_string(msg, BCMON_METRIC_A_LABEL_NAME, "peer");
	s = nla_nest_start(msg, BCMON_METRIC_A_SERIES);
	put_label(msg, "peer", "ab12");
	nla_put_u64(msg, BCMON_SERIES_A_BUCKET, 1);
	nla_put_u64(msg, BCMON_SERIES_A_BUCKET, 2);
	nla_put_u64(msg, BCMON_SERIES_A_BUCKET, 3);
	nla_put_u64(msg, BCMON_SERIES_A_COUNT, 6);
	nla_put_u64(msg, BCMON_SERIES_A_SUM, 1234);
	nla_nest_end(msg, s);
	nla_nest_end(msg, m);
	put_counter(msg, "plain", 5);
	nla_nest_end(msg, nest);

	set_reader_init(&r, take_set, &d);
	assert_int_equal(feed_free(&r, msg), 0);
	assert_int_equal(set_reader_end(&r, false), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.sets[0].n_metrics, 3);
	mi = &d.sets[0].metrics[0];
	assert_int_equal(mi->n_labels, 2);
	assert_string_equal(mi->label_names[1], "table");
	assert_int_equal(mi->n_series, 3);
	assert_int_equal(mi->series_count, 3);
	assert_string_equal(mi->series[2].label_values[0], "p2");
	assert_string_equal(mi->series[2].label_values[1], "even");
	assert_int_equal(mi->series[2].value, 200);
	assert_int_equal(mi->refused[BCMON_REFUSED_LABEL_VALUE], 23);
	assert_int_equal(bcmon_metric_label_index(mi, "table"), 1);
	assert_int_equal(bcmon_metric_label_index(mi, "seat"), -1);
	mi = &d.sets[0].metrics[1];
	assert_int_equal(mi->n_series, 1);
	assert_int_equal(mi->n_bounds, 2);
	assert_null(mi->buckets);
	assert_int_equal(mi->series[0].buckets[2], 3);
	assert_int_equal(mi->series[0].count, 6);
	assert_int_equal(mi->series[0].sum, 1234);
	mi = &d.sets[0].metrics[2];
	assert_int_equal(mi->n_labels, 0);
	assert_int_equal(mi->value, 5);
	delivered_free(&d);
}

/* A metric whose series span three messages comes out as one metric. */
static void labeled_metric_split_over_parts(void **state)
{
	struct delivered d = { 0 };
	struct set_reader r;
	struct nl_msg *msg;
	struct nlattr *nest;
	const struct bcmon_metric_info *mi;

	(void)state;
	set_reader_init(&r, take_set, &d);
	for (int part = 0; part < 3; part++) {
		msg = part_new(0);
		nest = set_start(msg, "players");
		if (part == 2)
			put_counter(msg, "c0", 7);	/* the set's next metric */
		put_labeled_counter(msg, part * 100, 100, 300 + part);
		if (part == 2)
			put_counter(msg, "c1", 8);
		nla_nest_end(msg, nest);
		assert_int_equal(feed_free(&r, msg), 0);
	}
	assert_int_equal(set_reader_end(&r, false), 0);
	assert_int_equal(d.n, 1);
	/* Part 2 began with another metric: its "bets" is a new metric. */
	assert_int_equal(d.sets[0].n_metrics, 4);
	mi = &d.sets[0].metrics[0];
	assert_int_equal(mi->n_series, 200);
	assert_int_equal(mi->series_count, 301);	/* the latest count */
	assert_string_equal(mi->series[199].label_values[0], "p199");
	assert_int_equal(mi->series[150].value, 15000);
	assert_string_equal(d.sets[0].metrics[1].name, "c0");
	assert_int_equal(d.sets[0].metrics[2].n_series, 100);
	delivered_free(&d);
}

static void labeled_metric_malformed(void **state)
{
	for (int c = 0; c < 4; c++) {
		struct delivered d = { 0 };
		struct set_reader r;
		struct nl_msg *msg = part_new(0);
		struct nlattr *nest = set_start(msg, "bad"), *m, *s;

		m = nla_nest_start(msg, BCMON_SET_A_METRIC);
		nla_put_string(msg, BCMON_METRIC_A_NAME, "bets");
		nla_put_u8(msg, BCMON_METRIC_A_KIND, BCMON_KIND_COUNTER);
		if (c != 2)
			nla_put_string(msg, BCMON_METRIC_A_LABEL_NAME, "peer");
		s = nla_nest_start(msg, BCMON_METRIC_A_SERIES);
		if (c == 0)
			put_label(msg, "seat", "1");	/* not the metric's label */
		if (c == 1) {				/* one label too many */
			put_label(msg, "peer", "a");
			put_label(msg, "peer", "b");
		}
		if (c == 2)				/* series of an unlabeled metric */
			put_label(msg, "peer", "a");
		if (c == 3)				/* a counter with buckets */
			put_label(msg, "peer", "a"), nla_put_u64(msg, BCMON_SERIES_A_BUCKET, 1);
		nla_nest_end(msg, s);
		nla_nest_end(msg, m);
		nla_nest_end(msg, nest);
		(void)state;
		set_reader_init(&r, take_set, &d);
		assert_int_equal(feed_free(&r, msg), -EPROTO);
		set_reader_release(&r);
		assert_int_equal(d.n, 0);
	}
}

static void callback_error_stops_the_read(void **state)
{
	struct delivered d = { .fail_with = -ECANCELED };
	struct set_reader r;

	(void)state;
	set_reader_init(&r, take_set, &d);
	assert_int_equal(feed_free(&r, counters_part("a", 0, 2, 0)), 0);
	assert_int_equal(feed_free(&r, counters_part("b", 0, 2, 0)), -ECANCELED);
	assert_int_equal(feed_free(&r, counters_part("c", 0, 2, 0)), -ECANCELED);
	assert_int_equal(set_reader_end(&r, false), -ECANCELED);
	assert_int_equal(d.n, 0);
}

/* One part read as the one set of a dump, into d. */
static void read_whole(struct nl_msg *msg, struct delivered *d)
{
	struct set_reader r;

	set_reader_init(&r, take_set, d);
	assert_int_equal(feed_free(&r, msg), 0);
	assert_int_equal(set_reader_end(&r, false), 0);
	assert_int_equal(d->n, 1);
}

/* Is msg refused as malformed, with nothing delivered? */
static bool refused(struct nl_msg *msg)
{
	struct delivered d = { 0 };
	struct set_reader r;
	int err;

	set_reader_init(&r, take_set, &d);
	err = feed_free(&r, msg);
	set_reader_release(&r);
	return err == -EPROTO && !d.n;
}

/*
 * Native histograms (issue 13). A fault is one way a reply can be
 * malformed; NF_NONE is the reply as the kernel builds it.
 */
enum native_fault {
	NF_NONE,
	NF_COUNTS_ODD_LEN,	/* not a whole number of u64s */
	NF_COUNTS_EMPTY,
	NF_OFFSET_ONLY,
	NF_COUNTS_ONLY,
	NF_INDEX_OVERFLOW,	/* offset + n - 1 past INT32_MAX */
	NF_INDEX_MIN,		/* offset INT32_MIN: index - 1 would overflow */
	NF_INDEX_PAST_LIMIT,	/* the last index above 128 * 2^schema */
	NF_NO_SCHEMA,
	NF_SHORT_SCHEMA,
	NF_NO_ZERO_COUNT,
	NF_SHORT_ZERO_COUNT,
	NF_SCHEMA_ABOVE_METRIC,
	NF_SCHEMA_BELOW_MIN,
	NF_NEGATIVE_NOT_ALLOWED,	/* negative buckets, no negative flag */
	NF_NO_DEF,		/* buckets of a metric not native */
	NF_NO_BUCKETS,		/* a native metric without its buckets */
	NF_BUCKETS_TWICE,
	NF_DEF_NO_SCHEMA,
	NF_DEF_SCHEMA_RANGE,
	NF_DEF_SHORT_THRESHOLD,
	NF_ON_COUNTER,		/* a native counter */
	NF_COUNT
};

static void put_span(struct nl_msg *msg, int offset_attr, int32_t offset,
		     int counts_attr, const uint64_t *counts, int len)
{
	nla_put_s32(msg, offset_attr, offset);
	nla_put(msg, counts_attr, len, counts);
}

/*
 * A buckets nest of type attr: schema 2, zero count 4, positive buckets
 * -3..-1 {1, 0, 5} and negative bucket 1 {2}: 12 observations.
 */
static void put_native_buckets(struct nl_msg *msg, int attr, enum native_fault f)
{
	static const uint64_t pos[] = { 1, 0, 5 }, neg[] = { 2 };
	struct nlattr *n = nla_nest_start(msg, attr);

	if (f == NF_SHORT_SCHEMA)
		nla_put_u16(msg, BCMON_NATIVE_BUCKETS_A_SCHEMA, 2);
	else if (f != NF_NO_SCHEMA)
		nla_put_s32(msg, BCMON_NATIVE_BUCKETS_A_SCHEMA,
			    f == NF_SCHEMA_ABOVE_METRIC ? 4 : f == NF_SCHEMA_BELOW_MIN ? -5 : 2);
	if (f == NF_SHORT_ZERO_COUNT)
		nla_put_u32(msg, BCMON_NATIVE_BUCKETS_A_ZERO_COUNT, 4);
	else if (f != NF_NO_ZERO_COUNT)
		nla_put_u64(msg, BCMON_NATIVE_BUCKETS_A_ZERO_COUNT, 4);
	if (f == NF_OFFSET_ONLY)
		nla_put_s32(msg, BCMON_NATIVE_BUCKETS_A_POSITIVE_OFFSET, -3);
	else if (f == NF_COUNTS_ONLY)
		nla_put(msg, BCMON_NATIVE_BUCKETS_A_POSITIVE_COUNTS, sizeof(pos), pos);
	else
		put_span(msg, BCMON_NATIVE_BUCKETS_A_POSITIVE_OFFSET,
			 f == NF_INDEX_OVERFLOW ? INT32_MAX - 1 :
			 f == NF_INDEX_MIN ? INT32_MIN :
			 f == NF_INDEX_PAST_LIMIT ? (128 << 2) - 1 : -3,
			 BCMON_NATIVE_BUCKETS_A_POSITIVE_COUNTS, pos,
			 f == NF_COUNTS_ODD_LEN ? 12 : f == NF_COUNTS_EMPTY ? 0 : (int)sizeof(pos));
	put_span(msg, BCMON_NATIVE_BUCKETS_A_NEGATIVE_OFFSET, 1,
		 BCMON_NATIVE_BUCKETS_A_NEGATIVE_COUNTS, neg, sizeof(neg));
	nla_nest_end(msg, n);
}

/* The definition: schema 3, zero threshold 1000, 16 buckets, negative. */
static void put_native_def(struct nl_msg *msg, enum native_fault f)
{
	struct nlattr *n = nla_nest_start(msg, BCMON_METRIC_A_NATIVE);

	if (f != NF_DEF_NO_SCHEMA)
		nla_put_s32(msg, BCMON_NATIVE_A_SCHEMA, f == NF_DEF_SCHEMA_RANGE ? 9 : 3);
	if (f == NF_DEF_SHORT_THRESHOLD)
		nla_put_u32(msg, BCMON_NATIVE_A_ZERO_THRESHOLD, 1000);
	else
		nla_put_u64(msg, BCMON_NATIVE_A_ZERO_THRESHOLD, 1000);
	nla_put_u32(msg, BCMON_NATIVE_A_MAX_BUCKETS, 16);
	if (f != NF_NEGATIVE_NOT_ALLOWED)
		nla_put_flag(msg, BCMON_NATIVE_A_NEGATIVE);
	nla_nest_end(msg, n);
}

/* An unlabeled native histogram without bounds ("latency", ns as seconds). */
static struct nl_msg *native_part(enum native_fault f)
{
	struct nl_msg *msg = part_new(0);
	struct nlattr *nest = set_start(msg, "net"), *m;

	m = nla_nest_start(msg, BCMON_SET_A_METRIC);
	nla_put_string(msg, BCMON_METRIC_A_NAME, "latency");
	nla_put_string(msg, BCMON_METRIC_A_UNIT, "seconds");
	nla_put_u8(msg, BCMON_METRIC_A_KIND,
		   f == NF_ON_COUNTER ? BCMON_KIND_COUNTER : BCMON_KIND_HISTOGRAM);
	nla_put_s32(msg, BCMON_METRIC_A_SCALE, -9);
	if (f != NF_NO_DEF)
		put_native_def(msg, f);
	if (f != NF_ON_COUNTER)
		nla_put_u64(msg, BCMON_METRIC_A_BUCKET, 12);	/* +Inf */
	nla_put_u64(msg, BCMON_METRIC_A_COUNT, 12);
	nla_put_s64(msg, BCMON_METRIC_A_SUM, 99);
	if (f != NF_NO_BUCKETS)
		put_native_buckets(msg, BCMON_METRIC_A_NATIVE_BUCKETS, f);
	if (f == NF_BUCKETS_TWICE)
		put_native_buckets(msg, BCMON_METRIC_A_NATIVE_BUCKETS, NF_NONE);
	nla_nest_end(msg, m);
	put_counter(msg, "after", 7);
	nla_nest_end(msg, nest);
	return msg;
}

static void native_histogram(void **state)
{
	struct delivered d = { 0 };
	const struct bcmon_metric_info *mi;
	const struct bcmon_native_buckets *nb;

	(void)state;
	read_whole(native_part(NF_NONE), &d);
	assert_int_equal(d.sets[0].n_metrics, 2);
	mi = &d.sets[0].metrics[0];
	assert_true(mi->native);
	assert_true(mi->native_negative);
	assert_int_equal(mi->native_schema, 3);
	assert_int_equal(mi->native_zero_threshold, 1000);
	assert_int_equal(mi->native_max_buckets, 16);
	assert_int_equal(mi->n_bounds, 0);
	assert_int_equal(mi->buckets[0], 12);
	assert_int_equal(mi->count, 12);
	nb = mi->native_buckets;
	assert_non_null(nb);
	assert_int_equal(nb->schema, 2);
	assert_int_equal(nb->zero_count, 4);
	assert_int_equal(nb->positive_offset, -3);
	assert_int_equal(nb->n_positive, 3);
	assert_int_equal(nb->positive[0], 1);
	assert_int_equal(nb->positive[1], 0);
	assert_int_equal(nb->positive[2], 5);
	assert_int_equal(nb->negative_offset, 1);
	assert_int_equal(nb->n_negative, 1);
	assert_int_equal(nb->negative[0], 2);
	/* The metric after it is read whole: the block was sized right. */
	assert_string_equal(d.sets[0].metrics[1].name, "after");
	assert_int_equal(d.sets[0].metrics[1].value, 7);
	/* A classic histogram has no native part. */
	assert_false(d.sets[0].metrics[1].native);
	assert_null(d.sets[0].metrics[1].native_buckets);
	delivered_free(&d);
}

static void native_histogram_malformed(void **state)
{
	(void)state;
	for (int f = NF_NONE + 1; f < NF_COUNT; f++)
		if (!refused(native_part(f)))
			fail_msg("fault %d not refused", f);
}

/*
 * A labeled histogram with bounds and a native form: each series carries
 * both; one series has no observation (no offsets, no counts).
 */
enum labeled_fault {
	LF_NONE,
	LF_NO_BOUNDS,		/* native only: well formed too */
	LF_SERIES_WITHOUT,	/* a series lacking its native buckets */
	LF_ON_METRIC,		/* buckets on the labeled metric itself */
	LF_NOT_NATIVE,		/* series buckets of a classic histogram */
};

static struct nl_msg *labeled_native_part(enum labeled_fault f)
{
	struct nl_msg *msg = part_new(0);
	struct nlattr *nest = set_start(msg, "net"), *m, *s, *n;
	size_t nb = f == LF_NO_BOUNDS ? 0 : 2;

	m = nla_nest_start(msg, BCMON_SET_A_METRIC);
	nla_put_string(msg, BCMON_METRIC_A_NAME, "rtt");
	nla_put_u8(msg, BCMON_METRIC_A_KIND, BCMON_KIND_HISTOGRAM);
	nla_put_string(msg, BCMON_METRIC_A_LABEL_NAME, "peer");
	for (size_t b = 0; b < nb; b++)
		nla_put_u64(msg, BCMON_METRIC_A_BOUND, 10 * (b + 1));
	if (f != LF_NOT_NATIVE) {
		n = nla_nest_start(msg, BCMON_METRIC_A_NATIVE);
		nla_put_s32(msg, BCMON_NATIVE_A_SCHEMA, 2);
		nla_nest_end(msg, n);
	}
	if (f == LF_ON_METRIC)
		put_native_buckets(msg, BCMON_METRIC_A_NATIVE_BUCKETS, NF_NEGATIVE_NOT_ALLOWED);
	for (int i = 0; i < 2; i++) {
		s = nla_nest_start(msg, BCMON_METRIC_A_SERIES);
		put_label(msg, "peer", i ? "b" : "a");
		for (size_t b = 0; b <= nb; b++)
			nla_put_u64(msg, BCMON_SERIES_A_BUCKET, i ? 0 : b + 1);
		nla_put_u64(msg, BCMON_SERIES_A_COUNT, i ? 0 : 3 * nb / 2 + 1);
		n = nla_nest_start(msg, BCMON_SERIES_A_NATIVE_BUCKETS);
		nla_put_s32(msg, BCMON_NATIVE_BUCKETS_A_SCHEMA, i ? 2 : 1);
		nla_put_u64(msg, BCMON_NATIVE_BUCKETS_A_ZERO_COUNT, 0);
		if (!i) {
			static const uint64_t pos[] = { 1, 2 };

			put_span(msg, BCMON_NATIVE_BUCKETS_A_POSITIVE_OFFSET, 7,
				 BCMON_NATIVE_BUCKETS_A_POSITIVE_COUNTS, pos, sizeof(pos));
		}
		nla_nest_end(msg, n);
		if (i && f == LF_SERIES_WITHOUT)
			nla_nest_cancel(msg, n);
		nla_nest_end(msg, s);
	}
	nla_nest_end(msg, m);
	nla_nest_end(msg, nest);
	return msg;
}

static void labeled_native_histogram(void **state)
{
	for (int f = LF_NONE; f <= LF_NO_BOUNDS; f++) {
		struct delivered d = { 0 };
		const struct bcmon_metric_info *mi;
		const struct bcmon_native_buckets *nb;

		(void)state;
		read_whole(labeled_native_part(f), &d);
		mi = &d.sets[0].metrics[0];
		assert_true(mi->native);
		assert_false(mi->native_negative);
		assert_int_equal(mi->native_max_buckets, 0);
		assert_null(mi->native_buckets);
		assert_int_equal(mi->n_bounds, f == LF_NONE ? 2 : 0);
		assert_int_equal(mi->n_series, 2);
		nb = mi->series[0].native;
		assert_int_equal(nb->schema, 1);
		assert_int_equal(nb->positive_offset, 7);
		assert_int_equal(nb->n_positive, 2);
		assert_int_equal(nb->positive[1], 2);
		assert_int_equal(nb->n_negative, 0);
		assert_null(nb->negative);
		nb = mi->series[1].native;
		assert_int_equal(nb->n_positive, 0);
		assert_null(nb->positive);
		assert_int_equal(mi->series[1].buckets[0], 0);
		delivered_free(&d);
	}
}

static void labeled_native_histogram_malformed(void **state)
{
	(void)state;
	for (int f = LF_SERIES_WITHOUT; f <= LF_NOT_NATIVE; f++)
		if (!refused(labeled_native_part(f)))
			fail_msg("fault %d not refused", f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(metrics_of_every_kind),
		cmocka_unit_test(split_set_is_merged_and_handed_on_once),
		cmocka_unit_test(change_between_parts_drops_that_set_only),
		cmocka_unit_test(change_after_a_set_drops_the_set_read_last),
		cmocka_unit_test(change_after_the_last_part_drops_the_set_held),
		cmocka_unit_test(malformed_parts_are_refused),
		cmocka_unit_test(callback_error_stops_the_read),
		cmocka_unit_test(labeled_metric_series),
		cmocka_unit_test(labeled_metric_split_over_parts),
		cmocka_unit_test(labeled_metric_malformed),
		cmocka_unit_test(native_histogram),
		cmocka_unit_test(native_histogram_malformed),
		cmocka_unit_test(labeled_native_histogram),
		cmocka_unit_test(labeled_native_histogram_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
