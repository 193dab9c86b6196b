// SPDX-License-Identifier: GPL-2.0
#include "expo_names.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/short_copy.h"

/*
 * The hash, kept beside each slot so that a probe compares names only when
 * their hashes match: eight bytes per step (a multiply and a rotate), not
 * one, since every family's name is hashed at least once per scrape.
 */
static uint64_t rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint32_t name_hash(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h ^= w * 0x87c37b91114253d5ULL;
		h = rotl64(h, 27) * 0x4cf5ad432745937fULL;
	}
	if (n) {
		w = 0;
		memcpy(&w, s, n);
		h ^= w * 0x87c37b91114253d5ULL;
		h = rotl64(h, 27) * 0x4cf5ad432745937fULL;
	}
	/* MurmurHash3's finalizer: every bit of h reaches the low bits, which
	 * pick the slot. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

static const char *name_at(const struct name_set *ns, uint32_t slot)
{
	return ns->chars + slot - 1;
}

/*
 * Filled to two thirds at most: short probe runs still (about two slots
 * looked at per insertion), and a third less table to allocate and zero
 * per recording than at half.
 */
static bool slots_enough(size_t n, size_t cap)
{
	return n * 3 <= cap * 2;
}

/* The table doubled, or made cap_at_least slots (a power of two) at once. */
static bool name_set_grow_to(struct name_set *ns, size_t cap_at_least)
{
	size_t cap = ns->cap ? ns->cap * 2 : 64;
	uint32_t *slot, *hash;

	while (cap < cap_at_least)
		cap *= 2;
	slot = calloc(cap, sizeof(*slot));
	hash = calloc(cap, sizeof(*hash));
	if (!slot || !hash) {
		free(slot);
		free(hash);
		return false;
	}
	for (size_t i = 0; i < ns->cap; i++) {
		size_t j;

		if (!ns->slot[i])
			continue;
		for (j = ns->hash[i] & (cap - 1); slot[j]; j = (j + 1) & (cap - 1))
			;
		slot[j] = ns->slot[i];
		hash[j] = ns->hash[i];
	}
	free(ns->slot);
	free(ns->hash);
	ns->slot = slot;
	ns->hash = hash;
	ns->cap = cap;
	return true;
}

/* Copy name to the end of chars; its slot value, or 0 when out of memory. */
static uint32_t name_set_store(struct name_set *ns, const char *name, size_t len)
{
	size_t n = len + 1;
	uint32_t at;

	if (ns->chars_len + n > UINT32_MAX - 1)
		return 0;
	if (ns->chars_len + n > ns->chars_cap) {
		size_t cap = ns->chars_cap ? ns->chars_cap * 2 : 4096;
		char *chars;

		while (cap < ns->chars_len + n)
			cap *= 2;
		chars = realloc(ns->chars, cap);
		if (!chars)
			return 0;
		ns->chars = chars;
		ns->chars_cap = cap;
	}
	copy_short(ns->chars + ns->chars_len, name, len);
	ns->chars[ns->chars_len + len] = '\0';
	at = (uint32_t)ns->chars_len + 1;
	ns->chars_len += n;
	return at;
}

void name_key_init(struct name_key *k, const char *name)
{
	k->len = strlen(name);
	k->name = name;
	k->hash = name_hash(name, k->len);
}

static bool key_equals(const struct name_set *ns, size_t j, const struct name_key *k)
{
	const char *s = name_at(ns, ns->slot[j]);

	return ns->hash[j] == k->hash && !memcmp(s, k->name, k->len) && !s[k->len];
}

bool name_set_has_key(const struct name_set *ns, const struct name_key *k)
{
	if (!ns->used)
		return false;
	for (size_t j = k->hash & (ns->cap - 1); ns->slot[j]; j = (j + 1) & (ns->cap - 1))
		if (key_equals(ns, j, k))
			return true;
	return false;
}

