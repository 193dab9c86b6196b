// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded bucket windows (kmod/nhist_window.h) against a reference that
 * keeps every observation's index at the histogram's schema: after every
 * step the window holds exactly the reference reduced to the window's
 * schema (nothing lost, nothing moved to a wrong bucket), and its schema
 * is the highest at which the reference's buckets fit in n (the resolution
 * is lowered only when it must be). The same for merging windows.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nhist.h"
#include "nhist_window.h"

#define MAXOBS 20000

struct reference {
	int schema;			/* of the indices */
	int32_t idx[MAXOBS];
	uint64_t cnt[MAXOBS];
	size_t n;
};

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static struct nhist_window *window_new(uint32_t n, int schema)
{
	struct nhist_window *w = malloc(nhist_window_size(n));

	assert_non_null(w);
	nhist_window_init(w, n, schema);
	return w;
}

/* Span (highest - lowest + 1) of the reference's buckets at schema s. */
static int64_t ref_span(const struct reference *r, int s)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;

	for (size_t k = 0; k < r->n; k++) {
		int32_t i = nhist_index_reduce(r->idx[k], (unsigned int)(r->schema - s));

		lo = i < lo ? i : lo;
		hi = i > hi ? i : hi;
	}
	return r->n ? hi - lo + 1 : 0;
}

static void check(const struct nhist_window *w, const struct reference *r)
{
	uint64_t *want = calloc(w->n, sizeof(*want));
	uint64_t total = 0, wtotal = 0;

	assert_non_null(want);
	assert_true(w->schema <= r->schema);
	for (size_t k = 0; k < r->n; k++) {
		int64_t pos = (int64_t)nhist_index_reduce(r->idx[k],
							  (unsigned int)(r->schema - w->schema)) -
			      w->offset;

		if (pos < 0 || pos >= w->n)
			fail_msg("bucket %d (schema %d) outside the window [%d, +%u) at schema %d",
				 r->idx[k], r->schema, w->offset, w->n, w->schema);
		want[pos] += r->cnt[k];
		total += r->cnt[k];
	}
	for (uint32_t p = 0; p < w->n; p++) {
		if (want[p] != w->b[p])
			fail_msg("position %u (bucket %d, schema %d): %llu, want %llu", p,
				 w->offset + (int32_t)p, w->schema, (unsigned long long)w->b[p],
				 (unsigned long long)want[p]);
		wtotal += w->b[p];
	}
	assert_true(wtotal == total);
	/* lowered only when needed: one schema up does not fit */
	if (w->schema < r->schema)
		assert_true(ref_span(r, w->schema + 1) > w->n);
	free(want);
}

static void record(struct reference *r, int32_t idx, uint64_t cnt)
{
	assert_true(r->n < MAXOBS);
	r->idx[r->n] = idx;
	r->cnt[r->n++] = cnt;
}

/* Indices around centre with a spread of +-spread, at schema 8. */
static int32_t pick(int32_t centre, int32_t spread)
{
	return centre + (int32_t)(rnd() % (uint64_t)(2 * spread + 1)) - spread;
}

static void single_window(void **state)
{
	static const uint32_t sizes[] = { NHIST_WINDOW_MIN, 16, 160, 1000 };

	(void)state;
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		for (int round = 0; round < 20; round++) {
			static struct reference r;
			struct nhist_window *w = window_new(sizes[z], 8);
			/* what u64 magnitudes can give: 64 octaves, 16384 indices */
			int32_t centre = (int32_t)(rnd() % 10000) - 5000;
			int32_t spread = 1 + (int32_t)(rnd() % (uint64_t)(round < 10 ? 100 : 2000));

			memset(&r, 0, sizeof(r));
			r.schema = 8;
			for (int k = 0; k < 2000; k++) {
				int32_t i = pick(centre, spread);
				uint64_t c = 1 + rnd() % 3;

				assert_true(nhist_window_add(w, i, 8, c) >= 0);
				record(&r, i, c);
				if (k % 97 == 0)
					check(w, &r);
				/* drift: the distribution moves over time */
				if (k % 500 == 499)
					centre += spread;
			}
			check(w, &r);
			free(w);
		}
	}
}

