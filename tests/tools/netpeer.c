// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-netpeer: known loopback traffic for the network probe tests and
 * benchmark. Both ends run here (the server in a child process), and the
 * program prints what it did itself, so that a test can compare the probes'
 * counters with the truth:
 *
 *   bcmon-netpeer pingpong tcp|udp PORT COUNT SIZE [SERVER_DELAY_MS]
 *	COUNT request/response round trips of SIZE bytes on 127.0.0.1:PORT;
 *	the server sleeps SERVER_DELAY_MS before each read. Prints
 *	"sent_msgs=.. sent_bytes=.. recv_msgs=.. recv_bytes=.." for both
 *	ends together (a message = one send or receive call moving data) and
 *	"rtt_p50_us=..", the client's median round trip.
 *   bcmon-netpeer rate tcp|udp PORT SECONDS SIZE
 *	ping-pong for SECONDS (or until SIGTERM), prints "msgs_per_sec=..":
 *	messages (requests and replies) per second, twice the round trips.
 *   bcmon-netpeer churn PORT COUNT
 *	COUNT short connections: connect, send one byte, close.
 *   bcmon-netpeer blocked PORT READERS WAIT_MS
 *	READERS processes block in recv() on one UDP socket on PORT; after
 *	WAIT_MS (all of them are waiting by then) READERS 64-byte datagrams
 *	wake one each. Prints "recv_msgs=.. recv_bytes=..": every recvmsg()
 *	return a kretprobe must see while that many calls are in flight.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_MSG 65536

struct tally {
	unsigned long long sent_msgs, sent_bytes, recv_msgs, recv_bytes;
};

/* rate mode: SIGTERM ends the run early but cleanly (results printed). */
static volatile sig_atomic_t stop_requested;

