/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests: the protobuf exposition as protoc decodes it (proto_decode.c). */
#ifndef BCMON_TESTS_PROTO_DECODE_H
#define BCMON_TESTS_PROTO_DECODE_H

#include <stddef.h>

#include "strbuf.h"

/*
 * Fails the test unless the delimited stream in out holds exactly n
 * families, each rendered by protoc --decode as want[i].
 */
void expect_stream(struct strbuf *out, const char *const *want, size_t n);

#endif
