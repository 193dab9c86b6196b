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
/*
 * The same with a time limit: resolving the family and every later
 * request on this connection must complete within timeout_ms of this
 * call (0: no limit), else they fail with -ETIMEDOUT. A reply that stalls
 * (a module stuck in a dump) then costs its caller no more than that.
 */
int bcmon_open_timeout(struct bcmon **out, int timeout_ms);
/* A new time limit for the requests from now on (0: none), for a
 * connection kept open across many. */
void bcmon_set_timeout(struct bcmon *bc, int timeout_ms);
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
