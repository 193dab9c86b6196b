// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon network probes: TCP RTT, delivery latency (arrival at the socket to
 * application read), TCP connect latency and traffic counters, per protocol
 * and watched port, aggregated in kernel into per-CPU native histograms of
 * seconds (exact Prometheus buckets, Documentation/native-histograms.md).
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
#include "nhist_bpf.h"

#define AF_INET		2
#define AF_INET6	10
#define E2BIG		7
#define EEXIST		17

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
 * Per-socket state (struct np_sk_state). The fentry/fexit flavour keeps it
 * in socket storage: the kernel frees it with the socket, so there is no
 * destruct hook, no pointer key and no size limit (an allocation can still
 * fail against the socket's optmem limit; that is counted as a drop). The
 * kprobe flavour cannot call bpf_sk_storage_get() (kprobe programs are not
 * offered that helper on any kernel up to at least 6.12), so it uses a
 * bounded hash keyed by the socket's address, whose entries are removed in
 * inet_sock_destruct(); a full map refuses new sockets, counted in "drops".
 * The loader sets state_in_hash when any hook that shares this state runs
 * as a kprobe, so that every program of the load uses the same store.
 */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct np_sk_state);
} sk_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NP_STATE_MAX);
	__type(key, __u64);
	__type(value, struct np_sk_state);
} sk_state_hash SEC(".maps");

/* Set by the loader (userspace/lib/netprobe/hooks.c) before load. */
const volatile bool state_in_hash;
/* Positions of the arguments read besides the socket (enum np_arg), from BTF. */
const volatile __u32 arg_pos[NP_NARG] = { 3, 3, 3, 2, 3 };

/* kprobe fallback only: the arguments kept from entry to return. */
struct inflight_key {
	__u64 pid_tgid;
	__u32 hook;
	__u32 pad;
};

struct inflight_args {
	__u64 sk;
	__u64 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NP_INFLIGHT_MAX);
	__type(key, struct inflight_key);
	__type(value, struct inflight_args);
} inflight SEC(".maps");

enum inflight_hook {
	IH_TCP_RECV, IH_TCP_SEND, IH_UDP_RECV, IH_UDP_SEND, IH_UDP6_RECV, IH_UDP6_SEND,
};

#define MSG_PEEK	0x2
#define MSG_ERRQUEUE	0x2000

/*
 * Counters are per-CPU, but two programs can still interleave on one CPU:
 * fentry/fexit programs run with migration disabled, not preemption, so
 * under a preemptible kernel (CONFIG_PREEMPT, or preempt=full) a task can
 * be preempted between the load and the store of a "+=" by another task
 * running a program that adds to the same value (udp_recvmsg and
 * udpv6_recvmsg write the same keys, and every program can preempt itself
 * in another task), and softirq programs interrupt process-context ones.
 * Atomic adds make every update count; on a per-CPU value they cost one
 * locked instruction on an uncontended cache line.
 */
