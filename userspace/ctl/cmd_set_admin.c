// SPDX-License-Identifier: GPL-2.0
/* bcmonctl create SET METRIC-SPEC... and destroy SET. */
#include <stdio.h>
#include <stdlib.h>

#include <bcmon/libbcmon.h>

#include "ctl.h"
#include "metric_spec.h"

static int usage_create(void)
{
	fprintf(stderr,
		"Usage: bcmonctl create SET METRIC-SPEC...\n"
		"  METRIC-SPEC: NAME:KIND[:unit=U][:scale=N][:bounds=B1,B2,...][:labels=L1,L2,...][:help=TEXT]\n"
		"  KIND: counter, gauge or histogram (histograms need bounds=)\n"
		"  labels=: the label names of a labeled metric\n");
	return CTL_EXIT_USAGE;
}

int cmd_create(const struct ctl_options *opts, int argc, char **argv)
{
	struct bcmon_metric_spec *specs = NULL;
	struct parsed_spec *parsed;
	struct bcmon *bc;
	char err[160];
	int n = argc - 1, rc = CTL_EXIT_FAIL;

	(void)opts;
	if (argc < 2)
		return usage_create();
	parsed = calloc((size_t)n, sizeof(*parsed));
	specs = calloc((size_t)n, sizeof(*specs));
	if (!parsed || !specs) {
		fprintf(stderr, "bcmonctl: out of memory\n");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if (metric_spec_parse(argv[i + 1], &parsed[i], err, sizeof(err))) {
			fprintf(stderr, "bcmonctl create: %s\n", err);
			rc = usage_create();
			goto out;
		}
		specs[i] = parsed[i].spec;
	}
	bc = ctl_connect();
	if (!bc)
		goto out;
	if (bcmon_set_create(bc, argv[0], specs, (size_t)n))
		fprintf(stderr, "bcmonctl: create %s: %s\n", argv[0], bcmon_strerror(bc));
	else
		rc = CTL_EXIT_OK;
	bcmon_close(bc);
out:
	free(parsed);
	free(specs);
	return rc;
}

int cmd_destroy(const struct ctl_options *opts, int argc, char **argv)
{
	struct bcmon *bc;
	int rc = CTL_EXIT_OK;

	(void)opts;
	if (argc != 1) {
		fprintf(stderr, "Usage: bcmonctl destroy SET\n");
		return CTL_EXIT_USAGE;
	}
	bc = ctl_connect();
	if (!bc)
		return CTL_EXIT_FAIL;
	if (bcmon_set_destroy(bc, argv[0])) {
		fprintf(stderr, "bcmonctl: destroy %s: %s\n", argv[0], bcmon_strerror(bc));
		rc = CTL_EXIT_FAIL;
	}
	bcmon_close(bc);
	return rc;
}
