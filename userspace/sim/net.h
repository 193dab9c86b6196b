/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated peers' network: real sockets on loopback, so that the
 * kernel (and bcmon's eBPF probes) sees real TCP and UDP messages.
 *
 * Peer i owns address 127.0.0.(i+1) and listens for TCP and UDP on every
 * configured port. Every pair of peers shares one TCP connection, on the
 * port (i + j) % nports of the higher-numbered peer, so all ports carry
 * traffic. UDP datagrams go to a random port of the receiver.
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

/* Fixed header of every message; a filler payload of payload_len follows. */
struct msg {
	uint8_t type;
	uint8_t from;
	uint8_t flag;
	uint8_t reserved;
	uint16_t payload_len;
	uint16_t reserved2;
	uint32_t round;
	uint32_t value;
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

/* Wait up to timeout_ms for traffic and deliver what arrived. */
int net_poll(struct net *net, int timeout_ms, net_deliver_fn deliver, void *ctx);

/* TCP links currently up (each counted once per pair). */
unsigned int net_links_up(const struct net *net);

/* Links that failed since the last call (read-and-clear). */
unsigned int net_take_failures(struct net *net);

#endif /* BCMON_SIM_NET_H */
