/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BCMON_EXPORTER_GZIP_H
#define BCMON_EXPORTER_GZIP_H

#include <stddef.h>

#include "strbuf.h"

/* Append the gzip (RFC 1952) encoding of in[0..len) to out; 0 or -errno. */
int gzip_compress(const void *in, size_t len, struct strbuf *out);
/* The inverse, for tests and the health of mind; 0 or -errno. */
int gzip_decompress(const void *in, size_t len, struct strbuf *out);

#endif
