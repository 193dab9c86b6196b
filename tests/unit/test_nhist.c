// SPDX-License-Identifier: GPL-2.0
/*
 * The integer native-histogram method (kmod/nhist.c, kmod/nhist.h) against
 * references that share none of its code:
 * - exact: GMP integer arithmetic on the bucket definition itself,
 *   x <= B^i <=> (v * 10^d)^(2^s) <= 2^i, for every table entry, the
 *   constants it is built from, and sampled boundaries of every schema;
 * - boundaries: for every schema -4..8 and scale -18..18, every bucket
 *   boundary that falls within u64 and its neighbours;
 * - floating point: long double log2 for many random values away from
 *   boundaries (within 1e-9 of one, the exact reference decides);
 * - resolution reduction: ceil(i / 2^n), composed and against the tables.
 * And that scripts/gen-nhist-roots still prints the committed constants.
 */
#include <errno.h>
#include <gmp.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nhist.h"
#include "nhist_roots.h"

#define NSCHEMAS (NHIST_SCHEMA_MAX + 1)
#define NSCALES (NHIST_SCALE_MAX - NHIST_SCALE_MIN + 1)

static struct nhist_table *tables[NSCHEMAS][NSCALES];

static struct nhist_table *table(int schema, int scale)
{
	return tables[schema][scale - NHIST_SCALE_MIN];
}

static int build_all(void **state)
{
	(void)state;
	for (int s = 0; s <= NHIST_SCHEMA_MAX; s++)
		for (int d = NHIST_SCALE_MIN; d <= NHIST_SCALE_MAX; d++) {
			struct nhist_table *t = malloc(nhist_table_size(s));

			if (!t || nhist_table_build(t, s, d))
				return -1;
			tables[s][d - NHIST_SCALE_MIN] = t;
		}
	return 0;
}

static int free_all(void **state)
{
	(void)state;
	for (int s = 0; s < NSCHEMAS; s++)
		for (int d = 0; d < NSCALES; d++)
			free(tables[s][d]);
	return 0;
}

/*
 * Exact: v * 10^d <= 2^(e / 2^p), by raising both sides to the 2^p-th
 * power and moving negative powers across.
 */
static bool ref_le(const mpz_t v, int d, long e, int p)
{
	unsigned long n = 1ul << p;
	mpz_t lhs, rhs, t;
	bool le;

	mpz_inits(lhs, rhs, t, NULL);
	mpz_pow_ui(lhs, v, n);
	mpz_set_ui(rhs, 1);
	if (d > 0) {
		mpz_ui_pow_ui(t, 10, (unsigned long)d * n);
		mpz_mul(lhs, lhs, t);
	} else if (d < 0) {
		mpz_ui_pow_ui(rhs, 10, (unsigned long)-d * n);
	}
	if (e >= 0)
		mpz_mul_2exp(rhs, rhs, (unsigned long)e);
	else
		mpz_mul_2exp(lhs, lhs, (unsigned long)-e);
	le = mpz_cmp(lhs, rhs) <= 0;
	mpz_clears(lhs, rhs, t, NULL);
	return le;
}

static bool ref_le_u64(uint64_t v, bool plus_one, int d, long e, int p)
{
	mpz_t x;
	bool le;

	mpz_init(x);
	mpz_import(x, 1, 1, sizeof(v), 0, 0, &v);
	if (plus_one)
		mpz_add_ui(x, x, 1);
	le = ref_le(x, d, e, p);
	mpz_clear(x);
	return le;
}

/* Exactly: is v in bucket i of schema s (scale d)? */
static bool ref_in_bucket(uint64_t v, int s, int d, long i)
{
	if (s >= 0)
		return ref_le_u64(v, false, d, i, s) &&
		       !ref_le_u64(v, false, d, i - 1, s);
	return ref_le_u64(v, false, d, i * (1l << -s), 0) &&
	       !ref_le_u64(v, false, d, (i - 1) * (1l << -s), 0);
}

/* Index of |v| at any schema -4..8 through the tables. */
static int32_t index_of(uint64_t v, int s, int d)
{
	if (s >= 0)
		return nhist_index_table(table(s, d), v);
	return nhist_index_reduce(nhist_index_table(table(0, d), v),
				  (unsigned int)-s);
}

