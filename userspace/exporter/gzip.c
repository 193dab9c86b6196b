// SPDX-License-Identifier: GPL-2.0
/* gzip through zlib: windowBits 15 + 16 selects the gzip wrapper. */
#include "gzip.h"

#include <errno.h>
#include <limits.h>
#include <zlib.h>

/* Level 1: metric text compresses ~10x even at the fastest level, and the
 * scrape's CPU cost is what this exporter is judged by. */
#define GZIP_LEVEL 1

int gzip_compress(const void *in, size_t len, struct strbuf *out)
{
	z_stream zs = { 0 };
	int ret;

	if (len > UINT_MAX)
		return -EFBIG;
	if (deflateInit2(&zs, GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	if (!sb_reserve(out, deflateBound(&zs, (uLong)len))) {
		deflateEnd(&zs);
		return -ENOMEM;
	}
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out->buf + out->len;
	zs.avail_out = (uInt)(out->cap - out->len - 1);
	ret = deflate(&zs, Z_FINISH);
	if (ret == Z_STREAM_END)
		out->len += zs.total_out;
	deflateEnd(&zs);
	return ret == Z_STREAM_END ? 0 : -EIO;
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
