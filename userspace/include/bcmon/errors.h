/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libbcmon error events: record one, read the ring and the totals.
 * Included by <bcmon/libbcmon.h>. With -DBCMON_NO_METRICS recording is an
 * inline no-op; reading still works.
 */
#ifndef BCMON_ERRORS_H
#define BCMON_ERRORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/bcmon.h>

struct bcmon;

/* One event from the module's ring. */
struct bcmon_error_event {
	uint64_t seq;			/* 1, 2, 3, ... since the module loaded */
	uint64_t timestamp_ns;		/* CLOCK_REALTIME */
	uint8_t category;		/* enum bcmon_error_category */
	uint8_t severity;		/* enum bcmon_severity */
	char message[BCMON_ERROR_MSG_MAX];
	/* Who recorded it (absent from modules older than the origin). */
	uint8_t origin;			/* enum bcmon_origin, or UNSPEC */
	bool has_uid, has_pid;
	uint32_t uid;			/* user origin: the recorder's euid */
	uint32_t pid;			/* user origin: its pid (initial pid ns) */
};

/* "kernel", "user"; NULL when unknown. */
const char *bcmon_origin_name(unsigned int origin);

/* The ring (oldest first) and the never-reset totals. */
struct bcmon_error_list {
	struct bcmon_error_event *events;
	size_t n_events;
	uint64_t totals[__BCMON_ERR_CAT_MAX][__BCMON_SEV_MAX];
	bool has_totals;		/* the totals message arrived */
	bool interrupted;		/* events were overwritten while being
					 * read: expect a gap in seq */
};

#ifndef BCMON_NO_METRICS
/*
 * Record an error event; needs CAP_NET_ADMIN or the writer group.
 * msg: 1..BCMON_ERROR_MSG_MAX - 1 bytes.
 */
int bcmon_error_record(struct bcmon *bc, enum bcmon_error_category category,
		       enum bcmon_severity severity, const char *msg);
#else /* BCMON_NO_METRICS: recording compiled out, as in <bcmon/sets.h> */
static inline int bcmon_error_record(struct bcmon *bc,
				     enum bcmon_error_category category,
				     enum bcmon_severity severity,
				     const char *msg)
{
	(void)bc; (void)category; (void)severity; (void)msg;
	return 0;
}
#endif

/* Read every event in the ring and the totals; free with _free(). */
int bcmon_errors_get(struct bcmon *bc, struct bcmon_error_list *out);
void bcmon_error_list_free(struct bcmon_error_list *list);
/*
 * Only the totals by category and severity (out->events stays empty): one
 * dump, whose events are skipped unparsed and never retried for a gap,
 * since the totals come whole in its last message either way. What a
 * scrape needs, at a fraction of bcmon_errors_get()'s cost.
 */
int bcmon_error_totals_get(struct bcmon *bc, struct bcmon_error_list *out);
/*
 * The module status (bcmon_get_status()) and, from the same reply, the
 * error totals (out->events stays empty): no dump at all. A module older
 * than totals in the status leaves totals->has_totals false; then
 * bcmon_error_totals_get() has them. totals is overwritten (free an
 * earlier list first) and left empty on any error; free it with _free().
 */
struct bcmon_status;
int bcmon_get_status_totals(struct bcmon *bc, struct bcmon_status *st,
			    struct bcmon_error_list *totals);

/* "network", "consensus", ...; NULL when out of range. */
const char *bcmon_error_category_name(unsigned int category);
/* "info", "warning", "error", "critical"; NULL when out of range. */
const char *bcmon_severity_name(unsigned int severity);
/* Name to value; -EINVAL for an unknown name. */
int bcmon_error_category_parse(const char *name);
int bcmon_severity_parse(const char *name);

/* Parse a BCMON_A_ERROR nest (also used for events). 0 or -EPROTO. */
struct nlattr;
int bcmon_error_event_parse(struct nlattr *nest, struct bcmon_error_event *ev);

#endif /* BCMON_ERRORS_H */