/* The constants: floor(2^192 * 2^(r/256)) exactly. */
static void roots_are_exact(void **state)
{
	mpz_t root, lhs, rhs;

	(void)state;
	mpz_inits(root, lhs, rhs, NULL);
	for (unsigned int r = 0; r < NHIST_TABLE_MAX; r++) {
		mpz_import(root, NHIST_ROOTS_LIMBS, -1, sizeof(__u32), 0, 0,
			   NHIST_ROOT_FRACS[r]);
		mpz_setbit(root, NHIST_ROOTS_PRECISION);
		mpz_setbit(rhs, 0);
		mpz_set_ui(rhs, 0);
		mpz_setbit(rhs, (unsigned long)NHIST_ROOTS_PRECISION * NHIST_TABLE_MAX + r);
		mpz_pow_ui(lhs, root, NHIST_TABLE_MAX);
		assert_true(mpz_cmp(lhs, rhs) <= 0);
		mpz_add_ui(root, root, 1);
		mpz_pow_ui(lhs, root, NHIST_TABLE_MAX);
		assert_true(mpz_cmp(lhs, rhs) > 0);
	}
	mpz_clears(root, lhs, rhs, NULL);
}

/* scripts/gen-nhist-roots prints exactly the committed header. */
static void roots_match_generator(void **state)
{
	FILE *gen, *committed;
	int a, b;
	size_t n = 0;

	(void)state;
	gen = popen("python3 " BCMON_SRCDIR "/scripts/gen-nhist-roots", "r");
	committed = fopen(BCMON_SRCDIR "/kmod/nhist_roots.h", "r");
	assert_non_null(gen);
	assert_non_null(committed);
	do {
		a = fgetc(gen);
		b = fgetc(committed);
		if (a != b)
			fail_msg("kmod/nhist_roots.h differs from the generator at byte %zu", n);
		n++;
	} while (a != EOF);
	assert_int_equal(pclose(gen), 0);
	fclose(committed);
	assert_true(n > 10000);
}

static void bad_arguments(void **state)
{
	struct nhist_table *t = malloc(nhist_table_size(NHIST_SCHEMA_MAX));

	(void)state;
	assert_int_equal(nhist_table_build(t, -1, 0), -EINVAL);
	assert_int_equal(nhist_table_build(t, NHIST_SCHEMA_MAX + 1, 0), -EINVAL);
	assert_int_equal(nhist_table_build(t, 0, NHIST_SCALE_MIN - 1), -EINVAL);
	assert_int_equal(nhist_table_build(t, 0, NHIST_SCALE_MAX + 1), -EINVAL);
	free(t);
}

/*
 * Every entry of every table is floor(2^(63 + j/2^s) * 10^-d) exactly, the
 * table starts where it must (C(first - 1) < 2^63) and ends where it must
 * (C(first + 2^s) >= 2^64).
 */
static void tables_are_exact(void **state)
{
	(void)state;
	for (int s = 0; s <= NHIST_SCHEMA_MAX; s++)
		for (int d = NHIST_SCALE_MIN; d <= NHIST_SCALE_MAX; d++) {
			const struct nhist_table *t = table(s, d);
			long base = (63l << s) + t->first;

			assert_int_equal(t->schema, s);
			assert_int_equal(t->scale, d);
			assert_int_equal(t->n, 1u << s);
			for (uint32_t j = 0; j < t->n; j++) {
				assert_true(ref_le_u64(t->c[j], false, d, base + j, s));
				assert_false(ref_le_u64(t->c[j], true, d, base + j, s));
			}
			/* 2^63 * 10^d > 2^(63 + (first-1)/2^s): C(first-1) < 2^63 */
			assert_false(ref_le_u64(1ull << 63, false, d, base - 1, s));
			/* 2^64 * 10^d <= 2^(63 + (first+n)/2^s): C(first+n) >= 2^64 */
			assert_true(ref_le_u64(UINT64_MAX, true, d, base + t->n, s));
		}
}

/*
 * Upper boundary of bucket i at schema 8: the largest v with v * 10^d <=
 * 2^(i/256), i.e. floor(2^(i/256) * 10^-d) = c[t] >> (63 - k) for
 * i = 256k + first + t (floor(floor(y) / 2^n) = floor(y / 2^n)), from the
 * table just proven exact. 0 when below 1; false when k > 63.
 */
static bool boundary8(int d, long i, uint64_t *v)
{
	const struct nhist_table *t = table(NHIST_SCHEMA_MAX, d);
	long rel = i - t->first;
	long k = rel >= 0 ? rel / 256 : -((-rel + 255) / 256);
	long pos = rel - k * 256;

	if (k > 63)
		return false;
	*v = k < 0 ? 0 : t->c[pos] >> (63 - k);
	return true;
}

