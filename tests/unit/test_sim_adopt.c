// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bcmon-sim's adoption check (adopt.c): a set left by an
 * earlier run (--keep-sets) is adopted only when it is the simulator's own
 * and defined exactly as the simulator would define it now, native form
 * included (issue 13): the consensus latency histogram has native buckets
 * of schema 3 beside the seed's bounds, so a kept set without them, or
 * with another schema, zero threshold, bucket limit or sign policy, is
 * refused. bcmon_set_get() is a test double that reports a set the way
 * libbcmon does, from a definition the test chooses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <bcmon/libbcmon.h>

#include "adopt.h"
#include "record.h"

/* What record.c defines for the consensus set (record.h's constants). */
static const uint64_t bounds_us[] = { 1000, 5000, 10000, 50000, 100000, 500000, 1000000 };
static const char *const outcome_label[] = { "outcome" };

static const struct bcmon_metric_spec consensus[] = {
	{ .name = "latency", .kind = BCMON_KIND_HISTOGRAM, .unit = "seconds", .scale = -6,
	  .bounds = bounds_us, .n_bounds = 7,
	  .native = true, .native_schema = LATENCY_NATIVE_SCHEMA,
	  .native_max_buckets = LATENCY_NATIVE_MAX_BUCKETS },
	{ .name = "proposals", .kind = BCMON_KIND_COUNTER,
	  .label_names = outcome_label, .n_labels = 1 },
};
#define N_CONSENSUS	(sizeof(consensus) / sizeof(consensus[0]))

/* --- libbcmon test doubles ----------------------------------------------------- */
struct bcmon {
	int unused;
};

static struct {
	struct bcmon bc;
	struct bcmon_metric_info metrics[4];	/* the kernel's definition */
	size_t n_metrics;
	uint8_t owner;
	bool has_owner_uid;
	uint32_t owner_uid;
	int get_error;
	unsigned int gets, frees;
} kern;

/* The set as the module would report it after creating it from want. */
static void kernel_has(const struct bcmon_metric_spec *want, size_t n)
{
	memset(&kern, 0, sizeof(kern));
	assert_true(n <= sizeof(kern.metrics) / sizeof(kern.metrics[0]));
	for (size_t i = 0; i < n; i++) {
		struct bcmon_metric_info *m = &kern.metrics[i];

		m->name = want[i].name;
		m->help = "";
		m->unit = want[i].unit ? want[i].unit : "";
		m->kind = want[i].kind;
		m->scale = want[i].scale;
		m->n_bounds = want[i].n_bounds;
		m->bounds = want[i].bounds;
		m->n_labels = want[i].n_labels;
		m->label_names = want[i].label_names;
		m->native = want[i].native;
		if (m->native) {
			m->native_negative = want[i].native_negative;
			m->native_schema = want[i].native_schema;
			m->native_max_buckets = want[i].native_max_buckets;
			m->native_zero_threshold = want[i].native_zero_threshold;
		}
	}
	kern.n_metrics = n;
	kern.owner = BCMON_ORIGIN_USER;
	kern.has_owner_uid = true;
	kern.owner_uid = (uint32_t)geteuid();
}

int bcmon_set_get(struct bcmon *bc, const char *set, struct bcmon_set_info *out)
{
	(void)bc;
	kern.gets++;
	if (kern.get_error)
		return kern.get_error;
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", set);
	out->owner = kern.owner;
	out->has_owner_uid = kern.has_owner_uid;
	out->owner_uid = kern.owner_uid;
	out->n_metrics = kern.n_metrics;
	out->metrics = kern.metrics;
	return 0;
}

void bcmon_set_info_free(struct bcmon_set_info *info)
{
	(void)info;
	kern.frees++;
}

/* --- helpers -------------------------------------------------------------------- */
static char why[256];

static int adopt(void)
{
	why[0] = 0;
	return sim_adopt_check(&kern.bc, "consensus", consensus, N_CONSENSUS, why, sizeof(why));
}

static void refused_for_latency(void)
{
	assert_int_equal(adopt(), -EEXIST);
	assert_non_null(strstr(why, "another definition of latency"));
	assert_int_equal(kern.frees, kern.gets);
}

/* --- tests ---------------------------------------------------------------------- */
static void own_identical_set_is_adopted(void **state)
{
	(void)state;
	kernel_has(consensus, N_CONSENSUS);
	assert_int_equal(adopt(), 0);
	assert_int_equal(kern.frees, 1);
}

/* The definition itself: native schema 3 beside the seed's bounds, as
 * documented (metrics.md) and relied on by the rules' le values. */
