// SPDX-License-Identifier: GPL-2.0
/*
 * Hook selection, per hook: fentry/fexit first, the kprobe twin second,
 * "unavailable" last, so that a kernel change costs one measurement, never
 * all of them. Decided in three places:
 *   - before load (np_hooks_select): an fentry program is loaded only if
 *     its target is in the kernel's BTF with the prototype the program
 *     assumes (btf_proto.c); the positions of the arguments it reads go to
 *     the programs' read-only data;
 *   - at load (netprobe.c): a program the verifier rejects is marked
 *     failed and the object is loaded again without it (np_hooks_load_failed);
 *   - at attach (np_hooks_attach): an fentry that loaded but does not
 *     attach falls back to its kprobe twin where the twin can share state.
 * Each hook keeps the flavour it got, or the reason it has none, for
 * bcmonctl net, the exporter's info metric and its log.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "internal.h"

struct hook_desc {
	const char *name, *function;
	const char *fast, *entry, *exit;	/* program names; exit may be NULL */
	bool fast_is_exit, state;
	/* Parameters read besides the socket: name and enum np_arg slot. */
	struct { const char *param; int slot; } args[2];
};

static const struct hook_desc descs[NP_NHOOKS] = {
	{ "tcp_rtt", "tcp_ack_update_rtt", "fentry_tcp_rtt", "kprobe_tcp_rtt", NULL, false, false,
	  { { "seq_rtt_us", NP_ARG_RTT_SEQ }, { "sack_rtt_us", NP_ARG_RTT_SACK } } },
	{ "data_ready", "sock_def_readable", "fentry_data_ready", "kprobe_data_ready", NULL,
	  false, true, { { 0 } } },
	{ "tcp_recvmsg", "tcp_recvmsg", "fexit_tcp_recvmsg", "kprobe_tcp_recvmsg",
	  "kretprobe_tcp_recvmsg", true, true, { { "flags", NP_ARG_TCP_RECV_FLAGS } } },
	{ "tcp_sendmsg", "tcp_sendmsg", "fexit_tcp_sendmsg", "kprobe_tcp_sendmsg",
	  "kretprobe_tcp_sendmsg", true, false, { { 0 } } },
	{ "udp_recvmsg", "udp_recvmsg", "fexit_udp_recvmsg", "kprobe_udp_recvmsg",
	  "kretprobe_udp_recvmsg", true, true, { { "flags", NP_ARG_UDP_RECV_FLAGS } } },
	{ "udp_sendmsg", "udp_sendmsg", "fexit_udp_sendmsg", "kprobe_udp_sendmsg",
	  "kretprobe_udp_sendmsg", true, false, { { 0 } } },
	{ "udpv6_recvmsg", "udpv6_recvmsg", "fexit_udpv6_recvmsg", "kprobe_udpv6_recvmsg",
	  "kretprobe_udpv6_recvmsg", true, true, { { "flags", NP_ARG_UDP6_RECV_FLAGS } } },
	{ "udpv6_sendmsg", "udpv6_sendmsg", "fexit_udpv6_sendmsg", "kprobe_udpv6_sendmsg",
	  "kretprobe_udpv6_sendmsg", true, false, { { 0 } } },
	{ "tcp_connect", "tcp_connect", "fentry_tcp_connect", "kprobe_tcp_connect", NULL, false,
	  true, { { 0 } } },
	{ "tcp_connected", "tcp_finish_connect", "fentry_tcp_finish_connect",
	  "kprobe_tcp_finish_connect", NULL, false, true, { { 0 } } },
	{ "sock_destruct", "inet_sock_destruct", "fentry_sock_destruct", "kprobe_sock_destruct",
	  NULL, false, false, { { 0 } } },
};

#define DESTRUCT_HOOK 10

static struct bpf_program *prog(struct bcmon_net *net, const char *name)
{
	return name ? bpf_object__find_program_by_name(net->skel->obj, name) : NULL;
}

