// SPDX-License-Identifier: GPL-2.0
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum log_level threshold = LOG_LVL_INFO;
static const char *const names[] = { "debug", "info", "warn", "error" };

int log_level_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

void log_set_level(enum log_level lvl)
{
	threshold = lvl;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	char msg[1024], quoted[2100], ts[40];
	size_t q = 0;
	struct timespec now;
	struct tm tm;
	va_list ap;

	if (lvl < threshold)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* logfmt: the message is one quoted value. */
	for (const char *m = msg; *m && q < sizeof(quoted) - 3; m++) {
		if (*m == '"' || *m == '\\')
			quoted[q++] = '\\';
		quoted[q++] = *m == '\n' ? ' ' : *m;
	}
	quoted[q] = '\0';
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	/* One fprintf per line so that lines from two threads never mix. */
	fprintf(stderr, "ts=%s.%03ldZ level=%s msg=\"%s\"\n", ts,
		now.tv_nsec / 1000000, names[lvl], quoted);
}
