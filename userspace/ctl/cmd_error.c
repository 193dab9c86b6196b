// SPDX-License-Identifier: GPL-2.0
/* bcmonctl error CATEGORY SEVERITY MESSAGE...: record one error event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bcmon/libbcmon.h>

#include "ctl.h"

static void error_usage(void)
{
	fprintf(stderr,
		"Usage: bcmonctl error CATEGORY SEVERITY MESSAGE...\n"
		"  CATEGORY: network consensus validation gaming resource security other\n"
		"  SEVERITY: info warning error critical\n"
		"  (or their numbers in the bcmon UAPI)\n");
}

/*
 * A name, or a number passed through unchecked: the kernel is the judge of
 * what it supports (a newer module may know more categories).
 */
static int parse_name_or_number(const char *arg, int (*parse)(const char *))
{
	char *end;
	unsigned long v;

	if (*arg >= '0' && *arg <= '9') {
		v = strtoul(arg, &end, 10);
		return *end || v > 255 ? -1 : (int)v;
	}
	return parse(arg);
}

int cmd_error(const struct ctl_options *opts, int argc, char **argv)
{
	char msg[BCMON_ERROR_MSG_MAX * 2] = "";
	int category, severity, err;
	struct bcmon *bc;
	size_t len = 0;

	(void)opts;
	if (argc < 3) {
		error_usage();
		return CTL_EXIT_USAGE;
	}
	category = parse_name_or_number(argv[0], bcmon_error_category_parse);
	severity = parse_name_or_number(argv[1], bcmon_severity_parse);
	if (category < 0 || severity < 0) {
		fprintf(stderr, "bcmonctl error: unknown %s '%s'\n",
			category < 0 ? "category" : "severity",
			category < 0 ? argv[0] : argv[1]);
		error_usage();
		return CTL_EXIT_USAGE;
	}
	/* The words of the message, joined by spaces; the kernel judges length. */
	for (int i = 2; i < argc; i++) {
		int n = snprintf(msg + len, sizeof(msg) - len, "%s%s",
				 i > 2 ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(msg) - len) {
			fprintf(stderr, "bcmonctl error: message longer than %d bytes\n",
				BCMON_ERROR_MSG_MAX - 1);
			return CTL_EXIT_USAGE;
		}
		len += (size_t)n;
	}

	bc = ctl_connect();
	if (!bc)
		return CTL_EXIT_FAIL;
	err = bcmon_error_record(bc, category, severity, msg);
	if (err)
		fprintf(stderr, "bcmonctl error: %s\n", bcmon_strerror(bc));
	bcmon_close(bc);
	return err ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}