/* Point the hook table at a freshly opened skeleton; failures are kept. */
void np_hooks_describe(struct bcmon_net *net)
{
	for (int i = 0; i < NP_NHOOKS; i++) {
		const struct hook_desc *d = &descs[i];
		struct np_hook *h = &net->hooks[i];

		h->pub.name = d->name;
		h->pub.function = d->function;
		h->pub.attached = "none";
		h->pub.reason = NULL;
		h->fast = prog(net, d->fast);
		h->fast_is_exit = d->fast_is_exit;
		h->slow_entry = prog(net, d->entry);
		h->slow_exit = prog(net, d->exit);
		h->state = d->state;
		net->pub_hooks[i] = h->pub;
	}
}

__attribute__((format(printf, 2, 3)))
static void reason(struct np_hook *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->reason, sizeof(h->reason), fmt, ap);
	va_end(ap);
	h->pub.reason = h->reason;
}

/* Whether name is in the comma-separated list. */
static bool listed(const char *list, const char *name, size_t len)
{
	for (const char *p = list; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] != 0)) {
		if (strcspn(p, ",") == len && !strncmp(p, name, len))
			return true;
	}
	return false;
}

/*
 * The flavour asked for a hook: BCMON_NET_HOOKS="kprobe" (every hook) or
 * "name=kprobe,name=none,..." (tests and operators working around a
 * kernel), BCMON_NET_SKIP_HOOKS="name,..." (benchmarks: leave unattached),
 * and the handle's mode. Returns "auto", "kprobe" or "none".
 */
static const char *wanted(const struct bcmon_net *net, const char *name)
{
	const char *env = getenv("BCMON_NET_HOOKS");
	size_t len = strlen(name);

	if (listed(getenv("BCMON_NET_SKIP_HOOKS"), name, len))
		return "none";
	if (env && !strchr(env, '='))
		return !strcmp(env, "none") ? "none" : !strcmp(env, "kprobe") ? "kprobe" : "auto";
	for (const char *p = env; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] != 0)) {
		if (!strncmp(p, name, len) && p[len] == '=') {
			if (!strncmp(p + len + 1, "none", 4))
				return "none";
			if (!strncmp(p + len + 1, "kprobe", 6))
				return "kprobe";
		}
	}
	return net->mode == BCMON_NET_HOOKS_KPROBE ? "kprobe" : "auto";
}

/* Whether the kernel's BTF has the target with the prototype the fentry program reads. */
static bool fast_fits(struct bcmon_net *net, const struct btf *btf, int i)
{
	const struct hook_desc *d = &descs[i];
	struct np_hook *h = &net->hooks[i];
	const struct btf_type *proto;

	if (!btf) {
		reason(h, "%s", "no kernel BTF (/sys/kernel/btf/vmlinux)");
		return false;
	}
	proto = np_btf_func_proto(btf, d->function);
	if (!proto) {
		reason(h, "%s not in the kernel's BTF (inlined or removed)", d->function);
		return false;
	}
	if (!np_btf_first_param_is_sock(btf, proto)) {
		reason(h, "%s: first parameter is not a struct sock *", d->function);
		return false;
	}
	for (int a = 0; a < 2 && d->args[a].param; a++) {
		int idx = np_btf_param_index(btf, proto, d->args[a].param);

		/* kprobe twins read registers: 5 arguments at most (x86-64). */
		if (idx < 0 || idx > 4) {
			reason(h, "parameter %s not found", d->args[a].param);
			return false;
		}
		net->skel->rodata->arg_pos[d->args[a].slot] = idx;
	}
	return true;
}

/*
 * BCMON_NET_TEST_BREAK="prog,...": make these programs fail to load, as a
 * kernel whose verifier refuses them would (tests of the per-hook
 * fallback): they are loaded as socket filters, which may not call the
 * tracing helpers they use, so the kernel's verifier refuses them.
 */
