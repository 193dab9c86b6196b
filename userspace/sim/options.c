// SPDX-License-Identifier: GPL-2.0
/* Command line of bcmon-sim; --help is the manual. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim.h"

static void usage(FILE *out)
{
	fprintf(out,
"Usage: bcmon-sim [OPTION]...\n"
"Simulate a BitCraps node: peers on loopback exchange TCP and UDP messages,\n"
"agree on dice rolls in consensus rounds and run craps tables, and every\n"
"event is recorded in the bcmon kernel module through libbcmon (sets\n"
"\"consensus\", \"gaming\", \"dice\", \"peers\" and error events).\n"
"\n"
"  -p, --peers N          simulated peers, 2..%d (default 4); peer i uses\n"
"                         address 127.0.0.(i+1)\n"
"  -P, --ports LIST       comma-separated TCP/UDP ports every peer listens on,\n"
"                         at most %d (default 7000,7001)\n"
"  -d, --duration SEC     stop after SEC seconds (default 0: until SIGINT or\n"
"                         SIGTERM)\n"
"  -r, --round-ms MS      interval between consensus rounds (default 100)\n"
"  -t, --tables N         craps tables open at most at once (default 3)\n"
"  -e, --error-rate R     random error events per second (default 0.2)\n"
"  -L, --loaded-dice      test mode: dice land on six far too often, so the\n"
"                         exporter's fairness p-value collapses\n"
"  -n, --no-record        do not talk to bcmon (traffic only)\n"
"  -k, --keep-sets        leave the sets in the kernel on exit\n"
"  -s, --seed N           random seed (default: time)\n"
"  -v, --verbose          print one line per second (more with -vv)\n"
"  -h, --help             this text\n"
"\n"
"Exit status: 0 on a clean stop, 1 on a runtime failure, 2 on bad usage.\n"
"Recording needs CAP_NET_ADMIN or membership of bcmon's writer group.\n",
		SIM_MAX_PEERS, SIM_MAX_PORTS);
}

static int parse_uint(const char *s, unsigned long min, unsigned long max,
		      unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_ports(const char *arg, struct sim_options *opt)
{
	char buf[256], *tok, *save = NULL;
	unsigned long v;

	if (strlen(arg) >= sizeof(buf))
		return -1;
	strcpy(buf, arg);
	opt->nports = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (opt->nports == SIM_MAX_PORTS || parse_uint(tok, 1, 65535, &v))
			return -1;
		opt->ports[opt->nports++] = (uint16_t)v;
	}
	return opt->nports ? 0 : -1;
}

static int parse_double(const char *s, double min, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < min)
		return -1;
	*out = v;
	return 0;
}

/* Returns 0 to run, 1 after --help, -1 on bad usage (already reported). */
int sim_parse_options(int argc, char **argv, struct sim_options *opt)
{
	static const struct option longopts[] = {
		{ "peers", required_argument, NULL, 'p' },
		{ "ports", required_argument, NULL, 'P' },
		{ "duration", required_argument, NULL, 'd' },
		{ "round-ms", required_argument, NULL, 'r' },
		{ "tables", required_argument, NULL, 't' },
		{ "error-rate", required_argument, NULL, 'e' },
		{ "loaded-dice", no_argument, NULL, 'L' },
		{ "no-record", no_argument, NULL, 'n' },
		{ "keep-sets", no_argument, NULL, 'k' },
		{ "seed", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long v;
	int c;

	*opt = (struct sim_options){
		.peers = 4, .nports = 2, .ports = { 7000, 7001 },
		.round_ms = 100, .tables = 3, .error_rate = 0.2,
		.record = true, .seed = (uint64_t)time(NULL),
	};
	while ((c = getopt_long(argc, argv, "p:P:d:r:t:e:Lnks:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_uint(optarg, 2, SIM_MAX_PEERS, &v))
				goto bad;
			opt->peers = (unsigned int)v;
			break;
		case 'P':
			if (parse_ports(optarg, opt))
				goto bad;
			break;
		case 'd':
			if (parse_double(optarg, 0, &opt->duration_s))
				goto bad;
			break;
		case 'r':
			if (parse_uint(optarg, 1, 60000, &v))
				goto bad;
			opt->round_ms = (unsigned int)v;
			break;
		case 't':
			if (parse_uint(optarg, 1, 64, &v))
				goto bad;
			opt->tables = (unsigned int)v;
			break;
		case 'e':
			if (parse_double(optarg, 0, &opt->error_rate))
				goto bad;
			break;
		case 'L':
			opt->loaded_dice = true;
			break;
		case 'n':
			opt->record = false;
			break;
		case 'k':
			opt->keep_sets = true;
			break;
		case 's':
			if (parse_uint(optarg, 0, ~0UL, &v))
				goto bad;
			opt->seed = v;
			break;
		case 'v':
			opt->verbose++;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "bcmon-sim: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "bcmon-sim: invalid value '%s' for -%c (see --help)\n", optarg, c);
	return -1;
}
