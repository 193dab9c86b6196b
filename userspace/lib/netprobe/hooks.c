// SPDX-License-Identifier: GPL-2.0
/*
 * Hook selection: fentry/fexit where the kernel can attach them, the kprobe
 * twin otherwise. The choice is made per hook, twice: before loading (an
 * fentry program whose target function is missing from the kernel's BTF
 * would fail the whole object load, so it is not loaded) and at attach
 * time (an fentry that loaded but will not attach falls back to its kprobe
 * twin, which is always loaded).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "internal.h"

#define HOOK(idx, hname, func, fastprog, exit, entryprog, exitprog) do {	\
	struct np_hook *h = &net->hooks[idx];					\
	h->pub.name = hname;							\
	h->pub.function = func;							\
	h->pub.attached = "none";						\
	h->fast = s->progs.fastprog;						\
	h->fast_is_exit = exit;							\
	h->slow_entry = s->progs.entryprog;					\
	h->slow_exit = exitprog;						\
} while (0)

void np_hooks_describe(struct bcmon_net *net)
{
	struct netprobe *s = net->skel;

	HOOK(0, "tcp_rtt", "tcp_ack_update_rtt", fentry_tcp_rtt, false, kprobe_tcp_rtt, NULL);
	HOOK(1, "data_ready", "sock_def_readable", fentry_data_ready, false,
	     kprobe_data_ready, NULL);
	HOOK(2, "tcp_recvmsg", "tcp_recvmsg", fexit_tcp_recvmsg, true, kprobe_tcp_recvmsg,
	     s->progs.kretprobe_tcp_recvmsg);
	HOOK(3, "tcp_sendmsg", "tcp_sendmsg", fexit_tcp_sendmsg, true, kprobe_tcp_sendmsg,
	     s->progs.kretprobe_tcp_sendmsg);
	HOOK(4, "udp_recvmsg", "udp_recvmsg", fexit_udp_recvmsg, true, kprobe_udp_recvmsg,
	     s->progs.kretprobe_udp_recvmsg);
	HOOK(5, "udp_sendmsg", "udp_sendmsg", fexit_udp_sendmsg, true, kprobe_udp_sendmsg,
	     s->progs.kretprobe_udp_sendmsg);
	HOOK(6, "udpv6_recvmsg", "udpv6_recvmsg", fexit_udpv6_recvmsg, true,
	     kprobe_udpv6_recvmsg, s->progs.kretprobe_udpv6_recvmsg);
	HOOK(7, "udpv6_sendmsg", "udpv6_sendmsg", fexit_udpv6_sendmsg, true,
	     kprobe_udpv6_sendmsg, s->progs.kretprobe_udpv6_sendmsg);
	HOOK(8, "tcp_connect", "tcp_connect", fentry_tcp_connect, false, kprobe_tcp_connect,
	     NULL);
	HOOK(9, "tcp_connected", "tcp_finish_connect", fentry_tcp_finish_connect, false,
	     kprobe_tcp_finish_connect, NULL);
	HOOK(10, "sock_destruct", "inet_sock_destruct", fentry_sock_destruct, false,
	     kprobe_sock_destruct, NULL);
	for (int i = 0; i < NP_NHOOKS; i++)
		net->pub_hooks[i] = net->hooks[i].pub;
}

/*
 * BCMON_NET_SKIP_HOOKS="name,name": hooks to leave unattached, for
 * measuring what each hook costs (tests/bench); never needed otherwise.
 */
static bool hook_skipped(const char *name)
{
	const char *list = getenv("BCMON_NET_SKIP_HOOKS");
	size_t len = strlen(name);

	for (const char *p = list; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] != 0)) {
		if (strcspn(p, ",") == len && !strncmp(p, name, len))
			return true;
	}
	return false;
}

/* Before load: keep an fentry program only if its target is in the kernel BTF. */
void np_hooks_select(struct bcmon_net *net)
{
	struct btf *vmlinux = NULL;

	if (net->mode == BCMON_NET_HOOKS_AUTO)
		vmlinux = btf__load_vmlinux_btf();
	if (vmlinux && libbpf_get_error(vmlinux))
		vmlinux = NULL;
	for (int i = 0; i < NP_NHOOKS; i++) {
		struct np_hook *h = &net->hooks[i];
		bool fast = vmlinux &&
			btf__find_by_name_kind(vmlinux, h->pub.function, BTF_KIND_FUNC) >= 0;

		bpf_program__set_autoload(h->fast, fast);
		h->skip = hook_skipped(h->pub.name);
	}
	btf__free(vmlinux);
}

static void hook_detach(struct np_hook *h)
{
	for (int i = 0; i < 2; i++) {
		bpf_link__destroy(h->links[i]);
		h->links[i] = NULL;
	}
	h->pub.attached = "none";
}

static int hook_attach_slow(struct np_hook *h)
{
	int err;

	h->links[0] = bpf_program__attach(h->slow_entry);
	if (!h->links[0]) {
		err = -errno;
		goto fail;
	}
	if (h->slow_exit) {
		h->links[1] = bpf_program__attach(h->slow_exit);
		if (!h->links[1]) {
			err = -errno;
			goto fail;
		}
	}
	h->pub.attached = h->slow_exit ? "kprobe+kretprobe" : "kprobe";
	return 0;
fail:
	hook_detach(h);
	return err;
}

static int hook_attach(struct np_hook *h)
{
	if (bpf_program__autoload(h->fast)) {
		h->links[0] = bpf_program__attach(h->fast);
		if (h->links[0]) {
			h->pub.attached = h->fast_is_exit ? "fexit" : "fentry";
			return 0;
		}
	}
	return hook_attach_slow(h);
}

/*
 * Attach every hook; a hook that cannot attach at all is reported as
 * "none" and the others keep working. Fails only if nothing attached.
 */
int np_hooks_attach(struct bcmon_net *net)
{
	int err = 0, attached = 0;

	for (int i = 0; i < NP_NHOOKS; i++) {
		struct np_hook *h = &net->hooks[i];
		int e = h->links[0] || h->skip ? 0 : hook_attach(h);

		if (e)
			err = e;
		else
			attached++;
		net->pub_hooks[i] = h->pub;
	}
	return attached ? 0 : err;
}

/* Sum the kernel's statistics over every loaded program. */
static void progs_stats(struct bcmon_net *net, uint64_t *missed, struct bcmon_net_cost *cost)
{
	struct bpf_program *prog;

	*missed = 0;
	memset(cost, 0, sizeof(*cost));
	bpf_object__for_each_program(prog, net->skel->obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		memset(&info, 0, sizeof(info));
		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
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

void np_hooks_detach(struct bcmon_net *net)
{
	for (int i = 0; i < NP_NHOOKS; i++) {
		hook_detach(&net->hooks[i]);
		net->pub_hooks[i] = net->hooks[i].pub;
	}
}