static void break_for_test(struct bpf_program *p)
{
	const char *list = getenv("BCMON_NET_TEST_BREAK");
	const char *name = p ? bpf_program__name(p) : NULL;

	if (!name || !listed(list, name, strlen(name)))
		return;
	bpf_program__set_type(p, BPF_PROG_TYPE_SOCKET_FILTER);
}

/*
 * Before load: choose what to load per hook, and where per-socket state
 * lives: socket storage when every hook that shares it will be
 * fentry/fexit, the bounded hash (with its destruct hook) otherwise.
 */
void np_hooks_select(struct bcmon_net *net)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool in_hash = getenv("BCMON_NET_STATE_HASH") != NULL;

	if (libbpf_get_error(btf))
		btf = NULL;
	for (int i = 0; i < NP_NHOOKS; i++) {
		struct np_hook *h = &net->hooks[i];
		const char *want = wanted(net, h->pub.name);

		h->skip = !strcmp(want, "none");
		h->fast_ok = false;
		if (h->skip)
			reason(h, "%s", "disabled (BCMON_NET_HOOKS or BCMON_NET_SKIP_HOOKS)");
		else if (strcmp(want, "auto"))
			reason(h, "%s", "kprobe flavour asked for");
		else if (h->fast_failed)
			h->pub.reason = h->reason;	/* the verifier's refusal, kept */
		else
			h->fast_ok = fast_fits(net, btf, i);
		if (!h->skip && !h->fast_ok && h->slow_failed) {
			h->skip = true;		/* unavailable: both flavours failed */
			h->pub.reason = h->reason;
		}
		if (h->state && !h->skip && !h->fast_ok)
			in_hash = true;
	}
	btf__free(btf);
	net->skel->rodata->state_in_hash = in_hash;
	net->state_in_hash = in_hash;
	/* With socket storage nothing needs the destruct hook. */
	if (!in_hash && !net->hooks[DESTRUCT_HOOK].skip) {
		net->hooks[DESTRUCT_HOOK].skip = true;
		net->hooks[DESTRUCT_HOOK].unneeded = true;
		net->hooks[DESTRUCT_HOOK].pub.reason = "not needed: state in socket storage";
	}
	for (int i = 0; i < NP_NHOOKS; i++) {
		struct np_hook *h = &net->hooks[i];
		/* A state hook's kprobe twin cannot reach socket storage. */
		bool slow = !h->skip && !h->slow_failed && (!h->fast_ok || !h->state || in_hash);

		bpf_program__set_autoload(h->fast, h->fast_ok && !h->skip);
		bpf_program__set_autoload(h->slow_entry, slow);
		if (h->slow_exit)
			bpf_program__set_autoload(h->slow_exit, slow);
		h->pub.attached = h->unneeded ? "unneeded" : "none";
		net->pub_hooks[i] = h->pub;
		break_for_test(h->fast);
		break_for_test(h->slow_entry);
		break_for_test(h->slow_exit);
	}
}

/*
 * The verifier refused program name: mark its hook's flavour failed (with
 * err in the reason) so that the next load goes without it. False if the
 * program is not one of ours (nothing to retry without).
 */
bool np_hooks_load_failed(struct bcmon_net *net, const char *name, int err)
{
	for (int i = 0; i < NP_NHOOKS; i++) {
		const struct hook_desc *d = &descs[i];
		struct np_hook *h = &net->hooks[i];
		bool fast = !strcmp(name, d->fast);

		if (!fast && strcmp(name, d->entry) && (!d->exit || strcmp(name, d->exit)))
			continue;
		if (fast ? h->fast_failed : h->slow_failed)
			return false;	/* already retried without it */
		snprintf(h->reason, sizeof(h->reason), "%s failed to load (%s)", name,
			 strerror(err));
		if (fast)
			h->fast_failed = true;
		else
			h->slow_failed = true;
		return true;
	}
	return false;
}

static void hook_detach(struct np_hook *h)
{
	for (int i = 0; i < 2; i++) {
		bpf_link__destroy(h->links[i]);
		h->links[i] = NULL;
		np_tracefs_remove(h->events[i]);	/* after its perf event is closed */
		h->events[i][0] = 0;
	}
	h->pub.attached = h->unneeded ? "unneeded" : "none";
}

