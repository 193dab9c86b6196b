// SPDX-License-Identifier: GPL-2.0
/* Basic auth's cache of checked credentials and the per-address limit. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "authcache.h"

static int setup(void **state)
{
	(void)state;
	return authcache_init();
}

static void cache_holds_what_passed(void **state)
{
	struct auth_key k, same, other_pw, other_hash, other_user;

	(void)state;
	authcache_clear();
	assert_int_equal(authcache_key("prometheus", "$2b$10$hash", "s3cret", &k), 0);
	assert_int_equal(authcache_key("prometheus", "$2b$10$hash", "s3cret", &same), 0);
	assert_memory_equal(k.digest, same.digest, sizeof(k.digest));
	assert_int_equal(authcache_key("prometheus", "$2b$10$hash", "s3cre", &other_pw), 0);
	assert_int_equal(authcache_key("prometheus", "$2b$10$other", "s3cret", &other_hash), 0);
	/* The separators keep ("ab", "c") apart from ("a", "bc"). */
	assert_int_equal(authcache_key("prometheu", "s$2b$10$hash", "s3cret", &other_user), 0);
	assert_false(authcache_lookup(&k));
	authcache_insert(&k);
	assert_true(authcache_lookup(&same));
	assert_false(authcache_lookup(&other_pw));
	assert_false(authcache_lookup(&other_hash));	/* a changed hash misses */
	assert_false(authcache_lookup(&other_user));
	authcache_clear();
	assert_false(authcache_lookup(&k));
}

/* The cache is bounded; the least recently used entry makes room. */
static void cache_evicts_least_recently_used(void **state)
{
	struct auth_key keys[AUTH_CACHE_SIZE + 1];
	char pw[16];

	(void)state;
	authcache_clear();
	for (int i = 0; i <= AUTH_CACHE_SIZE; i++) {
		snprintf(pw, sizeof(pw), "pw%d", i);
		assert_int_equal(authcache_key("u", "h", pw, &keys[i]), 0);
	}
	for (int i = 0; i < AUTH_CACHE_SIZE; i++)
		authcache_insert(&keys[i]);
	assert_true(authcache_lookup(&keys[0]));	/* 0 is now the most recent */
	authcache_insert(&keys[AUTH_CACHE_SIZE]);	/* 1 goes */
	assert_true(authcache_lookup(&keys[0]));
	assert_false(authcache_lookup(&keys[1]));
	assert_true(authcache_lookup(&keys[AUTH_CACHE_SIZE]));
}

static void addr4(const char *ip, struct auth_addr *a)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	inet_pton(AF_INET, ip, &sin.sin_addr);
	auth_addr_from_sockaddr((struct sockaddr *)&sin, a);
}

static void addr6(const char *ip, struct auth_addr *a)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };

	inet_pton(AF_INET6, ip, &sin6.sin6_addr);
	auth_addr_from_sockaddr((struct sockaddr *)&sin6, a);
}

static void failures_are_limited_per_address(void **state)
{
	struct auth_addr a, b, mapped;
	double t = 1000;

	(void)state;
	addr4("127.0.0.2", &a);
	addr4("127.0.0.3", &b);
	for (int i = 0; i < AUTH_FAIL_BURST; i++)
		assert_true(authlimit_take(&a, t));
	assert_false(authlimit_take(&a, t));		/* no bcrypt run for it now */
	assert_true(authlimit_take(&b, t));		/* another address is not affected */
	/* The same IPv4 client over an IPv6 socket is the same address. */
	addr6("::ffff:127.0.0.2", &mapped);
	assert_false(authlimit_take(&mapped, t));
	/* One token back after the refill time, not before. */
	assert_false(authlimit_take(&a, t + AUTH_FAIL_REFILL_S - 1));
	assert_true(authlimit_take(&a, t + AUTH_FAIL_REFILL_S));
	assert_false(authlimit_take(&a, t + AUTH_FAIL_REFILL_S));
	/* A success gives its token back. */
	authlimit_refund(&a, t + AUTH_FAIL_REFILL_S);
	assert_true(authlimit_take(&a, t + AUTH_FAIL_REFILL_S));
}

/* IPv6 clients are limited per /64: an attacker's whole prefix shares one. */
static void ipv6_is_limited_per_prefix(void **state)
{
	struct auth_addr x, y, other;
	double t = 5000;

	(void)state;
	addr6("2001:db8:1:2::1", &x);
	addr6("2001:db8:1:2:ffff::9", &y);
	addr6("2001:db8:1:3::1", &other);
	for (int i = 0; i < AUTH_FAIL_BURST; i++)
		assert_true(authlimit_take(&x, t));
	assert_false(authlimit_take(&y, t));
	assert_true(authlimit_take(&other, t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cache_holds_what_passed),
		cmocka_unit_test(cache_evicts_least_recently_used),
		cmocka_unit_test(failures_are_limited_per_address),
		cmocka_unit_test(ipv6_is_limited_per_prefix),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
