/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libbcmon: client library for the bcmon generic netlink family.
 * Every function returns 0 or a negative errno; bcmon_strerror() then gives
 * the kernel's extack message when there was one.
 */
#ifndef BCMON_LIBBCMON_H
#define BCMON_LIBBCMON_H

#include <stddef.h>

struct bcmon;

/* Connect to the bcmon family. Fails with -ENOENT when the module is absent. */
int bcmon_open(struct bcmon **out);
void bcmon_close(struct bcmon *bc);

/* Last error text for bc (extack message if the kernel sent one). */
const char *bcmon_strerror(const struct bcmon *bc);

/* Version string of the loaded module into buf. */
int bcmon_get_version(struct bcmon *bc, char *buf, size_t len);

/* Error events, sensors, event subscription (each in its own header). */
#include <bcmon/errors.h>
#include <bcmon/sensors.h>
#include <bcmon/events.h>
#include <bcmon/sets.h>

#endif /* BCMON_LIBBCMON_H */
