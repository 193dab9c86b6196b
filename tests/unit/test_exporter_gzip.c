// SPDX-License-Identifier: GPL-2.0
/* gzip: round trip through our own inflater and check the RFC 1952 header. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gzip.h"

static void round_trip(const char *in, size_t len)
{
	struct strbuf z, back;

	sb_init(&z);
	sb_init(&back);
	assert_int_equal(gzip_compress(in, len, &z), 0);
	/* RFC 1952: magic 1f 8b, method 8 (deflate). */
	assert_true(z.len >= 18);
	assert_int_equal((unsigned char)z.buf[0], 0x1f);
	assert_int_equal((unsigned char)z.buf[1], 0x8b);
	assert_int_equal(z.buf[2], 8);
	assert_int_equal(gzip_decompress(z.buf, z.len, &back), 0);
	assert_int_equal(back.len, len);
	assert_memory_equal(back.buf ? back.buf : "", in, len);
	sb_free(&z);
	sb_free(&back);
}

static void empty_input(void **state)
{
	(void)state;
	round_trip("", 0);
}

static void metrics_text_compresses(void **state)
{
	struct strbuf text, z;

	(void)state;
	sb_init(&text);
	sb_init(&z);
	for (int i = 0; i < 20000; i++)
		sb_printf(&text, "bitcraps_dice_total_%d_total{set=\"dice\"} %d\n", i % 11, i);
	round_trip(text.buf, text.len);
	assert_int_equal(gzip_compress(text.buf, text.len, &z), 0);
	assert_true(z.len * 4 < text.len);
	sb_free(&text);
	sb_free(&z);
}

static void binary_input(void **state)
{
	char buf[65536];
	unsigned int seed = 1;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245 + 12345;
		buf[i] = (char)(seed >> 16);
	}
	round_trip(buf, sizeof(buf));
}

static void corrupt_and_truncated_input_fail(void **state)
{
	struct strbuf z, back;
	const char *text = "hello hello hello hello";

	(void)state;
	sb_init(&z);
	sb_init(&back);
	assert_int_equal(gzip_compress(text, strlen(text), &z), 0);
	assert_int_equal(gzip_decompress(z.buf, z.len / 2, &back), -EINVAL);
	sb_reset(&back);
	z.buf[z.len - 5] ^= 0x55;	/* damage the CRC32 trailer */
	assert_int_equal(gzip_decompress(z.buf, z.len, &back), -EINVAL);
	sb_free(&z);
	sb_free(&back);
}

/* Compressed in uneven pieces, the stream inflates back to the whole. */
static void stream_in_pieces(void **state)
{
	struct strbuf text, z, back;
	struct gzip_stream *gz;
	size_t off = 0, step = 1;

	(void)state;
	sb_init(&text);
	sb_init(&z);
	sb_init(&back);
	for (int i = 0; i < 50000; i++)
		sb_printf(&text, "bitcraps_set%d_c%d_total %d\n", i / 250, i % 250, i * 3);
	gz = gzip_stream_new(&z);
	assert_non_null(gz);
	while (off < text.len) {
		size_t n = text.len - off < step ? text.len - off : step;

		assert_int_equal(gzip_stream_write(gz, text.buf + off, n), 0);
		off += n;
		step = step * 3 + 1;	/* 1, 4, 13, ... up to whole megabytes */
	}
	assert_int_equal(gzip_stream_write(gz, "", 0), 0);
	assert_int_equal(gzip_stream_finish(gz), 0);
	gzip_stream_free(gz);
	assert_true(z.len * 4 < text.len);
	assert_int_equal(gzip_decompress(z.buf, z.len, &back), 0);
	assert_int_equal(back.len, text.len);
	assert_memory_equal(back.buf, text.buf, text.len);
	sb_free(&text);
	sb_free(&z);
	sb_free(&back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_input),
		cmocka_unit_test(metrics_text_compresses),
		cmocka_unit_test(binary_input),
		cmocka_unit_test(corrupt_and_truncated_input_fail),
		cmocka_unit_test(stream_in_pieces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
