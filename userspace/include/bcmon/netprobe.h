/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbcmon-net: load, attach and read bcmon's eBPF network probes.
 *
 * What is measured, per protocol (tcp, udp) and per watched port (at most
 * BCMON_NET_MAX_PORTS, everything else as "other"):
 *   - rtt:      TCP round-trip time, one observation per RTT sample the
 *               kernel takes (tcp only);
 *   - delivery: time from data arriving at a socket to the application
 *               reading it (tcp and udp);
 *   - connect:  TCP connect latency, SYN sent to established (outgoing);
 *   - traffic:  messages (send/receive calls that moved data) and bytes.
 * A connection counts for a watched port when its local port is watched,
 * otherwise when its remote port is.
 *
 * Histograms are native histograms of seconds (Prometheus' exponential
 * buckets, Documentation/native-histograms.md) at schema
 * BCMON_NET_HIST_SCHEMA, binned exactly in the kernel: slot 0 is the zero
 * bucket (observations of at most BCMON_NET_HIST_ZERO_THRESHOLD seconds),
 * slot i >= 1 holds native bucket bcmon_net_hist_index(i), i.e. values x
 * with 2^((index-1)/8) < x <= 2^(index/8) = bcmon_net_hist_bound(i). The
 * slots reach every value a u64 of nanoseconds holds. Counts are per slot
 * (not cumulative).
 *
 * Usage: bcmon_net_open() (load; fails with a message, e.g. when BPF is not
 * permitted), bcmon_net_attach(), bcmon_net_read() as often as wanted,
 * bcmon_net_set_ports() at any time, bcmon_net_detach()/attach() freely,
 * bcmon_net_close(). One handle is not thread-safe; use one thread or a lock.
 */
#ifndef BCMON_NETPROBE_H
#define BCMON_NETPROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BCMON_NET_MAX_PORTS	16
#define BCMON_NET_HIST_SCHEMA	3
#define BCMON_NET_HIST_ZERO_THRESHOLD	0x1p-20	/* seconds, about 954 ns */
#define BCMON_NET_HIST_INDEX_MIN	(-159)	/* native index of slot 1 */
#define BCMON_NET_HIST_SLOTS	434
/* Series: one per protocol and watched port, plus "other" per protocol. */
#define BCMON_NET_MAX_SERIES	(2 * (BCMON_NET_MAX_PORTS + 1))

enum bcmon_net_proto {
	BCMON_NET_TCP,
	BCMON_NET_UDP,
	BCMON_NET_NPROTO,
};

enum bcmon_net_metric {
	BCMON_NET_RTT,
	BCMON_NET_DELIVERY,
	BCMON_NET_CONNECT,
	BCMON_NET_NMETRIC,
};

enum bcmon_net_drop {
	BCMON_NET_DROP_PENDING_FULL,	/* delivery: no room for a socket's state */
	BCMON_NET_DROP_CONNECT_FULL,	/* connect: no room for a socket's state */
	BCMON_NET_DROP_INFLIGHT_FULL,	/* kprobe fallback state map full */
	/*
	 * Program runs the kernel skipped (recursion_misses of the loaded
	 * programs): a fentry/fexit program already running on that CPU (a
	 * softirq run nested in a process-context one, or a run in a task
	 * while another task's run is preempted under CONFIG_PREEMPT); a
	 * kprobe program while any kprobe-type program runs there
	 * (bpf_prog_active), counted from Linux 6.7 on only: earlier kernels
	 * skip those runs without counting them.
	 */
	BCMON_NET_DROP_MISSED,
	BCMON_NET_NDROP,
};

/* Which program flavour to prefer; KPROBE forces the fallback (for tests). */
enum bcmon_net_hook_mode {
	BCMON_NET_HOOKS_AUTO,
	BCMON_NET_HOOKS_KPROBE,
};

struct bcmon_net_opts {
	const uint16_t *ports;		/* watched ports, may be NULL */
	unsigned int nports;		/* <= BCMON_NET_MAX_PORTS */
	enum bcmon_net_hook_mode mode;
};

struct bcmon_net_hist {
	uint64_t slots[BCMON_NET_HIST_SLOTS];	/* zero bucket, then native buckets */
	uint64_t count;				/* sum of slots */
	double sum_seconds;			/* sum of observations */
	uint64_t sum_ns;			/* the same, exact, in nanoseconds */
};

struct bcmon_net_traffic {
	uint64_t tx_messages;
	uint64_t tx_bytes;
	uint64_t rx_messages;
	uint64_t rx_bytes;
};

struct bcmon_net_series {
	enum bcmon_net_proto proto;
	uint16_t port;			/* 0 means "other" */
	struct bcmon_net_traffic traffic;
	/* Indexed by enum bcmon_net_metric; rtt and connect stay 0 for udp. */
	struct bcmon_net_hist hist[BCMON_NET_NMETRIC];
};

struct bcmon_net_snapshot {
	unsigned int nseries;
	struct bcmon_net_series series[BCMON_NET_MAX_SERIES];
	uint64_t drops[BCMON_NET_NDROP];
};

/* One hook point and the program flavour that is attached to it. */
struct bcmon_net_hook {
	const char *name;	/* e.g. "tcp_rtt" */
	const char *function;	/* kernel function hooked */
	/* "fentry", "fexit", "kprobe", "kprobe+kretprobe", "none" or "unneeded" */
	const char *attached;
	/* NULL when fentry/fexit is attached; else why not, or why nothing is */
	const char *reason;
};

struct bcmon_net;

