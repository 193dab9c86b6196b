// SPDX-License-Identifier: GPL-2.0
/*
 * Who recorded an error event, and who owns a set, for people and for
 * scripts: "kernel", "uid=1000,pid=42", or "-" when the module does not say
 * (an older module); in JSON the fields the module sent, nothing invented.
 */
#include <inttypes.h>
#include <stdio.h>

#include <bcmon/libbcmon.h>

#include "ctl.h"

void ctl_origin_text(const struct bcmon_error_event *ev, char *buf, size_t len)
{
	if (ev->origin == BCMON_ORIGIN_KERNEL)
		snprintf(buf, len, "kernel");
	else if (ev->origin == BCMON_ORIGIN_USER && ev->has_pid)
		snprintf(buf, len, "uid=%" PRIu32 ",pid=%" PRIu32, ev->uid, ev->pid);
	else if (ev->origin == BCMON_ORIGIN_USER)
		snprintf(buf, len, "uid=%" PRIu32, ev->uid);
	else
		snprintf(buf, len, "-");
}

void ctl_origin_json(const struct bcmon_error_event *ev)
{
	const char *name = bcmon_origin_name(ev->origin);

	if (name)
		printf(",\"origin\":\"%s\"", name);
	if (ev->has_uid)
		printf(",\"uid\":%" PRIu32, ev->uid);
	if (ev->has_pid)
		printf(",\"pid\":%" PRIu32, ev->pid);
}

void ctl_owner_text(const struct bcmon_set_info *s, char *buf, size_t len)
{
	if (s->owner == BCMON_ORIGIN_KERNEL)
		snprintf(buf, len, "kernel");
	else
		snprintf(buf, len, "%" PRIu32, s->owner_uid);
}
