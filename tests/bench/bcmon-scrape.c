// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-scrape: a small HTTP client for the exporter's VM tests and the
 * scrape benchmark (busybox has no load generator).
 *
 *   bcmon-scrape time HOST PORT PATH COUNT [gzip] [proto]
 *       COUNT sequential scrapes; prints median/p90/max milliseconds and
 *       the response size (body bytes as sent). proto asks for the
 *       protobuf format with the Accept header Prometheus sends when
 *       native histograms are on.
 *   bcmon-scrape alternate HOST PATH COUNT PORT_A PID_A PORT_B PID_B
 *       COUNT scrapes of each of two exporters, one of A then one of B (B
 *       first every other time), each timed: both exporters see the same
 *       moments of a loaded machine. Prints the median milliseconds of
 *       each and two CPU figures per exporter (utime + stime of all its
 *       threads, in clock ticks): *_ticks, the sum over its scrapes of the
 *       CPU time read just before and just after each, and *_round_ticks,
 *       its CPU time from the first scrape of the round to the end of the
 *       last. The first misses what an exporter does for a scrape after
 *       the client has the answer (closing the connection, freeing the
 *       answer) and, a scrape costing less than a tick, is mostly
 *       rounding; the second counts all of it
 *       (and the little either does while idle, for the same wall time).
 *   bcmon-scrape load HOST PORT PATH N [TIMEOUT_S]
 *       N connections opened at once, each sends one GET; prints how many
 *       got which status, how many were refused/reset, how many hung.
 *   bcmon-scrape profile N
 *       the phases of a scrape of every set, N times each (scrape_profile.c)
 *   bcmon-scrape populate SERIES [SETS_PREFIX]
 *       creates counter sets (250 counters each) holding SERIES counters
 *       in total through libbcmon, and gives each a value.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <bcmon/libbcmon.h>

int cmd_profile(int argc, char **argv);

#define METRICS_PER_SET 250

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int connect_to(const char *host, int port, int flags)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd;

	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
		return -EINVAL;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) && errno != EINPROGRESS) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

#define ACCEPT_PROTOBUF \
	"Accept: application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;" \
	"encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8," \
	"text/plain;version=0.0.4;q=0.5,*/*;q=0.1\r\n"

/* gzip: bit 0 asks for gzip, bit 1 for protobuf. */
static int request(char *buf, size_t len, const char *path, int gzip)
{
	return snprintf(buf, len, "GET %s HTTP/1.1\r\nHost: bcmon\r\nConnection: close\r\n%s%s\r\n",
			path, gzip & 1 ? "Accept-Encoding: gzip\r\n" : "",
			gzip & 2 ? ACCEPT_PROTOBUF : "");
}

/* One blocking scrape: status code, body bytes. */
static int scrape_once(const char *host, int port, const char *path, int gzip,
		       size_t *body_bytes)
{
	char req[512], buf[65536];
	size_t total = 0, header_end = 0;
	int fd, status = -1, n;
	char *resp = NULL;

	fd = connect_to(host, port, 0);
	if (fd < 0)
		return fd;
	n = request(req, sizeof(req), path, gzip);
	if (write(fd, req, (size_t)n) != n) {
		close(fd);
		return -EIO;
	}
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));
		char *p;

		if (r <= 0)
			break;
		p = realloc(resp, total + (size_t)r + 1);
		if (!p)
			break;
		resp = p;
		memcpy(resp + total, buf, (size_t)r);
		total += (size_t)r;
	}
	close(fd);
	if (resp) {
		char *end;

		resp[total] = '\0';
		sscanf(resp, "HTTP/1.%*d %d", &status);
		end = strstr(resp, "\r\n\r\n");
		header_end = end ? (size_t)(end - resp) + 4 : total;
	}
	*body_bytes = total - header_end;
	free(resp);
	return status;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int cmd_time(int argc, char **argv)
{
	int port = atoi(argv[3]), count = atoi(argv[5]);
	double *ms = calloc((size_t)count, sizeof(*ms));
	size_t bytes = 0;
	int gzip = 0;

	for (int a = 6; a < argc; a++)
		gzip |= !strcmp(argv[a], "gzip") ? 1 : !strcmp(argv[a], "proto") ? 2 : 0;

	if (!ms || count < 1)
		return 2;
	for (int i = 0; i < count; i++) {
		double t0 = now_ms();
		int st = scrape_once(argv[2], port, argv[4], gzip, &bytes);

		ms[i] = now_ms() - t0;
		if (st != 200) {
			fprintf(stderr, "bcmon-scrape: scrape %d: status %d\n", i, st);
			free(ms);
			return 1;
		}
	}
	qsort(ms, (size_t)count, sizeof(*ms), cmp_double);
	printf("scrapes=%d median_ms=%.3f p90_ms=%.3f max_ms=%.3f bytes=%zu\n", count,
	       ms[count / 2], ms[count * 9 / 10], ms[count - 1], bytes);
	free(ms);
	return 0;
}

