// SPDX-License-Identifier: GPL-2.0
/* Command line of bcmon-sim; --help is the manual. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bcmon/parse.h>

#include "sim.h"

static void usage(FILE *out)
{
	fprintf(out,
"Usage: bcmon-sim [OPTION]...\n"
"Simulate a BitCraps node: peers exchange TCP and UDP messages, agree on\n"
"dice rolls in consensus rounds and run craps tables, and every event is\n"
"recorded in the bcmon kernel module through libbcmon (sets \"consensus\",\n"
"\"gaming\", \"dice\", \"players\", \"peers\" and error events).\n"
"\n"
"  -p, --peers N          simulated peers, 2..%d (default 4), all in this\n"
"                         process; peer i uses address 127.0.0.(i+1)\n"
"  -F, --fleet LIST       fleet mode: comma-separated IPv4 addresses of every\n"
"                         node (2..%d, the same list in the same order on\n"
"                         every node); this process is the one at --self and\n"
"                         the others are remote bcmon-sim processes. Each node\n"
"                         proposes its own rounds and votes on the others'\n"
"  -S, --self ADDR        this node's address in the --fleet list\n"
"  -N, --node NAME        this node's name in spans (default: the host name;\n"
"                         letters, digits, '.', '_', '-', at most 63)\n"
"  -T, --trace FILE       trace every consensus round: write finished spans to\n"
"                         FILE as OTLP JSON lines (W3C traceparent in messages);\n"
"                         each round's latency names its trace (an exemplar)\n"
"      --trace-max-bytes N  rotate FILE to FILE.1 before it passes N bytes\n"
"                         (default 8388608, at least 65536)\n"
"      --trace-sample R   fraction of rounds traced, 0..1 (default 1); the\n"
"                         proposer decides for every node\n"
"      --latency-log FILE  write every consensus latency observed into bcmon\n"
"                         to FILE, in microseconds, one a line in the order\n"
"                         they are sent (the exact values behind the\n"
"                         histogram, for checking its quantiles)\n"
"  -P, --ports LIST       comma-separated TCP/UDP ports every peer listens on,\n"
"                         at most %d (default 7000,7001)\n"
"  -d, --duration SEC     stop after SEC seconds (default 0: until SIGINT or\n"
"                         SIGTERM)\n"
"  -r, --round-ms MS      interval between consensus rounds (default 100)\n"
"  -t, --tables N         craps tables open at most at once (default 3)\n"
"  -e, --error-rate R     random error events per second (default 0.2)\n"
"  -C, --cheater N        test mode: peer N (0..peers-1) wins 60%% of its\n"
"                         pass-line bets instead of 244/495 (49.3%%), so its\n"
"                         suspicious-activity score climbs past the alert\n"
"                         threshold within a few hundred bets\n"
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
		SIM_MAX_PEERS, SIM_MAX_PEERS, SIM_MAX_PORTS);
}

static int parse_ports(const char *arg, struct sim_options *opt)
{
	char buf[256], *tok, *save = NULL;
	uint64_t v;

	if (strlen(arg) >= sizeof(buf))
		return -1;
	strcpy(buf, arg);
	opt->nports = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (opt->nports == SIM_MAX_PORTS || bcmon_parse_u64(tok, 1, 65535, &v))
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

/* A unicast IPv4 address a node can own (not 0.0.0.0, multicast or
 * broadcast). */
static int parse_addr(const char *s, struct in_addr *out)
{
	struct in_addr a;
	uint32_t h;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	h = ntohl(a.s_addr);
	if (h == 0 || IN_MULTICAST(h) || h == 0xffffffffu)
		return -1;
	*out = a;
	return 0;
}

static int parse_fleet(const char *arg, struct sim_options *opt)
{
	char buf[SIM_MAX_PEERS * INET_ADDRSTRLEN + 1], *tok, *save = NULL;
	unsigned int n = 0, i;
	struct in_addr a;

	if (strlen(arg) >= sizeof(buf))
		return -1;
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == SIM_MAX_PEERS || parse_addr(tok, &a))
			return -1;
		for (i = 0; i < n; i++)
			if (opt->addrs[i].s_addr == a.s_addr)
				return -1;	/* a node listed twice */
		opt->addrs[n++] = a;
	}
	if (n < 2)
		return -1;
	opt->peers = n;
	opt->fleet = true;
	return 0;
}

/* Node names go into span files and logs: keep them plain. */
static int parse_node_name(const char *s, char *out, size_t size)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= size)
		return -1;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return -1;
	}
	memmove(out, s, n + 1);	/* out may be s */
	return 0;
}

const char *sim_peer_name(const struct sim_options *opt, unsigned int i,
			  char buf[INET_ADDRSTRLEN])
{
	if (i >= opt->peers || !inet_ntop(AF_INET, &opt->addrs[i], buf, INET_ADDRSTRLEN))
		snprintf(buf, INET_ADDRSTRLEN, "peer%u", i);
	return buf;
}

/* After the command line: the addresses of --peers, --self's index, a
 * default node name. */
