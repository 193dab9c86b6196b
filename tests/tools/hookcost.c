// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-hookcost [--kprobe] COMMAND: the per-run cost of the network probes
 * next to an empty program on the same hook, and of the histogram step
 * before (log2 of microseconds) and after (native buckets of seconds).
 *
 * Loads and attaches the probes (libbcmon-net) and tests/tools/
 * hookcost.bpf.c (empty programs on every hook the probes' fentry flavour
 * uses; clock_only, bin_log2 and bin_native on fexit of tcp_sendmsg),
 * turns the kernel's run-time statistics on (BPF_ENABLE_STATS, only for
 * this process' lifetime), runs COMMAND with sh -c, and prints
 *   insns PROGRAM verified=N xlated=N
 *   cost HOOK probe=PROGRAM runs=N probe_ns=X empty_ns=Y ratio=X/Y
 *   bin runs=N clock_ns=X log2_ns=Y native_ns=Z
 * (ns per run). Figures only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bcmon/netprobe.h>

#include <linux/types.h>	/* before netprobe.h, which uses __u64 */
#include "netprobe.h"
#include "hookcost.skel.h"

struct run_stats {
	uint64_t runs, ns;
	uint32_t verified, xlated;
};

static int stats_of(const struct bpf_program *p, struct run_stats *out)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
		return -errno;
	out->runs = info.run_cnt;
	out->ns = info.run_time_ns;
	out->verified = info.verified_insns;
	out->xlated = info.xlated_prog_len / 8;
	return 0;
}

static double per_run(uint64_t ns, uint64_t runs)
{
	return runs ? (double)ns / (double)runs : 0;
}

static int set_thresholds(struct hookcost *skel)
{
	uint64_t c[1 << BCMON_NET_HIST_SCHEMA];
	int32_t first;
	int err = bcmon_net_hist_thresholds(c, &first);

	if (err)
		return err;
	memcpy((void *)skel->rodata->nh_c, c, sizeof(c));
	skel->rodata->nh_first = first;
	return 0;
}

/* The empty program of the same hook as a probe program. */
static struct bpf_program *empty_for(struct hookcost *skel, const char *hook)
{
	char name[64];

	snprintf(name, sizeof(name), "e_%s", hook);
	return bpf_object__find_program_by_name(skel->obj, name);
}

int main(int argc, char **argv)
{
	struct bcmon_net_opts opts = { 0 };
	struct bcmon_net_prog_stats ps[BCMON_NET_MAX_PROGS];
	struct run_stats clock, log2, native;
	struct bcmon_net *net;
	struct hookcost *skel;
	char err[256];
	int i = 1, stats_fd, rc;
	unsigned int n;

	if (i < argc && !strcmp(argv[i], "--kprobe")) {
		opts.mode = BCMON_NET_HOOKS_KPROBE;
		i++;
	}
	if (i + 1 != argc) {
		fprintf(stderr, "usage: bcmon-hookcost [--kprobe] COMMAND\n");
		return 2;
	}
	net = bcmon_net_open(&opts, err, sizeof(err));
	if (!net || bcmon_net_attach(net)) {
		fprintf(stderr, "bcmon-hookcost: probes: %s\n", net ? "attach failed" : err);
		return 1;
	}
	skel = hookcost__open();
	if (!skel || set_thresholds(skel) || hookcost__load(skel) || hookcost__attach(skel)) {
		fprintf(stderr, "bcmon-hookcost: loading the baseline programs failed\n");
		return 1;
	}
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0) {
		fprintf(stderr, "bcmon-hookcost: BPF_ENABLE_STATS: %s\n", strerror(errno));
		return 1;
	}
	rc = system(argv[i]);

	n = bcmon_net_prog_stats(net, ps, BCMON_NET_MAX_PROGS);
	for (unsigned int k = 0; k < n && k < BCMON_NET_MAX_PROGS; k++)
		printf("insns %s verified=%" PRIu32 " xlated=%" PRIu32 "\n", ps[k].program,
		       ps[k].verified_insns, ps[k].xlated_insns);
	for (unsigned int k = 0; k < n && k < BCMON_NET_MAX_PROGS; k++) {
		struct bpf_program *e = empty_for(skel, ps[k].hook);
		struct run_stats es;
		double p, q;

		if (!e || stats_of(e, &es) || !ps[k].run_count)
			continue;
		p = per_run(ps[k].run_time_ns, ps[k].run_count);
		q = per_run(es.ns, es.runs);
		printf("cost %s probe=%s kind=%s runs=%" PRIu64 " probe_ns=%.1f empty_ns=%.1f ratio=%.2f\n",
		       ps[k].hook, ps[k].program, ps[k].kind, ps[k].run_count, p, q, q ? p / q : 0);
	}
	if (!stats_of(skel->progs.clock_only, &clock) && !stats_of(skel->progs.bin_log2, &log2) &&
	    !stats_of(skel->progs.bin_native, &native)) {
		printf("insns bin_log2 verified=%" PRIu32 " xlated=%" PRIu32 "\n", log2.verified,
		       log2.xlated);
		printf("insns bin_native verified=%" PRIu32 " xlated=%" PRIu32 "\n", native.verified,
		       native.xlated);
		printf("bin runs=%" PRIu64 " clock_ns=%.1f log2_ns=%.1f native_ns=%.1f\n", native.runs,
		       per_run(clock.ns, clock.runs), per_run(log2.ns, log2.runs),
		       per_run(native.ns, native.runs));
	}
	hookcost__destroy(skel);
	bcmon_net_close(net);
	return rc ? 1 : 0;
}