/* utime + stime of every thread of pid, in clock ticks; -1 if unreadable. */
static long cpu_ticks(const char *pid)
{
	char path[64], buf[1024], *p;
	unsigned long utime, stime;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* the command may hold spaces */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			 &utime, &stime) != 2)
		return -1;
	return (long)(utime + stime);
}

static int cmd_alternate(int argc, char **argv)
{
	int count = atoi(argv[4]);
	const char *pid[2] = { argv[6], argv[8] };
	int port[2] = { atoi(argv[5]), atoi(argv[7]) };
	double *ms[2] = { calloc((size_t)count, sizeof(double)),
			  calloc((size_t)count, sizeof(double)) };
	long ticks[2] = { 0, 0 }, round_start[2], round_ticks[2];
	int rc = 0;

	(void)argc;
	if (!ms[0] || !ms[1] || count < 1)
		return 2;
	for (int e = 0; e < 2; e++)
		round_start[e] = cpu_ticks(pid[e]);
	for (int i = 0; i < count && !rc; i++) {
		for (int k = 0; k < 2 && !rc; k++) {
			int e = (k + i) % 2;	/* A first, then B first */
			size_t bytes;
			long before = cpu_ticks(pid[e]), after;
			double t0 = now_ms();
			int st = scrape_once(argv[2], port[e], argv[3], 0, &bytes);

			ms[e][i] = now_ms() - t0;
			after = cpu_ticks(pid[e]);
			if (st != 200 || before < 0 || after < 0) {
				fprintf(stderr, "bcmon-scrape: exporter %c scrape %d: status %d\n",
					'A' + e, i, st);
				rc = 1;
			}
			ticks[e] += after - before;
		}
	}
	for (int e = 0; e < 2 && !rc; e++) {
		long end = cpu_ticks(pid[e]);

		if (round_start[e] < 0 || end < 0) {
			fprintf(stderr, "bcmon-scrape: exporter %c: CPU time unreadable\n", 'A' + e);
			rc = 1;
		}
		round_ticks[e] = end - round_start[e];
		qsort(ms[e], (size_t)count, sizeof(double), cmp_double);
	}
	if (!rc)
		printf("scrapes=%d a_ticks=%ld b_ticks=%ld a_round_ticks=%ld b_round_ticks=%ld"
		       " a_median_ms=%.3f b_median_ms=%.3f\n",
		       count, ticks[0], ticks[1], round_ticks[0], round_ticks[1],
		       ms[0][count / 2], ms[1][count / 2]);
	free(ms[0]);
	free(ms[1]);
	return rc;
}

enum conn_state { C_CONNECTING, C_READING, C_DONE };

struct conn {
	int fd;
	enum conn_state state;
	char head[16];
	size_t got;
	int status;	/* HTTP status, or -errno */
};

/*
 * One pass over the open connections: poll them for timeout_ms, write the
 * request on those that connected, read what came back, close the
 * finished ones. Returns how many are still open, or -1 when poll fails.
 */
static int load_service(struct conn *c, struct pollfd *pfd, int n, int open_left,
			const char *req, int reqlen, int timeout_ms)
{
	int m = 0;

	for (int i = 0; i < n; i++) {
		if (c[i].state == C_DONE)
			continue;
		pfd[m].fd = c[i].fd;
		pfd[m].events = c[i].state == C_CONNECTING ? POLLOUT : POLLIN;
		pfd[m].revents = 0;
		m++;
	}
	if (poll(pfd, (nfds_t)m, timeout_ms) < 0)
		return -1;
	for (int i = 0, k = 0; i < n; i++) {
		struct conn *cc = &c[i];

		if (cc->state == C_DONE)
			continue;
		if (!pfd[k++].revents)
			continue;
		if (cc->state == C_CONNECTING) {
			int err = 0;
			socklen_t l = sizeof(err);

			getsockopt(cc->fd, SOL_SOCKET, SO_ERROR, &err, &l);
			if (err || write(cc->fd, req, (size_t)reqlen) != reqlen) {
				cc->status = -(err ? err : errno);
				cc->state = C_DONE;
			} else {
				cc->state = C_READING;
			}
		} else {
			char buf[8192];
			ssize_t r = read(cc->fd, buf, sizeof(buf));

			if (r > 0) {
				size_t take = sizeof(cc->head) - 1 - cc->got;

				if (take > (size_t)r)
					take = (size_t)r;
				memcpy(cc->head + cc->got, buf, take);
				cc->got += take;
				continue;
			}
			cc->head[cc->got] = '\0';
			if (sscanf(cc->head, "HTTP/1.%*d %d", &cc->status) != 1)
				cc->status = r < 0 ? -errno : -ECONNRESET;
			cc->state = C_DONE;
		}
		if (cc->state == C_DONE) {
			close(cc->fd);
			open_left--;
		}
	}
	return open_left;
}

