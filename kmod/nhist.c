// SPDX-License-Identifier: GPL-2.0
/*
 * Native-histogram threshold tables, built with exact integer arithmetic
 * (see nhist.h for the method). Compiled into bcmon.ko and, unchanged,
 * into the exporter and the unit tests.
 *
 * C(j) = floor(2^(63 + j/2^s) * 10^-d) for schema s, scale d. Write
 * 63 * 2^s + j = q * 2^s + r with 0 <= r < 2^s, so 2^(63 + j/2^s) =
 * 2^q * 2^(r/2^s), and 2^(r/2^s) is root number r * 2^(8-s) of
 * nhist_roots.h: R/2^P <= 2^(r/2^s) < (R+1)/2^P with P = 192, equal to
 * R/2^P exactly when r == 0. With a = max(-d, 0), b = max(d, 0):
 *
 *	N_lo = R * 2^q * 10^a,  N_hi = (R + 1) * 2^q * 10^a,  D = 2^P * 10^b
 *	N_lo / D <= 2^(63 + j/2^s) * 10^-d < N_hi / D
 *
 * so floor(N_lo / D) <= C(j) <= ceil(N_hi / D) - 1 = floor((N_hi - 1) / D).
 * When the two integer quotients are equal, C(j) is certified exact; when
 * r == 0 the lower bound is the value itself. Otherwise the table is
 * refused (-ERANGE): a wrong threshold is never used. The quotients are
 * computed exactly on multi-limb integers: floor(floor(N/x)/y) =
 * floor(N/(xy)), so dividing by 10^9 chunks and then shifting by P is
 * exact.
 */
#include "nhist.h"
/* Not used here yet: included so that every kernel build checks it. */
#include "nhist_window.h"

#if defined(__KERNEL__)
#include <linux/errno.h>
#include <linux/math64.h>
#include <linux/string.h>

static inline __u32 nhist_divrem(__u64 *n, __u32 d)
{
	return do_div(*n, d);
}
#else
#include <errno.h>
#include <stdbool.h>
#include <string.h>

static inline __u32 nhist_divrem(__u64 *n, __u32 d)
{
	__u32 rem = (__u32)(*n % d);

	*n /= d;
	return rem;
}
#endif

#include "nhist_roots.h"

/*
 * Unsigned integers of BN_LIMBS 32-bit limbs, least significant first.
 * The largest number met is R * 2^q * 10^18 < 2^(193 + 127 + 60) = 2^380.
 */
#define BN_LIMBS 14

struct nhist_bn {
	__u32 l[BN_LIMBS];
};

/* 2^P + NHIST_ROOT_FRACS[r] (+ 1 when plus_one). */
static void bn_root(struct nhist_bn *x, unsigned int r, bool plus_one)
{
	__u64 carry = plus_one;
	unsigned int i;

	memset(x, 0, sizeof(*x));
	for (i = 0; i < NHIST_ROOTS_LIMBS; i++) {
		carry += NHIST_ROOT_FRACS[r][i];
		x->l[i] = (__u32)carry;
		carry >>= 32;
	}
	x->l[NHIST_ROOTS_LIMBS] = 1 + (__u32)carry;
}

/* x <<= bits; false if a bit would fall off the top. */
static bool bn_shl(struct nhist_bn *x, unsigned int bits)
{
	unsigned int limbs = bits / 32, sh = bits % 32, i;

	if (limbs >= BN_LIMBS)
		return false;
	for (i = BN_LIMBS - limbs; i < BN_LIMBS; i++)
		if (x->l[i])
			return false;
	if (sh && (x->l[BN_LIMBS - limbs - 1] >> (32 - sh)))
		return false;
	for (i = BN_LIMBS; i-- > 0;) {
		__u32 hi = i >= limbs ? x->l[i - limbs] : 0;
		__u32 lo = i >= limbs + 1 ? x->l[i - limbs - 1] : 0;

		x->l[i] = sh ? (hi << sh) | (lo >> (32 - sh)) : hi;
	}
	return true;
}

/* x >>= bits (floor). */
static void bn_shr(struct nhist_bn *x, unsigned int bits)
{
	unsigned int limbs = bits / 32, sh = bits % 32, i;

	for (i = 0; i < BN_LIMBS; i++) {
		__u32 lo = i + limbs < BN_LIMBS ? x->l[i + limbs] : 0;
		__u32 hi = i + limbs + 1 < BN_LIMBS ? x->l[i + limbs + 1] : 0;

		x->l[i] = sh ? (lo >> sh) | (hi << (32 - sh)) : lo;
	}
}

/* x *= m; false on overflow. */
static bool bn_mul(struct nhist_bn *x, __u32 m)
{
	__u64 carry = 0;
	unsigned int i;

	for (i = 0; i < BN_LIMBS; i++) {
		carry += (__u64)x->l[i] * m;
		x->l[i] = (__u32)carry;
		carry >>= 32;
	}
	return !carry;
}

/* x = floor(x / d), d > 0. */
static void bn_div(struct nhist_bn *x, __u32 d)
{
	__u64 rem = 0;
	unsigned int i;

	for (i = BN_LIMBS; i-- > 0;) {
		__u64 cur = (rem << 32) | x->l[i];

		rem = nhist_divrem(&cur, d);
		x->l[i] = (__u32)cur;
	}
}

