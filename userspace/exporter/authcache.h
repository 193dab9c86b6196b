/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What makes basic auth cheap to use and costly only to abuse (pure
 * logic, no HTTP; http_auth.c drives it):
 * - a cache of credentials that passed bcrypt, keyed by an HMAC-SHA-256
 *   (random key per process) of user, stored hash and password, as
 *   exporter-toolkit keys its cache by user, hash and password; the
 *   password itself is never kept, and a changed hash misses;
 * - a limit on failed checks per client address (IPv4 /32, IPv6 /64): a
 *   token bucket of AUTH_FAIL_BURST checks that refills one every
 *   AUTH_FAIL_REFILL_S seconds. An address with no token left gets no
 *   bcrypt run at all until one is back.
 * Thread-safe.
 */
#ifndef BCMON_EXPORTER_AUTHCACHE_H
#define BCMON_EXPORTER_AUTHCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define AUTH_CACHE_SIZE 64
#define AUTH_FAIL_BURST 5
#define AUTH_FAIL_REFILL_S 10.0
#define AUTH_LIMIT_ENTRIES 1024	/* addresses tracked; the stalest is forgotten */

#define AUTH_KEY_LEN 32

struct auth_key {
	unsigned char digest[AUTH_KEY_LEN];
};

/* 0 or -errno (no random key or no HMAC). */
int authcache_init(void);
/* The key of (user, stored hash, password). 0 or -errno. */
int authcache_key(const char *user, const char *hash, const char *password,
		  struct auth_key *out);
bool authcache_lookup(const struct auth_key *k);
void authcache_insert(const struct auth_key *k);
/* Forget every cached credential (the users changed). */
void authcache_clear(void);

/* Client addresses as 16 bytes (IPv4 mapped into IPv6, IPv6 cut to /64). */
struct auth_addr {
	unsigned char b[16];
};
void auth_addr_from_sockaddr(const struct sockaddr *sa, struct auth_addr *out);

/*
 * Take a token for one check from addr at time now (seconds, monotonic).
 * false: none left, the check must not run.
 */
bool authlimit_take(const struct auth_addr *addr, double now);
/* Give the token back: the check succeeded. */
void authlimit_refund(const struct auth_addr *addr, double now);

#endif
