/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Small helpers shared by bcmonctl, bcmon-sim and bcmon-exporter (in
 * libbcmon so that all get one copy): number parsing and JSON strings.
 */
#ifndef BCMON_PARSE_H
#define BCMON_PARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decimal only: "010" is ten, not eight (no base prefixes), no sign, no
 * spaces, nothing after the digits. 0, -EINVAL (not such a number) or
 * -ERANGE (outside min..max).
 */
int bcmon_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* The same for a signed value, with an optional leading '-'. */
int bcmon_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/*
 * s as a JSON string literal, quotes included, handed to put in pieces:
 * '"', '\' and control characters escaped, valid UTF-8 kept as it is, and
 * each byte that is not part of valid UTF-8 (a truncated or overlong
 * sequence, a surrogate, a value above U+10FFFF) replaced by U+FFFD, so
 * that the output is always valid JSON whatever the input.
 */
typedef void (*bcmon_json_put_fn)(void *arg, const char *text, size_t len);
void bcmon_json_string(const char *s, bcmon_json_put_fn put, void *arg);

#endif /* BCMON_PARSE_H */
