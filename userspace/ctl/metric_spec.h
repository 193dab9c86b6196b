/* SPDX-License-Identifier: GPL-2.0 */
/* bcmonctl create: parsing of METRIC-SPEC arguments. */
#ifndef BCMON_CTL_METRIC_SPEC_H
#define BCMON_CTL_METRIC_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include <bcmon/libbcmon.h>

#define SPEC_MAX_BOUNDS 64

/* One parsed spec; spec.* point into text/bounds/labels below. */
struct parsed_spec {
	struct bcmon_metric_spec spec;
	char text[512];
	uint64_t bounds[SPEC_MAX_BOUNDS];
	const char *labels[BCMON_LABELS_MAX];
	bool native_refined;	/* zero=, max= or neg given */
};

/*
 * NAME:KIND[:unit=U][:scale=N][:bounds=B1,B2,...][:labels=L1,L2,...]
 *	[:native=SCHEMA[:zero=RAW][:max=N][:neg]][:help=TEXT]
 * help= takes the rest of the argument (it may contain ':'). native= makes
 * a histogram native (with or without bounds=): SCHEMA -4..8, zero= its
 * zero threshold in raw units, max= its bucket limit (8 up to the module's
 * max_native_buckets), neg to allow negative observations.
 * Returns 0, or -1 with a reason in err.
 */
int metric_spec_parse(const char *arg, struct parsed_spec *out, char *err,
		      size_t errlen);

#endif /* BCMON_CTL_METRIC_SPEC_H */
