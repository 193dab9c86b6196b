// SPDX-License-Identifier: GPL-2.0
#include "setnames.h"

#include <stdio.h>
#include <string.h>

#include <linux/bcmon.h>

/* s ends with "_" + word (or is exactly word, for units). */
static bool ends_with_word(const char *s, const char *word)
{
	size_t n = strlen(s), m = strlen(word);

	if (n == m)
		return !strcmp(s, word);
	return n > m && s[n - m - 1] == '_' && !strcmp(s + n - m, word);
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

void set_metric_suffix(const char *set, const char *metric, const char *unit,
		       bool counter, char *out, size_t len)
{
	char base[128];
	size_t n;

	snprintf(base, sizeof(base), "%s", metric);
	n = strlen(base);
	if (counter && n > strlen("_total") && ends_with_word(base, "total"))
		base[n - strlen("_total")] = '\0';
	if (unit && unit[0] && !ends_with_word(base, unit))
		snprintf(out, len, "%s_%s_%s", set, base, unit);
	else
		snprintf(out, len, "%s_%s", set, base);
}