/* Requests go out while later connections are still being opened. */
#define LOAD_SERVICE_EVERY	16

static int cmd_load(int argc, char **argv)
{
	int port = atoi(argv[3]), n = atoi(argv[5]);
	int timeout_s = argc > 6 ? atoi(argv[6]) : 30;
	struct conn *c = calloc((size_t)n, sizeof(*c));
	struct pollfd *pfd = calloc((size_t)n, sizeof(*pfd));
	int open_left = 0, by_status[600] = { 0 }, refused = 0, reset = 0, hung = 0;
	double deadline = now_ms() + timeout_s * 1000.0;
	char req[512];
	int reqlen = request(req, sizeof(req), argv[4], 0);

	if (!c || !pfd)
		return 2;
	/*
	 * A client writes its request as soon as it is connected: opening all
	 * the connections first left the early ones idle for as long as the
	 * rest took to open (over 15 s on the debug kernel, longer than the
	 * exporter's connection timeout: every one was dropped as idle).
	 */
	for (int i = 0; i < n; i++) {
		c[i].fd = connect_to(argv[2], port, SOCK_NONBLOCK);
		if (c[i].fd < 0) {
			c[i].status = c[i].fd;
			c[i].state = C_DONE;
		} else {
			open_left++;
		}
		if ((i + 1) % LOAD_SERVICE_EVERY == 0) {
			open_left = load_service(c, pfd, i + 1, open_left, req, reqlen, 0);
			if (open_left < 0)
				break;
		}
	}
	while (open_left > 0 && now_ms() < deadline)
		open_left = load_service(c, pfd, n, open_left, req, reqlen, 200);
	for (int i = 0; i < n; i++) {
		if (c[i].state != C_DONE) {
			hung++;
			close(c[i].fd);
		} else if (c[i].status > 0 && c[i].status < 600) {
			by_status[c[i].status]++;
		} else if (c[i].status == -ECONNREFUSED) {
			refused++;
		} else {
			reset++;
		}
	}
	printf("connections=%d", n);
	for (int s = 100; s < 600; s++)
		if (by_status[s])
			printf(" status_%d=%d", s, by_status[s]);
	printf(" refused=%d reset=%d hung=%d\n", refused, reset, hung);
	free(c);
	free(pfd);
	return hung ? 1 : 0;
}

static int cmd_populate(int argc, char **argv)
{
	long series = atol(argv[2]);
	const char *prefix = argc > 3 ? argv[3] : "bench";
	struct bcmon_metric_spec specs[METRICS_PER_SET];
	char names[METRICS_PER_SET][16];
	struct bcmon *bc;
	int err;

	err = bcmon_open(&bc);
	if (err) {
		fprintf(stderr, "bcmon-scrape: bcmon_open: %s\n", strerror(-err));
		return 1;
	}
	for (int i = 0; i < METRICS_PER_SET; i++) {
		snprintf(names[i], sizeof(names[i]), "c%d", i);
		specs[i] = (struct bcmon_metric_spec){ .name = names[i],
						       .kind = BCMON_KIND_COUNTER };
	}
	for (long s = 0; series > 0; s++) {
		size_t n = series < METRICS_PER_SET ? (size_t)series : METRICS_PER_SET;
		struct bcmon_batch *b;
		char set[32];

		snprintf(set, sizeof(set), "%s%ld", prefix, s);
		err = bcmon_set_create(bc, set, specs, n);
		if (err) {
			fprintf(stderr, "bcmon-scrape: create %s: %s\n", set, bcmon_strerror(bc));
			break;
		}
		b = bcmon_batch_new(bc, set, 0);
		for (size_t i = 0; b && i < n; i++)
			bcmon_batch_add(b, names[i], (int64_t)(s * 1000 + (long)i));
		err = b ? bcmon_batch_flush(b) : -ENOMEM;
		bcmon_batch_free(b);
		if (err) {
			fprintf(stderr, "bcmon-scrape: update %s: %s\n", set, bcmon_strerror(bc));
			break;
		}
		series -= (long)n;
	}
	bcmon_close(bc);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 6 && !strcmp(argv[1], "time"))
		return cmd_time(argc, argv);
	if (argc >= 9 && !strcmp(argv[1], "alternate"))
		return cmd_alternate(argc, argv);
	if (argc >= 6 && !strcmp(argv[1], "load"))
		return cmd_load(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "populate"))
		return cmd_populate(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "profile"))
		return cmd_profile(argc, argv);
	fprintf(stderr, "usage: bcmon-scrape time HOST PORT PATH COUNT [gzip]\n"
		"       bcmon-scrape load HOST PORT PATH N [TIMEOUT_S]\n"
		"       bcmon-scrape populate SERIES [SET_PREFIX]\n"
		"       bcmon-scrape profile N   (see scrape_profile.c)\n");
	return 2;
}
