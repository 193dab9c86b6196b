// SPDX-License-Identifier: GPL-2.0
/*
 * A sockmap whose stream verdict passes every skb to its own socket: data
 * arriving on a socket in the map is consumed by the psock (tcp_read_skb)
 * and read through tcp_bpf_recvmsg(), never tcp_recvmsg(). Used by
 * bcmon-netbacklog --sockmap (tests/vm/tests/36-net-backlog.sh).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sock_map SEC(".maps");

SEC("sk_skb/stream_verdict")
int sockmap_pass(struct __sk_buff *skb)
{
	return SK_PASS;
}
