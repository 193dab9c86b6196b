// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon network probes: TCP RTT, delivery latency (arrival at the socket to
 * application read), TCP connect latency and traffic counters, per protocol
 * and watched port, aggregated in kernel into per-CPU log2 histograms.
 *
 * Every hook exists twice: an fentry/fexit program (the fast one) and a
 * kprobe/kretprobe twin. The loader (userspace/lib/netprobe/) decides per
 * hook at load time which one runs; both call the same handler below, and
 * every field is read with CO-RE relocations so that one object runs on
 * every supported kernel.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "netprobe.h"

#define AF_INET		2
#define AF_INET6	10
#define E2BIG		7

char LICENSE[] SEC("license") = "GPL";

/* port (host order) -> slot 0..NP_MAX_PORTS-1; written by user space at any time. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NP_MAX_PORTS);
	__type(key, __u16);
	__type(value, __u32);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NP_HIST_ENTRIES);
	__type(key, __u32);
	__type(value, struct np_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NP_TRAFFIC_ENTRIES);
	__type(key, __u32);
	__type(value, struct np_traffic);
} traffic SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NP_NDROP);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/*
 * Per-socket state, deleted when used and when the socket is destroyed
 * (inet_sock_destruct), so entries live no longer than their socket. Plain
 * hash maps rather than LRU: a full map refuses the new entry, and that is
 * counted in "drops" instead of silently evicting somebody else's state.
 */
struct {	/* socket -> arrival time of its oldest unread data */
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NP_PENDING_MAX);
	__type(key, __u64);
	__type(value, __u64);
} pending SEC(".maps");

struct {	/* socket -> time its SYN was sent */
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NP_CONNECTING_MAX);
	__type(key, __u64);
	__type(value, __u64);
} connecting SEC(".maps");

/* kprobe fallback only: the socket argument kept from entry to return. */
struct inflight_key {
	__u64 pid_tgid;
	__u32 hook;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NP_INFLIGHT_MAX);
	__type(key, struct inflight_key);
	__type(value, __u64);
} inflight SEC(".maps");

enum inflight_hook {
	IH_TCP_RECV, IH_TCP_SEND, IH_UDP_RECV, IH_UDP_SEND, IH_UDP6_RECV, IH_UDP6_SEND,
};

static __always_inline void count_drop(__u32 reason)
{
	__u64 *v = bpf_map_lookup_elem(&drops, &reason);

	if (v)
		*v += 1;
}

/*
 * Socket fields: fentry/fexit programs get typed (BTF) pointers and load
 * fields directly; kprobes only have addresses and must go through
 * bpf_probe_read_kernel(). Both are CO-RE relocated. "btf" is a constant
 * in every caller, so each program keeps only its own branch.
 */
#define SK_READ(btf, sk, field) ((btf) ? (sk)->field : BPF_CORE_READ(sk, field))

/* Watched slot of a socket: its local port if watched, else its remote port. */
static __always_inline __u32 port_slot(struct sock *sk, bool btf)
{
	__u16 port = SK_READ(btf, sk, __sk_common.skc_num);
	__u32 *slot = bpf_map_lookup_elem(&ports, &port);

	if (!slot) {
		port = bpf_ntohs(SK_READ(btf, sk, __sk_common.skc_dport));
		slot = bpf_map_lookup_elem(&ports, &port);
	}
	if (slot && *slot < NP_MAX_PORTS)
		return *slot;
	return NP_PORT_OTHER;
}

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r, s;

	r = (v > 0xffffffffULL) << 5; v >>= r;
	s = (v > 0xffff) << 4; v >>= s; r |= s;
	s = (v > 0xff) << 3; v >>= s; r |= s;
	s = (v > 0xf) << 2; v >>= s; r |= s;
	s = (v > 0x3) << 1; v >>= s; r |= s;
	return r | (__u32)(v >> 1);
}

static __always_inline void hist_add(__u32 proto, __u32 metric, __u32 port, __u64 ns)
{
	__u32 key = NP_HIST_KEY(proto, metric, port);
	struct np_hist *h = bpf_map_lookup_elem(&hists, &key);
	__u64 us = ns / 1000;
	__u32 slot = us ? log2_u64(us) + 1 : 0;

	if (!h)
		return;
	if (slot >= NP_HIST_FINITE)
		slot = NP_HIST_SLOTS - 1;
	/* Keep the compiler from dropping the bound the verifier needs. */
	barrier_var(slot);
	if (slot >= NP_HIST_SLOTS)
		return;
	/*
	 * Per-CPU values and each slot written by one program: plain adds are
	 * enough (no atomics on the hot path).
	 */
	h->slots[slot] += 1;
	h->sum_ns += ns;
}

static __always_inline void traffic_add(__u32 proto, __u32 port, int rx, int bytes)
{
	__u32 key = NP_TRAFFIC_KEY(proto, port);
	struct np_traffic *t = bpf_map_lookup_elem(&traffic, &key);

	if (!t)
		return;
	if (rx) {
		t->rx_msgs += 1;
		t->rx_bytes += bytes;
	} else {
		t->tx_msgs += 1;
		t->tx_bytes += bytes;
	}
}

