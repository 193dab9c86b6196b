// SPDX-License-Identifier: GPL-2.0
/*
 * bcmonctl: inspect and drive bcmon from the command line.
 * Exit status like iproute2: 0 success, 1 the operation failed, 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bcmon/libbcmon.h>

#include "ctl.h"

static const struct ctl_command commands[] = {
	{ "version", cmd_version, "print the loaded module's version" },
	{ "status", cmd_status, "module version, limits and memory in use" },
	{ "sets", cmd_sets, "list the counter sets" },
	{ "show", cmd_show, "show one set: SET" },
	{ "create", cmd_create, "create a set: SET NAME:KIND[:unit=U][:scale=N][:bounds=..][:help=..]..." },
	{ "destroy", cmd_destroy, "destroy a set: SET" },
	{ "add", cmd_add, "add to counters/gauges: SET METRIC DELTA [METRIC DELTA]..." },
	{ "set", cmd_set, "set gauges: SET METRIC VALUE [METRIC VALUE]..." },
	{ "observe", cmd_observe, "observe histogram values: SET METRIC VALUE [METRIC VALUE]..." },
	{ "net", cmd_net, "attach the eBPF network probes, print latency and traffic" },
	{ "error", cmd_error, "record an error event: CATEGORY SEVERITY MESSAGE..." },
	{ "errors", cmd_errors, "list recent error events and the totals" },
	{ "sensors", cmd_sensors, "thermal zones, cooling devices, power supplies" },
	{ "watch", cmd_watch, "print events as they arrive [--count N] [--timeout S]" },
};

#ifndef BCMON_VERSION
#define BCMON_VERSION "0.0.0"
#endif

static void usage(FILE *out)
{
	fprintf(out, "Usage: bcmonctl [--json] COMMAND [ARGS] [--json] [-- WORDS]\n"
		"       bcmonctl --version | --help\n"
		"--json (-j) may come anywhere before \"--\"; after it, words are taken as\n"
		"they are (an error message that says --json).\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
}

/*
 * --json and -j anywhere up to "--" set opts->json and leave argv, and so
 * does that first "--": the commands never see them. Returns the new argc.
 */
static int take_global_flags(int argc, char **argv, struct ctl_options *opts)
{
	int out = 1, i = 1;

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j"))
			opts->json = 1;
		else
			argv[out++] = argv[i];
	}
	for (; i < argc; i++)
		argv[out++] = argv[i];
	argv[out] = NULL;
	return out;
}

int main(int argc, char **argv)
{
	struct ctl_options opts = { 0 };
	int i = 1;

	argc = take_global_flags(argc, argv, &opts);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return CTL_EXIT_OK;
		} else if (!strcmp(argv[i], "--version")) {
			/* bcmonctl's own version; "bcmonctl version" asks the module. */
			if (opts.json)
				printf("{\"bcmonctl\":\"%s\"}\n", BCMON_VERSION);
			else
				printf("bcmonctl %s\n", BCMON_VERSION);
			return CTL_EXIT_OK;
		} else {
			fprintf(stderr, "bcmonctl: unknown option %s\n", argv[i]);
			usage(stderr);
			return CTL_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return CTL_EXIT_USAGE;
	}
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
		if (!strcmp(argv[i], commands[c].name))
			return commands[c].run(&opts, argc - i - 1, argv + i + 1);
	}
	fprintf(stderr, "bcmonctl: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return CTL_EXIT_USAGE;
}
