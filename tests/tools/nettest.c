// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-nettest: drive libbcmon-net step by step from a test script, to
 * check what bcmonctl alone cannot: changing ports at run time, detaching
 * and re-attaching, reloading, state map occupancy. Steps run in order:
 *
 *   --ports P,P      watched ports at open (before any step)
 *   --kprobe         force the kprobe fallback
 *   attach | detach | reopen (close and open again, then attach)
 *   ports P,P        change the watched ports ("-" for none)
 *   run 'CMD'        run a shell command (traffic)
 *   sleep MS
 *   dump             print "dump", then one line per series:
 *                      "series PROTO PORT tx_msgs tx_bytes rx_msgs rx_bytes
 *                       rtt_count delivery_count connect_count"
 *                    then "state PENDING CONNECTING INFLIGHT",
 *                    "store socket_storage|hash SOCKETS CAPACITY",
 *                    "drops N..." (enum bcmon_net_drop order),
 *                    "cost RUNS NS" (needs kernel.bpf_stats_enabled=1),
 *                    "prog NAME KIND RUNS MISSED PROBE_MISSED" per program
 *                    ("-" where the kernel cannot tell) and
 *                    "hooks name=kind ..."
 *   hist PROTO PORT METRIC   print "hist s0 s1 ... s26" for one histogram
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bcmon/netprobe.h>

#include "nhist.h"

static unsigned int parse_ports(const char *s, uint16_t *ports)
{
	unsigned int n = 0;
	char *copy = strdup(s), *save = NULL, *tok;

	if (!copy || !strcmp(s, "-")) {
		free(copy);
		return 0;
	}
	for (tok = strtok_r(copy, ",", &save); tok && n < BCMON_NET_MAX_PORTS;
	     tok = strtok_r(NULL, ",", &save))
		ports[n++] = (uint16_t)atoi(tok);
	free(copy);
	return n;
}

static const struct bcmon_net_series *find(const struct bcmon_net_snapshot *snap,
					   const char *proto, const char *port)
{
	int p = strcmp(port, "other") ? atoi(port) : 0;

	for (unsigned int i = 0; i < snap->nseries; i++) {
		const struct bcmon_net_series *s = &snap->series[i];

		if (!strcmp(bcmon_net_proto_name(s->proto), proto) && s->port == p)
			return s;
	}
	return NULL;
}

/* "prog NAME KIND RUNS MISSED PROBE_MISSED" per attached program ("-": unknown). */
static void prog_lines(struct bcmon_net *net)
{
	struct bcmon_net_prog_stats ps[BCMON_NET_MAX_PROGS];
	unsigned int n = bcmon_net_prog_stats(net, ps, BCMON_NET_MAX_PROGS);
	char missed[24], probe[24];

	for (unsigned int i = 0; i < n && i < BCMON_NET_MAX_PROGS; i++) {
		snprintf(missed, sizeof(missed), ps[i].missed_known ? "%" PRIu64 : "-",
			 ps[i].missed);
		snprintf(probe, sizeof(probe), ps[i].probe_missed_known ? "%" PRIu64 : "-",
			 ps[i].probe_missed);
		printf("prog %s %s %" PRIu64 " %s %s\n", ps[i].program, ps[i].kind,
		       ps[i].run_count, missed, probe);
	}
}

static int dump(struct bcmon_net *net, struct bcmon_net_snapshot *snap)
{
	const struct bcmon_net_hook *hooks;
	struct bcmon_net_state_usage use;
	struct bcmon_net_cost cost;
	unsigned int n;

	if (bcmon_net_read(net, snap) || bcmon_net_state_usage(net, &use))
		return -1;
	printf("dump\n");
	for (unsigned int i = 0; i < snap->nseries; i++) {
		const struct bcmon_net_series *s = &snap->series[i];
		const struct bcmon_net_traffic *t = &s->traffic;
		char port[8] = "other";

		if (s->port)
			snprintf(port, sizeof(port), "%u", s->port);
		printf("series %s %s %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		       " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		       bcmon_net_proto_name(s->proto), port,
		       t->tx_messages, t->tx_bytes, t->rx_messages, t->rx_bytes,
		       s->hist[BCMON_NET_RTT].count, s->hist[BCMON_NET_DELIVERY].count,
		       s->hist[BCMON_NET_CONNECT].count);
	}
	printf("state %u %u %u\n", use.pending, use.connecting, use.inflight);
	printf("store %s %u %u\n", use.in_socket_storage ? "socket_storage" : "hash",
	       use.sockets, use.capacity);
	printf("drops");
	for (int d = 0; d < BCMON_NET_NDROP; d++)
		printf(" %" PRIu64, snap->drops[d]);
	printf("\n");
	if (!bcmon_net_cost(net, &cost))
		printf("cost %" PRIu64 " %" PRIu64 "\n", cost.run_count, cost.run_time_ns);
	prog_lines(net);
	n = bcmon_net_hooks(net, &hooks);
	printf("hooks");
	for (unsigned int i = 0; i < n; i++)
		printf(" %s=%s", hooks[i].name, hooks[i].attached);
	printf("\n");
	return 0;
}

