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

/*
 * bcc-style rows, one per power of two: the native buckets (eight per
 * octave) summed per octave (2^(e-1), 2^e] seconds, exactly since powers
 * of two are bucket boundaries, shown in microseconds; the zero bucket (at
 * most 2^-20 s) is the first row. Row e + 20 holds octave e.
 */
#define OCTAVES 64

static int octave_row(int32_t index)
{
	int32_t per = 1 << BCMON_NET_HIST_SCHEMA;
	int32_t e = index >= 0 ? (index + per - 1) / per : -(-index / per);

	return e + 20 < OCTAVES ? e + 20 : OCTAVES - 1;
}

static void print_hist(FILE *out, const char *title, const struct bcmon_net_hist *h)
{
	uint64_t rows[OCTAVES] = { 0 }, max = 0;
	int last = 0;

	rows[0] = h->slots[0];
	for (unsigned int i = 1; i < BCMON_NET_HIST_SLOTS; i++) {
		rows[octave_row(bcmon_net_hist_index(i))] += h->slots[i];
	}
	for (int r = 0; r < OCTAVES; r++) {
		if (rows[r])
			last = r;
		if (rows[r] > max)
			max = rows[r];
	}
	fprintf(out, "  %s: count %" PRIu64 ", average %.1f us\n", title, h->count,
		h->sum_seconds * 1e6 / (double)h->count);
	fprintf(out, "  %24s : %-8s %s\n", "usecs", "count", "distribution");
	for (int r = 0; r <= last; r++) {
		char range[48];

		if (!r)
			snprintf(range, sizeof(range), "0 -> %.3f", ldexp(1e6, -20));
		else
			snprintf(range, sizeof(range), "%.3f -> %.3f", ldexp(1e6, r - 21),
				 ldexp(1e6, r - 20));
		fprintf(out, "  %24s : %-8" PRIu64 " ", range, rows[r]);
		print_bar(out, rows[r], max);
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
	fprintf(out, "\"schema\":%d,\"zero_threshold\":%.17g,\"first_index\":%d,\n",
		BCMON_NET_HIST_SCHEMA, BCMON_NET_HIST_ZERO_THRESHOLD, bcmon_net_hist_index(1));
	fputs("\"bounds\":[", out);
	for (int i = 0; i < BCMON_NET_HIST_SLOTS; i++)
		fprintf(out, "%s%.17g", i ? "," : "", bcmon_net_hist_bound(i));
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
