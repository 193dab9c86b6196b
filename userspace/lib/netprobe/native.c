// SPDX-License-Identifier: GPL-2.0
/*
 * The probes' native-histogram thresholds (bpf/netprobe.h): computed here
 * with the module's own integer method (kmod/nhist.c, exact and certified)
 * for schema NP_SCHEMA and scale -9 (nanoseconds exported as seconds), and
 * handed to the programs as read-only data before they load.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "nhist.h"	/* <linux/types.h> first: netprobe.h uses __u64 */
#include "internal.h"

int bcmon_net_hist_thresholds(uint64_t c[1 << BCMON_NET_HIST_SCHEMA], int32_t *first)
{
	union {
		struct nhist_table t;
		char bytes[sizeof(struct nhist_table) + (sizeof(__u64) << NP_SCHEMA)];
	} u;
	int err = nhist_table_build(&u.t, NP_SCHEMA, -9);

	if (err)
		return err;
	/* The slot layout holds exactly what the programs can produce. */
	if (nhist_index_table(&u.t, NP_ZERO_NS + 1) != NP_INDEX_MIN ||
	    nhist_index_table(&u.t, NP_ZERO_NS) != NP_INDEX_MIN - 1 ||
	    nhist_index_table(&u.t, UINT64_MAX) != NP_INDEX_MAX)
		return -ERANGE;
	memcpy(c, u.t.c, sizeof(u.t.c[0]) << NP_SCHEMA);
	*first = u.t.first;
	return 0;
}

int np_native_setup(struct bcmon_net *net)
{
	uint64_t c[1 << NP_SCHEMA];
	int32_t first;
	int err = bcmon_net_hist_thresholds(c, &first);

	if (err)
		return err;
	_Static_assert(sizeof(net->skel->rodata->nh_c) == sizeof(c), "threshold table size");
	memcpy((void *)net->skel->rodata->nh_c, c, sizeof(c));
	net->skel->rodata->nh_first = first;
	return 0;
}
