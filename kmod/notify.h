/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Announcements on the "events" multicast group for error events and
 * sensor changes (notify.c). Process context only: callers in atomic
 * context defer to a work item first (see errors.c, sensors.c).
 */
#ifndef _BCMON_NOTIFY_H
#define _BCMON_NOTIFY_H

#include <linux/types.h>

struct bcmon_error_event;
struct bcmon_zone;
struct bcmon_supply;

void bcmon_notify_error(const struct bcmon_error_event *ev);

#endif /* _BCMON_NOTIFY_H */
