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

#define HOOK(idx, hname, func, fastprog, exit, entryprog, exitprog, uses_state) do {	\
	struct np_hook *h = &net->hooks[idx];					\
	h->pub.name = hname;							\
	h->pub.function = func;							\
	h->pub.attached = "none";						\
	h->fast = s->progs.fastprog;						\
	h->fast_is_exit = exit;							\
	h->slow_entry = s->progs.entryprog;					\
	h->slow_exit = exitprog;						\
	h->state = uses_state;							\
} while (0)

void np_hooks_describe(struct bcmon_net *net)
{
	struct netprobe *s = net->skel;

	HOOK(0, "tcp_rtt", "tcp_ack_update_rtt", fentry_tcp_rtt, false, kprobe_tcp_rtt, NULL,
	     false);
	HOOK(1, "data_ready", "sock_def_readable", fentry_data_ready, false,
	     kprobe_data_ready, NULL, true);
	HOOK(2, "tcp_recvmsg", "tcp_recvmsg", fexit_tcp_recvmsg, true, kprobe_tcp_recvmsg,
	     s->progs.kretprobe_tcp_recvmsg, true);
	HOOK(3, "tcp_sendmsg", "tcp_sendmsg", fexit_tcp_sendmsg, true, kprobe_tcp_sendmsg,
	     s->progs.kretprobe_tcp_sendmsg, false);
	HOOK(4, "udp_recvmsg", "udp_recvmsg", fexit_udp_recvmsg, true, kprobe_udp_recvmsg,
	     s->progs.kretprobe_udp_recvmsg, true);
	HOOK(5, "udp_sendmsg", "udp_sendmsg", fexit_udp_sendmsg, true, kprobe_udp_sendmsg,
	     s->progs.kretprobe_udp_sendmsg, false);
	HOOK(6, "udpv6_recvmsg", "udpv6_recvmsg", fexit_udpv6_recvmsg, true,
	     kprobe_udpv6_recvmsg, s->progs.kretprobe_udpv6_recvmsg, true);
	HOOK(7, "udpv6_sendmsg", "udpv6_sendmsg", fexit_udpv6_sendmsg, true,
	     kprobe_udpv6_sendmsg, s->progs.kretprobe_udpv6_sendmsg, false);
	HOOK(8, "tcp_connect", "tcp_connect", fentry_tcp_connect, false, kprobe_tcp_connect,
	     NULL, true);
	HOOK(9, "tcp_connected", "tcp_finish_connect", fentry_tcp_finish_connect, false,
	     kprobe_tcp_finish_connect, NULL, true);
	HOOK(10, "sock_destruct", "inet_sock_destruct", fentry_sock_destruct, false,
	     kprobe_sock_destruct, NULL, false);
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

/* The FUNC_PROTO of a kernel function, or NULL if BTF does not have it. */
static const struct btf_type *func_proto(const struct btf *btf, const char *func)
{
	int id = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC);
	const struct btf_type *t = id < 0 ? NULL : btf__type_by_id(btf, id);

	t = t ? btf__type_by_id(btf, t->type) : NULL;
	return t && btf_is_func_proto(t) ? t : NULL;
}

/* Position of the parameter called name, or -1. */
static int param_index(const struct btf *btf, const struct btf_type *proto, const char *name)
{
	const struct btf_param *p = btf_params(proto);

	for (int i = 0; i < btf_vlen(proto); i++) {
		const char *n = btf__name_by_offset(btf, p[i].name_off);

		if (n && !strcmp(n, name))
			return i;
	}
	return -1;
}

