// SPDX-License-Identifier: GPL-2.0
#include "authcache.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/random.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char hmac_key[32];
static bool have_key;

static struct {
	bool used;
	uint64_t last_use;
	struct auth_key key;
} cache[AUTH_CACHE_SIZE];
static uint64_t use_clock;

int authcache_init(void)
{
	size_t got = 0;

	while (got < sizeof(hmac_key)) {
		ssize_t n = getrandom(hmac_key + got, sizeof(hmac_key) - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)n;
	}
	have_key = true;
	return 0;
}

int authcache_key(const char *user, const char *hash, const char *password,
		  struct auth_key *out)
{
	size_t lu = strlen(user) + 1, lh = strlen(hash) + 1, lp = strlen(password);
	unsigned char buf[1024];
	int ret;

	if (!have_key)
		return -EINVAL;
	if (lu + lh + lp > sizeof(buf))
		return -E2BIG;
	/* NUL separators: ("ab","c") and ("a","bc") differ. */
	memcpy(buf, user, lu);
	memcpy(buf + lu, hash, lh);
	memcpy(buf + lu + lh, password, lp);
	ret = gnutls_hmac_fast(GNUTLS_MAC_SHA256, hmac_key, sizeof(hmac_key), buf,
			       lu + lh + lp, out->digest);
	explicit_bzero(buf, sizeof(buf));
	return ret < 0 ? -EIO : 0;
}

/* Every entry is compared, without an early exit. */
bool authcache_lookup(const struct auth_key *k)
{
	int hit = -1;

	pthread_mutex_lock(&lock);
	for (int i = 0; i < AUTH_CACHE_SIZE; i++) {
		unsigned char diff = 0;

		for (int j = 0; j < AUTH_KEY_LEN; j++)
			diff |= (unsigned char)(cache[i].key.digest[j] ^ k->digest[j]);
		if (cache[i].used && !diff)
			hit = i;
	}
	if (hit >= 0)
		cache[hit].last_use = ++use_clock;
	pthread_mutex_unlock(&lock);
	return hit >= 0;
}

void authcache_insert(const struct auth_key *k)
{
	int victim = -1;

	pthread_mutex_lock(&lock);
	/* The same key again, else a free entry, else the least recently used. */
	for (int i = 0; i < AUTH_CACHE_SIZE && victim < 0; i++)
		if (cache[i].used && !memcmp(cache[i].key.digest, k->digest, AUTH_KEY_LEN))
			victim = i;
	for (int i = 0; i < AUTH_CACHE_SIZE && victim < 0; i++)
		if (!cache[i].used)
			victim = i;
	if (victim < 0) {
		victim = 0;
		for (int i = 1; i < AUTH_CACHE_SIZE; i++)
			if (cache[i].last_use < cache[victim].last_use)
				victim = i;
	}
	cache[victim].used = true;
	cache[victim].key = *k;
	cache[victim].last_use = ++use_clock;
	pthread_mutex_unlock(&lock);
}

void authcache_clear(void)
{
	pthread_mutex_lock(&lock);
	memset(cache, 0, sizeof(cache));
	pthread_mutex_unlock(&lock);
}

void auth_addr_from_sockaddr(const struct sockaddr *sa, struct auth_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (!sa)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		out->b[10] = out->b[11] = 0xff;
		memcpy(out->b + 12, &sin->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

		if (!memcmp(sin6->sin6_addr.s6_addr, mapped, 12))
			memcpy(out->b, sin6->sin6_addr.s6_addr, 16);	/* an IPv4 client */
		else
			memcpy(out->b, sin6->sin6_addr.s6_addr, 8);	/* its /64 */
	}
}

/* 4-way sets: an address lives in one set; the stalest entry makes room. */
#define WAYS 4
#define SETS (AUTH_LIMIT_ENTRIES / WAYS)

static struct bucket {
	bool used;
	struct auth_addr addr;
	double tokens;
	double updated;
} buckets[SETS][WAYS];

static unsigned int addr_set(const struct auth_addr *a)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < 16; i++) {
		h ^= a->b[i];
		h *= 16777619u;
	}
	return h % SETS;
}

static struct bucket *bucket_of(const struct auth_addr *a, double now)
{
	struct bucket *set = buckets[addr_set(a)], *victim = &set[0];

	for (int i = 0; i < WAYS; i++) {
		struct bucket *b = &set[i];

		if (b->used && !memcmp(&b->addr, a, sizeof(*a))) {
			b->tokens += (now - b->updated) / AUTH_FAIL_REFILL_S;
			if (b->tokens > AUTH_FAIL_BURST)
				b->tokens = AUTH_FAIL_BURST;
			b->updated = now;
			return b;
		}
		if (!b->used || (victim->used && b->updated < victim->updated))
			victim = b;
	}
	victim->used = true;
	victim->addr = *a;
	victim->tokens = AUTH_FAIL_BURST;
	victim->updated = now;
	return victim;
}

bool authlimit_take(const struct auth_addr *addr, double now)
{
	struct bucket *b;
	bool ok;

	pthread_mutex_lock(&lock);
	b = bucket_of(addr, now);
	ok = b->tokens >= 1;
	if (ok)
		b->tokens -= 1;
	pthread_mutex_unlock(&lock);
	return ok;
}

void authlimit_refund(const struct auth_addr *addr, double now)
{
	struct bucket *b;

	pthread_mutex_lock(&lock);
	b = bucket_of(addr, now);
	b->tokens += 1;
	if (b->tokens > AUTH_FAIL_BURST)
		b->tokens = AUTH_FAIL_BURST;
	pthread_mutex_unlock(&lock);
}
