/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The collector registry: which collectors run, in which order, and the
 * exporter's own metrics (the "self" collector): per-collector duration
 * and success, and build info.
 */
#ifndef BCMON_EXPORTER_REGISTRY_H
#define BCMON_EXPORTER_REGISTRY_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "expo.h"

/* -ENOENT for an unknown collector name. */
int registry_set_enabled(const char *name, bool enabled);
void registry_print_help(FILE *f);
/* Whether the collector runs (after flags and defaults). */
bool registry_enabled(const char *name);
void registry_init(const struct exporter_config *cfg);
void registry_fini(void);
/* Run every enabled collector into w (not finished). 0 or -ENOMEM. */
int registry_scrape(const struct exporter_config *cfg, struct expo_writer *w);

#endif
