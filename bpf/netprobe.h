/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The layout shared by the network probes (netprobe.bpf.c) and their reader
 * (userspace/lib/netprobe/): map keys, value structs and limits. Both sides
 * include this file; it uses only fixed-size __u* types so that it means the
 * same thing to clang -target bpf and to the host compiler.
 */
#ifndef BCMON_BPF_NETPROBE_H
#define BCMON_BPF_NETPROBE_H

/* Watched ports: at most NP_MAX_PORTS; everything else counts as "other". */
#define NP_MAX_PORTS	16
#define NP_PORT_OTHER	NP_MAX_PORTS
#define NP_PORT_SLOTS	(NP_MAX_PORTS + 1)

/*
 * Native histogram of seconds (Documentation/native-histograms.md) at
 * schema NP_SCHEMA, from nanoseconds (scale -9): slot 0 is the zero bucket,
 * at most NP_ZERO_NS ns = 2^NP_ZERO_EXP s (a bucket boundary); slot i >= 1
 * is the native bucket with index NP_INDEX_MIN + i - 1, which holds the
 * values x with 2^((index-1)/8) < x <= 2^(index/8) seconds. The last slot
 * is the bucket of 2^64 - 1 ns: every value has its exact bucket, none is
 * clamped or dropped.
 */
#define NP_SCHEMA	3
#define NP_ZERO_EXP	(-20)
#define NP_ZERO_NS	953			/* floor(2^-20 s in ns) */
#define NP_INDEX_MIN	(NP_ZERO_EXP * (1 << NP_SCHEMA) + 1)	/* -159 */
#define NP_INDEX_MAX	273			/* bucket of 2^64 - 1 ns */
#define NP_HIST_SLOTS	(NP_INDEX_MAX - NP_INDEX_MIN + 2)

enum np_proto {
	NP_PROTO_TCP,
	NP_PROTO_UDP,
	NP_NPROTO,
};

enum np_metric {
	NP_METRIC_RTT,		/* TCP round-trip time, one per kernel RTT sample */
	NP_METRIC_DELIVERY,	/* data arrival at the socket to application read */
	NP_METRIC_CONNECT,	/* TCP SYN sent to established (outgoing) */
	NP_NMETRIC,
};

/* Reasons an event could not be tracked: no room for its state. */
enum np_drop {
	NP_DROP_PENDING_FULL,	/* delivery: no room to remember an arrival */
	NP_DROP_CONNECT_FULL,	/* connect: no room to remember a SYN */
	NP_DROP_INFLIGHT_FULL,	/* kprobe fallback: no room for call arguments */
	NP_NDROP,
};

/*
 * Per-socket state. Arrivals: a ring of (end, time) pairs, oldest first;
 * entry i says that the data up to "end" (TCP: a sequence number, UDP: a
 * count of datagrams) had arrived at "ns", so the unread data between the
 * previous entry's end and this one arrived then. "consumed" is where
 * reading has got to in the same units. A full ring extends its newest
 * entry (keeping that entry's older time), so only data that arrived
 * while NP_ARRIVALS earlier arrivals were still unread can be reported as
 * older than it is, never younger.
 */
#define NP_ARRIVALS	16

struct np_arrival {
	__u32 end;
	__u32 pad;
	__u64 ns;
};

struct np_sk_state {
	__u64 syn_ns;		/* tcp_connect() time; 0: no connect pending */
	__u32 consumed;		/* TCP: copied_seq seen last; UDP: datagrams read */
	__u32 head;		/* arrivals[head % NP_ARRIVALS] is the oldest */
	__u32 tail;		/* one past the newest; head == tail: none */
	__u32 pad;
	struct np_arrival arrivals[NP_ARRIVALS];
};

/*
 * Arguments (besides the socket, always the first) that programs read,
 * located by name in the kernel's BTF by the loader, which hands their
 * positions to the programs (rodata arg_pos[]).
 */
enum np_arg {
	NP_ARG_TCP_RECV_FLAGS,	/* tcp_recvmsg(): "flags" */
	NP_ARG_UDP_RECV_FLAGS,	/* udp_recvmsg(): "flags" */
	NP_ARG_UDP6_RECV_FLAGS,	/* udpv6_recvmsg(): "flags" */
	NP_ARG_RTT_SEQ,		/* tcp_ack_update_rtt(): "seq_rtt_us" */
	NP_ARG_RTT_SACK,	/* tcp_ack_update_rtt(): "sack_rtt_us" */
	NP_NARG,
};

struct np_hist {
	__u64 slots[NP_HIST_SLOTS];
	__u64 sum_ns;		/* exact sum of the recorded values */
};

struct np_traffic {
	__u64 tx_msgs;
	__u64 tx_bytes;
	__u64 rx_msgs;
	__u64 rx_bytes;
};

/* Index into the "hists" per-CPU array. */
#define NP_HIST_KEY(proto, metric, port) \
	(((proto) * NP_NMETRIC + (metric)) * NP_PORT_SLOTS + (port))
#define NP_HIST_ENTRIES		(NP_NPROTO * NP_NMETRIC * NP_PORT_SLOTS)
/* Index into the "traffic" per-CPU array. */
#define NP_TRAFFIC_KEY(proto, port)	((proto) * NP_PORT_SLOTS + (port))
#define NP_TRAFFIC_ENTRIES	(NP_NPROTO * NP_PORT_SLOTS)

/*
 * Sizes of the kprobe flavour's bounded maps (the fentry flavour keeps
 * per-socket state in socket storage, which has no size limit).
 */
#define NP_STATE_MAX		8192
#define NP_INFLIGHT_MAX		4096

#endif /* BCMON_BPF_NETPROBE_H */
