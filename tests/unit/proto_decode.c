// SPDX-License-Identifier: GPL-2.0
/*
 * The protobuf exposition decoded by an independent decoder, for the unit
 * tests: protoc --decode with the schema, message by message after
 * splitting the varint-delimited stream.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "proto_decode.h"

/* Split off the first delimited message of [*p, end): its bytes and size. */
static const unsigned char *next_message(const unsigned char **p,
					 const unsigned char *end, size_t *size)
{
	uint64_t len = 0;
	unsigned int shift = 0;
	const unsigned char *msg;

	while (*p < end) {
		unsigned char b = *(*p)++;

		len |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			break;
		shift += 7;
		assert_true(shift < 64);
	}
	assert_true(len <= (uint64_t)(end - *p));
	msg = *p;
	*p += len;
	*size = (size_t)len;
	return msg;
}

/* protoc's text rendering of one MetricFamily message. */
static char *decode(const unsigned char *msg, size_t size)
{
	char in[] = "/tmp/bcmon-proto-XXXXXX";
	char cmd[1024], *text = NULL;
	size_t cap = 0, len = 0;
	FILE *f;
	int fd = mkstemp(in);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, msg, size), (ssize_t)size);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "protoc --decode=io.prometheus.client.MetricFamily -I/usr/include "
		 "-I%s/userspace/exporter metrics.proto <%s", BCMON_SRCDIR, in);
	f = popen(cmd, "r");
	assert_non_null(f);
	for (;;) {
		if (len + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			text = realloc(text, cap);
			assert_non_null(text);
		}
		size_t n = fread(text + len, 1, cap - len - 1, f);

		if (!n)
			break;
		len += n;
	}
	text[len] = '\0';
	assert_int_equal(pclose(f), 0);
	unlink(in);
	return text;
}

/* The stream in out holds exactly the families whose renderings are given. */
void expect_stream(struct strbuf *out, const char *const *want, size_t n)
{
	const unsigned char *p = (const unsigned char *)out->buf;
	const unsigned char *end = p + out->len;

	for (size_t i = 0; i < n; i++) {
		size_t size;
		const unsigned char *msg;
		char *text;

		assert_true(p < end);
		msg = next_message(&p, end, &size);
		text = decode(msg, size);
		if (strcmp(text, want[i]))
			fail_msg("family %zu decodes as\n%s\nwanted\n%s", i, text, want[i]);
		free(text);
	}
	assert_true(p == end);
}
