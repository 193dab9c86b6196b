/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The collector registry: which collectors exist, in which order, and
 * which are enabled (flags, then defaults). "self" (the exporter's own
 * metrics, self.c) is enabled and disabled like a collector.
 */
#ifndef BCMON_EXPORTER_REGISTRY_H
#define BCMON_EXPORTER_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "collector.h"
#include "config.h"

/* -ENOENT for an unknown collector name. */
int registry_set_enabled(const char *name, bool enabled);
void registry_print_help(FILE *f);
/* Whether the collector (or "self") runs, after flags and defaults. */
bool registry_enabled(const char *name);

size_t registry_count(void);
const struct collector *registry_collector(size_t i);
bool registry_index_enabled(size_t i);
/* Index of a collector by name, or -1. */
int registry_index(const char *name);

void registry_init(const struct exporter_config *cfg);
/* fini of every enabled collector whose index is not in skip_mask. */
void registry_fini(unsigned int skip_mask);

#endif