int name_set_add_key(struct name_set *ns, const struct name_key *k)
{
	size_t j;

	if (!slots_enough(ns->used + 1, ns->cap) && !name_set_grow_to(ns, 0))
		return -ENOMEM;
	for (j = k->hash & (ns->cap - 1); ns->slot[j]; j = (j + 1) & (ns->cap - 1))
		if (key_equals(ns, j, k))
			return -EEXIST;
	ns->slot[j] = name_set_store(ns, k->name, k->len);
	if (!ns->slot[j])
		return -ENOMEM;
	ns->hash[j] = k->hash;
	ns->used++;
	return 0;
}

int name_set_add(struct name_set *ns, const char *name)
{
	struct name_key k;

	name_key_init(&k, name);
	return name_set_add_key(ns, &k);
}

bool name_set_contains(const struct name_set *ns, const char *name)
{
	struct name_key k;

	if (!ns->used)
		return false;
	name_key_init(&k, name);
	return name_set_has_key(ns, &k);
}

int name_set_reserve(struct name_set *ns, size_t n)
{
	if (n > UINT32_MAX / 4)
		return -ENOMEM;
	if (slots_enough(n, ns->cap))
		return 0;
	return name_set_grow_to(ns, n + n / 2 + 1) ? 0 : -ENOMEM;
}

void name_set_free(struct name_set *ns)
{
	if (ns->stems) {
		name_set_free(ns->stems);
		free(ns->stems);
	}
	free(ns->slot);
	free(ns->hash);
	free(ns->chars);
	memset(ns, 0, sizeof(*ns));
}

static const struct {
	const char *s;
	size_t n;
} sibling_suffixes[] = {
	{ "_total", 6 }, { "_count", 6 }, { "_sum", 4 }, { "_bucket", 7 },
	{ "_created", 8 }, { "_info", 5 },
};
#define NSUFFIXES (sizeof(sibling_suffixes) / sizeof(sibling_suffixes[0]))

/* base without the sibling suffix it ends with; false if it ends with none. */
static bool stem_of(const char *base, size_t n, struct name_key *stem)
{
	for (size_t i = 0; i < NSUFFIXES; i++) {
		size_t m = sibling_suffixes[i].n;

		if (n > m && base[n - 1] == sibling_suffixes[i].s[m - 1] &&
		    !memcmp(base + n - m, sibling_suffixes[i].s, m)) {
			*stem = (struct name_key){ base, n - m, name_hash(base, n - m) };
			return true;
		}
	}
	return false;
}

void name_clash_keys(struct name_clash *c, const char *base, size_t n)
{
	c->key = (struct name_key){ base, n, name_hash(base, n) };
	c->has_stem = stem_of(base, c->key.len, &c->stem);
}

/*
 * a and b clash when a == b, a == b + suffix or b == a + suffix. The set
 * keeps, beside its names, the stem of each name that ends with a suffix
 * (ns->stems): then "some name is base + suffix" is "base is a stem", and
 * "base - suffix is a name" is one more lookup. Three lookups at most,
 * instead of one per suffix and direction.
 */
bool name_set_clashes_keys(const struct name_set *ns, const struct name_clash *c)
{
	if (!ns->used)
		return false;
	return name_set_has_key(ns, &c->key) ||
	       (ns->stems && name_set_has_key(ns->stems, &c->key)) ||
	       (c->has_stem && name_set_has_key(ns, &c->stem));
}

bool name_set_clashes(const struct name_set *ns, const char *base)
{
	struct name_clash c;

	if (!ns->used)
		return false;
	name_clash_keys(&c, base, strlen(base));
	return name_set_clashes_keys(ns, &c);
}

/* The two clash lookups, then the name's own, which its insertion makes. */
int name_set_add_clash(struct name_set *ns, const struct name_clash *c)
{
	int err;

	if (ns->used && ((ns->stems && name_set_has_key(ns->stems, &c->key)) ||
			 (c->has_stem && name_set_has_key(ns, &c->stem))))
		return -EEXIST;
	err = name_set_add_key(ns, &c->key);

	if (err || !c->has_stem)
		return err;
	if (!ns->stems) {
		ns->stems = calloc(1, sizeof(*ns->stems));
		if (!ns->stems)
			return -ENOMEM;
	}
	err = name_set_add_key(ns->stems, &c->stem);
	return err == -EEXIST ? 0 : err;
}
