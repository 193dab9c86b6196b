// SPDX-License-Identifier: GPL-2.0
#include "health.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include <bcmon/parse.h>

const char *health_status_name(enum health_severity s)
{
	switch (s) {
	case HEALTH_OK:
		return "healthy";
	case HEALTH_WARNING:
		return "warning";
	case HEALTH_CRITICAL:
		break;
	}
	return "critical";
}

__attribute__((format(printf, 4, 5)))
static void add_reason(struct health_report *r, const char *reason,
		       enum health_severity sev, const char *fmt, ...)
{
	struct health_reason *hr;
	va_list ap;

	if (sev == HEALTH_OK || r->nreasons == HEALTH_MAX_REASONS)
		return;
	hr = &r->reasons[r->nreasons++];
	hr->reason = reason;
	hr->severity = sev;
	va_start(ap, fmt);
	vsnprintf(hr->detail, sizeof(hr->detail), fmt, ap);
	va_end(ap);
	if (sev > r->status)
		r->status = sev;
}

/* "above": value > limit; a zero limit is a disabled rule. */
static enum health_severity grade_above(double v, double warn, double crit)
{
	if (crit > 0 && v > crit)
		return HEALTH_CRITICAL;
	if (warn > 0 && v > warn)
		return HEALTH_WARNING;
	return HEALTH_OK;
}

static enum health_severity grade_below(double v, double warn, double crit)
{
	if (crit > 0 && v < crit)
		return HEALTH_CRITICAL;
	if (warn > 0 && v < warn)
		return HEALTH_WARNING;
	return HEALTH_OK;
}

void health_evaluate(const struct thresholds *t, const struct health_facts *f,
		     struct health_report *r)
{
	r->status = HEALTH_OK;
	r->nreasons = 0;

	if (f->have_rss) {
		enum health_severity s = grade_above((double)f->rss_bytes,
						     (double)t->memory_warning_bytes,
						     (double)t->memory_critical_bytes);
		uint64_t limit = s == HEALTH_CRITICAL ? t->memory_critical_bytes
						      : t->memory_warning_bytes;

		add_reason(r, "memory_high", s,
			   "resident memory %" PRIu64 " bytes above %" PRIu64,
			   f->rss_bytes, limit);
	}
	if (f->have_cpu) {
		enum health_severity s = grade_above(f->cpu_ratio, t->cpu_warning_ratio,
						     t->cpu_critical_ratio);

		add_reason(r, "cpu_high", s, "system CPU usage %.3f above %.3f",
			   f->cpu_ratio, s == HEALTH_CRITICAL ? t->cpu_critical_ratio
							       : t->cpu_warning_ratio);
	}
	if (f->have_throttling && f->throttling)
		add_reason(r, "thermal_throttling", t->throttling,
			   "a cooling device is active");

	/* One reason for the batteries, graded by the emptiest one. */
	if (f->nbatteries) {
		size_t low = 0;

		for (size_t i = 1; i < f->nbatteries; i++)
			if (f->battery[i].capacity_ratio < f->battery[low].capacity_ratio)
				low = i;
		add_reason(r, "battery_low",
			   grade_below(f->battery[low].capacity_ratio,
				       t->battery_warning_ratio, t->battery_critical_ratio),
			   "battery %s at %.2f of capacity", f->battery[low].name,
			   f->battery[low].capacity_ratio);
	}
}

static void put_sb(void *arg, const char *text, size_t len)
{
	sb_putn(arg, text, len);
}

void health_report_json(const struct health_report *r, struct strbuf *out)
{
	sb_printf(out, "{\"status\":\"%s\",\"code\":%d,\"reasons\":[",
		  health_status_name(r->status), (int)r->status);
	for (size_t i = 0; i < r->nreasons; i++) {
		const struct health_reason *hr = &r->reasons[i];

		if (i)
			sb_putc(out, ',');
		sb_printf(out, "{\"reason\":\"%s\",\"severity\":\"%s\",\"detail\":",
			  hr->reason, health_status_name(hr->severity));
		bcmon_json_string(hr->detail, put_sb, out);
		sb_putc(out, '}');
	}
	sb_puts(out, "]}\n");
}
