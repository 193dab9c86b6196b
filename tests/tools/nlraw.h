/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink for tests: build any message, well-formed or not,
 * without a library that would refuse to, and read the kernel's answer
 * (errno and extack text).
 */
#ifndef BCMON_TESTS_NLRAW_H
#define BCMON_TESTS_NLRAW_H

#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;

struct nlraw {
	int fd;
	uint16_t family;
	uint32_t events_group;	/* multicast group id of "events" */
	uint32_t seq;
	/*
	 * Send with write(2), no destination address: what a program does
	 * with a netlink fd it was handed. The kernel then judges capability
	 * checks by the socket opener's credentials too (NETLINK_SKB_DST is
	 * not set), which sendto() with an address skips.
	 */
	int write_only;
	/* Called with every data message of an answer, when set. */
	void (*on_part)(const struct nlmsghdr *nlh, void *arg);
	void *on_part_arg;
};

/* A message under construction. */
struct nlmsgbuf {
	size_t len, cap;
	unsigned char *data;
};

/* Answer to one request. */
struct nlanswer {
	int error;		/* 0 or negative errno */
	char extack[256];	/* "" when none */
	int parts;		/* data messages before the end */
	int datagrams;		/* reads it took (the end may share the last) */
	int intr;		/* a part or the end carried NLM_F_DUMP_INTR */
	int timed_out;
	int done;		/* the answer ended (error, ACK or NLMSG_DONE) */
};

int nlraw_open(struct nlraw *nl);
void nlraw_close(struct nlraw *nl);

void msg_init(struct nlmsgbuf *m, struct nlraw *nl, uint8_t cmd, uint16_t flags);
void msg_free(struct nlmsgbuf *m);
void *msg_put(struct nlmsgbuf *m, uint16_t type, const void *data, size_t len);
void msg_put_str(struct nlmsgbuf *m, uint16_t type, const char *s);
void msg_put_u8(struct nlmsgbuf *m, uint16_t type, uint8_t v);
void msg_put_u32(struct nlmsgbuf *m, uint16_t type, uint32_t v);
void msg_put_u64(struct nlmsgbuf *m, uint16_t type, uint64_t v);
/* Returns the offset of the nest, for msg_nest_end. */
size_t msg_nest_start(struct nlmsgbuf *m, uint16_t type);
void msg_nest_end(struct nlmsgbuf *m, size_t off);
/* Raw bytes with no attribute header (for trailing garbage). */
void msg_put_raw(struct nlmsgbuf *m, const void *data, size_t len);

/*
 * Send m (header length fixed up here) and read every reply up to the ACK,
 * error or NLMSG_DONE. Returns -errno of sendmsg() itself when the kernel
 * refused the datagram, else 0 with the outcome in *a.
 */
int nlraw_exchange(struct nlraw *nl, struct nlmsgbuf *m, struct nlanswer *a);

/*
 * nlraw_exchange in steps: send m, then read its answer into a, either to
 * the end (stop_after 0) or until the datagram that brings the data
 * messages to at least stop_after; call again to read on.
 */
int nlraw_send(struct nlraw *nl, struct nlmsgbuf *m, struct nlanswer *a);
int nlraw_read(struct nlraw *nl, const struct nlmsgbuf *m, struct nlanswer *a,
	       int stop_after);

/*
 * Reading replies: every whole attribute in [start, start + len) (a
 * truncated or overlong one ends the walk), its payload, length and type.
 */
#define NLRAW_ALIGN4(x) (((x) + 3) & ~(size_t)3)
#define NLRAW_DATA(at) ((char *)(at) + NLA_HDRLEN)
#define NLRAW_LEN(at) ((size_t)(at)->nla_len - NLA_HDRLEN)
#define NLRAW_TYPE(at) ((at)->nla_type & NLA_TYPE_MASK)
#define nlraw_for_each_attr(at, start, len)				\
	for (struct nlattr *at = (struct nlattr *)(start);		\
	     (char *)at + NLA_HDRLEN <= (char *)(start) + (len) &&	\
	     at->nla_len >= NLA_HDRLEN &&					\
	     (char *)at + at->nla_len <= (char *)(start) + (len);	\
	     at = (struct nlattr *)((char *)at + NLRAW_ALIGN4(at->nla_len)))

/* Join the "events" group; then nlraw_recv_event() reads one event. */
int nlraw_join_events(struct nlraw *nl);
/* One event: type and the set name if present. 0, or -ETIMEDOUT. */
int nlraw_recv_event(struct nlraw *nl, int timeout_ms, int *type, char *name,
		     size_t len);

#endif /* BCMON_TESTS_NLRAW_H */
