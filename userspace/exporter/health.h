/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Health rules: facts in (each may be unknown), a status and the reasons
 * for it out. Pure logic; the facts are gathered by health_facts.c.
 */
#ifndef BCMON_EXPORTER_HEALTH_H
#define BCMON_EXPORTER_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "strbuf.h"

#define HEALTH_MAX_BATTERIES 8
#define HEALTH_MAX_REASONS 8

struct health_facts {
	bool have_rss;
	uint64_t rss_bytes;
	bool have_cpu;
	double cpu_ratio;	/* system CPU usage, 0..1 */
	bool have_throttling;
	bool throttling;
	bool have_sensors;	/* batteries below are the complete list */
	size_t nbatteries;
	struct {
		char name[64];
		double capacity_ratio;
	} battery[HEALTH_MAX_BATTERIES];
};

struct health_reason {
	const char *reason;	/* "memory_high", "cpu_high", ... */
	enum health_severity severity;
	char detail[160];
};

struct health_report {
	enum health_severity status;
	size_t nreasons;
	struct health_reason reasons[HEALTH_MAX_REASONS];
};

void health_evaluate(const struct thresholds *t, const struct health_facts *f,
		     struct health_report *r);
const char *health_status_name(enum health_severity s);
/* {"status":"warning","code":1,"reasons":[{"reason":..,"severity":..,"detail":..}]} */
void health_report_json(const struct health_report *r, struct strbuf *out);

#endif