static void on_term(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "bcmon-netpeer: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int server_socket(int type, int port)
{
	struct sockaddr_in a = loopback(port);
	int one = 1, fd = socket(AF_INET, type, 0);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		die("bind");
	if (type == SOCK_STREAM && listen(fd, 1024))
		die("listen");
	return fd;
}

static int client_socket(int type, int port)
{
	struct sockaddr_in a = loopback(port);
	int fd = socket(AF_INET, type, 0);
	struct timeval tv = { .tv_sec = 10 };

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	if (type == SOCK_STREAM) {
		int one = 1;

		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	return fd;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void count_send(struct tally *t, ssize_t n)
{
	t->sent_msgs++;
	t->sent_bytes += n;
}

static void count_recv(struct tally *t, ssize_t n)
{
	t->recv_msgs++;
	t->recv_bytes += n;
}

/* Echo until the peer closes (TCP) or a zero-length datagram (UDP). */
static void serve(int type, int lfd, int delay_ms, int wfd)
{
	static char buf[MAX_MSG];
	struct sockaddr_in peer;
	struct tally t = { 0 };
	int fd = lfd, one = 1;

	if (type == SOCK_STREAM) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept");
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	for (;;) {
		socklen_t plen = sizeof(peer);
		ssize_t n;

		sleep_ms(delay_ms);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &plen);
		if (n < 0)
			die("server recv");
		if (n == 0)
			break;
		count_recv(&t, n);
		if (type == SOCK_DGRAM && n == 1 && buf[0] == 0)
			break;	/* the client's end marker */
		n = type == SOCK_STREAM ? send(fd, buf, n, 0) :
			sendto(fd, buf, n, 0, (struct sockaddr *)&peer, plen);
		if (n < 0)
			die("server send");
		count_send(&t, n);
	}
	if (write(wfd, &t, sizeof(t)) != sizeof(t))
		die("tally pipe");
	close(fd);
}

/* One round trip: send size bytes, read them back (TCP may split reads). */
static void round_trip(int fd, int type, char *buf, size_t size, struct tally *t)
{
	size_t got = 0;
	ssize_t n;

	/* Calls on sockets with SO_RCVTIMEO are not restarted after SIGTERM. */
	do
		n = send(fd, buf, size, 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)size)
		die("client send");
	count_send(t, n);
	while (got < size) {
		n = recv(fd, buf + got, size - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("client recv");
		count_recv(t, n);
		got += n;
		if (type == SOCK_DGRAM)
			break;
	}
}

static pid_t start_server(int type, int port, int delay_ms, int *tally_fd)
{
	int lfd = server_socket(type, port), p[2];
	pid_t pid;

	if (pipe(p))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(p[0]);
		serve(type, lfd, delay_ms, p[1]);
		_exit(0);
	}
	close(p[1]);
	close(lfd);
	*tally_fd = p[0];
	return pid;
}

/* Stop the server: EOF for TCP, an end marker datagram for UDP. */
static void finish(int fd, int type, pid_t pid, int tally_fd, struct tally *t)
{
	struct tally st;
	int status;

	if (type == SOCK_DGRAM) {
		char end = 0;

		if (send(fd, &end, 1, 0) != 1)
			die("client send end");
		t->sent_msgs++;
		t->sent_bytes++;
	}
	close(fd);
	if (read(tally_fd, &st, sizeof(st)) != sizeof(st))
		die("server tally");
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		exit(1);
	t->sent_msgs += st.sent_msgs;
	t->sent_bytes += st.sent_bytes;
	t->recv_msgs += st.recv_msgs;
	t->recv_bytes += st.recv_bytes;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median round trip as the application saw it, to compare with the probes. */
static double median_us(double *v, long n)
{
	if (!v || n <= 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2] * 1e6;
}

static int parse_type(const char *s)
{
	if (!strcmp(s, "tcp"))
		return SOCK_STREAM;
	if (!strcmp(s, "udp"))
		return SOCK_DGRAM;
	fprintf(stderr, "bcmon-netpeer: protocol must be tcp or udp\n");
	exit(2);
}

static int pingpong(int type, int port, long count, size_t size, int delay_ms, double seconds)
{
	static char buf[MAX_MSG];
	struct tally t = { 0 };
	int tally_fd, fd;
	pid_t pid = start_server(type, port, delay_ms, &tally_fd);
	double start, end = 0;
	long done = 0;

	double *rtt = seconds > 0 ? NULL : calloc(count ? count : 1, sizeof(*rtt));

	memset(buf, 'x', size);
	fd = client_socket(type, port);
	start = now_s();
	while (seconds > 0 ? (done & 63) || ((end = now_s()) - start < seconds && !stop_requested) :
	       done < count) {
		double t0 = rtt ? now_s() : 0;

		round_trip(fd, type, buf, size, &t);
		if (rtt)
			rtt[done] = now_s() - t0;
		done++;
	}
	finish(fd, type, pid, tally_fd, &t);
	if (seconds > 0)
		printf("round_trips=%ld seconds=%.3f msgs_per_sec=%.0f\n", done, end - start,
		       2 * done / (end - start));
	else
		printf("sent_msgs=%llu sent_bytes=%llu recv_msgs=%llu recv_bytes=%llu "
		       "rtt_p50_us=%.0f\n", t.sent_msgs, t.sent_bytes, t.recv_msgs, t.recv_bytes,
		       median_us(rtt, done));
	free(rtt);
	return 0;
}

static int churn(int port, long count)
{
	int lfd = server_socket(SOCK_STREAM, port);
	pid_t pid = fork();
	char byte = 'x', buf[16];

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		for (long i = 0; i < count; i++) {
			int fd = accept(lfd, NULL, NULL);

			if (fd < 0)
				die("accept");
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
		}
		_exit(0);
	}
	close(lfd);
	for (long i = 0; i < count; i++) {
		int fd = client_socket(SOCK_STREAM, port);

		if (send(fd, &byte, 1, 0) != 1)
			die("send");
		close(fd);
	}
	waitpid(pid, NULL, 0);
	printf("connections=%ld\n", count);
	return 0;
}

static int blocked(int port, int readers, int wait_ms)
{
	int fd = server_socket(SOCK_DGRAM, port), cfd, got = 0;
	struct timeval tv = { .tv_sec = 60 };
	char buf[64];

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (int i = 0; i < readers; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(recv(fd, buf, sizeof(buf), 0) == sizeof(buf) ? 0 : 1);
	}
	sleep_ms(wait_ms);
	cfd = client_socket(SOCK_DGRAM, port);
	memset(buf, 'b', sizeof(buf));
	for (int i = 0; i < readers; i++)
		if (send(cfd, buf, sizeof(buf), 0) != sizeof(buf))
			die("send");
	for (int i = 0; i < readers; i++) {
		int status;

		if (wait(&status) > 0 && WIFEXITED(status) && !WEXITSTATUS(status))
			got++;
	}
	printf("recv_msgs=%d recv_bytes=%d\n", got, got * (int)sizeof(buf));
	return got == readers ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term, .sa_flags = SA_RESTART };

	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 6 && !strcmp(argv[1], "pingpong"))
		return pingpong(parse_type(argv[2]), atoi(argv[3]), atol(argv[4]),
				(size_t)atol(argv[5]) % MAX_MSG, argc > 6 ? atoi(argv[6]) : 0, 0);
	if (argc == 6 && !strcmp(argv[1], "rate"))
		return pingpong(parse_type(argv[2]), atoi(argv[3]), 0,
				(size_t)atol(argv[5]) % MAX_MSG, 0, atof(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "churn"))
		return churn(atoi(argv[2]), atol(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "blocked"))
		return blocked(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	fprintf(stderr, "usage: bcmon-netpeer pingpong tcp|udp PORT COUNT SIZE [DELAY_MS]\n"
		"       bcmon-netpeer rate tcp|udp PORT SECONDS SIZE\n"
		"       bcmon-netpeer churn PORT COUNT\n"
		"       bcmon-netpeer blocked PORT READERS WAIT_MS\n");
	return 2;
}
