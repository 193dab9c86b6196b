/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exporter's own metrics (the "self" collector), written at answer
 * time into a recording of their own:
 * - per collector of this collection: <ns>_scrape_collector_duration_seconds,
 *   <ns>_scrape_collector_success and, for a failure,
 *   <ns>_scrape_collector_failure_reason{reason} (error, deadline_exceeded,
 *   previous_run_stuck);
 * - <ns>_exporter_build_info{version,revision,compiler};
 * - HTTP: <ns>_exporter_http_requests_total{handler,code},
 *   <ns>_exporter_http_requests_in_flight,
 *   <ns>_exporter_http_auth_rejections_total{reason},
 *   <ns>_exporter_bcrypt_checks_total, <ns>_exporter_collections_total;
 * - the standard process_* families of the exporter process, under the
 *   unprefixed names every Prometheus client library uses. (The
 *   <ns>_process_* families of the proc collector describe the *watched*
 *   process, the node, which is the exporter only without a pid_file.)
 */
#ifndef BCMON_EXPORTER_SELF_H
#define BCMON_EXPORTER_SELF_H

#include <stddef.h>

#include "expo.h"

enum collector_outcome_state {
	OUTCOME_OK,
	OUTCOME_ERROR,		/* the collector reported a failure */
	OUTCOME_DEADLINE,	/* still running when the scrape was answered */
	OUTCOME_STUCK,		/* not started: its previous run has not ended */
};

struct collector_outcome {
	const char *name;
	enum collector_outcome_state state;
	double seconds;		/* run time, or time running so far */
};

/* 0, or -ENOMEM (other errors only drop a family, logged at debug). */
int self_write(struct expo_writer *w, const char *ns,
	       const struct collector_outcome *o, size_t n);
const char *self_outcome_reason(enum collector_outcome_state s);

#endif
