// SPDX-License-Identifier: GPL-2.0
#include "expo_names.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a; the hash is kept beside the slot, so a probe compares names
 * only when their hashes match. */
static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static const char *name_at(const struct name_set *ns, uint32_t slot)
{
	return ns->chars + slot - 1;
}

static bool name_set_grow(struct name_set *ns)
{
	size_t cap = ns->cap ? ns->cap * 2 : 64;
	uint32_t *slot = calloc(cap, sizeof(*slot)), *hash = calloc(cap, sizeof(*hash));

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
static uint32_t name_set_store(struct name_set *ns, const char *name)
{
	size_t n = strlen(name) + 1;
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
	memcpy(ns->chars + ns->chars_len, name, n);
	at = (uint32_t)ns->chars_len + 1;
	ns->chars_len += n;
	return at;
}

int name_set_add(struct name_set *ns, const char *name)
{
	uint32_t h = fnv1a(name);
	size_t j;

	if ((ns->used + 1) * 2 > ns->cap && !name_set_grow(ns))
		return -ENOMEM;
	for (j = h & (ns->cap - 1); ns->slot[j]; j = (j + 1) & (ns->cap - 1))
		if (ns->hash[j] == h && !strcmp(name_at(ns, ns->slot[j]), name))
			return -EEXIST;
	ns->slot[j] = name_set_store(ns, name);
	if (!ns->slot[j])
		return -ENOMEM;
	ns->hash[j] = h;
	ns->used++;
	return 0;
}

bool name_set_contains(const struct name_set *ns, const char *name)
{
	uint32_t h;

	if (!ns->used)
		return false;
	h = fnv1a(name);
	for (size_t j = h & (ns->cap - 1); ns->slot[j]; j = (j + 1) & (ns->cap - 1))
		if (ns->hash[j] == h && !strcmp(name_at(ns, ns->slot[j]), name))
			return true;
	return false;
}

void name_set_free(struct name_set *ns)
{
	free(ns->slot);
	free(ns->hash);
	free(ns->chars);
	memset(ns, 0, sizeof(*ns));
}

static const char *const sibling_suffixes[] = {
	"_total", "_count", "_sum", "_bucket", "_created", "_info",
};

bool name_set_clashes(const struct name_set *ns, const char *base)
{
	char name[512];
	size_t n = strlen(base);

	if (!ns->used)
		return false;
	if (name_set_contains(ns, base))
		return true;
	for (size_t i = 0; i < sizeof(sibling_suffixes) / sizeof(sibling_suffixes[0]); i++) {
		const char *sfx = sibling_suffixes[i];
		size_t m = strlen(sfx);

		if (n + m < sizeof(name)) {
			memcpy(name, base, n);
			memcpy(name + n, sfx, m + 1);
			if (name_set_contains(ns, name))
				return true;
		}
		if (n > m && !strcmp(base + n - m, sfx)) {
			memcpy(name, base, n - m);
			name[n - m] = '\0';
			if (name_set_contains(ns, name))
				return true;
		}
	}
	return false;
}