static __always_inline void count_drop(__u32 reason)
{
	__u64 *v = bpf_map_lookup_elem(&drops, &reason);

	if (v)
		__sync_fetch_and_add(v, 1);
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

static __always_inline void hist_add(__u32 proto, __u32 metric, __u32 port, __u64 ns)
{
	__u32 key = NP_HIST_KEY(proto, metric, port);
	struct np_hist *h = bpf_map_lookup_elem(&hists, &key);
	__u32 slot = native_slot(ns);

	if (!h)
		return;
	/* Keep the compiler from dropping the bound the verifier needs
	 * (never taken: the slots reach the bucket of 2^64 - 1 ns). */
	barrier_var(slot);
	if (slot >= NP_HIST_SLOTS)
		return;
	/* Atomic: see count_drop(). Slot and sum are two separate adds. */
	__sync_fetch_and_add(&h->slots[slot], 1);
	__sync_fetch_and_add(&h->sum_ns, ns);
}

static __always_inline void traffic_add(__u32 proto, __u32 port, int rx, int bytes)
{
	__u32 key = NP_TRAFFIC_KEY(proto, port);
	struct np_traffic *t = bpf_map_lookup_elem(&traffic, &key);

	if (!t)
		return;
	if (rx) {
		__sync_fetch_and_add(&t->rx_msgs, 1);
		__sync_fetch_and_add(&t->rx_bytes, bytes);
	} else {
		__sync_fetch_and_add(&t->tx_msgs, 1);
		__sync_fetch_and_add(&t->tx_bytes, bytes);
	}
}

/* --- per-socket state ------------------------------------------------- */

/*
 * The state of a socket, created if asked. Socket storage is only offered
 * to BTF-typed (fentry/fexit/tp_btf) programs, so "btf" programs use it
 * unless the loader put every program on the hash (state_in_hash).
 */
static __always_inline struct np_sk_state *state_get(struct sock *sk, bool btf, bool create,
						     __u32 full_reason)
{
	static const struct np_sk_state zero;
	__u64 key = (__u64)sk;
	struct np_sk_state *st;
	long err;

	if (btf && !state_in_hash) {
		st = bpf_sk_storage_get(&sk_state, sk, NULL,
					create ? BPF_SK_STORAGE_GET_F_CREATE : 0);
		if (!st && create)
			count_drop(full_reason);
		return st;
	}
	st = bpf_map_lookup_elem(&sk_state_hash, &key);
	if (st || !create)
		return st;
	err = bpf_map_update_elem(&sk_state_hash, &key, &zero, BPF_NOEXIST);
	if (err && err != -EEXIST) {
		count_drop(full_reason);
		return NULL;
	}
	return bpf_map_lookup_elem(&sk_state_hash, &key);
}

/* a - b as a signed distance: sequence numbers and counters wrap. */
static __always_inline __s32 seq_diff(__u32 a, __u32 b)
{
	return (__s32)(a - b);
}

/* Forget the arrivals whose data is all consumed (up to "pos"). */
static __always_inline void arrivals_drop_upto(struct np_sk_state *st, __u32 pos)
{
	for (int i = 0; i < NP_ARRIVALS; i++) {
		__u32 head = st->head;

		if (head == st->tail || seq_diff(st->arrivals[head % NP_ARRIVALS].end, pos) > 0)
			break;
		st->head = head + 1;
	}
}

/* Data up to "end" has arrived by "now". */
static __always_inline void arrivals_push(struct np_sk_state *st, __u32 end, __u64 now)
{
	__u32 tail = st->tail;

	if (tail != st->head) {
		struct np_arrival *last = &st->arrivals[(tail - 1) % NP_ARRIVALS];

		if (seq_diff(end, last->end) <= 0)
			return;		/* nothing new (a wake-up without data) */
		if (tail - st->head >= NP_ARRIVALS) {
			last->end = end;	/* full: the newest entry grows */
			return;
		}
	}
	st->arrivals[tail % NP_ARRIVALS].end = end;
	st->arrivals[tail % NP_ARRIVALS].ns = now;
	st->tail = tail + 1;
}

/* Arrival time of the oldest unread data, 0 if none is known. */
static __always_inline __u64 arrivals_oldest(struct np_sk_state *st)
{
	if (st->head == st->tail)
		return 0;
	return st->arrivals[st->head % NP_ARRIVALS].ns;
}

/* Datagrams queued and not yet read (UDP keeps two queues). */
static __always_inline __u32 udp_unread(struct sock *sk)
{
	struct udp_sock *up = (struct udp_sock *)sk;

	return BPF_CORE_READ(sk, sk_receive_queue.qlen) + BPF_CORE_READ(up, reader_queue.qlen);
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
 * data is queued on a TCP or UDP socket: record that the data queued so
 * far (TCP: up to rcv_nxt; UDP: the datagrams now in the queues) has
 * arrived. Listening sockets call it for new connections, not data.
 */
static __always_inline void on_data_ready(struct sock *sk, bool btf)
{
	__u16 family = SK_READ(btf, sk, __sk_common.skc_family);
	__u16 proto = SK_READ(btf, sk, sk_protocol);
	struct np_sk_state *st;
	__u32 end;

	if (family != AF_INET && family != AF_INET6)
		return;
	if (proto == IPPROTO_TCP) {
		if (SK_READ(btf, sk, __sk_common.skc_state) == 10 /* TCP_LISTEN */)
			return;
	} else if (proto != IPPROTO_UDP) {
		return;
	}
	st = state_get(sk, btf, true, NP_DROP_PENDING_FULL);
	if (!st)
		return;
	if (proto == IPPROTO_TCP) {
		struct tcp_sock *tp = (struct tcp_sock *)sk;
		__u32 copied = BPF_CORE_READ(tp, copied_seq);

		if (st->head == st->tail)
			st->consumed = copied;
		/* Data consumed without recvmsg (splice, tcp_read_sock, sockmap). */
		arrivals_drop_upto(st, copied);
		end = BPF_CORE_READ(tp, rcv_nxt);
	} else {
		end = st->consumed + udp_unread(sk);
	}
	arrivals_push(st, end, bpf_ktime_get_ns());
}

/*
 * A receive call returned: one observation of how long the first byte it
 * returned had waited, then forget what it consumed. Peeks and error-queue
 * reads consume nothing and are neither observations nor traffic.
 */
static __always_inline void on_recv_done(struct sock *sk, __u32 proto, long ret, __u64 flags,
					 bool btf)
{
	struct np_sk_state *st;
	__u32 port, first, done;
	__u64 arrived;

	if (ret <= 0 || (flags & (MSG_PEEK | MSG_ERRQUEUE)))
		return;
	port = port_slot(sk, btf);
	traffic_add(proto, port, 1, ret);
	st = state_get(sk, btf, false, 0);
	if (!st)
		return;
	if (proto == NP_PROTO_TCP) {
		done = BPF_CORE_READ((struct tcp_sock *)sk, copied_seq);
		first = done - (__u32)ret;
	} else {
		/*
		 * One datagram per call. Datagrams that left the queue without
		 * a read we saw (checksum errors dropped by this same call,
		 * sockmap) are older than the one returned: skip them.
		 */
		__u32 unread = udp_unread(sk);

		first = st->consumed;
		if (st->head != st->tail) {
			__u32 newest = st->arrivals[(st->tail - 1) % NP_ARRIVALS].end;

			if (seq_diff(newest - unread - 1, first) > 0)
				first = newest - unread - 1;
		}
		done = first + 1;
	}
	arrivals_drop_upto(st, first);
	arrived = arrivals_oldest(st);
	if (arrived)
		hist_add(proto, NP_METRIC_DELIVERY, port, bpf_ktime_get_ns() - arrived);
	arrivals_drop_upto(st, done);
	st->consumed = done;
}

static __always_inline void on_send_done(struct sock *sk, __u32 proto, long ret, bool btf)
{
	if (ret > 0)
		traffic_add(proto, port_slot(sk, btf), 0, ret);
}

/* udpv6_sendmsg() hands IPv4-mapped destinations to udp_sendmsg(): count once. */
static __always_inline void on_udp4_send_done(struct sock *sk, long ret, bool btf)
{
	if (SK_READ(btf, sk, __sk_common.skc_family) == AF_INET)
		on_send_done(sk, NP_PROTO_UDP, ret, btf);
}

static __always_inline void on_connect(struct sock *sk, bool btf)
{
	struct np_sk_state *st = state_get(sk, btf, true, NP_DROP_CONNECT_FULL);

	if (st)
		st->syn_ns = bpf_ktime_get_ns();
}

static __always_inline void on_connected(struct sock *sk, bool btf)
{
	struct np_sk_state *st = state_get(sk, btf, false, 0);

	if (!st || !st->syn_ns)
		return;
	hist_add(NP_PROTO_TCP, NP_METRIC_CONNECT, port_slot(sk, btf),
		 bpf_ktime_get_ns() - st->syn_ns);
	st->syn_ns = 0;
}

/* --- fentry / fexit flavour ------------------------------------------- */

/*
 * The fexit programs name only their first argument (the socket, the same
 * in every kernel) and read the return value with bpf_get_func_ret() and
 * "flags" with bpf_get_func_arg() at the position the loader found in the
 * kernel's BTF: a function that gains or loses an argument upstream (as
 * tcp_recvmsg() did) still verifies and reads the right values.
 */
static __always_inline long fexit_ret(void *ctx)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return (long)(int)ret;
}

static __always_inline __u64 fexit_arg(void *ctx, __u32 n)
{
	__u64 v = 0;

	bpf_get_func_arg(ctx, n, &v);
	return v;
}

SEC("fentry/tcp_ack_update_rtt")
int BPF_PROG(fentry_tcp_rtt, struct sock *sk)
{
	on_rtt(sk, (long)fexit_arg(ctx, arg_pos[NP_ARG_RTT_SEQ]),
	       (long)fexit_arg(ctx, arg_pos[NP_ARG_RTT_SACK]), true);
	return 0;
}

SEC("fentry/sock_def_readable")
int BPF_PROG(fentry_data_ready, struct sock *sk)
{
	on_data_ready(sk, true);
	return 0;
}

SEC("fexit/tcp_recvmsg")
int BPF_PROG(fexit_tcp_recvmsg, struct sock *sk)
{
	on_recv_done(sk, NP_PROTO_TCP, fexit_ret(ctx),
		     fexit_arg(ctx, arg_pos[NP_ARG_TCP_RECV_FLAGS]), true);
	return 0;
}

SEC("fexit/tcp_sendmsg")
int BPF_PROG(fexit_tcp_sendmsg, struct sock *sk)
{
	on_send_done(sk, NP_PROTO_TCP, fexit_ret(ctx), true);
	return 0;
}

SEC("fexit/udp_recvmsg")
int BPF_PROG(fexit_udp_recvmsg, struct sock *sk)
{
	on_recv_done(sk, NP_PROTO_UDP, fexit_ret(ctx),
		     fexit_arg(ctx, arg_pos[NP_ARG_UDP_RECV_FLAGS]), true);
	return 0;
}

SEC("fexit/udp_sendmsg")
int BPF_PROG(fexit_udp_sendmsg, struct sock *sk)
{
	on_udp4_send_done(sk, fexit_ret(ctx), true);
	return 0;
}

SEC("fexit/udpv6_recvmsg")
int BPF_PROG(fexit_udpv6_recvmsg, struct sock *sk)
{
	on_recv_done(sk, NP_PROTO_UDP, fexit_ret(ctx),
		     fexit_arg(ctx, arg_pos[NP_ARG_UDP6_RECV_FLAGS]), true);
	return 0;
}

SEC("fexit/udpv6_sendmsg")
int BPF_PROG(fexit_udpv6_sendmsg, struct sock *sk)
{
	on_send_done(sk, NP_PROTO_UDP, fexit_ret(ctx), true);
	return 0;
}

SEC("fentry/tcp_connect")
int BPF_PROG(fentry_tcp_connect, struct sock *sk)
{
	on_connect(sk, true);
	return 0;
}

SEC("fentry/tcp_finish_connect")
int BPF_PROG(fentry_tcp_finish_connect, struct sock *sk)
{
	on_connected(sk, true);
	return 0;
}

/* Only needed while state lives in the hash (state_in_hash). */
SEC("fentry/inet_sock_destruct")
int BPF_PROG(fentry_sock_destruct, struct sock *sk)
{
	__u64 key = (__u64)sk;

	bpf_map_delete_elem(&sk_state_hash, &key);
	return 0;
}

/* --- kprobe / kretprobe flavour (fallback) ---------------------------- */

/*
 * Argument n (known only at load time) of a kprobed function. The _CORE
 * variants read through bpf_probe_read_kernel(): the compiler turns a
 * switch over direct context loads into a computed context offset, which
 * the verifier refuses.
 */
static __always_inline __u64 kprobe_arg(struct pt_regs *ctx, __u32 n)
{
	switch (n) {
	case 0: return PT_REGS_PARM1_CORE(ctx);
	case 1: return PT_REGS_PARM2_CORE(ctx);
	case 2: return PT_REGS_PARM3_CORE(ctx);
	case 3: return PT_REGS_PARM4_CORE(ctx);
	case 4: return PT_REGS_PARM5_CORE(ctx);
	default: return 0;
	}
}

static __always_inline void inflight_save(__u32 hook, struct sock *sk, __u64 flags)
{
	struct inflight_key key = { .pid_tgid = bpf_get_current_pid_tgid(), .hook = hook };
	struct inflight_args val = { .sk = (__u64)sk, .flags = flags };

	if (bpf_map_update_elem(&inflight, &key, &val, BPF_ANY) == -E2BIG)
		count_drop(NP_DROP_INFLIGHT_FULL);
}

static __always_inline struct sock *inflight_take(__u32 hook, __u64 *flags)
{
	struct inflight_key key = { .pid_tgid = bpf_get_current_pid_tgid(), .hook = hook };
	struct inflight_args *val = bpf_map_lookup_elem(&inflight, &key);
	struct sock *sk;

	if (!val)
		return NULL;
	sk = (struct sock *)val->sk;
	*flags = val->flags;
	bpf_map_delete_elem(&inflight, &key);
	return sk;
}

SEC("kprobe/tcp_ack_update_rtt")
int BPF_KPROBE(kprobe_tcp_rtt, struct sock *sk)
{
	on_rtt(sk, (long)kprobe_arg(ctx, arg_pos[NP_ARG_RTT_SEQ]),
	       (long)kprobe_arg(ctx, arg_pos[NP_ARG_RTT_SACK]), false);
	return 0;
}

SEC("kprobe/sock_def_readable")
int BPF_KPROBE(kprobe_data_ready, struct sock *sk)
{
	on_data_ready(sk, false);
	return 0;
}

/* flags_arg: position of "flags" (receive hooks), or -1 when not needed. */
#define KPROBE_PAIR(fn, hook, flags_arg, done)				\
SEC("kprobe/" #fn)							\
int BPF_KPROBE(kprobe_##fn, struct sock *sk)				\
{									\
	inflight_save(hook, sk, (flags_arg) >= 0 ?			\
		      kprobe_arg(ctx, (flags_arg)) : 0);		\
	return 0;							\
}									\
SEC("kretprobe/" #fn)							\
int BPF_KRETPROBE(kretprobe_##fn, int ret)				\
{									\
	__u64 flags = 0;						\
	struct sock *sk = inflight_take(hook, &flags);			\
									\
	if (sk)								\
		done;							\
	return 0;							\
}

KPROBE_PAIR(tcp_recvmsg, IH_TCP_RECV, (int)arg_pos[NP_ARG_TCP_RECV_FLAGS],
	    on_recv_done(sk, NP_PROTO_TCP, ret, flags, false))
KPROBE_PAIR(tcp_sendmsg, IH_TCP_SEND, -1, on_send_done(sk, NP_PROTO_TCP, ret, false))
KPROBE_PAIR(udp_recvmsg, IH_UDP_RECV, (int)arg_pos[NP_ARG_UDP_RECV_FLAGS],
	    on_recv_done(sk, NP_PROTO_UDP, ret, flags, false))
KPROBE_PAIR(udp_sendmsg, IH_UDP_SEND, -1, on_udp4_send_done(sk, ret, false))
KPROBE_PAIR(udpv6_recvmsg, IH_UDP6_RECV, (int)arg_pos[NP_ARG_UDP6_RECV_FLAGS],
	    on_recv_done(sk, NP_PROTO_UDP, ret, flags, false))
KPROBE_PAIR(udpv6_sendmsg, IH_UDP6_SEND, -1, on_send_done(sk, NP_PROTO_UDP, ret, false))

SEC("kprobe/tcp_connect")
int BPF_KPROBE(kprobe_tcp_connect, struct sock *sk)
{
	on_connect(sk, false);
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
	__u64 key = (__u64)sk;

	bpf_map_delete_elem(&sk_state_hash, &key);
	return 0;
}
