/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growable byte buffer. Allocation failure is sticky: later appends are
 * no-ops and sb_failed() reports it once at the end, so that writers need
 * no error check after every character.
 */
#ifndef BCMON_EXPORTER_STRBUF_H
#define BCMON_EXPORTER_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "../common/short_copy.h"

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
	bool failed;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
bool sb_reserve(struct strbuf *sb, size_t extra);
void sb_putn_slow(struct strbuf *sb, const char *s, size_t n);

/*
 * The appends are inline with their common case (the room is there) first:
 * the writer calls them a dozen times per sample line, 100,000 lines a
 * scrape, and a call into another file each time showed in the profile.
 */
static inline void sb_putn(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + n < sb->cap && !sb->failed) {
		copy_short(sb->buf + sb->len, s, n);
		sb->len += n;
		sb->buf[sb->len] = '\0';
		return;
	}
	sb_putn_slow(sb, s, n);
}

static inline void sb_puts(struct strbuf *sb, const char *s)
{
	sb_putn(sb, s, strlen(s));
}

static inline void sb_putc(struct strbuf *sb, char c)
{
	sb_putn(sb, &c, 1);
}
__attribute__((format(printf, 2, 3)))
void sb_printf(struct strbuf *sb, const char *fmt, ...);
static inline bool sb_failed(const struct strbuf *sb) { return sb->failed; }
/* NUL-terminated contents; "" when empty. Valid until the next append. */
const char *sb_str(struct strbuf *sb);
/* Hand the allocation to the caller (may be NULL when empty); sb is reset. */
char *sb_steal(struct strbuf *sb, size_t *len);

#endif
