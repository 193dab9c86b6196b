// SPDX-License-Identifier: LGPL-2.1
#include <bcmon/parse.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int bcmon_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;

	if (!s || !all_digits(s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, NULL, 10);
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int bcmon_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int64_t v;

	if (!s || !all_digits(s[0] == '-' ? s + 1 : s))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, NULL, 10);
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629), or 0. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		/* no overlongs (e0 a0..), no surrogates (ed 80..9f) */
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;

		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		/* no overlongs (f0 90..), nothing above U+10FFFF (f4 8f..) */
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;

		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
		       (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

void bcmon_json_string(const char *str, bcmon_json_put_fn put, void *arg)
{
	const unsigned char *s = (const unsigned char *)str, *run = s;
	static const char hex[] = "0123456789abcdef";

	put(arg, "\"", 1);
	while (*s) {
		const char *esc = NULL;
		char u[7];
		size_t n = 1;

		if (*s == '"')
			esc = "\\\"";
		else if (*s == '\\')
			esc = "\\\\";
		else if (*s == '\n')
			esc = "\\n";
		else if (*s == '\t')
			esc = "\\t";
		else if (*s == '\r')
			esc = "\\r";
		else if (*s < 0x20) {
			u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
			u[4] = hex[*s >> 4]; u[5] = hex[*s & 15]; u[6] = '\0';
			esc = u;
		} else if (*s >= 0x80) {
			n = utf8_len(s);
			if (!n) {
				esc = "\\ufffd";
				n = 1;
			}
		}
		if (!esc) {
			s += n;
			continue;
		}
		put(arg, (const char *)run, (size_t)(s - run));
		put(arg, esc, strlen(esc));
		s += n;
		run = s;
	}
	put(arg, (const char *)run, (size_t)(s - run));
	put(arg, "\"", 1);
}
