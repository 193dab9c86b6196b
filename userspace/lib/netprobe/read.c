// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the probes' maps: every per-CPU value is summed over the possible
 * CPUs into the neutral snapshot of <bcmon/netprobe.h>. The kernel side
 * only ever adds, so the sums are monotonic while a port keeps its slot.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "internal.h"

_Static_assert(BCMON_NET_MAX_PORTS == NP_MAX_PORTS, "port limit mismatch");
_Static_assert(BCMON_NET_HIST_SLOTS == NP_HIST_SLOTS, "slot count mismatch");
_Static_assert(BCMON_NET_HIST_SCHEMA == NP_SCHEMA, "schema mismatch");
_Static_assert(BCMON_NET_HIST_INDEX_MIN == NP_INDEX_MIN, "index mismatch");
_Static_assert((int)BCMON_NET_NPROTO == (int)NP_NPROTO, "protocol mismatch");
_Static_assert((int)BCMON_NET_NMETRIC == (int)NP_NMETRIC, "metric mismatch");
/* The map-backed reasons come first; "missed" is read from program info. */
_Static_assert((int)BCMON_NET_DROP_MISSED == (int)NP_NDROP, "drop reason mismatch");
_Static_assert(sizeof(struct np_hist) % 8 == 0, "per-CPU values are 8-byte aligned");
_Static_assert(sizeof(struct np_traffic) % 8 == 0, "per-CPU values are 8-byte aligned");

/* Sum n u64 fields of a per-CPU value over all CPUs into out[]. */
static int percpu_sum(struct bcmon_net *net, int fd, uint32_t key, uint64_t *out, size_t n)
{
	const uint64_t *v = net->percpu_buf;

	if (bpf_map_lookup_elem(fd, &key, net->percpu_buf))
		return -errno;
	memset(out, 0, n * sizeof(*out));
	for (int cpu = 0; cpu < net->ncpus; cpu++, v += n)
		for (size_t i = 0; i < n; i++)
			out[i] += v[i];
	return 0;
}

int np_percpu_zero(struct bcmon_net *net, int fd, uint32_t key)
{
	memset(net->percpu_buf, 0, net->percpu_buf_size);
	return bpf_map_update_elem(fd, &key, net->percpu_buf, BPF_ANY) ? -errno : 0;
}

static int read_hist(struct bcmon_net *net, uint32_t key, struct bcmon_net_hist *out)
{
	uint64_t raw[sizeof(struct np_hist) / 8];
	struct np_hist *h = (struct np_hist *)raw;
	int err;

	err = percpu_sum(net, bpf_map__fd(net->skel->maps.hists), key, raw,
			 sizeof(raw) / sizeof(raw[0]));
	if (err)
		return err;
	out->count = 0;
	for (int i = 0; i < NP_HIST_SLOTS; i++) {
		out->slots[i] = h->slots[i];
		out->count += h->slots[i];
	}
	out->sum_ns = h->sum_ns;
	out->sum_seconds = (double)h->sum_ns / 1e9;
	return 0;
}

static int read_series(struct bcmon_net *net, uint32_t proto, uint32_t slot,
		       struct bcmon_net_series *out)
{
	uint64_t raw[sizeof(struct np_traffic) / 8];
	struct np_traffic *t = (struct np_traffic *)raw;
	int err;

	memset(out, 0, sizeof(*out));
	out->proto = proto;
	out->port = slot == NP_PORT_OTHER ? 0 : net->slot_port[slot];
	err = percpu_sum(net, bpf_map__fd(net->skel->maps.traffic),
			 NP_TRAFFIC_KEY(proto, slot), raw, sizeof(raw) / sizeof(raw[0]));
	if (err)
		return err;
	out->traffic.tx_messages = t->tx_msgs;
	out->traffic.tx_bytes = t->tx_bytes;
	out->traffic.rx_messages = t->rx_msgs;
	out->traffic.rx_bytes = t->rx_bytes;
	for (uint32_t m = 0; m < NP_NMETRIC; m++) {
		err = read_hist(net, NP_HIST_KEY(proto, m, slot), &out->hist[m]);
		if (err)
			return err;
	}
	return 0;
}

