// SPDX-License-Identifier: GPL-2.0
/*
 * bcmonctl net output. Text: traffic counters and log2 histograms in the
 * style of bcc's tools (only series and histograms that saw something).
 * JSON: one object per report; each series on a line of its own, with
 * per-slot (non-cumulative) bucket counts and the slot bounds in seconds.
 */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "net_format.h"

#define BAR_WIDTH 40

static void port_label(const struct bcmon_net_series *s, char *buf, size_t len)
{
	if (s->port)
		snprintf(buf, len, "%u", s->port);
	else
		snprintf(buf, len, "other");
}

static bool series_empty(const struct bcmon_net_series *s)
{
	const struct bcmon_net_traffic *t = &s->traffic;

	if (t->tx_messages || t->rx_messages)
		return false;
	for (int m = 0; m < BCMON_NET_NMETRIC; m++)
		if (s->hist[m].count)
			return false;
	return true;
}

static void print_bar(FILE *out, uint64_t val, uint64_t max)
{
	int n = max ? (int)(val * BAR_WIDTH / max) : 0;

	fputc('|', out);
	for (int i = 0; i < BAR_WIDTH; i++)
		fputc(i < n ? '*' : ' ', out);
	fputc('|', out);
}

static void print_hist(FILE *out, const char *title, const struct bcmon_net_hist *h)
{
	int last = 0;
	uint64_t max = 0;

	for (int i = 0; i < BCMON_NET_HIST_SLOTS; i++) {
		if (h->slots[i])
			last = i;
		if (h->slots[i] > max)
			max = h->slots[i];
	}
	fprintf(out, "  %s: count %" PRIu64 ", average %.1f us\n", title, h->count,
		h->sum_seconds * 1e6 / (double)h->count);
	fprintf(out, "  %24s : %-8s %s\n", "usecs", "count", "distribution");
	for (int i = 0; i <= last; i++) {
		uint64_t lo = i ? (uint64_t)1 << (i - 1) : 0;
		char range[48];

		if (i == BCMON_NET_HIST_SLOTS - 1)
			snprintf(range, sizeof(range), "%" PRIu64 " -> inf", lo);
		else
			snprintf(range, sizeof(range), "%" PRIu64 " -> %" PRIu64, lo,
				 ((uint64_t)1 << i) - 1);
		fprintf(out, "  %24s : %-8" PRIu64 " ", range, h->slots[i]);
		print_bar(out, h->slots[i], max);
		fputc('\n', out);
	}
}

void net_print_text(FILE *out, struct bcmon_net *net, const struct bcmon_net_snapshot *snap)
{
	const struct bcmon_net_hook *hooks;
	unsigned int nhooks = bcmon_net_hooks(net, &hooks);
	time_t now = time(NULL);
	char stamp[32];

	strftime(stamp, sizeof(stamp), "%H:%M:%S", localtime(&now));
	fprintf(out, "%s hooks:", stamp);
	for (unsigned int i = 0; i < nhooks; i++)
		fprintf(out, " %s=%s", hooks[i].name, hooks[i].attached);
	fputc('\n', out);
	for (unsigned int i = 0; i < nhooks; i++)
		if (hooks[i].reason)
			fprintf(out, "  %s (%s): %s\n", hooks[i].name, hooks[i].function,
				hooks[i].reason);
	for (unsigned int i = 0; i < snap->nseries; i++) {
		const struct bcmon_net_series *s = &snap->series[i];
		const struct bcmon_net_traffic *t = &s->traffic;
		char port[16];

		if (series_empty(s))
			continue;
		port_label(s, port, sizeof(port));
		fprintf(out, "%s port %s: sent %" PRIu64 " msgs %" PRIu64 " bytes, "
			"received %" PRIu64 " msgs %" PRIu64 " bytes\n",
			bcmon_net_proto_name(s->proto), port, t->tx_messages, t->tx_bytes,
			t->rx_messages, t->rx_bytes);
		for (int m = 0; m < BCMON_NET_NMETRIC; m++)
			if (s->hist[m].count)
				print_hist(out, bcmon_net_metric_name(m), &s->hist[m]);
	}
	for (int d = 0; d < BCMON_NET_NDROP; d++)
		if (snap->drops[d])
			fprintf(out, "drops %s: %" PRIu64 "\n", bcmon_net_drop_name(d),
				snap->drops[d]);
	fflush(out);
}

static void json_hist(FILE *out, const char *name, const struct bcmon_net_hist *h)
{
	fprintf(out, ",\"%s\":{\"count\":%" PRIu64 ",\"sum\":%.9f,\"buckets\":[", name,
		h->count, h->sum_seconds);
	for (int i = 0; i < BCMON_NET_HIST_SLOTS; i++)
		fprintf(out, "%s%" PRIu64, i ? "," : "", h->slots[i]);
	fputs("]}", out);
}

