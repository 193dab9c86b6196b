// SPDX-License-Identifier: GPL-2.0
/*
 * bcmonctl net: attach the eBPF network probes, then print traffic counters
 * and latency histograms, once on exit (Ctrl-C, SIGTERM or --duration) or
 * every --interval seconds.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bcmon/netprobe.h>
#include <bcmon/parse.h>

#include "ctl.h"
#include "net_format.h"

struct net_args {
	uint16_t ports[BCMON_NET_MAX_PORTS];
	unsigned int nports;
	unsigned int interval;	/* seconds; 0: one report at the end */
	unsigned int count;	/* reports before exiting; 0: unlimited */
	unsigned int duration;	/* seconds; 0: until a signal */
	bool json;
	bool kprobe;
};

static volatile sig_atomic_t net_stop;

static void on_signal(int sig)
{
	(void)sig;
	net_stop = 1;
}

static void net_usage(FILE *out)
{
	fprintf(out,
		"Usage: bcmonctl [--json] net [--ports P1,P2,...] [--interval SEC [--count N]]\n"
		"                          [--duration SEC] [--kprobe] [--json]\n"
		"  Attach the network probes and print traffic and latency histograms\n"
		"  (TCP RTT, delivery, TCP connect) per protocol and watched port, on\n"
		"  exit or every SEC seconds. --kprobe forces the kprobe fallback.\n");
}

static int parse_ports(const char *list, struct net_args *a)
{
	char *copy = strdup(list), *save = NULL, *tok;
	uint64_t v;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	a->nports = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (a->nports == BCMON_NET_MAX_PORTS || bcmon_parse_u64(tok, 0, 65535, &v) || !v) {
			err = -EINVAL;
			break;
		}
		a->ports[a->nports++] = (uint16_t)v;
	}
	free(copy);
	return err;
}

static int parse_args(int argc, char **argv, struct net_args *a)
{
	uint64_t v;

	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(arg, "--json") || !strcmp(arg, "-j")) {
			a->json = true;
		} else if (!strcmp(arg, "--kprobe")) {
			a->kprobe = true;
		} else if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			net_usage(stdout);
			exit(CTL_EXIT_OK);
		} else if (!val) {
			fprintf(stderr, "bcmonctl net: unknown option or missing value: %s\n", arg);
			return -EINVAL;
		} else if (!strcmp(arg, "--ports")) {
			if (parse_ports(val, a)) {
				fprintf(stderr, "bcmonctl net: --ports takes up to %d ports 1-65535\n",
					BCMON_NET_MAX_PORTS);
				return -EINVAL;
			}
			i++;
		} else if (!strcmp(arg, "--interval") || !strcmp(arg, "--count") ||
			   !strcmp(arg, "--duration")) {
			if (bcmon_parse_u64(val, 0, 86400 * 365, &v) || (!v && strcmp(arg, "--count"))) {
				fprintf(stderr, "bcmonctl net: bad %s value '%s'\n", arg, val);
				return -EINVAL;
			}
			if (!strcmp(arg, "--interval"))
				a->interval = v;
			else if (!strcmp(arg, "--count"))
				a->count = v;
			else
				a->duration = v;
			i++;
		} else {
			fprintf(stderr, "bcmonctl net: unknown option %s\n", arg);
			return -EINVAL;
		}
	}
	return 0;
}

static int report(const struct net_args *a, struct bcmon_net *net)
{
	struct bcmon_net_snapshot *snap = malloc(sizeof(*snap));
	int err;

	if (!snap)
		return -ENOMEM;
	err = bcmon_net_read(net, snap);
	if (err)
		fprintf(stderr, "bcmonctl net: reading the maps: %s\n", strerror(-err));
	else if (a->json)
		net_print_json(stdout, net, snap);
	else
		net_print_text(stdout, net, snap);
	free(snap);
	return err;
}

/* Sleep up to sec seconds; returns early when a signal asked us to stop. */
static void nap(unsigned int sec)
{
	struct timespec ts = { .tv_sec = sec };

	if (!net_stop)
		nanosleep(&ts, NULL);
}

static int run(const struct net_args *a, struct bcmon_net *net)
{
	unsigned int reports = 0, elapsed = 0;
	int err = 0;

	fprintf(stderr, "Tracing network latency and traffic... Hit Ctrl-C to end.\n");
	while (!net_stop) {
		unsigned int step = a->interval ? a->interval : (a->duration ? a->duration : 3600);

		if (a->duration && elapsed + step > a->duration)
			step = a->duration - elapsed;
		nap(step);
		elapsed += step;
		if (a->duration && elapsed >= a->duration)
			break;
		if (a->interval && !net_stop) {
			err = report(a, net);
			if (err || (a->count && ++reports >= a->count))
				return err;
		}
	}
	return a->interval && a->count ? 0 : report(a, net);
}

int cmd_net(const struct ctl_options *opts, int argc, char **argv)
{
	struct net_args a = { .json = opts->json };
	struct bcmon_net_opts nopts = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct bcmon_net *net;
	char err[256];
	int ret;

	if (parse_args(argc, argv, &a)) {
		net_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	nopts.ports = a.ports;
	nopts.nports = a.nports;
	nopts.mode = a.kprobe ? BCMON_NET_HOOKS_KPROBE : BCMON_NET_HOOKS_AUTO;
	net = bcmon_net_open(&nopts, err, sizeof(err));
	if (!net) {
		fprintf(stderr, "bcmonctl net: %s\n", err);
		return CTL_EXIT_FAIL;
	}
	ret = bcmon_net_attach(net);
	if (ret) {
		fprintf(stderr, "bcmonctl net: attaching the probes: %s\n", strerror(-ret));
		bcmon_net_close(net);
		return CTL_EXIT_FAIL;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = run(&a, net);
	bcmon_net_close(net);
	return ret ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}
