// SPDX-License-Identifier: GPL-2.0
/*
 * bpf: network latency histograms and traffic counters from the eBPF
 * probes, through libbcmon-net. Loading needs CAP_BPF and CAP_PERFMON (or
 * root); where the kernel refuses, the collector reports failure with the
 * loader's reason and tries again at most every BPF_RETRY_S.
 */
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <bcmon/netprobe.h>

#include "collector.h"

#define BPF_RETRY_S 60

static struct bcmon_net *net;
static char open_error[256];
static int open_errno;
static time_t last_attempt;
static struct bcmon_net_snapshot snap;	/* large: static, one HTTP thread */

static unsigned int config_ports(const struct exporter_config *cfg, uint16_t *ports)
{
	unsigned int n = 0;

	for (size_t i = 0; i < cfg->nports && n < BCMON_NET_MAX_PORTS; i++)
		ports[n++] = cfg->ports[i];
	return n;
}

static int probes_open(const struct exporter_config *cfg)
{
	uint16_t ports[BCMON_NET_MAX_PORTS];
	struct bcmon_net_opts opts = { 0 };
	int err;

	last_attempt = time(NULL);
	opts.nports = config_ports(cfg, ports);
	opts.ports = ports;
	net = bcmon_net_open(&opts, open_error, sizeof(open_error));
	if (!net) {
		open_errno = errno ? errno : EPERM;
		return -open_errno;
	}
	err = bcmon_net_attach(net);
	if (err) {
		snprintf(open_error, sizeof(open_error), "attaching the probes: %s",
			 strerror(-err));
		open_errno = -err;
		bcmon_net_close(net);
		net = NULL;
		return err;
	}
	return 0;
}

/* Follow watched_ports across config reloads without reloading probes. */
static int sync_ports(const struct exporter_config *cfg)
{
	uint16_t want[BCMON_NET_MAX_PORTS], have[BCMON_NET_MAX_PORTS];
	unsigned int nw = config_ports(cfg, want);
	unsigned int nh = bcmon_net_get_ports(net, have, BCMON_NET_MAX_PORTS);

	if (nw == nh && !memcmp(want, have, nw * sizeof(want[0])))
		return 0;
	return bcmon_net_set_ports(net, want, nw);
}

/*
 * Loading parses the kernel's BTF (megabytes) into memory that libbpf
 * frees afterwards; hand it back to the system, or every exporter would
 * carry ~12 MB of idle heap for a one-time parse.
 */
static int probes_open_trimmed(const struct exporter_config *cfg)
{
	int err = probes_open(cfg);

	malloc_trim(0);
	return err;
}

static int bpf_init(const struct exporter_config *cfg)
{
	return probes_open_trimmed(cfg);
}

static void bpf_fini(void)
{
	bcmon_net_close(net);
	net = NULL;
}

static void port_label(const struct bcmon_net_series *s, char *buf, size_t len)
{
	if (s->port)
		snprintf(buf, len, "%u", s->port);
	else
		snprintf(buf, len, "other");
}

static int write_hist_family(struct scrape_ctx *ctx, struct expo_writer *w,
			     enum bcmon_net_metric m, const char *suffix, const char *help,
			     bool tcp_only)
{
	double bounds[BCMON_NET_HIST_SLOTS - 1];
	int err;

	for (unsigned int i = 0; i < BCMON_NET_HIST_SLOTS - 1; i++)
		bounds[i] = bcmon_net_hist_bound(i);
	err = ctx_family(ctx, w, suffix, EXPO_HISTOGRAM, help);
	for (unsigned int i = 0; !err && i < snap.nseries; i++) {
		const struct bcmon_net_series *s = &snap.series[i];
		const struct bcmon_net_hist *h = &s->hist[m];
		struct expo_histogram eh = {
			.nbounds = BCMON_NET_HIST_SLOTS - 1,
			.bounds = bounds,
			.counts = h->slots,
			.sum = h->sum_seconds,
		};
		struct expo_label l[2];
		char port[8];
		size_t nl = 0;

		if (tcp_only && s->proto != BCMON_NET_TCP)
			continue;
		port_label(s, port, sizeof(port));
		if (!tcp_only)
			l[nl++] = (struct expo_label){ "proto", bcmon_net_proto_name(s->proto) };
		l[nl++] = (struct expo_label){ "port", port };
		err = expo_histogram(w, l, nl, &eh);
	}
	return err;
}

