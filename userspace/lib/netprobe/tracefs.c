// SPDX-License-Identifier: GPL-2.0
/*
 * kretprobes (and, for tests, kprobes) created through tracefs
 * (kprobe_events) rather than perf's kprobe PMU, for two things the PMU
 * does not give on the supported kernels:
 *   - a deliberate maxactive for kretprobes ("rN:" prefix). The default,
 *     max(10, 2 * possible CPUs), counts threads inside the function at
 *     once, and a blocking recvmsg() holds its instance while it waits: a
 *     node with more readers blocked than that misses their returns;
 *   - the probe's own miss count (kprobe_profile, third column: kprobe
 *     reentrancy, plus exhausted instances for kretprobes), which the PMU
 *     path only exposes from Linux 6.7 (bpf_link_info.perf_event.kprobe).
 * The BPF program is attached to the event's perf tracepoint. Events are
 * named bcmon_<pid>_<program> and removed on detach; events left by a
 * process that died are removed by the next open (np_tracefs_reap()).
 * Without tracefs the caller falls back to libbpf's PMU kprobes.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "internal.h"

static const char *const tracefs_roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

/* The tracefs directory that has kprobe_events, or NULL. */
static const char *tracefs_root(void)
{
	static const char *root;
	static bool probed;
	char path[128];

	if (probed)
		return root;
	probed = true;
	for (size_t i = 0; i < sizeof(tracefs_roots) / sizeof(tracefs_roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/kprobe_events", tracefs_roots[i]);
		if (!access(path, W_OK)) {
			root = tracefs_roots[i];
			break;
		}
	}
	return root;
}

bool np_tracefs_available(void)
{
	return tracefs_root() != NULL;
}

static int kprobe_events_write(const char *line)
{
	char path[128];
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/kprobe_events", tracefs_root());
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, line, strlen(line)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int event_id(const char *event)
{
	char path[256];
	FILE *f;
	int id = -1;

	snprintf(path, sizeof(path), "%s/events/kprobes/%s/id", tracefs_root(), event);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (fscanf(f, "%d", &id) != 1)
		id = -EINVAL;
	fclose(f);
	return id;
}

int np_tracefs_attach(struct bpf_program *prog, const char *func, int maxactive,
		      char *event, size_t len, struct bpf_link **link)
{
	struct perf_event_attr attr = { .size = sizeof(attr), .type = PERF_TYPE_TRACEPOINT,
					.sample_period = 1, .wakeup_events = 1 };
	char line[256];
	int id, pfd, err;

	snprintf(event, len, "bcmon_%d_%s", (int)getpid(), bpf_program__name(prog));
	if (maxactive > 0)
		snprintf(line, sizeof(line), "r%d:kprobes/%s %s\n", maxactive, event, func);
	else if (maxactive == 0)
		snprintf(line, sizeof(line), "p:kprobes/%s %s\n", event, func);
	else
		snprintf(line, sizeof(line), "r:kprobes/%s %s\n", event, func);
	err = kprobe_events_write(line);
	if (err)
		goto fail;
	id = event_id(event);
	if (id < 0) {
		err = id;
		goto remove;
	}
	attr.config = id;
	pfd = syscall(__NR_perf_event_open, &attr, -1 /* pid */, 0 /* cpu */, -1,
		      PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0) {
		err = -errno;
		goto remove;
	}
	*link = bpf_program__attach_perf_event(prog, pfd);
	if (!*link) {
		err = -errno;
		close(pfd);
		goto remove;
	}
	return 0;
remove:
	np_tracefs_remove(event);
fail:
	event[0] = 0;
	return err;
}

void np_tracefs_remove(const char *event)
{
	char line[128];

	if (!event[0] || !tracefs_root())
		return;
	snprintf(line, sizeof(line), "-:kprobes/%s\n", event);
	kprobe_events_write(line);
}

int np_tracefs_missed(const char *event, uint64_t *missed)
{
	char path[128], name[128];
	uint64_t hits, miss;
	int err = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "%s/kprobe_profile", tracefs_root());
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fscanf(f, "%127s %" SCNu64 " %" SCNu64, name, &hits, &miss) == 3) {
		if (!strcmp(name, event)) {
			*missed = miss;
			err = 0;
			break;
		}
	}
	fclose(f);
	return err;
}

/* Remove bcmon_<pid>_* events whose process is gone (a crash, a kill -9). */
void np_tracefs_reap(void)
{
	char path[128], line[512], stale[64][128];
	unsigned int n = 0;
	FILE *f;
	int pid;

	if (!tracefs_root())
		return;
	snprintf(path, sizeof(path), "%s/kprobe_events", tracefs_root());
	f = fopen(path, "re");
	if (!f)
		return;
	/* Collect first: the file is not rewritten while it is being read. */
	while (n < 64 && fgets(line, sizeof(line), f)) {
		/* "r1024:kprobes/bcmon_123_kretprobe_tcp_recvmsg tcp_recvmsg" */
		if (sscanf(line, "%*[^:]:kprobes/%127s", stale[n]) != 1 ||
		    sscanf(stale[n], "bcmon_%d_", &pid) != 1)
			continue;
		if (kill(pid, 0) && errno == ESRCH)
			n++;
	}
	fclose(f);
	for (unsigned int i = 0; i < n; i++)
		np_tracefs_remove(stale[i]);
}
