// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon announcements of error events and sensor changes on the "events"
 * multicast group: one BCMON_CMD_EVENT message per event with
 * BCMON_A_EVENT_TYPE and the object it is about. Called from work items
 * (process context); skipped cheaply when nobody listens.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <linux/bcmon.h>

#include "bcmon_internal.h"
#include "errors.h"
#include "notify.h"

void bcmon_notify_error(const struct bcmon_error_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	msg = bcmon_nl_event_new(BCMON_EVENT_ERROR, BCMON_NL_ERROR_SIZE,
				 GFP_KERNEL, &hdr);
	if (!msg)
		return;
	/* One message for every listener: uids as the initial namespace sees them. */
	if (bcmon_nl_put_error(msg, ev, &init_user_ns)) {
		nlmsg_free(msg);
		return;
	}
	bcmon_nl_event_send(msg, hdr, GFP_KERNEL);
}