/*
 * Open and load the probes (not yet attached). On failure returns NULL,
 * sets errno and writes a one-line reason into err (if errlen > 0), e.g.
 * "BPF not permitted (EPERM): ..." on kernels that refuse tracing BPF.
 */
struct bcmon_net *bcmon_net_open(const struct bcmon_net_opts *opts, char *err, size_t errlen);
/* Attach every hook (fentry/fexit first, kprobe fallback). 0 or -errno. */
int bcmon_net_attach(struct bcmon_net *net);
/* Detach all hooks; the maps and their counts are kept. */
void bcmon_net_detach(struct bcmon_net *net);
void bcmon_net_close(struct bcmon_net *net);

/*
 * Replace the watched ports at run time (no reload). 0 or -errno; after an
 * error some of the change may have taken effect (not rolled back), and
 * calling again with the same ports completes it.
 */
int bcmon_net_set_ports(struct bcmon_net *net, const uint16_t *ports, unsigned int nports);
unsigned int bcmon_net_get_ports(const struct bcmon_net *net, uint16_t *ports, unsigned int max);

/* Sum all CPUs into snap. 0 or -errno. */
int bcmon_net_read(struct bcmon_net *net, struct bcmon_net_snapshot *snap);

/* Hook table: number of hooks, *hooks points into net (valid until close). */
unsigned int bcmon_net_hooks(const struct bcmon_net *net, const struct bcmon_net_hook **hooks);

/*
 * Per-socket state held by the probes (leak checks, occupancy metrics).
 * With every state hook on fentry/fexit, state lives in socket storage,
 * freed with each socket and not countable from here: in_socket_storage
 * is set and the socket counts are 0. Otherwise (kprobe fallback) it lives
 * in a hash of capacity entries, one per socket, removed when the socket
 * is destroyed.
 */
struct bcmon_net_state_usage {
	bool in_socket_storage;		/* counts below do not cover socket storage */
	unsigned int capacity;		/* entries the state hash can hold */
	unsigned int sockets;		/* sockets with state in the hash */
	unsigned int pending;		/* ... of which have unread data stamped */
	unsigned int connecting;	/* ... of which wait for their SYN-ACK */
	unsigned int inflight;		/* kprobe calls between entry and return */
};
int bcmon_net_state_usage(struct bcmon_net *net, struct bcmon_net_state_usage *usage);

/*
 * What the probes cost: runs of all programs and the time spent in them,
 * from the kernel's per-program statistics. run_time_ns only grows while
 * the sysctl kernel.bpf_stats_enabled is 1 (it costs two clock reads per
 * run, so it is off by default); run_count likewise.
 */
struct bcmon_net_cost {
	uint64_t run_count;
	uint64_t run_time_ns;
};
int bcmon_net_cost(struct bcmon_net *net, struct bcmon_net_cost *cost);

/*
 * Per attached program: the kernel's statistics and what it missed.
 * run_count and run_time_ns only grow while kernel.bpf_stats_enabled is 1
 * (bcmon_net_run_stats_enabled()). missed: runs the kernel skipped because
 * a BPF program was already running on that CPU (fentry/fexit: the same
 * program, e.g. in a preempted task or under a softirq; kprobe: any
 * program), known for fentry/fexit and for kprobes from Linux 6.7 on.
 * probe_missed: hits the kprobe itself lost (reentrancy, and kretprobe
 * returns lost to exhausted instances), known when the kprobe was created
 * through tracefs. An unknown value is not 0: callers leave it out.
 */
struct bcmon_net_prog_stats {
	const char *hook;	/* e.g. "tcp_recvmsg" */
	const char *program;	/* BPF program name, e.g. "fexit_tcp_recvmsg" */
	const char *kind;	/* "fentry", "fexit", "kprobe" or "kretprobe" */
	uint64_t run_count;
	uint64_t run_time_ns;
	bool missed_known;
	uint64_t missed;
	bool probe_missed_known;
	uint64_t probe_missed;
	/* Instructions the verifier processed (0: kernel too old to say) and
	 * the size of the program it accepted, in instructions. */
	uint32_t verified_insns;
	uint32_t xlated_insns;
};
/* Fills up to max entries; returns how many attached programs there are. */
unsigned int bcmon_net_prog_stats(struct bcmon_net *net, struct bcmon_net_prog_stats *out,
				  unsigned int max);
/* Whether kernel.bpf_stats_enabled is on (run counts and times grow). */
bool bcmon_net_run_stats_enabled(void);
/* At most this many programs are attached at once. */
#define BCMON_NET_MAX_PROGS	32

/* Upper bound of slot i in seconds (slot 0: the zero threshold). */
double bcmon_net_hist_bound(unsigned int slot);
/*
 * The thresholds the programs bin with (bpf/nhist_bpf.h), as the loader
 * computes them: for tests and benchmarks that run programs of their own.
 * 0 or a negative errno.
 */
int bcmon_net_hist_thresholds(uint64_t c[1 << BCMON_NET_HIST_SCHEMA], int32_t *first);
/* Native bucket index of slot i >= 1 at BCMON_NET_HIST_SCHEMA. */
static inline int32_t bcmon_net_hist_index(unsigned int slot)
{
	return BCMON_NET_HIST_INDEX_MIN + (int32_t)slot - 1;
}
const char *bcmon_net_proto_name(enum bcmon_net_proto proto);
const char *bcmon_net_metric_name(enum bcmon_net_metric metric);
const char *bcmon_net_drop_name(enum bcmon_net_drop drop);

#ifdef __cplusplus
}
#endif

#endif /* BCMON_NETPROBE_H */
