// SPDX-License-Identifier: GPL-2.0
#include "metric_spec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bcmon/parse.h>

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

/*
 * The native histogram's options: native=SCHEMA makes it native; zero=,
 * max= and neg refine it and mean nothing without it (checked once the
 * whole spec is read, as options come in any order). Ranges the module
 * decides (max's upper end is its max_native_buckets) are left to it.
 */
static int parse_native_option(const char *opt, struct parsed_spec *out, char *err,
			       size_t errlen)
{
	int64_t schema;
	uint64_t v;

	if (!strncmp(opt, "native=", 7)) {
		if (bcmon_parse_i64(opt + 7, -4, 8, &schema)) {
			snprintf(err, errlen, "bad native schema '%s' (-4..8)", opt + 7);
			return -1;
		}
		out->spec.native = true;
		out->spec.native_schema = (int32_t)schema;
	} else if (!strncmp(opt, "zero=", 5)) {
		if (bcmon_parse_u64(opt + 5, 0, UINT64_MAX, &v)) {
			snprintf(err, errlen, "bad zero threshold '%s'", opt + 5);
			return -1;
		}
		out->spec.native_zero_threshold = v;
		out->native_refined = true;
	} else if (!strncmp(opt, "max=", 4)) {
		if (bcmon_parse_u64(opt + 4, 8, UINT32_MAX, &v)) {
			snprintf(err, errlen, "bad bucket limit '%s' (8 or more)", opt + 4);
			return -1;
		}
		out->spec.native_max_buckets = (uint32_t)v;
		out->native_refined = true;
	} else if (!strcmp(opt, "neg")) {
		out->spec.native_negative = true;
		out->native_refined = true;
	} else {
		return 1;
	}
	return 0;
}

static int parse_option(char *opt, struct parsed_spec *out, char *err,
			size_t errlen)
{
	int native = parse_native_option(opt, out, err, errlen);

	char *end;
	long v;

	if (native <= 0)
		return native;
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
	if (out->native_refined && !out->spec.native) {
		snprintf(err, errlen, "zero=, max= and neg go with native=SCHEMA");
		return -1;
	}
	if (out->spec.native && out->spec.kind != BCMON_KIND_HISTOGRAM) {
		snprintf(err, errlen, "native= is for histograms");
		return -1;
	}
	return 0;
}
