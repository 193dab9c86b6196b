// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-privtest: privilege corner cases for the VM tests.
 *
 *   nocap CMD ARGS...    drop CAP_NET_ADMIN from the bounding and inheritable
 *                        sets, then exec CMD: a root process without the
 *                        capability (it keeps uid 0 and its groups)
 *   deputy OPEN_UID OPEN_GIDS CALL_GIDS SET
 *                        open the bcmon socket as OPEN_UID with OPEN_GIDS,
 *                        then become root with CALL_GIDS (and every
 *                        capability) and ask through that socket to create
 *                        SET: the confused deputy of CVE-2014-0181, whose
 *                        request must be judged by the opener's credentials
 *                        too. Prints "refused ERRNO: EXTACK" or "accepted".
 *   subuid UID GIDS SUBUID CMD ARGS...
 *                        become UID with GIDS (an ordinary user), create a
 *                        user namespace whose uid 0 is UID and uid 1 is
 *                        SUBUID (what newuidmap writes for a user with a
 *                        subordinate range in /etc/subuid), switch to uid
 *                        1 in it and exec CMD: a process whose euid is
 *                        SUBUID and which keeps the supplementary groups
 *                        GIDS (setuid() leaves them alone). SUBUID equal
 *                        to UID maps only uid 0 and stays uid 0 there: the
 *                        user itself in a user namespace of its own.
 *
 * Exit status 0 when the command ran (deputy: whatever the answer; subuid:
 * the command's own status), 1 on a failure to set it up, 2 on usage errors.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sched.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/bcmon.h>
#include <linux/capability.h>

#include "nlraw.h"

static int drop_net_admin(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	int i;

	if (prctl(PR_CAPBSET_DROP, CAP_NET_ADMIN, 0, 0, 0))
		return -errno;
	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	for (i = 0; i < 2; i++) {
		unsigned int bit = CAP_NET_ADMIN - 32 * i;

		if (bit < 32) {
			data[i].effective &= ~(1u << bit);
			data[i].permitted &= ~(1u << bit);
			data[i].inheritable &= ~(1u << bit);
		}
	}
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

static int run_nocap(char **argv)
{
	int err = drop_net_admin();

	if (err) {
		fprintf(stderr, "privtest nocap: %s\n", strerror(-err));
		return 1;
	}
	execvp(argv[0], argv);
	perror("privtest nocap: exec");
	return 1;
}

static int parse_gids(const char *list, gid_t *gids, int max)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int n = 0;

	for (tok = strtok_r(copy, ",", &save); tok && n < max;
	     tok = strtok_r(NULL, ",", &save))
		gids[n++] = (gid_t)strtoul(tok, NULL, 10);
	free(copy);
	return n;
}

static int run_deputy(uid_t open_uid, const char *open_gids,
		      const char *call_gids, const char *set)
{
	gid_t gids[16];
	struct nlmsgbuf m;
	struct nlanswer a;
	struct nlraw nl;
	size_t nest;
	int n, err;

	/* The opener: an ordinary user (the saved uid stays 0). */
	n = parse_gids(open_gids, gids, 16);
	if (setgroups((size_t)n, gids) || setresgid(gids[0], gids[0], 0) ||
	    setresuid(open_uid, open_uid, 0)) {
		perror("privtest deputy: become the opener");
		return 1;
	}
	err = nlraw_open(&nl);
	if (err) {
		fprintf(stderr, "privtest deputy: open: %s\n", strerror(-err));
		return 1;
	}
	/* The deputy writes to the fd it has, as a program given one does. */
	nl.write_only = 1;
	/* The deputy: root again, with every capability and other groups. */
	n = parse_gids(call_gids, gids, 16);
	if (setresuid(0, 0, 0) || setresgid(0, 0, 0) || setgroups((size_t)n, gids)) {
		perror("privtest deputy: become root");
		return 1;
	}
	msg_init(&m, &nl, BCMON_CMD_SET_CREATE, 0);
	msg_put_str(&m, BCMON_A_SET_NAME, set);
	nest = msg_nest_start(&m, BCMON_A_METRIC);
	msg_put_str(&m, BCMON_METRIC_A_NAME, "c");
	msg_put_u8(&m, BCMON_METRIC_A_KIND, BCMON_KIND_COUNTER);
	msg_nest_end(&m, nest);
	err = nlraw_exchange(&nl, &m, &a);
	msg_free(&m);
	nlraw_close(&nl);
	if (err) {
		fprintf(stderr, "privtest deputy: send: %s\n", strerror(-err));
		return 1;
	}
	if (a.error)
		printf("refused %d: %s\n", -a.error, a.extack);
	else
		printf("accepted\n");
	return 0;
}

/* The root side of newuidmap: write the child's uid_map. */
static int write_uid_map(pid_t child, uid_t uid, uid_t subuid)
{
	char path[64], map[64];
	int fd, len, ok;

	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)child);
	if (subuid == uid)
		len = snprintf(map, sizeof(map), "0 %u 1\n", uid);
	else
		len = snprintf(map, sizeof(map), "0 %u 1\n1 %u 1\n", uid, subuid);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, map, (size_t)len) == len;
	close(fd);
	return ok ? 0 : -1;
}

static int run_subuid(uid_t uid, const char *gid_list, uid_t subuid, char **argv)
{
	int ready[2], mapped[2], status;
	gid_t gids[16];
	uid_t inner;
	pid_t child;
	char c = 0;
	int n;

	if (pipe(ready) || pipe(mapped)) {
		perror("privtest subuid: pipe");
		return 1;
	}
	child = fork();
	if (child < 0) {
		perror("privtest subuid: fork");
		return 1;
	}
	if (!child) {
		n = parse_gids(gid_list, gids, 16);
		if (setgroups((size_t)n, gids) || setresgid(gids[0], gids[0], gids[0]) ||
		    setresuid(uid, uid, uid)) {
			perror("privtest subuid: become the user");
			_exit(1);
		}
		if (unshare(CLONE_NEWUSER)) {
			perror("privtest subuid: unshare(CLONE_NEWUSER)");
			_exit(1);
		}
		if (write(ready[1], &c, 1) != 1 || read(mapped[0], &c, 1) != 1 || c != 'y') {
			fprintf(stderr, "privtest subuid: no uid map\n");
			_exit(1);
		}
		inner = subuid == uid ? 0 : 1;
		if (setresuid(inner, inner, inner)) {
			perror("privtest subuid: setresuid in the namespace");
			_exit(1);
		}
		execvp(argv[0], argv);
		perror("privtest subuid: exec");
		_exit(1);
	}
	if (read(ready[0], &c, 1) != 1)
		c = 0;
	c = c == 0 && !write_uid_map(child, uid, subuid) ? 'y' : 'n';
	if (c != 'y')
		perror("privtest subuid: uid_map");
	if (write(mapped[1], &c, 1) != 1)
		kill(child, SIGKILL);
	if (waitpid(child, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "nocap"))
		return run_nocap(argv + 2);
	if (argc == 6 && !strcmp(argv[1], "deputy"))
		return run_deputy((uid_t)strtoul(argv[2], NULL, 10), argv[3],
				  argv[4], argv[5]);
	if (argc >= 6 && !strcmp(argv[1], "subuid"))
		return run_subuid((uid_t)strtoul(argv[2], NULL, 10), argv[3],
				  (uid_t)strtoul(argv[4], NULL, 10), argv + 5);
	fprintf(stderr, "usage: bcmon-privtest nocap CMD ARGS... | deputy OPEN_UID OPEN_GIDS CALL_GIDS SET | subuid UID GIDS SUBUID CMD ARGS...\n");
	return 2;
}