/* --- handlers shared by both program flavours ------------------------- */

/*
 * tcp_ack_update_rtt(sk, flag, seq_rtt_us, sack_rtt_us, ...) receives the raw
 * sample before it is smoothed into srtt: the one tcp_rtt_estimator() gets,
 * except for samples taken from the timestamp echo when neither is valid.
 */
static __always_inline void on_rtt(struct sock *sk, long seq_rtt_us, long sack_rtt_us, bool btf)
{
	long rtt = seq_rtt_us >= 0 ? seq_rtt_us : sack_rtt_us;

	if (rtt < 0)
		return;
	hist_add(NP_PROTO_TCP, NP_METRIC_RTT, port_slot(sk, btf), (__u64)rtt * 1000);
}

/*
 * sock_def_readable() is the sk_data_ready callback that wakes readers when
 * data is queued on a TCP or UDP socket: remember when unread data first
 * arrived. Listening sockets call it for new connections, not data.
 */
static __always_inline void on_data_ready(struct sock *sk, bool btf)
{
	__u16 family = SK_READ(btf, sk, __sk_common.skc_family);
	__u16 proto = SK_READ(btf, sk, sk_protocol);
	__u64 key = (__u64)sk, now;

	if (family != AF_INET && family != AF_INET6)
		return;
	if (proto == IPPROTO_TCP) {
		if (SK_READ(btf, sk, __sk_common.skc_state) == 10 /* TCP_LISTEN */)
			return;
	} else if (proto != IPPROTO_UDP) {
		return;
	}
	now = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&pending, &key, &now, BPF_NOEXIST) == -E2BIG)
		count_drop(NP_DROP_PENDING_FULL);
}

static __always_inline void on_recv_done(struct sock *sk, __u32 proto, int ret, bool btf)
{
	__u64 key = (__u64)sk, *ts;
	__u32 port;

	if (ret <= 0)
		return;
	port = port_slot(sk, btf);
	traffic_add(proto, port, 1, ret);
	ts = bpf_map_lookup_elem(&pending, &key);
	if (!ts)
		return;
	hist_add(proto, NP_METRIC_DELIVERY, port, bpf_ktime_get_ns() - *ts);
	bpf_map_delete_elem(&pending, &key);
}

static __always_inline void on_send_done(struct sock *sk, __u32 proto, int ret, bool btf)
{
	if (ret > 0)
		traffic_add(proto, port_slot(sk, btf), 0, ret);
}

/* udpv6_sendmsg() hands IPv4-mapped destinations to udp_sendmsg(): count once. */
static __always_inline void on_udp4_send_done(struct sock *sk, int ret, bool btf)
{
	if (SK_READ(btf, sk, __sk_common.skc_family) == AF_INET)
		on_send_done(sk, NP_PROTO_UDP, ret, btf);
}

static __always_inline void on_connect(struct sock *sk)
{
	__u64 key = (__u64)sk, now = bpf_ktime_get_ns();

	if (bpf_map_update_elem(&connecting, &key, &now, BPF_ANY) == -E2BIG)
		count_drop(NP_DROP_CONNECT_FULL);
}

static __always_inline void on_connected(struct sock *sk, bool btf)
{
	__u64 key = (__u64)sk, *ts = bpf_map_lookup_elem(&connecting, &key);

	if (!ts)
		return;
	hist_add(NP_PROTO_TCP, NP_METRIC_CONNECT, port_slot(sk, btf), bpf_ktime_get_ns() - *ts);
	bpf_map_delete_elem(&connecting, &key);
}

static __always_inline void on_destruct(struct sock *sk)
{
	__u64 key = (__u64)sk;

	bpf_map_delete_elem(&pending, &key);
	bpf_map_delete_elem(&connecting, &key);
}

/* --- fentry / fexit flavour ------------------------------------------- */

SEC("fentry/tcp_ack_update_rtt")
int BPF_PROG(fentry_tcp_rtt, struct sock *sk, int flag, long seq_rtt_us, long sack_rtt_us)
{
	on_rtt(sk, seq_rtt_us, sack_rtt_us, true);
	return 0;
}

SEC("fentry/sock_def_readable")
int BPF_PROG(fentry_data_ready, struct sock *sk)
{
	on_data_ready(sk, true);
	return 0;
}

SEC("fexit/tcp_recvmsg")
int BPF_PROG(fexit_tcp_recvmsg, struct sock *sk, struct msghdr *msg, size_t len,
	     int flags, int *addr_len, int ret)
{
	on_recv_done(sk, NP_PROTO_TCP, ret, true);
	return 0;
}

SEC("fexit/tcp_sendmsg")
int BPF_PROG(fexit_tcp_sendmsg, struct sock *sk, struct msghdr *msg, size_t size, int ret)
{
	on_send_done(sk, NP_PROTO_TCP, ret, true);
	return 0;
}

