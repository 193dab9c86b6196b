// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-netbacklog: a reader that falls behind by a known amount, for the
 * delivery-latency test (tests/vm/tests/36-net-backlog.sh).
 *
 *   bcmon-netbacklog tcp|udp PORT COUNT SIZE CHUNK SLEEP_MS GAP_MS [OPTION]...
 *
 * A writer (child process) sends COUNT messages of SIZE bytes on
 * 127.0.0.1:PORT, GAP_MS apart, while the reader sleeps SLEEP_MS: phase 1.
 * The reader then reads the backlog CHUNK bytes per call (TCP; UDP reads
 * one datagram per call), and tells the writer to send COUNT more messages
 * the same way while the reader waits in recv(): phase 2, where the reader
 * keeps up. Options:
 *   --peek      a recv(MSG_PEEK) before every read (must not count)
 *   --errqueue  the writer asks for software TX timestamps and reads them
 *               back from its error queue (MSG_ERRQUEUE; must not count)
 *   --splice    phase 1 is consumed by splice() into a pipe instead of
 *               recv() (TCP: tcp_splice_read/tcp_read_sock, not recvmsg)
 *   --sockmap   during phase 1 the reader's socket is in a sockmap whose
 *               verdict passes data to itself (sockmap_pass.bpf.o from
 *               $BCMON_BPF_DIR, default /opt/bcmon/bpf): the psock consumes
 *               it (tcp_read_skb) and recv() goes through tcp_bpf_recvmsg;
 *               the socket leaves the map before phase 2 (TCP)
 *
 * The reader stamps every read it makes with CLOCK_MONOTONIC and the writer
 * every send, so the program knows what each read waited: from the send of
 * the message holding its first byte to the read's return. Each wait is
 * bounded below by (recv() called - send() returned) and above by
 * (recv() returned - send() called); L and H are the sums of those bounds,
 * S the sum of the upper ones. It prints
 *   reads=R bytes=B expected_sum_us=S expected_lo_us=L expected_hi_us=H
 *   min_wait_us=.. max_wait_us=..
 *   sent_msgs=N sent_bytes=.. peeks=P errqueue_reads=E bypassed_bytes=..
 * where R and B count only recv() calls that consumed data through
 * tcp_recvmsg()/udp_recvmsg(), and bypassed_bytes what splice or the
 * sockmap consumed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define MAX_MSGS 4096
#define MAX_SIZE 65536

struct opts {
	int type, port, count, size, chunk, sleep_ms, gap_ms;
	bool peek, errqueue, splice, sockmap;
};

struct writer_report {
	int sent_msgs, errqueue_reads;
	long long sent_bytes;
	double sent_at[2 * MAX_MSGS];		/* before send() */
	double sent_done[2 * MAX_MSGS];		/* after send() returned */
};

static void die(const char *what)
{
	fprintf(stderr, "bcmon-netbacklog: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static void full_write(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			die("pipe write");
		p += n;
		len -= n;
	}
}

static void full_read(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n <= 0)
			die("pipe read");
		p += n;
		len -= n;
	}
}

/* Read back the writer's own TX timestamps: error-queue reads with data. */
static int drain_errqueue(int fd, int want)
{
	char data[MAX_SIZE], ctrl[512];
	int got = 0;
	double end = now_s() + 5;

	while (got < want && now_s() < end) {
		struct iovec iov = { data, sizeof(data) };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = ctrl, .msg_controllen = sizeof(ctrl) };
		struct pollfd p = { .fd = fd, .events = 0 };

		if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) > 0) {
			got++;
			continue;
		}
		if (errno != EAGAIN)
			die("recvmsg MSG_ERRQUEUE");
		poll(&p, 1, 100);	/* POLLERR is always reported */
	}
	return got;
}

static void write_phase(int fd, const struct opts *o, struct writer_report *r)
{
	static char buf[MAX_SIZE];

	memset(buf, 'x', o->size);
	for (int i = 0; i < o->count; i++) {
		if (i)
			sleep_ms(o->gap_ms);
		r->sent_at[r->sent_msgs] = now_s();
		if (send(fd, buf, o->size, 0) != o->size)
			die("send");
		r->sent_done[r->sent_msgs] = now_s();
		r->sent_msgs++;
		r->sent_bytes += o->size;
	}
}

