/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BCMON_EXPORTER_GZIP_H
#define BCMON_EXPORTER_GZIP_H

#include <stddef.h>

#include "strbuf.h"

/* Append the gzip (RFC 1952) encoding of in[0..len) to out; 0 or -errno. */
int gzip_compress(const void *in, size_t len, struct strbuf *out);

/*
 * The same in pieces: text handed over as it is produced is compressed
 * and appended to out, so the whole text never has to be in memory.
 * Functions return 0 or the first -errno (which sticks).
 */
struct gzip_stream;
struct gzip_stream *gzip_stream_new(struct strbuf *out);	/* NULL: ENOMEM */
int gzip_stream_write(struct gzip_stream *gz, const void *in, size_t len);
int gzip_stream_finish(struct gzip_stream *gz);
void gzip_stream_free(struct gzip_stream *gz);
/* The inverse, for tests and the health of mind; 0 or -errno. */
int gzip_decompress(const void *in, size_t len, struct strbuf *out);

#endif
