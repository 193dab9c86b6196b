// SPDX-License-Identifier: GPL-2.0
#include "metric_spec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_bounds(char *list, struct parsed_spec *out, char *err,
			size_t errlen)
{
	char *save = NULL, *tok;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long long v;

		if (out->spec.n_bounds >= SPEC_MAX_BOUNDS) {
			snprintf(err, errlen, "more than %d bounds", SPEC_MAX_BOUNDS);
			return -1;
		}
		errno = 0;
		v = strtoull(tok, &end, 10);
		if (errno || *end || end == tok || *tok == '-') {
			snprintf(err, errlen, "bad bound '%s'", tok);
			return -1;
		}
		out->bounds[out->spec.n_bounds++] = v;
	}
	out->spec.bounds = out->bounds;
	return 0;
}

/* labels=L1,L2,...: the label names of a labeled metric, checked by the kernel. */
static int parse_labels(char *list, struct parsed_spec *out, char *err,
			size_t errlen)
{
	char *save = NULL, *tok;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (out->spec.n_labels >= BCMON_LABELS_MAX) {
			snprintf(err, errlen, "more than %d labels", BCMON_LABELS_MAX);
			return -1;
		}
		out->labels[out->spec.n_labels++] = tok;
	}
	if (!out->spec.n_labels) {
		snprintf(err, errlen, "labels= needs at least one name");
		return -1;
	}
	out->spec.label_names = out->labels;
	return 0;
}

static int parse_option(char *opt, struct parsed_spec *out, char *err,
			size_t errlen)
{
	char *end;
	long v;

	if (!strncmp(opt, "unit=", 5)) {
		out->spec.unit = opt + 5;
	} else if (!strncmp(opt, "scale=", 6)) {
		errno = 0;
		v = strtol(opt + 6, &end, 10);
		if (errno || *end || end == opt + 6 || v < -18 || v > 18) {
			snprintf(err, errlen, "bad scale '%s' (-18..18)", opt + 6);
			return -1;
		}
		out->spec.scale = (int32_t)v;
	} else if (!strncmp(opt, "bounds=", 7)) {
		return parse_bounds(opt + 7, out, err, errlen);
	} else if (!strncmp(opt, "labels=", 7)) {
		return parse_labels(opt + 7, out, err, errlen);
	} else {
		snprintf(err, errlen, "unknown option '%s'", opt);
		return -1;
	}
	return 0;
}

int metric_spec_parse(const char *arg, struct parsed_spec *out, char *err,
		      size_t errlen)
{
	char *p, *next, *help;

	memset(out, 0, sizeof(*out));
	if (strlen(arg) >= sizeof(out->text)) {
		snprintf(err, errlen, "spec too long");
		return -1;
	}
	strcpy(out->text, arg);
	help = strstr(out->text, ":help=");
	if (help) {
		*help = '\0';
		out->spec.help = help + 6;
	}
	out->spec.name = out->text;
	p = strchr(out->text, ':');
	if (!p) {
		snprintf(err, errlen, "'%s': expected NAME:KIND", arg);
		return -1;
	}
	*p++ = '\0';
	next = strchr(p, ':');
	if (next)
		*next++ = '\0';
	out->spec.kind = bcmon_kind_parse(p);
	if (!out->spec.kind) {
		snprintf(err, errlen, "unknown kind '%s' (counter, gauge, histogram)", p);
		return -1;
	}
	while (next) {
		p = next;
		next = strchr(p, ':');
		if (next)
			*next++ = '\0';
		if (parse_option(p, out, err, errlen))
			return -1;
	}
	return 0;
}