/* Watched slots in ascending port order, then "other". */
static unsigned int slots_by_port(const struct bcmon_net *net, uint32_t *slots)
{
	unsigned int n = 0;

	for (uint32_t s = 0; s < NP_MAX_PORTS; s++) {
		unsigned int i = n;

		if (!net->slot_port[s])
			continue;
		while (i > 0 && net->slot_port[slots[i - 1]] > net->slot_port[s]) {
			slots[i] = slots[i - 1];
			i--;
		}
		slots[i] = s;
		n++;
	}
	slots[n++] = NP_PORT_OTHER;
	return n;
}

int bcmon_net_read(struct bcmon_net *net, struct bcmon_net_snapshot *snap)
{
	uint32_t slots[NP_PORT_SLOTS];
	unsigned int nslots = slots_by_port(net, slots);
	int dfd = bpf_map__fd(net->skel->maps.drops);
	int err;

	memset(snap, 0, sizeof(*snap));
	for (uint32_t p = 0; p < NP_NPROTO; p++) {
		for (unsigned int i = 0; i < nslots; i++) {
			err = read_series(net, p, slots[i], &snap->series[snap->nseries]);
			if (err)
				return err;
			snap->nseries++;
		}
	}
	for (uint32_t d = 0; d < NP_NDROP; d++) {
		err = percpu_sum(net, dfd, d, &snap->drops[d], 1);
		if (err)
			return err;
	}
	snap->drops[BCMON_NET_DROP_MISSED] = np_hooks_missed(net);
	return 0;
}

static int count_keys(int fd, size_t key_size, unsigned int *count)
{
	char key[32], next[32];
	void *prev = NULL;

	if (key_size > sizeof(key))
		return -EINVAL;
	*count = 0;
	while (!bpf_map_get_next_key(fd, prev, next)) {
		(*count)++;
		memcpy(key, next, key_size);
		prev = key;
	}
	return errno == ENOENT ? 0 : -errno;
}

/* Sockets in the bounded state hash with arrivals stamped / a SYN timed. */
static int count_states(int fd, unsigned int *pending, unsigned int *connecting,
			unsigned int *sockets)
{
	__u64 key, next, *prev = NULL;
	struct np_sk_state st;

	*pending = *connecting = *sockets = 0;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &st))
			continue;	/* the socket went away meanwhile */
		(*sockets)++;
		*pending += st.head != st.tail;
		*connecting += st.syn_ns != 0;
	}
	return errno == ENOENT ? 0 : -errno;
}

int bcmon_net_state_usage(struct bcmon_net *net, struct bcmon_net_state_usage *usage)
{
	struct netprobe *s = net->skel;
	int err;

	memset(usage, 0, sizeof(*usage));
	usage->in_socket_storage = !net->state_in_hash;
	usage->capacity = bpf_map__max_entries(s->maps.sk_state_hash);
	err = count_states(bpf_map__fd(s->maps.sk_state_hash), &usage->pending,
			   &usage->connecting, &usage->sockets);
	if (!err)
		err = count_keys(bpf_map__fd(s->maps.inflight),
				 bpf_map__key_size(s->maps.inflight), &usage->inflight);
	return err;
}

double bcmon_net_hist_bound(unsigned int slot)
{
	int32_t index = bcmon_net_hist_index(slot);
	int32_t q = index >= 0 ? index / 8 : -((-index + 7) / 8);

	if (!slot)
		return BCMON_NET_HIST_ZERO_THRESHOLD;
	/* 2^(index/8) = 2^q * 2^(r/8), exact when r == 0 */
	return ldexp(exp2((double)(index - 8 * q) / 8), q);
}

const char *bcmon_net_proto_name(enum bcmon_net_proto proto)
{
	static const char *const names[] = { "tcp", "udp" };

	return (unsigned int)proto < NP_NPROTO ? names[proto] : "?";
}

const char *bcmon_net_metric_name(enum bcmon_net_metric metric)
{
	static const char *const names[] = { "rtt", "delivery", "connect" };

	return (unsigned int)metric < NP_NMETRIC ? names[metric] : "?";
}

const char *bcmon_net_drop_name(enum bcmon_net_drop drop)
{
	static const char *const names[] = {
		"pending_full", "connect_full", "inflight_full", "missed",
	};

	return (unsigned int)drop < BCMON_NET_NDROP ? names[drop] : "?";
}