/* Whether the first parameter is a struct sock *, as every program assumes. */
static bool first_param_is_sock(const struct btf *btf, const struct btf_type *proto)
{
	const struct btf_type *t;
	const char *n;

	if (btf_vlen(proto) < 1)
		return false;
	t = btf__type_by_id(btf, btf_params(proto)[0].type);
	if (!t || !btf_is_ptr(t))
		return false;
	t = btf__type_by_id(btf, t->type);
	while (t && (btf_is_const(t) || btf_is_volatile(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	n = t && btf_is_struct(t) ? btf__name_by_offset(btf, t->name_off) : NULL;
	return n && !strcmp(n, "sock");
}

/* Receive hooks by enum np_recv_hook, for their "flags" position. */
static const char *const recv_funcs[NP_NRECV] = { "tcp_recvmsg", "udp_recvmsg", "udpv6_recvmsg" };

/*
 * Before load: keep an fentry program only if its target is in the kernel
 * BTF with the prototype the program assumes (first parameter a socket;
 * receive functions with a "flags" parameter, whose position is handed to
 * the programs), and put per-socket state where every program that shares
 * it can reach it: socket storage when all of them are fentry/fexit, the
 * bounded hash (with its destruct hook) otherwise.
 */
void np_hooks_select(struct bcmon_net *net)
{
	struct netprobe *s = net->skel;
	struct btf *vmlinux = btf__load_vmlinux_btf();
	bool in_hash = net->mode != BCMON_NET_HOOKS_AUTO || getenv("BCMON_NET_STATE_HASH");

	if (libbpf_get_error(vmlinux))
		vmlinux = NULL;
	for (int r = 0; vmlinux && r < NP_NRECV; r++) {
		const struct btf_type *proto = func_proto(vmlinux, recv_funcs[r]);
		int idx = proto ? param_index(vmlinux, proto, "flags") : -1;

		/* Programs read 5 arguments at most (x86-64 kprobes: registers). */
		if (idx >= 0 && idx < 5)
			s->rodata->recv_flags_arg[r] = idx;
		net->recv_flags_found[r] = idx >= 0 && idx < 5;
	}
	for (int i = 0; i < NP_NHOOKS; i++) {
		struct np_hook *h = &net->hooks[i];
		const struct btf_type *proto = vmlinux ? func_proto(vmlinux, h->pub.function) : NULL;
		bool fast = net->mode == BCMON_NET_HOOKS_AUTO && proto &&
			first_param_is_sock(vmlinux, proto);

		for (int r = 0; r < NP_NRECV; r++)
			if (!strcmp(h->pub.function, recv_funcs[r]) && !net->recv_flags_found[r])
				fast = false;
		h->skip = hook_skipped(h->pub.name);
		h->fast_ok = fast;
		if (h->state && !h->skip && !fast)
			in_hash = true;
	}
	s->rodata->state_in_hash = in_hash;
	net->state_in_hash = in_hash;
	for (int i = 0; i < NP_NHOOKS; i++) {
		struct np_hook *h = &net->hooks[i];

		/* With socket storage nothing needs the destruct hook. */
		if (h->fast == s->progs.fentry_sock_destruct && !in_hash) {
			h->skip = true;
			h->pub.attached = "unneeded";
			net->pub_hooks[i] = h->pub;
		}
		bpf_program__set_autoload(h->fast, h->fast_ok && !h->skip);
		bpf_program__set_autoload(h->slow_entry, !h->skip);
		if (h->slow_exit)
			bpf_program__set_autoload(h->slow_exit, !h->skip);
	}
	btf__free(vmlinux);
}

static void hook_detach(struct np_hook *h)
{
	for (int i = 0; i < 2; i++) {
		bpf_link__destroy(h->links[i]);
		h->links[i] = NULL;
	}
	if (!h->skip || strcmp(h->pub.attached, "unneeded"))
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

static int hook_attach(struct bcmon_net *net, struct np_hook *h)
{
	if (bpf_program__autoload(h->fast)) {
		h->links[0] = bpf_program__attach(h->fast);
		if (h->links[0]) {
			h->pub.attached = h->fast_is_exit ? "fexit" : "fentry";
			return 0;
		}
		/* Its kprobe twin cannot reach the state in socket storage. */
		if (h->state && !net->state_in_hash)
			return -errno;
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
		int e = h->links[0] || h->skip ? 0 : hook_attach(net, h);

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