static int hist(struct bcmon_net *net, struct bcmon_net_snapshot *snap, const char *proto,
		const char *port, const char *metric)
{
	const struct bcmon_net_series *s;
	int m;

	if (bcmon_net_read(net, snap))
		return -1;
	s = find(snap, proto, port);
	for (m = 0; m < BCMON_NET_NMETRIC; m++)
		if (!strcmp(bcmon_net_metric_name(m), metric))
			break;
	if (!s || m == BCMON_NET_NMETRIC)
		return -1;
	printf("hist");
	for (int i = 0; i < BCMON_NET_HIST_SLOTS; i++)
		printf(" %" PRIu64, s->hist[m].slots[i]);
	printf("\n");
	return 0;
}

/*
 * "exact": every histogram holding exactly one observation has it in the
 * slot the integer method (kmod/nhist.c) gives for its exact sum, the
 * observation itself. Prints "exact CHECKED" or a line per mismatch.
 */
static int exact(struct bcmon_net *net, struct bcmon_net_snapshot *snap)
{
	union {
		struct nhist_table t;
		char bytes[sizeof(struct nhist_table) + (sizeof(__u64) << BCMON_NET_HIST_SCHEMA)];
	} u;
	unsigned int checked = 0, bad = 0;

	if (bcmon_net_read(net, snap) || nhist_table_build(&u.t, BCMON_NET_HIST_SCHEMA, -9))
		return -1;
	for (unsigned int i = 0; i < snap->nseries; i++)
		for (int m = 0; m < BCMON_NET_NMETRIC; m++) {
			const struct bcmon_net_hist *h = &snap->series[i].hist[m];
			uint64_t ns = h->sum_ns;
			unsigned int want, got = 0;

			if (h->count != 1)
				continue;
			want = ns <= 953 ? 0 : (unsigned int)(nhist_index_table(&u.t, ns) -
							     BCMON_NET_HIST_INDEX_MIN + 1);
			while (!h->slots[got])
				got++;
			checked++;
			if (got != want) {
				bad++;
				printf("inexact %s %u %s: %" PRIu64 " ns in slot %u, not %u\n",
				       bcmon_net_proto_name(snap->series[i].proto),
				       snap->series[i].port, bcmon_net_metric_name(m), ns, got, want);
			}
		}
	printf("exact %u\n", checked);
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	static struct bcmon_net_snapshot snap;
	uint16_t ports[BCMON_NET_MAX_PORTS];
	struct bcmon_net_opts opts = { .ports = ports };
	struct bcmon_net *net;
	char err[256];
	int i = 1, rc = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--kprobe"))
			opts.mode = BCMON_NET_HOOKS_KPROBE;
		else if (!strcmp(argv[i], "--ports") && i + 1 < argc)
			opts.nports = parse_ports(argv[++i], ports);
		else
			return 2;
	}
	net = bcmon_net_open(&opts, err, sizeof(err));
	if (!net) {
		fprintf(stderr, "bcmon-nettest: %s\n", err);
		return 1;
	}
	for (; i < argc && !rc; i++) {
		const char *step = argv[i], *arg = i + 1 < argc ? argv[i + 1] : "";

		if (!strcmp(step, "attach")) {
			rc = bcmon_net_attach(net);
		} else if (!strcmp(step, "detach")) {
			bcmon_net_detach(net);
		} else if (!strcmp(step, "reopen")) {
			bcmon_net_close(net);
			net = bcmon_net_open(&opts, err, sizeof(err));
			rc = net ? bcmon_net_attach(net) : -1;
		} else if (!strcmp(step, "ports")) {
			uint16_t p[BCMON_NET_MAX_PORTS];

			rc = bcmon_net_set_ports(net, p, parse_ports(arg, p));
			i++;
		} else if (!strcmp(step, "run")) {
			rc = system(arg);
			i++;
		} else if (!strcmp(step, "sleep")) {
			struct timespec ts = { atoi(arg) / 1000, (atoi(arg) % 1000) * 1000000L };

			nanosleep(&ts, NULL);
			i++;
		} else if (!strcmp(step, "dump")) {
			rc = dump(net, &snap);
		} else if (!strcmp(step, "exact")) {
			rc = exact(net, &snap);
		} else if (!strcmp(step, "hist") && i + 3 < argc) {
			rc = hist(net, &snap, argv[i + 1], argv[i + 2], argv[i + 3]);
			i += 3;
		} else {
			fprintf(stderr, "bcmon-nettest: bad step '%s'\n", step);
			rc = 2;
		}
		if (rc)
			fprintf(stderr, "bcmon-nettest: step '%s' failed (%d)\n", step, rc);
	}
	bcmon_net_close(net);
	return rc ? 1 : 0;
}