/*
 * NP_KRETPROBE_MAXACTIVE, or BCMON_NET_KRETPROBE_MAXACTIVE (1-4096; 0 for
 * the kernel's default, given to np_tracefs_attach() as -1).
 */
static int kretprobe_maxactive(void)
{
	const char *env = getenv("BCMON_NET_KRETPROBE_MAXACTIVE");
	int v = env ? atoi(env) : NP_KRETPROBE_MAXACTIVE;

	if (v < 0 || v > 4096)
		v = NP_KRETPROBE_MAXACTIVE;
	return v ? v : -1;
}

/*
 * A kretprobe through tracefs where mounted (a chosen maxactive, a readable
 * miss count), else perf's PMU; a kprobe through perf's PMU. Entry kprobes
 * created through tracefs lost about 1 % of tcp_recvmsg() hits on 6.12 in
 * the churn test (34-net-churn) with no miss counted anywhere, where the
 * PMU's lost none; the cause is not known, so they are not used.
 */
static int kprobe_attach(struct np_hook *h, int i, struct bpf_program *p, bool ret)
{
	/* BCMON_NET_KPROBE_PMU: libbpf's perf kprobes, as without tracefs (tests). */
	if (ret && np_tracefs_available() && !getenv("BCMON_NET_KPROBE_PMU"))
		return np_tracefs_attach(p, h->pub.function, ret ? kretprobe_maxactive() : 0,
					 h->events[i], sizeof(h->events[i]), &h->links[i]);
	h->links[i] = bpf_program__attach(p);
	return h->links[i] ? 0 : -errno;
}

static int hook_attach_slow(struct np_hook *h)
{
	int err;

	err = kprobe_attach(h, 0, h->slow_entry, false);
	if (!err && h->slow_exit)
		err = kprobe_attach(h, 1, h->slow_exit, true);
	if (err) {
		hook_detach(h);
		return err;
	}
	h->pub.attached = h->slow_exit ? "kprobe+kretprobe" : "kprobe";
	return 0;
}

static int hook_attach(struct np_hook *h)
{
	int err;

	if (bpf_program__autoload(h->fast)) {
		h->links[0] = bpf_program__attach(h->fast);
		if (h->links[0]) {
			h->pub.attached = h->fast_is_exit ? "fexit" : "fentry";
			h->pub.reason = NULL;
			return 0;
		}
		err = -errno;
		snprintf(h->reason, sizeof(h->reason), "fentry/fexit attach failed: %s",
			 strerror(-err));
		h->pub.reason = h->reason;
		if (!bpf_program__autoload(h->slow_entry))
			return err;	/* no twin loaded: it could not share state */
	}
	err = hook_attach_slow(h);
	if (err && !h->pub.reason) {
		snprintf(h->reason, sizeof(h->reason), "kprobe attach failed: %s",
			 strerror(-err));
		h->pub.reason = h->reason;
	}
	return err;
}

/*
 * Attach every hook; a hook that cannot attach at all stays "none" with
 * its reason and the others keep working. Fails only if nothing attached.
 */
int np_hooks_attach(struct bcmon_net *net)
{
	int err = -ENOENT, attached = 0;

	for (int i = 0; i < NP_NHOOKS; i++) {
		struct np_hook *h = &net->hooks[i];
		int e = 0;

		if (h->links[0])
			attached++;
		else if (!h->skip && !(e = hook_attach(h)))
			attached++;
		if (e)
			err = e;
		net->pub_hooks[i] = h->pub;
	}
	return attached ? 0 : err;
}

void np_hooks_detach(struct bcmon_net *net)
{
	for (int i = 0; i < NP_NHOOKS; i++) {
		hook_detach(&net->hooks[i]);
		net->pub_hooks[i] = net->hooks[i].pub;
	}
}
