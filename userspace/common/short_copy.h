/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * copy_short(): memcpy() for the short, variable lengths of names, label
 * values and numbers, inline. A scrape copies a few such strings per
 * series, hundreds of thousands a scrape; each memcpy() call is a jump
 * through the PLT into a vector routine picked for long copies. Up to 32
 * bytes are copied here by two overlapping fixed-size moves, which the
 * compiler turns into plain loads and stores; longer ones go to memcpy().
 * Private to the programs of this tree (not an installed header).
 */
#ifndef BCMON_COMMON_SHORT_COPY_H
#define BCMON_COMMON_SHORT_COPY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void copy_short(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n >= 16 && n <= 32) {
		uint64_t a[2], b[2];

		memcpy(a, s, 16);
		memcpy(b, s + n - 16, 16);
		memcpy(d, a, 16);
		memcpy(d + n - 16, b, 16);
	} else if (n >= 8 && n < 16) {
		uint64_t a, b;

		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t a, b;

		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
	} else if (n < 4) {
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	} else {
		memcpy(d, s, n);
	}
}

#endif
