/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libbcmon event subscription: the module's "events" multicast group (set
 * created/destroyed, error of severity >= error, power-supply status and
 * low-capacity changes, trip points crossed and cleared, throttling start
 * and stop). Reading needs no privilege. Included by <bcmon/libbcmon.h>.
 */
#ifndef BCMON_EVENTS_H
#define BCMON_EVENTS_H

#include <stdbool.h>

#include <bcmon/errors.h>
#include <bcmon/sensors.h>

struct bcmon_events;

/* One notification; the has_ flags say which parts it carries. */
struct bcmon_event {
	unsigned int type;		/* enum bcmon_event_type */
	bool has_set_name, has_error, has_supply, has_zone, has_trip,
	     has_throttling;
	char set_name[BCMON_NAME_MAX];
	struct bcmon_error_event error;
	struct bcmon_supply supply;
	struct bcmon_zone zone;		/* without its trips */
	struct bcmon_trip trip;		/* the trip point crossed or cleared */
	bool throttling;
};

/* Join the events group. -ENOENT when the module is not loaded. */
int bcmon_events_open(struct bcmon_events **out);
void bcmon_events_close(struct bcmon_events *ev);

/* The socket, for poll(): readable when an event is waiting. */
int bcmon_events_fd(const struct bcmon_events *ev);

/*
 * Wait for the next event (timeout_ms < 0: forever). 0 and *out filled;
 * -ETIMEDOUT; -ENOBUFS when events were lost because the reader was slow
 * (the subscription stays valid: keep reading); -ENOENT when the module
 * was unloaded (the subscription is over, even if it is loaded again at
 * once: close and open anew); another negative errno.
 */
int bcmon_events_next(struct bcmon_events *ev, struct bcmon_event *out,
		      int timeout_ms);

/* "set_created", "error", "supply_status", ...; "unknown" otherwise. */
const char *bcmon_event_type_name(unsigned int type);

#endif /* BCMON_EVENTS_H */