/*
 * Every boundary of every schema within u64, and its neighbours: v = V_i
 * is in bucket i, V_i + 1 in the first bucket whose boundary is at least
 * V_i + 1, V_i - 1 in bucket i unless it is at or under V_(i-1).
 * Boundaries of schema s are those of schema 8 at indices i * 2^(8-s).
 */
static void every_boundary(void **state)
{
	(void)state;
	for (int s = NHIST_SCHEMA_MIN; s <= NHIST_SCHEMA_MAX; s++) {
		unsigned int up = (unsigned int)(NHIST_SCHEMA_MAX - s);

		for (int d = NHIST_SCALE_MIN; d <= NHIST_SCALE_MAX; d++) {
			const struct nhist_table *t8 = table(NHIST_SCHEMA_MAX, d);
			/* first index of schema s whose boundary may be >= 1 */
			long i = ((long)t8->first - 256) >> up;
			uint64_t prev = 0, v;
			size_t checked = 0;

			for (; boundary8(d, i * (1l << up), &v); i++) {
				if (v == 0 || v == prev) {
					prev = v;
					continue;
				}
				/* v is in i; prev + 1 .. v all are. */
				assert_int_equal(index_of(v, s, d), i);
				assert_int_equal(index_of(prev + 1, s, d), i);
				if (v - 1 > prev)
					assert_int_equal(index_of(v - 1, s, d), i);
				if (v < UINT64_MAX) {
					/* v + 1 is in the next bucket with a boundary >= it */
					long next = i + 1;
					uint64_t w;

					while (boundary8(d, next * (1l << up), &w) && w == v)
						next++;
					assert_int_equal(index_of(v + 1, s, d), next);
				}
				prev = v;
				checked++;
			}
			/* the top: 2^64 - 1 is in the bucket after the last boundary */
			assert_int_equal(index_of(UINT64_MAX, s, d), i);
			assert_true(checked > 0);
		}
	}
}