/* A value the kernel may not know: a number, or null. */
static void json_known(FILE *out, const char *name, bool known, uint64_t v)
{
	if (known)
		fprintf(out, ",\"%s\":%" PRIu64, name, v);
	else
		fprintf(out, ",\"%s\":null", name);
}

/* "programs": per attached program, runs, time, misses (null: unknown). */
static void json_programs(FILE *out, struct bcmon_net *net)
{
	struct bcmon_net_prog_stats ps[BCMON_NET_MAX_PROGS];
	unsigned int n = bcmon_net_prog_stats(net, ps, BCMON_NET_MAX_PROGS);
	bool stats = bcmon_net_run_stats_enabled();

	fputs("\"programs\":{", out);
	for (unsigned int i = 0; i < n && i < BCMON_NET_MAX_PROGS; i++) {
		fprintf(out, "%s\"%s\":{\"hook\":\"%s\",\"kind\":\"%s\"", i ? "," : "",
			ps[i].program, ps[i].hook, ps[i].kind);
		json_known(out, "runs", stats, ps[i].run_count);
		json_known(out, "run_ns", stats, ps[i].run_time_ns);
		json_known(out, "missed", ps[i].missed_known, ps[i].missed);
		json_known(out, "probe_missed", ps[i].probe_missed_known, ps[i].probe_missed);
		fputc('}', out);
	}
	fputs("},\n", out);
}

void net_print_json(FILE *out, struct bcmon_net *net, const struct bcmon_net_snapshot *snap)
{
	const struct bcmon_net_hook *hooks;
	unsigned int nhooks = bcmon_net_hooks(net, &hooks);
	struct bcmon_net_state_usage use = { 0 };
	uint16_t ports[BCMON_NET_MAX_PORTS];
	unsigned int nports = bcmon_net_get_ports(net, ports, BCMON_NET_MAX_PORTS);

	fprintf(out, "{\"time\":%lld,\"ports\":[", (long long)time(NULL));
	for (unsigned int i = 0; i < nports; i++)
		fprintf(out, "%s%u", i ? "," : "", ports[i]);
	fputs("],\n\"hooks\":{", out);
	for (unsigned int i = 0; i < nhooks; i++)
		fprintf(out, "%s\"%s\":\"%s\"", i ? "," : "", hooks[i].name, hooks[i].attached);
	fputs("},\n\"hook_reasons\":{", out);
	for (unsigned int i = 0, n = 0; i < nhooks; i++)
		if (hooks[i].reason)
			fprintf(out, "%s\"%s\":\"%s\"", n++ ? "," : "", hooks[i].name,
				hooks[i].reason);
	fputs("},\n\"drops\":{", out);
	for (int d = 0; d < BCMON_NET_NDROP; d++)
		fprintf(out, "%s\"%s\":%" PRIu64, d ? "," : "", bcmon_net_drop_name(d),
			snap->drops[d]);
	bcmon_net_state_usage(net, &use);
	fprintf(out, "},\n\"state_store\":\"%s\",\"state_capacity\":%u,\"state_sockets\":%u,\n",
		use.in_socket_storage ? "socket_storage" : "hash", use.capacity, use.sockets);
	fprintf(out, "\"state\":{\"pending\":%u,\"connecting\":%u,\"inflight\":%u},\n",
		use.pending, use.connecting, use.inflight);
	json_programs(out, net);
	fputs("\"bounds\":[", out);
	for (int i = 0; i < BCMON_NET_HIST_SLOTS; i++) {
		double b = bcmon_net_hist_bound(i);

		if (isinf(b))
			fprintf(out, ",\"+Inf\"");
		else
			fprintf(out, "%s%.6f", i ? "," : "", b);
	}
	fputs("],\n\"series\":[", out);
	for (unsigned int i = 0; i < snap->nseries; i++) {
		const struct bcmon_net_series *s = &snap->series[i];
		const struct bcmon_net_traffic *t = &s->traffic;
		char port[16];

		port_label(s, port, sizeof(port));
		fprintf(out, "%s\n{\"proto\":\"%s\",\"port\":\"%s\",\"tx_messages\":%" PRIu64
			",\"tx_bytes\":%" PRIu64 ",\"rx_messages\":%" PRIu64
			",\"rx_bytes\":%" PRIu64, i ? "," : "", bcmon_net_proto_name(s->proto),
			port, t->tx_messages, t->tx_bytes, t->rx_messages, t->rx_bytes);
		for (int m = 0; m < BCMON_NET_NMETRIC; m++)
			json_hist(out, bcmon_net_metric_name(m), &s->hist[m]);
		fputc('}', out);
	}
	fputs("\n]}\n", out);
	fflush(out);
}
