/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A set of family names: open addressing over offsets into one growing
 * array of names, rather than a pointer and a malloc'd copy per name (at
 * 100,000 families: 3.5 MB instead of 5 MB). One per recording; rendering
 * looks names up in the sets of the recordings before it.
 */
#ifndef BCMON_EXPORTER_EXPO_NAMES_H
#define BCMON_EXPORTER_EXPO_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct name_set {
	struct name_set *stems;	/* stems of the names ending with a sibling suffix */
	uint32_t *slot;		/* offset + 1 into chars; 0: empty */
	uint32_t *hash;		/* the name's hash, beside each slot */
	size_t cap;
	size_t used;
	char *chars;		/* the names, each NUL-terminated */
	size_t chars_len, chars_cap;
};

/* A name with its length and hash, computed once for many lookups. */
struct name_key {
	const char *name;	/* not necessarily NUL-terminated at len */
	size_t len;
	uint32_t hash;
};

void name_key_init(struct name_key *k, const char *name);
bool name_set_has_key(const struct name_set *ns, const struct name_key *k);
/* 0 added, -EEXIST already there, -ENOMEM. */
int name_set_add_key(struct name_set *ns, const struct name_key *k);
int name_set_add(struct name_set *ns, const char *name);
bool name_set_contains(const struct name_set *ns, const char *name);
/*
 * Does base equal a family name in ns, give or take a suffix that samples
 * or other families derive from a name: counters' "_total" and
 * "_created", histograms' "_bucket", "_count", "_sum", info metrics'
 * "_info"? Two such families can emit the same sample name (a histogram
 * "lat" and a gauge "lat_count") or be read as one family by a parser.
 */
bool name_set_clashes(const struct name_set *ns, const char *base);

/* The keys name_set_clashes() looks for, made once for many sets. */
struct name_clash {
	struct name_key key;	/* the name */
	bool has_stem;
	struct name_key stem;	/* the name without the sibling suffix it ends with */
};
/* base: n characters, NUL-terminated */
void name_clash_keys(struct name_clash *c, const char *base, size_t n);
bool name_set_clashes_keys(const struct name_set *ns, const struct name_clash *c);
/* Add c's name (and its stem, for later clash checks) unless it clashes
 * with a name there: 0, -EEXIST (a clash), -ENOMEM. */
int name_set_add_clash(struct name_set *ns, const struct name_clash *c);
/* Room for n names without growing; 0 or -ENOMEM. */
int name_set_reserve(struct name_set *ns, size_t n);
void name_set_free(struct name_set *ns);

#endif