/* A narrow distribution keeps the full resolution however far it moves. */
static void slides_without_halving(void **state)
{
	struct nhist_window *w = window_new(32, 5);
	static struct reference r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.schema = 5;
	for (int32_t c = -3000; c <= 3000; c += 7) {
		/* the old buckets stay: the schema holds while they all fit */
		record(&r, c, 1);
		if (ref_span(&r, 5) > 32) {
			assert_int_equal(nhist_window_add(w, c, 5, 1), 1);
			break;
		}
		assert_int_equal(nhist_window_add(w, c, 5, 1), 0);
	}
	check(w, &r);
	nhist_window_init(w, 32, 5);
	memset(&r, 0, sizeof(r));
	r.schema = 5;
	for (int32_t c = 100; c > 70; c--) {
		assert_int_equal(nhist_window_add(w, c, 5, 2), 0);
		record(&r, c, 2);
	}
	check(w, &r);
	assert_int_equal(w->schema, 5);
	free(w);
}

/* Every u64 magnitude at the extreme scales fits the smallest window. */
static void extremes_fit(void **state)
{
	static const int scales[] = { NHIST_SCALE_MIN, -9, 0, NHIST_SCALE_MAX };
	struct nhist_table *t = malloc(nhist_table_size(NHIST_SCHEMA_MAX));

	(void)state;
	assert_non_null(t);
	for (size_t s = 0; s < sizeof(scales) / sizeof(scales[0]); s++) {
		struct nhist_window *w = window_new(NHIST_WINDOW_MIN, NHIST_SCHEMA_MAX);
		static struct reference r;

		memset(&r, 0, sizeof(r));
		r.schema = NHIST_SCHEMA_MAX;
		assert_int_equal(nhist_table_build(t, NHIST_SCHEMA_MAX, scales[s]), 0);
		for (int bit = 0; bit < 64; bit++) {
			uint64_t v = bit == 63 ? UINT64_MAX : (1ull << bit) + (rnd() & ((1ull << bit) - 1));
			int32_t i = nhist_index_table(t, v);

			assert_true(nhist_window_add(w, i, NHIST_SCHEMA_MAX, 1) >= 0);
			record(&r, i, 1);
			check(w, &r);
		}
		assert_true(w->schema >= NHIST_SCHEMA_MIN);
		free(w);
	}
	free(t);
}

/* The CPUs' windows merged: the same as one window that saw everything. */
static void merge_windows(void **state)
{
	(void)state;
	for (int round = 0; round < 40; round++) {
		uint32_t n = round % 2 ? 24 : 160;
		struct nhist_window *cpu[4], *acc = window_new(n, 8);
		static struct reference r;

		memset(&r, 0, sizeof(r));
		r.schema = 8;
		for (int c = 0; c < 4; c++) {
			/* CPUs see different parts of the range */
			int32_t centre = (int32_t)(rnd() % 4000) - 2000;
			int32_t spread = 1 + (int32_t)(rnd() % (uint64_t)(round < 20 ? 20 : 3000));

			cpu[c] = window_new(n, 8);
			for (int k = 0; k < 500; k++) {
				int32_t i = pick(centre, spread);

				assert_true(nhist_window_add(cpu[c], i, 8, 1) >= 0);
				record(&r, i, 1);
			}
		}
		for (int c = 0; c < 4; c++) {
			assert_true(nhist_window_merge(acc, cpu[c]) >= 0);
			free(cpu[c]);
		}
		check(acc, &r);
		free(acc);
	}
}

/* Halving alone: ceil(j/2) per bucket, counts kept, empty window too. */
static void halving(void **state)
{
	struct nhist_window *w = window_new(8, 0);

	(void)state;
	nhist_window_halve(w);
	assert_int_equal(w->schema, -1);
	assert_int_equal(w->used, 0);
	nhist_window_init(w, 8, 0);
	for (int32_t i = -3; i <= 4; i++)
		assert_int_equal(nhist_window_add(w, i, 0, (uint64_t)(i + 10)), 0);
	/* -3..4 -> ceil(j/2): -1 {-3,-2}, 0 {-1,0}, 1 {1,2}, 2 {3,4} */
	nhist_window_halve(w);
	assert_int_equal(w->schema, -1);
	assert_int_equal(w->offset, -1);
	assert_true(w->b[0] == 7 + 8 && w->b[1] == 9 + 10 && w->b[2] == 11 + 12 &&
		    w->b[3] == 13 + 14);
	for (int p = 4; p < 8; p++)
		assert_true(w->b[p] == 0);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(halving),
		cmocka_unit_test(slides_without_halving),
		cmocka_unit_test(single_window),
		cmocka_unit_test(extremes_fit),
		cmocka_unit_test(merge_windows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
