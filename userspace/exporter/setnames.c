// SPDX-License-Identifier: GPL-2.0
#include "setnames.h"

#include <stdio.h>
#include <string.h>

#include <linux/bcmon.h>

/* s[0..n) ends with "_" + word (or is exactly word, for units). */
static bool ends_with_word_n(const char *s, size_t n, const char *word)
{
	size_t m = strlen(word);

	if (n == m)
		return !memcmp(s, word, m);
	return n > m && s[n - m - 1] == '_' && !memcmp(s + n - m, word, m);
}

bool first_word_reserved(const char *name)
{
	static const char words[] = BCMON_EXPORTER_RESERVED_WORDS;
	size_t first = strcspn(name, "_");

	for (const char *w = words; *w;) {
		size_t len = strcspn(w, ",");

		if (len == first && !strncmp(w, name, len))
			return true;
		w += len;
		if (*w == ',')
			w++;
	}
	return false;
}

static bool ends_with_word(const char *s, const char *word)
{
	return ends_with_word_n(s, strlen(s), word);
}

/* Append n bytes of s at *at, within end; false when it does not fit. */
static bool put(char **at, const char *end, const char *s, size_t n)
{
	if ((size_t)(end - *at) <= n)
		return false;
	memcpy(*at, s, n);
	*at += n;
	return true;
}

/*
 * Plain copies rather than snprintf(): this runs once per metric of every
 * set, 10,000 times in a scrape of 10,000 series. A name that does not fit
 * is cut at len - 1, as snprintf() would.
 */
void set_metric_suffix(const char *set, const char *metric, const char *unit,
		       bool counter, char *out, size_t len)
{
	size_t ls = strlen(set), lm = strlen(metric), lu = unit ? strlen(unit) : 0;
	char *at = out;
	const char *end = out + len;

	if (!len)
		return;
	if (counter && lm > strlen("_total") && ends_with_word(metric, "total"))
		lm -= strlen("_total");
	if (lm > 127)
		lm = 127;	/* as the 128-byte copy of the metric name did */
	if (put(&at, end, set, ls) && put(&at, end, "_", 1) && put(&at, end, metric, lm) &&
	    lu && !ends_with_word_n(metric, lm, unit) && put(&at, end, "_", 1))
		put(&at, end, unit, lu);
	*at = '\0';
}
