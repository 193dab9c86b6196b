// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bcmon/libbcmon.h>

#include "ctl.h"

struct bcmon *ctl_connect(void)
{
	struct bcmon *bc;
	int err = bcmon_open(&bc);

	if (err) {
		if (err == -ENOENT)
			fprintf(stderr, "bcmonctl: bcmon module not loaded\n");
		else
			fprintf(stderr, "bcmonctl: cannot reach bcmon: %s\n",
				strerror(-err));
		return NULL;
	}
	return bc;
}
