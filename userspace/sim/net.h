/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The peers' network: real sockets, so that the kernel (and bcmon's eBPF
 * probes) sees real TCP and UDP messages.
 *
 * Peer i owns address opt->addrs[i] (127.0.0.(i+1) when every peer is in
 * this process; a node's address on the fleet's segment with --fleet) and
 * listens for TCP and UDP on every configured port. Every pair of peers
 * shares one TCP connection, opened by the lower-numbered peer to port
 * (i + j) % nports of the higher-numbered one, so all ports carry traffic.
 * A connection that fails or drops is opened again every second, so nodes
 * may start in any order and come back after a restart. UDP datagrams go
 * to a random port of the receiver.
 *
 * Identity: a TCP connection names its peer once (HELLO) and the peer's
 * source address must be that peer's; every later message must name the
 * same peer. A datagram must come from its sender's address. Anything
 * else is dropped, and a connection that has not named its peer within
 * 5 s is closed. This keeps out mistakes (a stray process, a node with the
 * wrong --fleet list), not attackers: on a shared segment a source
 * address can be forged, and a real node authenticates its peers' messages
 * (BitCraps signs them); the simulator's filler payload only stands in for
 * those signatures.
 */
#ifndef BCMON_SIM_NET_H
#define BCMON_SIM_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

enum msg_type {
	MSG_HELLO = 1,	/* first message on a TCP connection: who am I */
	MSG_PROPOSE,	/* TCP: proposer -> peers, value = dice roll */
	MSG_VOTE,	/* TCP: peer -> proposer, flag = 1 accept / 0 reject */
	MSG_PING,	/* UDP heartbeat */
	MSG_PONG,	/* UDP heartbeat answer */
	MSG_ROLL,	/* UDP: the agreed roll, announced to the table */
};

/*
 * Fixed header of every message; a filler payload of payload_len follows.
 * traceparent is the W3C Trace Context of the sender's span for messages
 * that belong to a traced consensus round (PROPOSE, VOTE), NUL-padded, or
 * empty; trace.h parses and formats it.
 */
struct msg {
	uint8_t type;
	uint8_t from;
	uint8_t flag;
	uint8_t reserved;
	uint16_t payload_len;
	uint16_t reserved2;
	uint32_t round;
	uint32_t value;
	char traceparent[56];
};

#define MSG_PAYLOAD_MAX	512

struct net;

/* Called for every complete message a peer receives. */
typedef void (*net_deliver_fn)(void *ctx, unsigned int to, const struct msg *m, bool tcp);

int net_open(struct net **out, const struct sim_options *opt);
void net_close(struct net *net);

/* Send from peer 'from' to peer 'to'; payload_len bytes of filler follow. */
int net_send_tcp(struct net *net, unsigned int from, unsigned int to, struct msg *m);
int net_send_udp(struct net *net, unsigned int from, unsigned int to, struct msg *m);

/* Wait up to timeout_ms for traffic and deliver what arrived; (re)open
 * the connections that are due. */
int net_poll(struct net *net, int timeout_ms, net_deliver_fn deliver, void *ctx);

/* Is local peer 'from' connected to peer 'to' right now? */
bool net_can_send(const struct net *net, unsigned int from, unsigned int to);

/* TCP links currently up that this process has a side of (each pair
 * counted once). */
unsigned int net_links_up(const struct net *net);

/* Links that failed since the last call (read-and-clear). */
unsigned int net_take_failures(struct net *net);

#endif /* BCMON_SIM_NET_H */
