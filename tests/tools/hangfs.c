// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-hangfs DIR: mount a FUSE filesystem at DIR that never answers,
 * the stand-in for a hung NFS server in the exporter's tests. The kernel
 * waits for the FUSE daemon's INIT reply before any request, and that
 * wait is killable only: a thread that stats DIR is stuck in the kernel,
 * deaf to every signal its process handles, until this program exits
 * (SIGTERM or SIGINT), which aborts the connection (the waiters get
 * ENOTCONN) and unmounts DIR. Prints "mounted" once DIR is live.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char opts[128];
	sigset_t sigs;
	int fd, sig;

	if (argc != 2) {
		fprintf(stderr, "usage: bcmon-hangfs DIR\n");
		return 2;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("bcmon-hangfs: /dev/fuse");
		return 1;
	}
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0", fd);
	if (mount("bcmon-hangfs", argv[1], "fuse", MS_NOSUID | MS_NODEV, opts)) {
		perror("bcmon-hangfs: mount");
		return 1;
	}
	printf("mounted\n");
	fflush(stdout);
	sigwait(&sigs, &sig);
	close(fd);	/* aborts the connection: every waiter gets ENOTCONN */
	if (umount2(argv[1], MNT_DETACH))
		perror("bcmon-hangfs: umount");
	return 0;
}
