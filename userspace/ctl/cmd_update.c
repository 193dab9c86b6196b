// SPDX-License-Identifier: GPL-2.0
/*
 * bcmonctl add|set|observe SET METRIC VALUE [METRIC VALUE]...: all pairs go
 * to the kernel in one batched message, applied all or nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bcmon/libbcmon.h>
#include <bcmon/parse.h>

#include "ctl.h"

typedef int (*queue_fn)(struct bcmon_batch *b, const char *metric, int64_t v);

/* Decimal: "010" is ten, as a person writing it means. */
static int parse_value(const char *s, int64_t *out)
{
	return bcmon_parse_i64(s, INT64_MIN, INT64_MAX, out) ? -1 : 0;
}

static int run_update(const char *verb, queue_fn queue, int argc, char **argv)
{
	struct bcmon_batch *b;
	struct bcmon *bc;
	int rc = CTL_EXIT_FAIL, err = 0;
	int64_t v;

	if (argc < 3 || (argc - 1) % 2) {
		fprintf(stderr, "Usage: bcmonctl %s SET METRIC VALUE [METRIC VALUE]...\n", verb);
		return CTL_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i += 2) {
		if (parse_value(argv[i], &v)) {
			fprintf(stderr, "bcmonctl %s: '%s' is not an integer\n", verb, argv[i]);
			return CTL_EXIT_USAGE;
		}
	}
	bc = ctl_connect();
	if (!bc)
		return CTL_EXIT_FAIL;
	b = bcmon_batch_new(bc, argv[0], (size_t)(argc - 1) / 2);
	if (!b) {
		fprintf(stderr, "bcmonctl %s: bad set name or out of memory\n", verb);
		goto out;
	}
	/* max_entries is the pair count: the last queue() sends the batch. */
	for (int i = 1; i < argc && !err; i += 2) {
		parse_value(argv[i + 1], &v);
		err = queue(b, argv[i], v);
	}
	if (err)
		fprintf(stderr, "bcmonctl: %s %s: %s\n", verb, argv[0],
			err == -ENAMETOOLONG ? "metric name too long" : bcmon_strerror(bc));
	else
		rc = CTL_EXIT_OK;
	bcmon_batch_free(b);
out:
	bcmon_close(bc);
	return rc;
}

int cmd_add(const struct ctl_options *opts, int argc, char **argv)
{
	(void)opts;
	return run_update("add", bcmon_batch_add, argc, argv);
}

int cmd_set(const struct ctl_options *opts, int argc, char **argv)
{
	(void)opts;
	return run_update("set", bcmon_batch_set, argc, argv);
}

int cmd_observe(const struct ctl_options *opts, int argc, char **argv)
{
	(void)opts;
	return run_update("observe", bcmon_batch_observe, argc, argv);
}
