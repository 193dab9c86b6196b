/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Native-histogram binning inside eBPF programs (bpf/netprobe.bpf.c and
 * the cost benchmark's tests/tools/hookcost.bpf.c): the slot of a value of
 * nanoseconds in the layout of bpf/netprobe.h. Include once per object:
 * it defines the read-only thresholds the loader fills.
 */
#ifndef BCMON_BPF_NHIST_BPF_H
#define BCMON_BPF_NHIST_BPF_H

#include "netprobe.h"

/*
 * Native-histogram thresholds for (NP_SCHEMA, scale -9), computed by the
 * loader with kmod/nhist.c: nh_c[t] = floor(2^(63 + (nh_first + t)/8) *
 * 10^9), so that a value of ns nanoseconds, normalised to m = ns << (63 - k)
 * with k = floor(log2(ns)), is in bucket 8k + nh_first + (entries < m).
 */
const volatile __u64 nh_c[1 << NP_SCHEMA];
const volatile __s32 nh_first;

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

/*
 * The slot of ns nanoseconds: binary search of the 8 thresholds (4
 * comparisons), then the bucket index relative to the first slot.
 */
static __always_inline __u32 native_slot(__u64 ns)
{
	__u32 k, pos;
	__u64 m;

	if (ns <= NP_ZERO_NS)
		return 0;
	k = log2_u64(ns);
	m = ns << (63 - k);
	pos = nh_c[3] < m ? 4 : 0;
	pos += nh_c[(pos + 1) & 7] < m ? 2 : 0;
	pos += nh_c[pos & 7] < m ? 1 : 0;
	pos += nh_c[pos & 7] < m ? 1 : 0;
	return (k << NP_SCHEMA) + nh_first + pos - NP_INDEX_MIN + 1;
}

#endif /* BCMON_BPF_NHIST_BPF_H */
