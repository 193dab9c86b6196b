/* SPDX-License-Identifier: GPL-2.0 */
/* Adopting an existing set only when it is the simulator's own (adopt.c). */
#ifndef BCMON_SIM_ADOPT_H
#define BCMON_SIM_ADOPT_H

#include <stddef.h>

struct bcmon;
struct bcmon_metric_spec;

/*
 * 0 when the existing set name is owned by this euid and defined exactly
 * as metrics[0..n); else a negative errno with the reason in why.
 */
int sim_adopt_check(struct bcmon *bc, const char *name,
		    const struct bcmon_metric_spec *metrics, size_t n,
		    char *why, size_t len);

#endif /* BCMON_SIM_ADOPT_H */
