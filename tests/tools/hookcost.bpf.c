// SPDX-License-Identifier: GPL-2.0
/*
 * The cost benchmark's programs (tests/bench/31-net-hookcost.sh):
 * - e_HOOK: an empty program on each hook the network probes' fentry
 *   flavour uses, the baseline a probe's per-run time is compared with;
 * - on fexit of tcp_sendmsg, the histogram step alone on a varying value
 *   (the clock): clock_only (the clock and one atomic add), bin_log2 (the
 *   log2-of-microseconds slot the probes used before native histograms,
 *   kept here as the "before") and bin_native (nhist_bpf.h, the "after").
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "netprobe.h"
#include "nhist_bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define EMPTY(kind, func, name) \
	SEC(kind "/" func) int BPF_PROG(name) { return 0; }

EMPTY("fentry", "tcp_ack_update_rtt", e_tcp_rtt)
EMPTY("fentry", "sock_def_readable", e_data_ready)
EMPTY("fexit", "tcp_recvmsg", e_tcp_recvmsg)
EMPTY("fexit", "tcp_sendmsg", e_tcp_sendmsg)
EMPTY("fexit", "udp_recvmsg", e_udp_recvmsg)
EMPTY("fexit", "udp_sendmsg", e_udp_sendmsg)
EMPTY("fentry", "tcp_connect", e_tcp_connect)
EMPTY("fentry", "tcp_finish_connect", e_tcp_connected)

/* One histogram of each layout, per CPU. */
struct log2_hist {
	__u64 slots[27];
	__u64 sum_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct log2_hist);
} log2_hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct np_hist);
} native_hists SEC(".maps");

/* A value that changes from run to run, spread over many buckets. */
static __always_inline __u64 sample(void)
{
	return bpf_ktime_get_ns() & 0xfffffffffULL;
}

SEC("fexit/tcp_sendmsg")
int BPF_PROG(clock_only)
{
	__u32 key = 0;
	struct np_hist *h = bpf_map_lookup_elem(&native_hists, &key);

	if (h)
		__sync_fetch_and_add(&h->sum_ns, sample());
	return 0;
}

/* The probes' histogram step before native histograms (log2 of us). */
SEC("fexit/tcp_sendmsg")
int BPF_PROG(bin_log2)
{
	__u32 key = 0;
	struct log2_hist *h = bpf_map_lookup_elem(&log2_hists, &key);
	__u64 ns = sample(), us = ns / 1000;
	__u32 slot = us ? log2_u64(us) + 1 : 0;

	if (!h)
		return 0;
	if (slot >= 26)
		slot = 26;
	barrier_var(slot);
	if (slot >= 27)
		return 0;
	__sync_fetch_and_add(&h->slots[slot], 1);
	__sync_fetch_and_add(&h->sum_ns, ns);
	return 0;
}

/* The same step with exact native buckets of seconds (the probes now). */
SEC("fexit/tcp_sendmsg")
int BPF_PROG(bin_native)
{
	__u32 key = 0;
	struct np_hist *h = bpf_map_lookup_elem(&native_hists, &key);
	__u64 ns = sample();
	__u32 slot = native_slot(ns);

	if (!h)
		return 0;
	barrier_var(slot);
	if (slot >= NP_HIST_SLOTS)
		return 0;
	__sync_fetch_and_add(&h->slots[slot], 1);
	__sync_fetch_and_add(&h->sum_ns, ns);
	return 0;
}