static int write_traffic_family(struct scrape_ctx *ctx, struct expo_writer *w,
				size_t offset, const char *suffix, const char *help)
{
	int err = ctx_family(ctx, w, suffix, EXPO_COUNTER, help);

	for (unsigned int i = 0; !err && i < snap.nseries; i++) {
		const struct bcmon_net_series *s = &snap.series[i];
		uint64_t v;
		char port[8];
		struct expo_label l[2] = { { "proto", bcmon_net_proto_name(s->proto) },
					   { "port", port } };

		memcpy(&v, (const char *)&s->traffic + offset, sizeof(v));
		port_label(s, port, sizeof(port));
		err = expo_sample_u64(w, l, 2, v);
	}
	return err;
}

static int bpf_collect(struct scrape_ctx *ctx, struct expo_writer *w)
{
	int err;

	if (!net) {
		if (time(NULL) - last_attempt < BPF_RETRY_S ||
		    probes_open_trimmed(ctx->cfg)) {
			ctx_why(ctx, "eBPF probes not loaded: %s", open_error);
			return -open_errno;
		}
	}
	err = sync_ports(ctx->cfg);
	if (err)
		ctx_why(ctx, "setting watched ports: %s", strerror(-err));
	err = bcmon_net_read(net, &snap);
	if (err) {
		ctx_why(ctx, "reading the probe maps: %s", strerror(-err));
		return err;
	}
	err = write_hist_family(ctx, w, BCMON_NET_RTT, "network_tcp_rtt_seconds",
				"TCP round-trip time, one observation per RTT sample the kernel takes.",
				true);
	if (!err)
		err = write_hist_family(ctx, w, BCMON_NET_DELIVERY,
					"network_delivery_latency_seconds",
					"Time from data arriving at a socket to the application reading it.",
					false);
	if (!err)
		err = write_hist_family(ctx, w, BCMON_NET_CONNECT,
					"network_tcp_connect_latency_seconds",
					"Outgoing TCP connect latency, SYN sent to established.",
					true);
	if (!err)
		err = write_traffic_family(ctx, w, offsetof(struct bcmon_net_traffic, tx_messages),
					   "network_messages_sent_total",
					   "Send calls that moved data.");
	if (!err)
		err = write_traffic_family(ctx, w, offsetof(struct bcmon_net_traffic, rx_messages),
					   "network_messages_received_total",
					   "Receive calls that moved data.");
	if (!err)
		err = write_traffic_family(ctx, w, offsetof(struct bcmon_net_traffic, tx_bytes),
					   "network_sent_bytes_total", "Bytes sent.");
	if (!err)
		err = write_traffic_family(ctx, w, offsetof(struct bcmon_net_traffic, rx_bytes),
					   "network_received_bytes_total", "Bytes received.");
	if (!err)
		err = ctx_family(ctx, w, "network_probe_drops_total", EXPO_COUNTER,
				 "Observations the probes lost because a state map was full.");
	for (unsigned int i = 0; !err && i < BCMON_NET_NDROP; i++) {
		struct expo_label l = { "reason", bcmon_net_drop_name(i) };

		err = expo_sample_u64(w, &l, 1, snap.drops[i]);
	}
	return err;
}

const struct collector collector_bpf = {
	.name = "bpf",
	.help = "network latency histograms and traffic from the eBPF probes",
	.default_enabled = true,
	.init = bpf_init,
	.fini = bpf_fini,
	.collect = bpf_collect,
};
