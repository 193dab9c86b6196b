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
	{ "create", cmd_create, "create a set: SET NAME:KIND[:unit=U][:scale=N][:bounds=..][:native=S[:zero=Z][:max=N][:neg]][:labels=..][:help=..]..." },
	{ "destroy", cmd_destroy, "destroy a set: SET" },
	{ "add", cmd_add, "add to counters/gauges: SET METRIC DELTA [LABEL=VALUE]... [METRIC DELTA ...]..." },
	{ "set", cmd_set, "set gauges: SET METRIC VALUE [LABEL=VALUE]... [METRIC VALUE ...]..." },
	{ "observe", cmd_observe, "observe histogram values: SET METRIC VALUE [LABEL=VALUE]... [@TRACE_ID:SPAN_ID] [...]..." },
	{ "delete", cmd_delete, "delete one series of a labeled metric: SET METRIC LABEL=VALUE..." },
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
	fprintf(out,
"\nLabeled metrics:\n"
"  A metric created with labels=NAME1,NAME2,... has one series per tuple of\n"
"  label values; the first update naming a tuple creates its series. Give\n"
"  the values as NAME=VALUE words after the METRIC VALUE pair they belong\n"
"  to, one per label name, in any order (a metric name never contains '='):\n"
"    bcmonctl create gaming bets:counter:labels=peer\n"
"    bcmonctl add gaming bets 1 peer=ab12 bets 2 peer=cd34\n"
"    bcmonctl delete gaming bets peer=ab12\n"
"  Values are 1..max_label_value_len bytes of the module's label charset\n"
"  (bcmonctl status; strict: A-Z a-z 0-9 _ . : @ / + -). Updates past a\n"
"  bound (series per metric, value length or charset, the owner's memory\n"
"  quota) are refused with the kernel's reason and counted per metric.\n"
"  show prints one {NAME=\"VALUE\",...} line per series; --json gives\n"
"  \"labels\", \"series\" (each with its \"labels\" and values),\n"
"  \"series_count\" and \"refused\" for a labeled metric.\n"
"\nExemplars:\n"
"  An observation may name the trace it belongs to: @TRACE_ID:SPAN_ID after\n"
"  its METRIC VALUE pair (and labels), the W3C trace context ids in hex, 32\n"
"  and 16 digits, not all zero. The module keeps the most recent exemplar\n"
"  of each bucket of each series:\n"
"    bcmonctl observe consensus latency 4200 @4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7\n"
"  show prints an \"exemplar le BOUND value=V trace_id=.. span_id=..\" line\n"
"  per bucket that has one; --json adds \"exemplars\" (bucket, value,\n"
"  timestamp_ns, trace_id, span_id) to a histogram that has some.\n"
"\nNative histograms:\n"
"  native=SCHEMA (-4..8) gives a histogram Prometheus' exponential buckets:\n"
"  bucket i holds the values x (in the base unit: value * 10^scale) with\n"
"  B^(i-1) < x <= B^i, B = 2^(2^-SCHEMA), with or without bounds=. zero=Z\n"
"  counts raw values |v| <= Z in the zero bucket (default 0), max=N keeps\n"
"  N buckets per sign and CPU (8 up to the module's max_native_buckets,\n"
"  shown by bcmonctl status, which is also the default), the resolution\n"
"  lowered when observations span more; neg allows negative observations\n"
"  (refused otherwise):\n"
"    bcmonctl create net rtt:histogram:unit=seconds:scale=-9:native=3:zero=1000\n"
"  show prints a \"native schema S (created S0) zero_threshold Z zero_count\n"
"  N, bounds in UNIT\" line and one \"bucket I (LOWER, UPPER] COUNT\" line\n"
"  per non-empty bucket (\"negative bucket I [-UPPER, -LOWER) COUNT\" for\n"
"  negative values), bounds in the base unit; --json adds \"native\"\n"
"  (schema, zero_threshold, max_buckets, negative) to the metric and\n"
"  \"native_buckets\" (schema, zero_count, \"positive\" and \"negative\":\n"
"  index, lower_bound, upper_bound, count of each non-empty bucket)\n"
"  beside its values.\n");
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
