/* SPDX-License-Identifier: GPL-2.0 */
/* The parts of the kmod collector, one file each, over one connection. */
#ifndef BCMON_EXPORTER_KMOD_H
#define BCMON_EXPORTER_KMOD_H

#include "collector.h"

struct bcmon;
struct bcmon_sensors;

int kmod_write_sets(struct scrape_ctx *ctx, struct expo_writer *w, struct bcmon *bc);
/* Free the fairness tests' histories. */
void kmod_sets_fini(void);
int kmod_write_sensors(struct scrape_ctx *ctx, struct expo_writer *w, struct bcmon *bc);
void kmod_sensor_facts(const struct bcmon_sensors *s, struct health_facts *f);
/* Module events counted by a background subscriber (kmod_events.c). */
int kmod_events_start(void);
void kmod_events_stop(void);
/* The module (re)appeared: subscribe again, its group id may be new. */
void kmod_events_resubscribe(void);
int kmod_write_events(struct scrape_ctx *ctx, struct expo_writer *w, struct bcmon *bc);

#endif
