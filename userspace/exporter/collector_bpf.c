// SPDX-License-Identifier: GPL-2.0
/*
 * bpf: network latency histograms and traffic counters from the eBPF
 * probes, through libbcmon-net. Loading needs CAP_BPF and CAP_PERFMON (or
 * root); where the kernel refuses, the collector reports failure with the
 * loader's reason. Later attempts, at most every BPF_RETRY_S, run on a
 * thread of their own, never in a scrape (a failed load costs ~0.2-0.7 s),
 * and never after EPERM or EACCES: privileges do not come later.
 */
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <bcmon/netprobe.h>

#include "collector.h"
#include "expo_native.h"
#include "log.h"

#define BPF_RETRY_S 60

static struct bcmon_net *net;		/* the runner thread's */
static struct bcmon_net_snapshot snap;	/* large: static, one runner thread */

/* A load attempt and its outcome, shared with the loader thread. */
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static char open_error[256];
static int open_errno;
static time_t last_attempt;
static struct bcmon_net *loaded;	/* a load done, not yet taken */
static bool loading, loader_started;
static pthread_t loader;
static uint16_t load_ports[BCMON_NET_MAX_PORTS];
static unsigned int load_nports;

_Static_assert(CONFIG_MAX_PORTS <= BCMON_NET_MAX_PORTS,
	       "the config accepts more watched ports than the probes label");

static unsigned int config_ports(const struct exporter_config *cfg, uint16_t *ports)
{
	unsigned int n = 0;

	for (size_t i = 0; i < cfg->nports && n < BCMON_NET_MAX_PORTS; i++)
		ports[n++] = cfg->ports[i];
	return n;
}

/* Once per load: which flavour each hook got, or why it has none. */
static void log_hooks(void)
{
	const struct bcmon_net_hook *hooks;
	unsigned int n = bcmon_net_hooks(net, &hooks);

	for (unsigned int i = 0; i < n; i++) {
		if (!hooks[i].reason)
			log_info("bpf: hook %s (%s): %s", hooks[i].name, hooks[i].function,
				 hooks[i].attached);
		else
			log_warn("bpf: hook %s (%s): %s: %s", hooks[i].name, hooks[i].function,
				 hooks[i].attached, hooks[i].reason);
	}
}

/* Load and attach; the outcome goes to loaded or open_error/open_errno. */
static int probes_open(const uint16_t *ports, unsigned int nports)
{
	struct bcmon_net_opts opts = { .ports = ports, .nports = nports };
	char why[sizeof(open_error)];
	struct bcmon_net *n;
	int err;

	n = bcmon_net_open(&opts, why, sizeof(why));
	err = n ? 0 : -(errno ? errno : EPERM);
	if (n) {
		err = bcmon_net_attach(n);
		if (err) {
			snprintf(why, sizeof(why), "attaching the probes: %s", strerror(-err));
			bcmon_net_close(n);
			n = NULL;
		}
	}
	/* Loading parses the kernel's BTF (megabytes) into memory that libbpf
	 * frees afterwards: hand it back, or every exporter would carry ~12 MB
	 * of idle heap for a one-time parse. */
	malloc_trim(0);
	pthread_mutex_lock(&load_lock);
	loaded = n;
	if (err) {
		memcpy(open_error, why, sizeof(open_error));
		open_errno = -err;
	}
	pthread_mutex_unlock(&load_lock);
	return err;
}

static void *loader_main(void *arg)
{
	(void)arg;
	probes_open(load_ports, load_nports);
	pthread_mutex_lock(&load_lock);
	loading = false;
	pthread_mutex_unlock(&load_lock);
	return NULL;
}

/*
 * The probes, if a load is done; otherwise start another attempt in the
 * background when one is due. Never waits for a load.
 */
