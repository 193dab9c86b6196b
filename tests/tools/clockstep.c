// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-clockstep HOST PORT: step this machine's clock (CLOCK_REALTIME) to
 * a time server's, for the fleet harness's guests.
 *
 * Why: a guest's clock starts from the emulated RTC, which has one-second
 * resolution, so two guests booted together disagree by up to a second;
 * spans of one trace recorded on different guests would then be out of
 * order. A real fleet runs NTP; the harness has no NTP server, so the host
 * runs a tiny TCP responder (scripts/lib-fleet.sh: each byte received is
 * answered with its CLOCK_REALTIME in decimal nanoseconds and a newline),
 * reached through QEMU's user network, and this tool does what SNTP does
 * with it: several exchanges, the one with the shortest round trip wins,
 * the offset is the server's time minus the midpoint of that exchange.
 * The error is at most half that round trip.
 *
 * Prints the step and the round trip; exit 0 when the clock was stepped,
 * 1 otherwise. Needs CAP_SYS_TIME.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define EXCHANGES	16

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* One exchange: the server's time and our send and receive times. */
static int exchange(int fd, int64_t *sent, int64_t *server, int64_t *received)
{
	char buf[32];
	size_t len = 0;
	char *end;

	*sent = realtime_ns();
	if (send(fd, "?", 1, 0) != 1)
		return -1;
	while (len < sizeof(buf) - 1) {
		ssize_t n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);

		if (n <= 0)
			return -1;
		len += (size_t)n;
		if (buf[len - 1] == '\n')
			break;
	}
	*received = realtime_ns();
	buf[len] = '\0';
	errno = 0;
	*server = strtoll(buf, &end, 10);
	if (errno || end == buf || *end != '\n' || *server <= 0)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = 2 };
	int64_t best_rtt = INT64_MAX, offset = 0, sent, server, received;
	struct timespec ts;
	int fd, one = 1, i, good = 0;
	unsigned long port;
	char *end;

	if (argc != 3 || inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "usage: bcmon-clockstep IPV4-ADDRESS PORT\n");
		return 2;
	}
	port = strtoul(argv[2], &end, 10);
	if (*end || port == 0 || port > 65535) {
		fprintf(stderr, "bcmon-clockstep: bad port '%s'\n", argv[2]);
		return 2;
	}
	sa.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "bcmon-clockstep: connect %s:%lu: %s\n", argv[1], port,
			strerror(errno));
		return 1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (i = 0; i < EXCHANGES; i++) {
		if (exchange(fd, &sent, &server, &received) < 0)
			break;
		good++;
		if (received - sent < best_rtt) {
			best_rtt = received - sent;
			offset = server - (sent + (received - sent) / 2);
		}
	}
	close(fd);
	if (!good) {
		fprintf(stderr, "bcmon-clockstep: no answer from %s:%lu\n", argv[1], port);
		return 1;
	}
	/* Step: now plus the offset, taken as late as possible. */
	sent = realtime_ns() + offset;
	ts.tv_sec = sent / 1000000000;
	ts.tv_nsec = sent % 1000000000;
	if (clock_settime(CLOCK_REALTIME, &ts) < 0) {
		fprintf(stderr, "bcmon-clockstep: clock_settime: %s\n", strerror(errno));
		return 1;
	}
	printf("bcmon-clockstep: stepped by %+.3f ms (best round trip %.3f ms of %d)\n",
	       (double)offset / 1e6, (double)best_rtt / 1e6, good);
	return 0;
}
