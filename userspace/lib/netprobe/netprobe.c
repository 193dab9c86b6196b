// SPDX-License-Identifier: GPL-2.0
/*
 * libbcmon-net lifecycle: open and load the skeleton embedded in this
 * library, attach and detach the hooks, close. Failures come back as an
 * errno plus one line of text that says what to do, so that a caller (the
 * exporter, bcmonctl) can report it and carry on without network metrics.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "internal.h"

/*
 * The program that failed the last load (libbpf says so in a warning,
 * "prog 'NAME': failed to load: -ERR" for a verifier refusal, "failed to
 * prepare load attributes" for a missing attach target; it has no API
 * for it).
 * Loads run in the caller's thread; one handle opens at a time.
 */
static char failed_prog[64];

/* libbpf is chatty on stderr; keep it quiet unless asked for. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	static int debug = -1;
	char line[256], name[64];
	const char *p;
	va_list copy;

	va_copy(copy, ap);
	vsnprintf(line, sizeof(line), fmt, copy);
	va_end(copy);
	/* "failed to load" (verifier) or "failed to prepare load attributes" */
	p = level == LIBBPF_WARN ? strstr(line, "prog '") : NULL;	/* after "libbpf: " */
	if (p && sscanf(p, "prog '%63[^']': failed to", name) == 1)
		snprintf(failed_prog, sizeof(failed_prog), "%s", name);
	if (debug < 0)
		debug = getenv("BCMON_NET_DEBUG") != NULL;
	if (!debug)
		return 0;
	return fputs(line, stderr);
}

/*
 * Open and load the skeleton; a program the verifier refuses costs its
 * hook's flavour (fentry → kprobe → unavailable), not the load: the object
 * is opened again without it, at most twice per hook.
 */
static int load(struct bcmon_net *net)
{
	int err = 0;

	for (int attempt = 0; attempt <= 2 * NP_NHOOKS; attempt++) {
		net->skel = netprobe__open();
		if (!net->skel)
			return -errno;
		np_hooks_describe(net);
		np_hooks_select(net);
		err = np_native_setup(net);
		if (err) {
			netprobe__destroy(net->skel);
			net->skel = NULL;
			return err;
		}
		failed_prog[0] = 0;
		err = netprobe__load(net->skel);
		if (!err)
			return 0;
		netprobe__destroy(net->skel);
		net->skel = NULL;
		if (!failed_prog[0] || !np_hooks_load_failed(net, failed_prog, -err))
			return err;
	}
	return err;
}

static void explain(char *err, size_t errlen, int errnum, const char *what)
{
	if (!errlen)
		return;
	if (errnum == EPERM)
		snprintf(err, errlen,
			 "BPF not permitted (%s) while %s: tracing BPF needs root or "
			 "CAP_BPF+CAP_PERFMON, and some kernels refuse it entirely; "
			 "network metrics are unavailable", strerror(errnum), what);
	else if (errnum == EACCES)
		snprintf(err, errlen, "the kernel's verifier rejected a probe (%s) while %s; "
			 "run with BCMON_NET_DEBUG=1 for its log", strerror(errnum), what);
	else if (errnum == ENOSYS)
		snprintf(err, errlen, "BPF not supported by this kernel (%s) while %s",
			 strerror(errnum), what);
	else
		snprintf(err, errlen, "BPF network probes failed while %s: %s", what,
			 strerror(errnum));
}

struct bcmon_net *bcmon_net_open(const struct bcmon_net_opts *opts, char *err, size_t errlen)
{
	struct bcmon_net *net;
	size_t vsize;
	int e;

	libbpf_set_print(libbpf_print);
	net = calloc(1, sizeof(*net));
	if (!net) {
		e = ENOMEM;
		explain(err, errlen, e, "allocating");
		goto fail;
	}
	net->mode = opts ? opts->mode : BCMON_NET_HOOKS_AUTO;
	net->ncpus = libbpf_num_possible_cpus();
	if (net->ncpus <= 0) {
		e = -net->ncpus;
		explain(err, errlen, e, "counting CPUs");
		goto free_net;
	}
	vsize = sizeof(struct np_hist);
	if (sizeof(struct np_traffic) > vsize)
		vsize = sizeof(struct np_traffic);
	net->percpu_buf_size = vsize * net->ncpus;
	net->percpu_buf = calloc(net->ncpus, vsize);
	if (!net->percpu_buf) {
		e = ENOMEM;
		explain(err, errlen, e, "allocating");
		goto free_net;
	}
	np_tracefs_reap();
	e = -load(net);
	if (e) {
		explain(err, errlen, e, "loading the programs");
		goto free_buf;
	}
	e = -np_ports_apply(net, opts ? opts->ports : NULL, opts ? opts->nports : 0);
	if (e) {
		explain(err, errlen, e, "setting the watched ports");
		goto destroy_skel;
	}
	return net;

destroy_skel:
	netprobe__destroy(net->skel);
free_buf:
	free(net->percpu_buf);
free_net:
	free(net);
fail:
	errno = e;
	return NULL;
}

int bcmon_net_attach(struct bcmon_net *net)
{
	int err = np_hooks_attach(net);

	net->attached = !err;
	return err;
}

void bcmon_net_detach(struct bcmon_net *net)
{
	np_hooks_detach(net);
	net->attached = false;
}

void bcmon_net_close(struct bcmon_net *net)
{
	if (!net)
		return;
	np_hooks_detach(net);
	netprobe__destroy(net->skel);
	free(net->percpu_buf);
	free(net);
}

unsigned int bcmon_net_hooks(const struct bcmon_net *net, const struct bcmon_net_hook **hooks)
{
	*hooks = net->pub_hooks;
	return NP_NHOOKS;
}
