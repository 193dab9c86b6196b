/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bcmon-sim: a simulated BitCraps node. Several peers exchange real TCP
 * and UDP messages (so the eBPF probes see real traffic), agree on dice
 * rolls through consensus rounds, run craps tables with bets, and record
 * everything through libbcmon (record.h), which makes this program the
 * reference example of instrumenting an application.
 *
 * Two layouts: by default every peer lives in this process on its own
 * loopback address; with --fleet this process is one node (--self) and
 * the other peers are bcmon-sim processes on other machines. Consensus
 * rounds are traced across nodes (trace.h).
 *
 * Single-threaded: one poll() loop drives every peer's sockets and a small
 * timer queue, so a run is reproducible from its --seed except for the
 * latencies the network itself adds.
 */
#ifndef BCMON_SIM_H
#define BCMON_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#define SIM_MAX_PEERS	16
#define SIM_MAX_PORTS	8

struct sim_options {
	unsigned int peers;		/* simulated peers, 2..SIM_MAX_PEERS */
	unsigned int nports;
	uint16_t ports[SIM_MAX_PORTS];	/* TCP and UDP ports every peer listens on */
	double duration_s;		/* 0: until SIGINT/SIGTERM */
	unsigned int round_ms;		/* interval between consensus rounds */
	unsigned int tables;		/* craps tables open at most at once */
	double error_rate;		/* random error events per second */
	bool loaded_dice;		/* test mode: dice that favour six */
	unsigned int cheater;		/* test mode: peer index + 1 who wins
					 * more than the dice allow; 0: none */
	bool record;			/* false: --no-record, run without bcmon */
	bool keep_sets;			/* leave the sets in the kernel on exit */
	uint64_t seed;
	int verbose;
	/* --fleet: one local peer (self), the others remote nodes. */
	bool fleet;
	unsigned int self;
	struct in_addr addrs[SIM_MAX_PEERS];	/* every peer's IPv4 address */
	char node[64];			/* this node's name in spans */
	/* Tracing: NULL path = off. */
	const char *trace_path;
	uint64_t trace_max_bytes;	/* one span file; one rotated copy kept */
	double trace_sample;		/* fraction of rounds traced */
	/* --latency-log: every consensus latency observation queued for
	 * bcmon, in microseconds, one a line (NULL: none). */
	const char *latency_log;
};

/* Is peer i run by this process? */
static inline bool sim_peer_local(const struct sim_options *opt, unsigned int i)
{
	return !opt->fleet || i == opt->self;
}

/* options.c */
int sim_parse_options(int argc, char **argv, struct sim_options *opt);
/* Peer i's address as text, for logs and span attributes. */
const char *sim_peer_name(const struct sim_options *opt, unsigned int i,
			  char buf[INET_ADDRSTRLEN]);

/* rng.c: xorshift-based generator; the simulator never needs crypto. */
void rng_seed(uint64_t seed);
uint64_t rng_next(void);
double rng_uniform(void);			/* [0, 1) */
unsigned int rng_below(unsigned int n);		/* [0, n) */
bool rng_chance(double p);
double rng_exponential(double mean);

/* monotonic clock in microseconds */
uint64_t now_us(void);

#endif /* BCMON_SIM_H */