SEC("fexit/udp_recvmsg")
int BPF_PROG(fexit_udp_recvmsg, struct sock *sk, struct msghdr *msg, size_t len,
	     int flags, int *addr_len, int ret)
{
	on_recv_done(sk, NP_PROTO_UDP, ret, true);
	return 0;
}

SEC("fexit/udp_sendmsg")
int BPF_PROG(fexit_udp_sendmsg, struct sock *sk, struct msghdr *msg, size_t len, int ret)
{
	on_udp4_send_done(sk, ret, true);
	return 0;
}

SEC("fexit/udpv6_recvmsg")
int BPF_PROG(fexit_udpv6_recvmsg, struct sock *sk, struct msghdr *msg, size_t len,
	     int flags, int *addr_len, int ret)
{
	on_recv_done(sk, NP_PROTO_UDP, ret, true);
	return 0;
}

SEC("fexit/udpv6_sendmsg")
int BPF_PROG(fexit_udpv6_sendmsg, struct sock *sk, struct msghdr *msg, size_t len, int ret)
{
	on_send_done(sk, NP_PROTO_UDP, ret, true);
	return 0;
}

SEC("fentry/tcp_connect")
int BPF_PROG(fentry_tcp_connect, struct sock *sk)
{
	on_connect(sk);
	return 0;
}

SEC("fentry/tcp_finish_connect")
int BPF_PROG(fentry_tcp_finish_connect, struct sock *sk)
{
	on_connected(sk, true);
	return 0;
}

SEC("fentry/inet_sock_destruct")
int BPF_PROG(fentry_sock_destruct, struct sock *sk)
{
	on_destruct(sk);
	return 0;
}

/* --- kprobe / kretprobe flavour (fallback) ---------------------------- */

static __always_inline void inflight_save(__u32 hook, struct sock *sk)
{
	struct inflight_key key = { .pid_tgid = bpf_get_current_pid_tgid(), .hook = hook };
	__u64 val = (__u64)sk;

	if (bpf_map_update_elem(&inflight, &key, &val, BPF_ANY) == -E2BIG)
		count_drop(NP_DROP_INFLIGHT_FULL);
}

static __always_inline struct sock *inflight_take(__u32 hook)
{
	struct inflight_key key = { .pid_tgid = bpf_get_current_pid_tgid(), .hook = hook };
	__u64 *val = bpf_map_lookup_elem(&inflight, &key);
	struct sock *sk;

	if (!val)
		return NULL;
	sk = (struct sock *)*val;
	bpf_map_delete_elem(&inflight, &key);
	return sk;
}

SEC("kprobe/tcp_ack_update_rtt")
int BPF_KPROBE(kprobe_tcp_rtt, struct sock *sk, int flag, long seq_rtt_us, long sack_rtt_us)
{
	on_rtt(sk, seq_rtt_us, sack_rtt_us, false);
	return 0;
}

SEC("kprobe/sock_def_readable")
int BPF_KPROBE(kprobe_data_ready, struct sock *sk)
{
	on_data_ready(sk, false);
	return 0;
}

#define KPROBE_PAIR(fn, hook, done)					\
SEC("kprobe/" #fn)							\
int BPF_KPROBE(kprobe_##fn, struct sock *sk)				\
{									\
	inflight_save(hook, sk);					\
	return 0;							\
}									\
SEC("kretprobe/" #fn)							\
int BPF_KRETPROBE(kretprobe_##fn, int ret)				\
{									\
	struct sock *sk = inflight_take(hook);				\
									\
	if (sk)								\
		done;							\
	return 0;							\
}

KPROBE_PAIR(tcp_recvmsg, IH_TCP_RECV, on_recv_done(sk, NP_PROTO_TCP, ret, false))
KPROBE_PAIR(tcp_sendmsg, IH_TCP_SEND, on_send_done(sk, NP_PROTO_TCP, ret, false))
KPROBE_PAIR(udp_recvmsg, IH_UDP_RECV, on_recv_done(sk, NP_PROTO_UDP, ret, false))
KPROBE_PAIR(udp_sendmsg, IH_UDP_SEND, on_udp4_send_done(sk, ret, false))
KPROBE_PAIR(udpv6_recvmsg, IH_UDP6_RECV, on_recv_done(sk, NP_PROTO_UDP, ret, false))
KPROBE_PAIR(udpv6_sendmsg, IH_UDP6_SEND, on_send_done(sk, NP_PROTO_UDP, ret, false))

SEC("kprobe/tcp_connect")
int BPF_KPROBE(kprobe_tcp_connect, struct sock *sk)
{
	on_connect(sk);
	return 0;
}

SEC("kprobe/tcp_finish_connect")
int BPF_KPROBE(kprobe_tcp_finish_connect, struct sock *sk)
{
	on_connected(sk, false);
	return 0;
}

SEC("kprobe/inet_sock_destruct")
int BPF_KPROBE(kprobe_sock_destruct, struct sock *sk)
{
	on_destruct(sk);
	return 0;
}
