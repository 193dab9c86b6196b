// SPDX-License-Identifier: GPL-2.0
/*
 * What the probes cost and what they missed, per attached program: the
 * kernel's own statistics (bpf_prog_info), and for kprobes attached
 * through tracefs the probe's miss count. Where the kernel cannot tell,
 * the value is marked unknown, never reported as 0.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "internal.h"

static int prog_info(const struct bpf_program *prog, struct bpf_prog_info *info)
{
	__u32 len = sizeof(*info);
	int fd = bpf_program__fd(prog);

	memset(info, 0, sizeof(*info));
	if (fd < 0)
		return -EBADF;
	return bpf_obj_get_info_by_fd(fd, info, &len) ? -errno : 0;
}

/* Sum the kernel's statistics over every loaded program. */
static void progs_stats(struct bcmon_net *net, uint64_t *missed, struct bcmon_net_cost *cost)
{
	struct bpf_program *prog;
	struct bpf_prog_info info;

	*missed = 0;
	memset(cost, 0, sizeof(*cost));
	bpf_object__for_each_program(prog, net->skel->obj) {
		if (prog_info(prog, &info))
			continue;
		*missed += info.recursion_misses;
		cost->run_count += info.run_cnt;
		cost->run_time_ns += info.run_time_ns;
	}
}

uint64_t np_hooks_missed(struct bcmon_net *net)
{
	struct bcmon_net_cost cost;
	uint64_t missed;

	progs_stats(net, &missed, &cost);
	return missed;
}

int bcmon_net_cost(struct bcmon_net *net, struct bcmon_net_cost *cost)
{
	uint64_t missed;

	progs_stats(net, &missed, cost);
	return 0;
}

/*
 * Whether the kernel counts kprobe program runs it skips (bpf_prog_active
 * held by another BPF program on that CPU) in recursion_misses: from
 * Linux 6.7 on; earlier kernels skip them silently. fentry/fexit programs
 * have counted theirs since 5.12.
 */
static bool kprobe_misses_counted(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 7);
}

bool bcmon_net_run_stats_enabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "re");
	int on = 0;

	if (f) {
		if (fscanf(f, "%d", &on) != 1)
			on = 0;
		fclose(f);
	}
	return on > 0;
}

static void prog_stats(const struct np_hook *h, int link, const struct bpf_program *prog,
		       const char *kind, struct bcmon_net_prog_stats *out)
{
	struct bpf_prog_info info;
	bool fast = prog == h->fast;

	memset(out, 0, sizeof(*out));
	out->hook = h->pub.name;
	out->program = bpf_program__name(prog);
	out->kind = kind;
	if (!prog_info(prog, &info)) {
		out->run_count = info.run_cnt;
		out->run_time_ns = info.run_time_ns;
		out->verified_insns = info.verified_insns;
		out->xlated_insns = info.xlated_prog_len / 8;
		out->missed_known = fast || kprobe_misses_counted();
		out->missed = info.recursion_misses;
	}
	if (!fast && h->events[link][0] && !np_tracefs_missed(h->events[link], &out->probe_missed))
		out->probe_missed_known = true;
}

unsigned int bcmon_net_prog_stats(struct bcmon_net *net, struct bcmon_net_prog_stats *out,
				  unsigned int max)
{
	unsigned int n = 0;

	for (int i = 0; i < NP_NHOOKS; i++) {
		const struct np_hook *h = &net->hooks[i];

		if (!h->links[0])
			continue;
		if (!strcmp(h->pub.attached, "fentry") || !strcmp(h->pub.attached, "fexit")) {
			if (n < max)
				prog_stats(h, 0, h->fast, h->pub.attached, &out[n]);
			n++;
			continue;
		}
		if (n < max)
			prog_stats(h, 0, h->slow_entry, "kprobe", &out[n]);
		n++;
		if (h->slow_exit && h->links[1]) {
			if (n < max)
				prog_stats(h, 1, h->slow_exit, "kretprobe", &out[n]);
			n++;
		}
	}
	return n;
}
