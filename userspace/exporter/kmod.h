/* SPDX-License-Identifier: GPL-2.0 */
/* The parts of the kmod collector, one file each, over one connection. */
#ifndef BCMON_EXPORTER_KMOD_H
#define BCMON_EXPORTER_KMOD_H

#include "collector.h"

struct bcmon;

int kmod_write_sets(struct scrape_ctx *ctx, struct expo_writer *w, struct bcmon *bc);

#endif