static void writer(const struct opts *o, int report_fd, int go_fd)
{
	static struct writer_report r;
	struct sockaddr_in a = loopback(o->port);
	int fd = socket(AF_INET, o->type, 0), one = 1;
	char go;

	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die("writer connect");
	if (o->type == SOCK_STREAM)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (o->errqueue) {
		int ts = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;

		if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &ts, sizeof(ts)))
			die("SO_TIMESTAMPING");
	}
	write_phase(fd, o, &r);
	full_read(go_fd, &go, 1);
	write_phase(fd, o, &r);
	if (o->errqueue)
		r.errqueue_reads = drain_errqueue(fd, r.sent_msgs);
	full_write(report_fd, &r, sizeof(r));
	full_read(go_fd, &go, 1);	/* keep the connection until the reader is done */
	close(fd);
}

struct reader_state {
	int reads, peeks;
	long long bytes, bypassed;
	double start_at[2 * MAX_MSGS * 64];	/* before recv() */
	double ret_at[2 * MAX_MSGS * 64];	/* after recv() returned */
	long long first_byte[2 * MAX_MSGS * 64];	/* TCP: offset; UDP: datagram index */
};

static struct reader_state rs;

static void read_one(int fd, const struct opts *o, long long pos)
{
	static char buf[MAX_SIZE];
	int want = o->type == SOCK_STREAM ? o->chunk : o->size;
	ssize_t n;

	if (o->peek) {
		if (recv(fd, buf, 1, MSG_PEEK) != 1)
			die("recv MSG_PEEK");
		rs.peeks++;
	}
	if (rs.reads >= (int)(sizeof(rs.ret_at) / sizeof(rs.ret_at[0])))
		die("too many reads");
	rs.start_at[rs.reads] = now_s();
	n = recv(fd, buf, want, 0);
	if (n <= 0)
		die("recv");
	rs.ret_at[rs.reads] = now_s();
	rs.first_byte[rs.reads] = pos;
	rs.reads++;
	rs.bytes += n;
}

/* Put fd in a sockmap with a passing stream verdict; returns the map fd. */
static int sockmap_enter(int fd)
{
	const char *dir = getenv("BCMON_BPF_DIR") ? getenv("BCMON_BPF_DIR") : "/opt/bcmon/bpf";
	char path[256];
	struct bpf_object *obj;
	int map, prog, key = 0;

	snprintf(path, sizeof(path), "%s/sockmap_pass.bpf.o", dir);
	obj = bpf_object__open_file(path, NULL);
	if (!obj || bpf_object__load(obj))
		die("loading sockmap_pass.bpf.o");
	map = bpf_map__fd(bpf_object__find_map_by_name(obj, "sock_map"));
	prog = bpf_program__fd(bpf_object__find_program_by_name(obj, "sockmap_pass"));
	if (bpf_prog_attach(prog, map, BPF_SK_SKB_STREAM_VERDICT, 0))
		die("attaching the stream verdict");
	if (bpf_map_update_elem(map, &key, &fd, BPF_ANY))
		die("adding the socket to the sockmap");
	return map;	/* the object stays loaded: the map and program live on */
}

static void sockmap_leave(int map)
{
	int key = 0;

	if (bpf_map_delete_elem(map, &key))
		die("removing the socket from the sockmap");
}

/* Read phase 1 through the psock (tcp_bpf_recvmsg): not recvmsg's reads. */
static void sockmap_phase(int fd, const struct opts *o)
{
	static char buf[MAX_SIZE];
	long long left = (long long)o->count * o->size;

	while (left > 0) {
		ssize_t n = recv(fd, buf, left < o->chunk ? left : o->chunk, 0);

		if (n <= 0)
			die("recv through the sockmap");
		left -= n;
		rs.bypassed += n;
	}
}

/* Consume one phase (COUNT messages) by recv() calls. */
static void read_phase(int fd, const struct opts *o, int phase)
{
	long long start = o->type == SOCK_STREAM ? (long long)phase * o->count * o->size :
		(long long)phase * o->count;
	long long end = start + (o->type == SOCK_STREAM ? (long long)o->count * o->size : o->count);
	long long pos = start, before;

	while (pos < end) {
		before = rs.bytes;
		read_one(fd, o, pos);
		pos += o->type == SOCK_STREAM ? rs.bytes - before : 1;
	}
}

