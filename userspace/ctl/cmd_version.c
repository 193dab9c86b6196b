// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include <bcmon/libbcmon.h>

#include "ctl.h"

int cmd_version(const struct ctl_options *opts, int argc, char **argv)
{
	char version[64];
	struct bcmon *bc;
	int err;

	(void)argv;
	if (argc) {
		fprintf(stderr, "bcmonctl version: takes no arguments\n");
		return CTL_EXIT_USAGE;
	}
	bc = ctl_connect();
	if (!bc)
		return CTL_EXIT_FAIL;
	err = bcmon_get_version(bc, version, sizeof(version));
	if (err)
		fprintf(stderr, "bcmonctl: %s\n", bcmon_strerror(bc));
	else if (opts->json)
		printf("{\"version\":\"%s\"}\n", version);
	else
		printf("%s\n", version);
	bcmon_close(bc);
	return err ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}
