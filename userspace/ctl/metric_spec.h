/* SPDX-License-Identifier: GPL-2.0 */
/* bcmonctl create: parsing of METRIC-SPEC arguments. */
#ifndef BCMON_CTL_METRIC_SPEC_H
#define BCMON_CTL_METRIC_SPEC_H

#include <stdint.h>

#include <bcmon/libbcmon.h>

#define SPEC_MAX_BOUNDS 64

/* One parsed spec; spec.* point into text/bounds/labels below. */
struct parsed_spec {
	struct bcmon_metric_spec spec;
	char text[512];
	uint64_t bounds[SPEC_MAX_BOUNDS];
	const char *labels[BCMON_LABELS_MAX];
};

/*
 * NAME:KIND[:unit=U][:scale=N][:bounds=B1,B2,...][:labels=L1,L2,...][:help=TEXT]
 * help= takes the rest of the argument (it may contain ':').
 * Returns 0, or -1 with a reason in err.
 */
int metric_spec_parse(const char *arg, struct parsed_spec *out, char *err,
		      size_t errlen);

#endif /* BCMON_CTL_METRIC_SPEC_H */