/* Consume phase 1 with splice() into a pipe (TCP): recvmsg never runs. */
static void splice_phase(int fd, const struct opts *o)
{
	long long left = (long long)o->count * o->size;
	static char sink[MAX_SIZE];
	int p[2];

	if (pipe(p))
		die("pipe");
	while (left > 0) {
		ssize_t n = splice(fd, NULL, p[1], NULL, left < MAX_SIZE ? left : MAX_SIZE, 0);

		if (n <= 0)
			die("splice");
		left -= n;
		rs.bypassed += n;
		while (n > 0) {
			ssize_t m = read(p[0], sink, n);

			if (m <= 0)
				die("pipe drain");
			n -= m;
		}
	}
	close(p[0]);
	close(p[1]);
}

static int reader(const struct opts *o)
{
	static struct writer_report r;
	struct sockaddr_in a = loopback(o->port);
	int lfd = socket(AF_INET, o->type, 0), one = 1, report[2], go[2], fd, map = -1;
	double sum = 0, min = 1e9, max = 0, lo = 0, hi = 0;
	pid_t pid;

	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (o->type == SOCK_DGRAM) {
		int rcvbuf = 4 << 20;

		setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	}
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)))
		die("bind");
	if (o->type == SOCK_STREAM && listen(lfd, 1))
		die("listen");
	if (pipe(report) || pipe(go))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(lfd);
		writer(o, report[1], go[0]);
		_exit(0);
	}
	fd = lfd;
	if (o->type == SOCK_STREAM) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept");
	}
	if (o->sockmap)
		map = sockmap_enter(fd);
	sleep_ms(o->sleep_ms);
	if (o->splice)
		splice_phase(fd, o);
	else if (o->sockmap)
		sockmap_phase(fd, o);
	else
		read_phase(fd, o, 0);
	if (o->sockmap)
		sockmap_leave(map);
	full_write(go[1], "g", 1);
	read_phase(fd, o, 1);
	full_read(report[0], &r, sizeof(r));
	full_write(go[1], "g", 1);
	waitpid(pid, NULL, 0);
	for (int i = 0; i < rs.reads; i++) {
		long long msg = o->type == SOCK_STREAM ? rs.first_byte[i] / o->size :
			rs.first_byte[i];
		double w = (rs.ret_at[i] - r.sent_at[msg]) * 1e6;
		double w_lo = (rs.start_at[i] - r.sent_done[msg]) * 1e6;

		/*
		 * The kernel stamps the arrival inside send() and the read's end
		 * inside recv(): its observation lies between these bounds, however
		 * long either process waited for the CPU around its calls.
		 */
		lo += w_lo > 0 ? w_lo : 0;
		hi += w;
		sum += w;
		if (w < min)
			min = w;
		if (w > max)
			max = w;
	}
	printf("reads=%d bytes=%lld expected_sum_us=%.0f expected_lo_us=%.0f expected_hi_us=%.0f "
	       "min_wait_us=%.0f max_wait_us=%.0f "
	       "sent_msgs=%d sent_bytes=%lld peeks=%d errqueue_reads=%d bypassed_bytes=%lld\n",
	       rs.reads, rs.bytes, sum, lo, hi, min, max, r.sent_msgs, r.sent_bytes, rs.peeks,
	       r.errqueue_reads, rs.bypassed);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };

	if (argc < 9) {
		fprintf(stderr, "usage: bcmon-netbacklog tcp|udp PORT COUNT SIZE CHUNK SLEEP_MS "
			"GAP_MS [--peek] [--errqueue] [--splice] [--sockmap]\n");
		return 2;
	}
	o.type = !strcmp(argv[1], "udp") ? SOCK_DGRAM : SOCK_STREAM;
	o.port = atoi(argv[2]);
	o.count = atoi(argv[3]);
	o.size = atoi(argv[4]);
	o.chunk = atoi(argv[5]);
	o.sleep_ms = atoi(argv[6]);
	o.gap_ms = atoi(argv[7]);
	for (int i = 8; i < argc; i++) {
		o.peek |= !strcmp(argv[i], "--peek");
		o.errqueue |= !strcmp(argv[i], "--errqueue");
		o.splice |= !strcmp(argv[i], "--splice");
		o.sockmap |= !strcmp(argv[i], "--sockmap");
	}
	if (o.count < 1 || o.count > MAX_MSGS || o.size < 1 || o.size > MAX_SIZE ||
	    o.chunk < 1 || ((o.splice || o.sockmap) && o.type != SOCK_STREAM)) {
		fprintf(stderr, "bcmon-netbacklog: bad arguments\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	return reader(&o);
}