/* A sample of boundaries of every schema and scale, checked exactly. */
static void sampled_boundaries_exact(void **state)
{
	(void)state;
	for (int s = NHIST_SCHEMA_MIN; s <= NHIST_SCHEMA_MAX; s++) {
		unsigned int up = (unsigned int)(NHIST_SCHEMA_MAX - s);
		/* about 40 boundaries per (schema, scale) */
		long stride = s > 2 ? (64l << s) / 40 + 1 : 1;

		for (int d = NHIST_SCALE_MIN; d <= NHIST_SCALE_MAX; d++) {
			const struct nhist_table *t8 = table(NHIST_SCHEMA_MAX, d);
			long i = ((long)t8->first - 256) >> up;
			uint64_t v;

			for (i += (long)(d & 7); boundary8(d, i * (1l << up), &v); i += stride) {
				if (v == 0)
					continue;
				int32_t got = index_of(v, s, d);

				assert_true(ref_in_bucket(v, s, d, got));
				if (v > 1)
					assert_true(ref_in_bucket(v - 1, s, d, index_of(v - 1, s, d)));
				if (v < UINT64_MAX)
					assert_true(ref_in_bucket(v + 1, s, d, index_of(v + 1, s, d)));
			}
		}
	}
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* log-uniform in [1, 2^64) */
static uint64_t rnd_value(void)
{
	unsigned int bits = (unsigned int)(rnd() % 64) + 1;
	uint64_t v = rnd();

	v = bits == 64 ? v : v & ((1ull << bits) - 1);
	return v ? v : 1;
}

/*
 * Floating point: ceil(2^s * log2(v * 10^d)) in long double for random
 * values; where that is within 1e-9 of an integer the exact reference
 * decides instead.
 */
static void random_values_float(void **state)
{
	unsigned long decided_exactly = 0, total = 0;

	(void)state;
	for (int s = NHIST_SCHEMA_MIN; s <= NHIST_SCHEMA_MAX; s++)
		for (int d = NHIST_SCALE_MIN; d <= NHIST_SCALE_MAX; d++)
			for (int n = 0; n < 400; n++) {
				uint64_t v = rnd_value();
				int32_t got = index_of(v, s, d);
				long double y = (log2l((long double)v) +
						 d * log2l(10.0L)) * ldexpl(1, s);
				long double want = ceill(y);

				total++;
				if (fabsl(y - roundl(y)) < 1e-9L) {
					decided_exactly++;
					assert_true(ref_in_bucket(v, s, d, got));
					continue;
				}
				if (s < 0)	/* Prometheus: ceil over the finer index */
					want = ceill(y);
				if ((long double)got != want)
					fail_msg("v=%llu s=%d d=%d: got %d, float says %.0Lf",
						 (unsigned long long)v, s, d, got, want);
			}
	print_message("%lu values, %lu decided exactly\n", total, decided_exactly);
}

static long ceil_div_pow2(long i, unsigned int by)
{
	long n = 1l << by;

	return i >= 0 ? (i + n - 1) / n : -((-i) / n);
}

/* ceil(i / 2^n): alone, composed, and against the tables. */
static void resolution_reduction(void **state)
{
	(void)state;
	for (long i = -70000; i <= 70000; i++)
		for (unsigned int by = 0; by <= 12; by++) {
			assert_int_equal(nhist_index_reduce((int32_t)i, by),
					 ceil_div_pow2(i, by));
			if (by)
				assert_int_equal(nhist_index_reduce(nhist_index_reduce((int32_t)i, 1), by - 1),
						 nhist_index_reduce((int32_t)i, by));
		}
	/* the index at schema s - n is the reduced index at schema s */
	for (int n = 0; n < 20000; n++) {
		uint64_t v = rnd_value();
		int d = (int)(rnd() % NSCALES) + NHIST_SCALE_MIN;

		for (int s = NHIST_SCHEMA_MAX; s > NHIST_SCHEMA_MIN; s--)
			for (int lower = s - 1; lower >= NHIST_SCHEMA_MIN; lower--)
				assert_int_equal(index_of(v, lower, d),
						 nhist_index_reduce(index_of(v, s, d),
								    (unsigned int)(s - lower)));
	}
}

/* Zero bucket, signs, and the extremes of s64. */
static void classify(void **state)
{
	const struct nhist_table *t = table(3, -9);
	int32_t i = 12345, j;

	(void)state;
	assert_int_equal(nhist_classify(t, 0, 0, 0, &i), NHIST_ZERO);
	assert_int_equal(i, 12345);
	assert_int_equal(nhist_classify(t, 0, 1000, 1000, &i), NHIST_ZERO);
	assert_int_equal(nhist_classify(t, 0, 1000, -1000, &i), NHIST_ZERO);
	assert_int_equal(nhist_classify(t, 0, 1000, 1001, &i), NHIST_POSITIVE);
	assert_int_equal(i, index_of(1001, 3, -9));
	assert_int_equal(nhist_classify(t, 0, 1000, -1001, &j), NHIST_NEGATIVE);
	assert_int_equal(j, i);
	/* 1 s = 10^9 ns is 2^0: the upper boundary of bucket 0 */
	assert_int_equal(nhist_classify(t, 0, 0, 1000000000, &i), NHIST_POSITIVE);
	assert_int_equal(i, 0);
	assert_int_equal(nhist_classify(t, 0, 0, 1000000001, &i), NHIST_POSITIVE);
	assert_int_equal(i, 1);
	/* 2 s is 2^1 = bucket 8 at schema 3; reduced by 3: bucket 1 of schema 0 */
	assert_int_equal(nhist_classify(t, 0, 0, 2000000000, &i), NHIST_POSITIVE);
	assert_int_equal(i, 8);
	assert_int_equal(nhist_classify(t, 3, 0, 2000000000, &i), NHIST_POSITIVE);
	assert_int_equal(i, 1);
	assert_int_equal(nhist_classify(t, 0, 0, INT64_MIN, &i), NHIST_NEGATIVE);
	assert_int_equal(i, index_of(1ull << 63, 3, -9));
	assert_int_equal(nhist_classify(t, 0, 0, INT64_MAX, &j), NHIST_POSITIVE);
	assert_int_equal(j, index_of(INT64_MAX, 3, -9));
	assert_true(ref_in_bucket(1ull << 63, 3, -9, i));
	assert_true(ref_in_bucket(INT64_MAX, 3, -9, j));
	/* a zero threshold of U64_MAX takes everything */
	assert_int_equal(nhist_classify(t, 0, UINT64_MAX, INT64_MIN, &i), NHIST_ZERO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roots_are_exact),
		cmocka_unit_test(roots_match_generator),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(tables_are_exact),
		cmocka_unit_test(every_boundary),
		cmocka_unit_test(sampled_boundaries_exact),
		cmocka_unit_test(random_values_float),
		cmocka_unit_test(resolution_reduction),
		cmocka_unit_test(classify),
	};

	return cmocka_run_group_tests(tests, build_all, free_all);
}