/* x -= 1 for x >= 1. */
static void bn_dec(struct nhist_bn *x)
{
	unsigned int i;

	for (i = 0; i < BN_LIMBS && x->l[i]-- == 0; i++)
		;
}

static const __u32 nhist_pow10[10] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000,
};

/* x *= 10^e (e <= 18) or x = floor(x / 10^e), in steps of 10^9 at most. */
static bool bn_mul_pow10(struct nhist_bn *x, unsigned int e)
{
	for (; e; e -= e > 9 ? 9 : e)
		if (!bn_mul(x, nhist_pow10[e > 9 ? 9 : e]))
			return false;
	return true;
}

static void bn_div_pow10(struct nhist_bn *x, unsigned int e)
{
	for (; e; e -= e > 9 ? 9 : e)
		bn_div(x, nhist_pow10[e > 9 ? 9 : e]);
}

/*
 * floor(N / D) for N = (R [+1]) * 2^q * 10^a, D = 2^P * 10^b, minus_one:
 * of N - 1. Into *out, or *big when it is 2^64 or more. false when a
 * product does not fit BN_LIMBS (not for supported ranges).
 */
static bool bn_quotient(unsigned int r8, bool plus_one, bool minus_one,
			unsigned int q, unsigned int a, unsigned int b,
			__u64 *out, bool *big)
{
	struct nhist_bn x;
	unsigned int i;

	bn_root(&x, r8, plus_one);
	if (!bn_shl(&x, q) || !bn_mul_pow10(&x, a))
		return false;
	if (minus_one)
		bn_dec(&x);
	bn_div_pow10(&x, b);
	bn_shr(&x, NHIST_ROOTS_PRECISION);
	*big = false;
	for (i = 2; i < BN_LIMBS; i++)
		if (x.l[i])
			*big = true;
	*out = ((__u64)x.l[1] << 32) | x.l[0];
	return true;
}

/*
 * C(j) for schema s, scale d, certified: 0 and *c (or *big for 2^64 and
 * more), or -ERANGE.
 */
static int nhist_threshold(int s, int d, __s32 j, __u64 *c, bool *big)
{
	__s32 e = (63 << s) + j;	/* > 0 for every supported (s, d, j) */
	unsigned int a = d < 0 ? -d : 0, b = d > 0 ? d : 0;
	unsigned int q, r;
	__u64 hi;
	bool hi_big;

	if (e < 0)
		return -ERANGE;
	q = (unsigned int)e >> s;
	r = (unsigned int)e & ((1u << s) - 1);
	if (!bn_quotient(r << (NHIST_SCHEMA_MAX - s), false, false, q, a, b,
			 c, big))
		return -ERANGE;
	if (r == 0)
		return 0;	/* 2^(r/2^s) = 1: N_lo / D is the value */
	if (!bn_quotient(r << (NHIST_SCHEMA_MAX - s), true, true, q, a, b,
			 &hi, &hi_big))
		return -ERANGE;
	return hi == *c && hi_big == *big ? 0 : -ERANGE;
}

/* floor(log2(10) * 2^32): only a first guess for the table's start. */
#define NHIST_LOG2_10_Q32 14267572527LL

int nhist_table_build(struct nhist_table *t, int schema, int scale)
{
	const __u64 half = 1ULL << 63;
	__s32 b, j;
	unsigned int tries;
	__u64 c;
	bool big;
	int err;

	if (schema < 0 || schema > NHIST_SCHEMA_MAX ||
	    scale < NHIST_SCALE_MIN || scale > NHIST_SCALE_MAX)
		return -EINVAL;

	/*
	 * Find b with C(b) < 2^63 <= C(b + 1): C(j) ~ 2^63 at j = 2^s *
	 * scale * log2(10); the guess is off by at most one.
	 */
	b = (__s32)(((__s64)scale * (1 << schema) * NHIST_LOG2_10_Q32) >> 32);
	for (tries = 0;; tries++) {
		if (tries == 4)
			return -ERANGE;
		err = nhist_threshold(schema, scale, b, &c, &big);
		if (err)
			return err;
		if (big || c >= half) {
			b--;
			continue;
		}
		err = nhist_threshold(schema, scale, b + 1, &c, &big);
		if (err)
			return err;
		if (!big && c < half) {
			b++;
			continue;
		}
		break;
	}

	t->schema = schema;
	t->scale = scale;
	t->first = b + 1;
	t->n = 1u << schema;
	for (j = 0; j < (__s32)t->n; j++) {
		err = nhist_threshold(schema, scale, t->first + j, &t->c[j], &big);
		if (err)
			return err;
		if (big || t->c[j] < half || (j && t->c[j] <= t->c[j - 1]))
			return -ERANGE;
	}
	/* Every M < 2^64 falls at or under C(first + 2^s). */
	err = nhist_threshold(schema, scale, t->first + (__s32)t->n, &c, &big);
	if (err)
		return err;
	return big ? 0 : -ERANGE;
}
