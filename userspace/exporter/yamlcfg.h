/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers over libyaml's document API for strict config files:
 * every error names FILE:LINE, unknown keys are errors (as Prometheus'
 * strict unmarshalling), values are type-checked.
 */
#ifndef BCMON_EXPORTER_YAMLCFG_H
#define BCMON_EXPORTER_YAMLCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

struct ycfg {
	yaml_document_t doc;
	const char *name;	/* file name for messages */
	char *err;
	size_t errlen;
};

/* Parse text (len bytes); on failure err holds "NAME:LINE: why". */
int ycfg_load(struct ycfg *y, const char *name, const char *text, size_t len,
	      char *err, size_t errlen);
/* Read a whole file into a malloc'd NUL-terminated buffer; -errno. */
int ycfg_read_file(const char *path, char **text, size_t *len);
void ycfg_free(struct ycfg *y);

yaml_node_t *ycfg_root(struct ycfg *y);
yaml_node_t *ycfg_node(struct ycfg *y, int index);
/* Record "NAME:LINE: fmt..." for node; always returns -EINVAL. */
__attribute__((format(printf, 3, 4)))
int ycfg_fail(struct ycfg *y, const yaml_node_t *node, const char *fmt, ...);

int ycfg_expect(struct ycfg *y, yaml_node_t *n, yaml_node_type_t type, const char *what);

/* Called once per pair with the key's string; nonzero stops the walk. */
typedef int (*ycfg_pair_fn)(struct ycfg *y, const char *key, yaml_node_t *k,
			    yaml_node_t *v, void *ctx);
/*
 * Walk the mapping map (named what in the type error) in file order: each
 * key must be a string, and fn decides everything else, unknown keys
 * included. Returns the first nonzero result, else 0.
 */
int ycfg_each_pair(struct ycfg *y, yaml_node_t *map, const char *what,
		   ycfg_pair_fn fn, void *ctx);
int ycfg_string(struct ycfg *y, yaml_node_t *n, const char **out);
int ycfg_u64(struct ycfg *y, yaml_node_t *n, uint64_t max, uint64_t *out);
int ycfg_double(struct ycfg *y, yaml_node_t *n, double *out);
/* A scalar is "null" when empty, "~" or "null" (plain style). */
bool ycfg_is_null(const yaml_node_t *n);

#endif
