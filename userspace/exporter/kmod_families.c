// SPDX-License-Identifier: GPL-2.0
#include "kmod_families.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expo.h"
#include "strbuf.h"

/*
 * Per metric: offsets into its set's arena, where the definition
 * ("name\0unit\0help\0") and then the record lie.
 */
struct family_entry {
	uint32_t def;
	uint32_t rec_len;
	uint16_t def_len;
	int16_t err;
	uint8_t kind;
	bool valid;
};

struct kmod_family_set {
	char name[BCMON_NAME_MAX];
	size_t n;
	struct family_entry *entries;
	struct strbuf arena;
	size_t live;		/* arena bytes valid entries use */
	bool seen;		/* read in this scrape */
};

static struct {
	char ns[256];
	struct kmod_family_set **sets;
	size_t nsets, cap;
	size_t next;		/* where the next set read is expected */
} cache;

static void set_free(struct kmod_family_set *fs)
{
	if (!fs)
		return;
	free(fs->entries);
	sb_free(&fs->arena);
	free(fs);
}

void kmod_families_free(void)
{
	for (size_t i = 0; i < cache.nsets; i++)
		set_free(cache.sets[i]);
	free(cache.sets);
	memset(&cache, 0, sizeof(cache));
}

void kmod_families_begin(const char *ns)
{
	if (strcmp(cache.ns, ns)) {
		kmod_families_free();
		/* A longer namespace is never equal to the cut copy: no cache. */
		if (strlen(ns) < sizeof(cache.ns))
			memcpy(cache.ns, ns, strlen(ns) + 1);
	}
	cache.next = 0;
	for (size_t i = 0; i < cache.nsets; i++)
		cache.sets[i]->seen = false;
}

/*
 * An arena grown by doubling keeps up to half of it unused: given back
 * once filled (a set's families are made once, then only read), so that
 * the cache costs what it holds.
 */
static void shrink(struct kmod_family_set *fs)
{
	struct strbuf *a = &fs->arena;
	char *p;

	if (!a->buf || a->failed || a->cap - a->len <= a->len / 8 + 64)
		return;
	p = realloc(a->buf, a->len + 1);
	if (p) {
		a->buf = p;
		a->cap = a->len + 1;
	}
}

void kmod_families_end(void)
{
	size_t k = 0;

	/*
	 * Even after a read cut short (a deadline, the set list changing):
	 * a set it did not reach only has its families made again, and
	 * names that come and go never pile up here.
	 */
	for (size_t i = 0; i < cache.nsets; i++) {
		if (cache.sets[i]->seen)
			cache.sets[k++] = cache.sets[i];
		else
			set_free(cache.sets[i]);
	}
	cache.nsets = k;
	for (size_t i = 0; i < cache.nsets; i++)
		shrink(cache.sets[i]);
}

/* A set's entries all made afresh (new, or its arena mostly garbage). */
static bool set_reset(struct kmod_family_set *fs, size_t n)
{
	struct family_entry *e = calloc(n ? n : 1, sizeof(*e));

	if (!e)
		return false;
	free(fs->entries);
	fs->entries = e;
	fs->n = n;
	sb_reset(&fs->arena);
	fs->live = 0;
	return true;
}

static struct kmod_family_set *set_new(const char *name, size_t n)
{
	struct kmod_family_set *fs = calloc(1, sizeof(*fs)), **sets;

	if (!fs || !set_reset(fs, n))
		goto fail;
	memcpy(fs->name, name, strlen(name) + 1);
	if (cache.nsets == cache.cap) {
		size_t cap = cache.cap ? 2 * cache.cap : 16;

		sets = realloc(cache.sets, cap * sizeof(*sets));
		if (!sets)
			goto fail;
		cache.sets = sets;
		cache.cap = cap;
	}
	/* Where it was read, so that the next scrape finds it in order. */
	memmove(cache.sets + cache.next + 1, cache.sets + cache.next,
		(cache.nsets - cache.next) * sizeof(*sets));
	cache.sets[cache.next] = fs;
	cache.nsets++;
	return fs;
fail:
	set_free(fs);
	return NULL;
}

struct kmod_family_set *kmod_families_of(const char *set, size_t n)
{
	struct kmod_family_set *fs = NULL;

	if (!cache.ns[0] || strlen(set) >= BCMON_NAME_MAX)
		return NULL;
	/* Sets are read in the same order every time: look there first. */
	for (size_t k = 0; k < cache.nsets; k++) {
		size_t i = (cache.next + k) % cache.nsets;

		if (!strcmp(cache.sets[i]->name, set)) {
			fs = cache.sets[i];
			cache.next = i;
			break;
		}
	}
	if (!fs)
		fs = set_new(set, n);
	else if ((fs->n != n || fs->arena.len > 2 * fs->live + 4096) && !set_reset(fs, n))
		return NULL;
	if (!fs)
		return NULL;
	fs->seen = true;
	cache.next++;
	return fs;
}

/* Does the definition at def ("name\0unit\0help\0") say what m says? */
static bool same_definition(const char *def, const struct bcmon_metric_info *m)
{
	const char *parts[3] = { m->name, m->unit, m->help };

	for (int i = 0; i < 3; i++) {
		const char *s = parts[i] ? parts[i] : "";

		while (*s && *s == *def) {
			s++;
			def++;
		}
		if (*s != *def)
			return false;
		def++;
	}
	return true;
}

bool kmod_family_get(const struct kmod_family_set *fs, size_t i,
		     const struct bcmon_metric_info *m, const char **rec, size_t *len,
		     int *err)
{
	const struct family_entry *e;
	const char *def;

	if (i >= fs->n || !fs->entries[i].valid)
		return false;
	e = &fs->entries[i];
	def = fs->arena.buf + e->def;
	if (e->kind != (uint8_t)m->kind || !same_definition(def, m))
		return false;
	*err = e->err;
	*len = e->rec_len;
	*rec = def + e->def_len;	/* the record follows the definition */
	return true;
}

void kmod_family_put(struct kmod_family_set *fs, size_t i, const struct bcmon_metric_info *m,
		     const char *rec, size_t len, int err)
{
	struct family_entry *e;
	size_t at = fs->arena.len, def_len;

	if (i >= fs->n || at > UINT32_MAX / 2 || len > UINT32_MAX / 2)
		return;
	e = &fs->entries[i];
	if (e->valid)
		fs->live -= e->def_len + e->rec_len;	/* garbage until a reset */
	e->valid = false;
	sb_puts(&fs->arena, m->name ? m->name : "");
	sb_putc(&fs->arena, '\0');
	sb_puts(&fs->arena, m->unit ? m->unit : "");
	sb_putc(&fs->arena, '\0');
	sb_puts(&fs->arena, m->help ? m->help : "");
	sb_putc(&fs->arena, '\0');
	sb_putn(&fs->arena, rec, len);
	def_len = fs->arena.len - at - len;
	if (sb_failed(&fs->arena) || def_len > UINT16_MAX) {
		/* Forget the whole set: the next scrape starts it over. */
		memset(fs->entries, 0, fs->n * sizeof(*fs->entries));
		sb_reset(&fs->arena);
		fs->live = 0;
		return;
	}
	*e = (struct family_entry){ .def = (uint32_t)at, .rec_len = (uint32_t)len,
				    .def_len = (uint16_t)def_len, .err = (int16_t)err,
				    .kind = (uint8_t)m->kind, .valid = true };
	fs->live += def_len + len;
}