static void consensus_latency_is_native_schema_3(void **state)
{
	(void)state;
	assert_int_equal(LATENCY_NATIVE_SCHEMA, 3);
	assert_true(LATENCY_NATIVE_MAX_BUCKETS >= 8 && LATENCY_NATIVE_MAX_BUCKETS <= 256);
}

/* A set kept by a simulator from before issue 13: classic only. */
static void classic_only_set_is_refused(void **state)
{
	(void)state;
	kernel_has(consensus, N_CONSENSUS);
	kern.metrics[0].native = false;
	kern.metrics[0].native_schema = 0;
	kern.metrics[0].native_max_buckets = 0;
	refused_for_latency();
}

static void other_schema_is_refused(void **state)
{
	(void)state;
	for (int32_t s = -4; s <= 8; s++) {
		if (s == LATENCY_NATIVE_SCHEMA)
			continue;
		kernel_has(consensus, N_CONSENSUS);
		kern.metrics[0].native_schema = s;
		refused_for_latency();
	}
}

static void other_zero_threshold_is_refused(void **state)
{
	(void)state;
	kernel_has(consensus, N_CONSENSUS);
	kern.metrics[0].native_zero_threshold = 1;
	refused_for_latency();
}

/* The module reports the limit in use: one created with the module's
 * default (160) or another limit is not the simulator's. */
static void other_bucket_limit_is_refused(void **state)
{
	(void)state;
	kernel_has(consensus, N_CONSENSUS);
	kern.metrics[0].native_max_buckets = LATENCY_NATIVE_MAX_BUCKETS - 1;
	refused_for_latency();
	kernel_has(consensus, N_CONSENSUS);
	kern.metrics[0].native_max_buckets = 256;
	refused_for_latency();
}

static void negative_values_allowed_is_refused(void **state)
{
	(void)state;
	kernel_has(consensus, N_CONSENSUS);
	kern.metrics[0].native_negative = true;
	refused_for_latency();
}

/* A native form where the simulator wants none (the counter here stands
 * for any metric the simulator defines classic). */
static void native_where_none_wanted_is_refused(void **state)
{
	struct bcmon_metric_spec classic[N_CONSENSUS];

	(void)state;
	memcpy(classic, consensus, sizeof(classic));
	classic[0].native = false;
	kernel_has(consensus, N_CONSENSUS);
	why[0] = 0;
	assert_int_equal(sim_adopt_check(&kern.bc, "consensus", classic, N_CONSENSUS, why,
					 sizeof(why)), -EEXIST);
	assert_non_null(strstr(why, "another definition of latency"));
}

/* The fields a classic spec leaves unset are not compared: the native
 * settings of a spec without .native mean nothing. */
static void classic_spec_ignores_native_fields(void **state)
{
	struct bcmon_metric_spec classic[N_CONSENSUS];

	(void)state;
	memcpy(classic, consensus, sizeof(classic));
	classic[0].native = false;
	kernel_has(classic, N_CONSENSUS);
	classic[0].native_schema = 5;	/* ignored without .native */
	why[0] = 0;
	assert_int_equal(sim_adopt_check(&kern.bc, "consensus", classic, N_CONSENSUS, why,
					 sizeof(why)), 0);
}

/* The checks from before native buckets still hold. */
static void other_bounds_or_owner_are_refused(void **state)
{
	static const uint64_t other[] = { 1000, 5000, 10000, 50000, 100000, 500000, 2000000 };

	(void)state;
	kernel_has(consensus, N_CONSENSUS);
	kern.metrics[0].bounds = other;
	refused_for_latency();

	kernel_has(consensus, N_CONSENSUS);
	kern.owner_uid = (uint32_t)geteuid() + 1;
	assert_int_equal(adopt(), -EEXIST);
	assert_non_null(strstr(why, "another user"));

	kernel_has(consensus, N_CONSENSUS);
	kern.owner = BCMON_ORIGIN_KERNEL;
	kern.has_owner_uid = false;
	assert_int_equal(adopt(), -EEXIST);
	assert_non_null(strstr(why, "the kernel"));

	kernel_has(consensus, N_CONSENSUS);
	kern.get_error = -EACCES;
	assert_int_equal(adopt(), -EACCES);
	assert_non_null(strstr(why, "cannot be read"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_identical_set_is_adopted),
		cmocka_unit_test(consensus_latency_is_native_schema_3),
		cmocka_unit_test(classic_only_set_is_refused),
		cmocka_unit_test(other_schema_is_refused),
		cmocka_unit_test(other_zero_threshold_is_refused),
		cmocka_unit_test(other_bucket_limit_is_refused),
		cmocka_unit_test(negative_values_allowed_is_refused),
		cmocka_unit_test(native_where_none_wanted_is_refused),
		cmocka_unit_test(classic_spec_ignores_native_fields),
		cmocka_unit_test(other_bounds_or_owner_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