static void take_or_retry(const struct exporter_config *cfg)
{
	pthread_mutex_lock(&load_lock);
	if (loaded) {
		net = loaded;
		loaded = NULL;
		pthread_mutex_unlock(&load_lock);
		log_hooks();
		return;
	}
	if (!loading && open_errno != EPERM && open_errno != EACCES &&
	    time(NULL) - last_attempt >= BPF_RETRY_S) {
		if (loader_started)
			pthread_join(loader, NULL);	/* it has ended: !loading */
		load_nports = config_ports(cfg, load_ports);
		last_attempt = time(NULL);
		loading = true;
		loader_started = !pthread_create(&loader, NULL, loader_main, NULL);
		if (!loader_started)
			loading = false;
	}
	pthread_mutex_unlock(&load_lock);
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

/* The first load, at start, before the HTTP server serves. */
static int bpf_init(const struct exporter_config *cfg)
{
	uint16_t ports[BCMON_NET_MAX_PORTS];
	int err;

	last_attempt = time(NULL);
	err = probes_open(ports, config_ports(cfg, ports));
	if (!err) {
		net = loaded;
		loaded = NULL;
		log_hooks();
	}
	return err;
}

static void bpf_fini(void)
{
	pthread_mutex_lock(&load_lock);
	if (loader_started) {
		pthread_mutex_unlock(&load_lock);
		pthread_join(loader, NULL);
		pthread_mutex_lock(&load_lock);
		loader_started = false;
	}
	bcmon_net_close(loaded);
	loaded = NULL;
	pthread_mutex_unlock(&load_lock);
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

/*
 * Classic buckets for the formats that cannot carry native histograms,
 * derived exactly from the native ones: the powers of two 2^-20 s (the
 * zero threshold) to 2^5 s, 26 bounds and +Inf, as many series as the
 * log2 slots of old had.
 */
#define CLASSIC_EXP_LO (-20)
#define CLASSIC_EXP_HI 5
#define CLASSIC_NBOUNDS (CLASSIC_EXP_HI - CLASSIC_EXP_LO + 1)

/* h as a native histogram; its non-empty buckets go to buf. */
static void native_of(const struct bcmon_net_hist *h, struct expo_native_bucket *buf,
		      struct expo_native *out)
{
	size_t n = 0;

	for (unsigned int i = 1; i < BCMON_NET_HIST_SLOTS; i++)
		if (h->slots[i])
			buf[n++] = (struct expo_native_bucket){ bcmon_net_hist_index(i),
								h->slots[i] };
	*out = (struct expo_native){
		.schema = BCMON_NET_HIST_SCHEMA,
		.zero_threshold = BCMON_NET_HIST_ZERO_THRESHOLD,
		.zero_count = h->slots[0],
		.positive = buf,
		.npositive = n,
	};
}

static int write_hist_family(struct scrape_ctx *ctx, struct expo_writer *w,
			     enum bcmon_net_metric m, const char *suffix, const char *help,
			     bool tcp_only)
{
	static struct expo_native_bucket buckets[BCMON_NET_HIST_SLOTS];
	double bounds[CLASSIC_NBOUNDS];
	uint64_t counts[CLASSIC_NBOUNDS + 1];
	int err = ctx_family(ctx, w, suffix, EXPO_HISTOGRAM, help);

	for (unsigned int i = 0; !err && i < snap.nseries; i++) {
		const struct bcmon_net_series *s = &snap.series[i];
		struct expo_histogram eh = {
			.nbounds = CLASSIC_NBOUNDS,
			.bounds = bounds,
			.counts = counts,
			.sum = s->hist[m].sum_seconds,
		};
		struct expo_native nat;
		struct expo_label l[2];
		char port[8];
		size_t nl = 0;

		if (tcp_only && s->proto != BCMON_NET_TCP)
			continue;
		native_of(&s->hist[m], buckets, &nat);
		if (expo_native_to_classic(&nat, CLASSIC_EXP_LO, CLASSIC_EXP_HI, bounds,
					   counts) != CLASSIC_NBOUNDS)
			return -EINVAL;
		port_label(s, port, sizeof(port));
		if (!tcp_only)
			l[nl++] = (struct expo_label){ "proto", bcmon_net_proto_name(s->proto) };
		l[nl++] = (struct expo_label){ "port", port };
		err = expo_histogram_native(w, l, nl, &eh, true, &nat);
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

/* Labels of one program: its hook, BPF program name and flavour. */
static size_t prog_labels(const struct bcmon_net_prog_stats *p, struct expo_label *l)
{
	l[0] = (struct expo_label){ "hook", p->hook };
	l[1] = (struct expo_label){ "program", p->program };
	l[2] = (struct expo_label){ "kind", p->kind };
	return 3;
}

enum prog_value { PV_RUNS, PV_RUN_SECONDS, PV_MISSED, PV_PROBE_MISSED };

/* One family of per-program values; programs whose value is unknown are left out. */
static int write_prog_family(struct scrape_ctx *ctx, struct expo_writer *w,
			     const struct bcmon_net_prog_stats *ps, unsigned int n,
			     enum prog_value what, const char *suffix, const char *help)
{
	int err = ctx_family(ctx, w, suffix, EXPO_COUNTER, help);

	for (unsigned int i = 0; !err && i < n; i++) {
		struct expo_label l[3];
		size_t nl = prog_labels(&ps[i], l);

		if (what == PV_RUNS)
			err = expo_sample_u64(w, l, nl, ps[i].run_count);
		else if (what == PV_RUN_SECONDS)
			err = expo_sample(w, l, nl, (double)ps[i].run_time_ns / 1e9);
		else if (what == PV_MISSED && ps[i].missed_known)
			err = expo_sample_u64(w, l, nl, ps[i].missed);
		else if (what == PV_PROBE_MISSED && ps[i].probe_missed_known)
			err = expo_sample_u64(w, l, nl, ps[i].probe_missed);
	}
	return err;
}

/*
 * The probes' own cost and losses, as ebpf_exporter reports them: run
 * count and run time per program from the kernel's BPF statistics (only
 * while kernel.bpf_stats_enabled=1, otherwise absent: they would not
 * grow), runs the kernel skipped and kprobe misses where the kernel can
 * tell (absent where it cannot, never 0), and the kprobe flavour's
 * per-socket state map occupancy (socket storage cannot be counted; the
 * gauges are absent then).
 */
/* hook_info{hook,function,flavour,reason} 1: what each hook got, and why. */
static int write_hook_info(struct scrape_ctx *ctx, struct expo_writer *w)
{
	const struct bcmon_net_hook *hooks;
	unsigned int n = bcmon_net_hooks(net, &hooks);
	int err = ctx_family(ctx, w, "network_probe_hook_info", EXPO_GAUGE,
			     "Probe hooks: the flavour attached (fentry, fexit, kprobe, "
			     "kprobe+kretprobe, none, unneeded) and why not fentry/fexit.");

	for (unsigned int i = 0; !err && i < n; i++) {
		struct expo_label l[4] = {
			{ "hook", hooks[i].name }, { "function", hooks[i].function },
			{ "flavour", hooks[i].attached },
			{ "reason", hooks[i].reason ? hooks[i].reason : "" },
		};

		err = expo_sample_u64(w, l, 4, 1);
	}
	return err;
}

static int write_self_metrics(struct scrape_ctx *ctx, struct expo_writer *w)
{
	static struct bcmon_net_prog_stats ps[BCMON_NET_MAX_PROGS];
	unsigned int n = bcmon_net_prog_stats(net, ps, BCMON_NET_MAX_PROGS);
	struct bcmon_net_state_usage use;
	int err = write_hook_info(ctx, w);

	if (n > BCMON_NET_MAX_PROGS)
		n = BCMON_NET_MAX_PROGS;
	if (!err && bcmon_net_run_stats_enabled()) {
		err = write_prog_family(ctx, w, ps, n, PV_RUNS, "network_probe_program_runs_total",
					"Runs of each attached probe program (kernel.bpf_stats_enabled).");
		if (!err)
			err = write_prog_family(ctx, w, ps, n, PV_RUN_SECONDS,
						"network_probe_program_run_seconds_total",
						"Time spent in each attached probe program "
						"(kernel.bpf_stats_enabled).");
	}
	if (!err)
		err = write_prog_family(ctx, w, ps, n, PV_MISSED,
					"network_probe_program_missed_runs_total",
					"Runs the kernel skipped because a BPF program was already "
					"running on that CPU (kprobes: counted from Linux 6.7).");
	if (!err)
		err = write_prog_family(ctx, w, ps, n, PV_PROBE_MISSED,
					"network_probe_kprobe_missed_total",
					"Hits a kprobe or kretprobe itself lost (reentrancy, no free "
					"kretprobe instance).");
	if (err || bcmon_net_state_usage(net, &use) || use.in_socket_storage)
		return err;
	err = ctx_family(ctx, w, "network_probe_state_sockets", EXPO_GAUGE,
			 "Sockets with probe state in the bounded kprobe-flavour state map.");
	if (!err)
		err = expo_sample_u64(w, NULL, 0, use.sockets);
	if (!err)
		err = ctx_family(ctx, w, "network_probe_state_capacity", EXPO_GAUGE,
				 "Sockets the kprobe-flavour state map can hold.");
	if (!err)
		err = expo_sample_u64(w, NULL, 0, use.capacity);
	return err;
}

static int bpf_collect(struct scrape_ctx *ctx, struct expo_writer *w)
{
	int err, port_err;

	if (!net) {
		take_or_retry(ctx->cfg);
		if (!net) {
			pthread_mutex_lock(&load_lock);
			ctx_why(ctx, "eBPF probes not loaded: %s", open_error);
			err = -open_errno;
			pthread_mutex_unlock(&load_lock);
			return err ? err : -EAGAIN;
		}
	}
	port_err = sync_ports(ctx->cfg);
	if (port_err)
		ctx_why(ctx, "setting watched ports: %s", strerror(-port_err));
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
				 "Observations the probes lost: no room for their state (*_full), "
				 "or program runs the kernel skipped (missed).");
	for (unsigned int i = 0; !err && i < BCMON_NET_NDROP; i++) {
		struct expo_label l = { "reason", bcmon_net_drop_name(i) };

		err = expo_sample_u64(w, &l, 1, snap.drops[i]);
	}
	if (!err)
		err = write_self_metrics(ctx, w);
	/*
	 * Served under the ports in effect (the old ones, or part of the
	 * change: the next scrape tries again), but not a success.
	 */
	return err ? err : port_err;
}

const struct collector collector_bpf = {
	.name = "bpf",
	.help = "network latency histograms and traffic from the eBPF probes",
	.default_enabled = true,
	.init = bpf_init,
	.fini = bpf_fini,
	.collect = bpf_collect,
};