static int finish_options(struct sim_options *opt, const char *self, bool peers_given)
{
	struct in_addr a;
	unsigned int i;

	if (!opt->fleet) {
		if (self) {
			fprintf(stderr, "bcmon-sim: --self needs --fleet\n");
			return -1;
		}
		for (i = 0; i < opt->peers; i++)
			opt->addrs[i].s_addr = htonl(INADDR_LOOPBACK + i);	/* 127.0.0.(i+1) */
	} else {
		if (peers_given) {
			fprintf(stderr, "bcmon-sim: --peers and --fleet exclude each other\n");
			return -1;
		}
		if (!self || parse_addr(self, &a)) {
			fprintf(stderr, "bcmon-sim: --fleet needs --self ADDR, one of its addresses\n");
			return -1;
		}
		for (i = 0; i < opt->peers && opt->addrs[i].s_addr != a.s_addr; i++)
			;
		if (i == opt->peers) {
			fprintf(stderr, "bcmon-sim: --self %s is not in the --fleet list\n", self);
			return -1;
		}
		opt->self = i;
	}
	if (!opt->node[0] &&
	    (gethostname(opt->node, sizeof(opt->node)) < 0 ||
	     parse_node_name(opt->node, opt->node, sizeof(opt->node))))
		strcpy(opt->node, "bcmon-sim");
	return 0;
}

/* Long options without a short form. */
enum { OPT_TRACE_MAX_BYTES = 256, OPT_TRACE_SAMPLE, OPT_LATENCY_LOG };

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
		{ "cheater", required_argument, NULL, 'C' },
		{ "no-record", no_argument, NULL, 'n' },
		{ "keep-sets", no_argument, NULL, 'k' },
		{ "seed", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "fleet", required_argument, NULL, 'F' },
		{ "self", required_argument, NULL, 'S' },
		{ "node", required_argument, NULL, 'N' },
		{ "trace", required_argument, NULL, 'T' },
		{ "trace-max-bytes", required_argument, NULL, OPT_TRACE_MAX_BYTES },
		{ "trace-sample", required_argument, NULL, OPT_TRACE_SAMPLE },
		{ "latency-log", required_argument, NULL, OPT_LATENCY_LOG },
		{ NULL, 0, NULL, 0 }
	};
	const char *self = NULL;
	bool peers_given = false;
	uint64_t v;
	int c;

	*opt = (struct sim_options){
		.peers = 4, .nports = 2, .ports = { 7000, 7001 },
		.round_ms = 100, .tables = 3, .error_rate = 0.2,
		.record = true, .seed = (uint64_t)time(NULL),
		.trace_max_bytes = 8u << 20, .trace_sample = 1.0,
	};
	while ((c = getopt_long(argc, argv, "p:P:d:r:t:e:LC:nks:vhF:S:N:T:", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (bcmon_parse_u64(optarg, 2, SIM_MAX_PEERS, &v))
				goto bad;
			opt->peers = (unsigned int)v;
			peers_given = true;
			break;
		case 'F':
			if (parse_fleet(optarg, opt))
				goto bad;
			break;
		case 'S':
			self = optarg;
			break;
		case 'N':
			if (parse_node_name(optarg, opt->node, sizeof(opt->node)))
				goto bad;
			break;
		case 'T':
			if (!*optarg)
				goto bad;
			opt->trace_path = optarg;
			break;
		case OPT_TRACE_MAX_BYTES:
			if (bcmon_parse_u64(optarg, 65536, UINT64_MAX, &v))
				goto bad;
			opt->trace_max_bytes = v;
			break;
		case OPT_TRACE_SAMPLE:
			if (parse_double(optarg, 0, &opt->trace_sample) || opt->trace_sample > 1)
				goto bad;
			break;
		case OPT_LATENCY_LOG:
			if (!*optarg)
				goto bad;
			opt->latency_log = optarg;
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
			if (bcmon_parse_u64(optarg, 1, 60000, &v))
				goto bad;
			opt->round_ms = (unsigned int)v;
			break;
		case 't':
			if (bcmon_parse_u64(optarg, 1, 64, &v))
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
		case 'C':
			if (bcmon_parse_u64(optarg, 0, SIM_MAX_PEERS - 1, &v))
				goto bad;
			opt->cheater = (unsigned int)v + 1;
			break;
		case 'n':
			opt->record = false;
			break;
		case 'k':
			opt->keep_sets = true;
			break;
		case 's':
			if (bcmon_parse_u64(optarg, 0, UINT64_MAX, &v))
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
	if (opt->cheater > opt->peers) {
		fprintf(stderr, "bcmon-sim: --cheater %u: there are only %u peers\n",
			opt->cheater - 1, opt->peers);
		return -1;
	}
	return finish_options(opt, self, peers_given);
bad:
	if (c >= OPT_TRACE_MAX_BYTES)
		fprintf(stderr, "bcmon-sim: invalid value '%s' for --%s (see --help)\n", optarg,
			c == OPT_TRACE_MAX_BYTES ? "trace-max-bytes" :
			c == OPT_TRACE_SAMPLE ? "trace-sample" : "latency-log");
	else
		fprintf(stderr, "bcmon-sim: invalid value '%s' for -%c (see --help)\n", optarg, c);
	return -1;
}
