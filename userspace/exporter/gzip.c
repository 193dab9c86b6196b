// SPDX-License-Identifier: GPL-2.0
/* gzip through zlib: windowBits 15 + 16 selects the gzip wrapper. */
#include "gzip.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <zlib.h>

/* Level 1: metric text compresses ~10x even at the fastest level, and the
 * scrape's CPU cost is what this exporter is judged by. */
#define GZIP_LEVEL 1
/* Output room added per deflate call. */
#define GZIP_OUT_STEP (16 * 1024)

struct gzip_stream {
	z_stream zs;
	struct strbuf *out;
	int err;
};

struct gzip_stream *gzip_stream_new(struct strbuf *out)
{
	struct gzip_stream *gz = calloc(1, sizeof(*gz));

	if (!gz)
		return NULL;
	if (deflateInit2(&gz->zs, GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		free(gz);
		return NULL;
	}
	gz->out = out;
	return gz;
}

/* Deflate until the input is consumed (and, with Z_FINISH, the stream ends). */
static int run_deflate(struct gzip_stream *gz, int flush)
{
	z_stream *zs = &gz->zs;
	int ret;

	for (;;) {
		size_t room;

		if (!sb_reserve(gz->out, GZIP_OUT_STEP))
			return -ENOMEM;
		room = gz->out->cap - gz->out->len - 1;
		if (room > UINT_MAX)
			room = UINT_MAX;
		zs->next_out = (Bytef *)gz->out->buf + gz->out->len;
		zs->avail_out = (uInt)room;
		ret = deflate(zs, flush);
		gz->out->len += room - zs->avail_out;
		if (ret == Z_STREAM_END)
			return 0;
		if (ret != Z_OK && ret != Z_BUF_ERROR)
			return -EIO;
		/* Done when the input is used up and deflate had room left. */
		if (flush == Z_NO_FLUSH && !zs->avail_in && zs->avail_out)
			return 0;
	}
}

int gzip_stream_write(struct gzip_stream *gz, const void *in, size_t len)
{
	const Bytef *p = in;

	while (!gz->err && len) {
		uInt n = len > UINT_MAX ? UINT_MAX : (uInt)len;

		gz->zs.next_in = (Bytef *)p;
		gz->zs.avail_in = n;
		gz->err = run_deflate(gz, Z_NO_FLUSH);
		p += n;
		len -= n;
	}
	return gz->err;
}

int gzip_stream_finish(struct gzip_stream *gz)
{
	if (!gz->err) {
		gz->zs.next_in = NULL;
		gz->zs.avail_in = 0;
		gz->err = run_deflate(gz, Z_FINISH);
	}
	return gz->err;
}

void gzip_stream_free(struct gzip_stream *gz)
{
	if (!gz)
		return;
	deflateEnd(&gz->zs);
	free(gz);
}

int gzip_compress(const void *in, size_t len, struct strbuf *out)
{
	struct gzip_stream *gz = gzip_stream_new(out);
	int err;

	if (!gz)
		return -ENOMEM;
	err = gzip_stream_write(gz, in, len);
	if (!err)
		err = gzip_stream_finish(gz);
	gzip_stream_free(gz);
	return err;
}

int gzip_decompress(const void *in, size_t len, struct strbuf *out)
{
	z_stream zs = { 0 };
	int ret = Z_OK;

	if (len > UINT_MAX)
		return -EFBIG;
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return -ENOMEM;
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)len;
	while (ret != Z_STREAM_END) {
		size_t before;

		if (!sb_reserve(out, 4096)) {
			ret = Z_MEM_ERROR;
			break;
		}
		zs.next_out = (Bytef *)out->buf + out->len;
		zs.avail_out = (uInt)(out->cap - out->len - 1);
		before = zs.avail_out;
		ret = inflate(&zs, Z_NO_FLUSH);
		out->len += before - zs.avail_out;
		out->buf[out->len] = '\0';
		if (ret != Z_OK && ret != Z_STREAM_END)
			break;
		if (ret == Z_OK && zs.avail_in == 0 && before == zs.avail_out)
			break;	/* truncated input */
	}
	inflateEnd(&zs);
	if (ret == Z_MEM_ERROR)
		return -ENOMEM;
	return ret == Z_STREAM_END ? 0 : -EINVAL;
}
