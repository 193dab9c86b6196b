// SPDX-License-Identifier: GPL-2.0
/*
 * bcmonctl add|set|observe SET METRIC VALUE [LABEL=VALUE]... [METRIC VALUE
 * [LABEL=VALUE]...]...: all updates go to the kernel in one batched
 * message, applied all or nothing. The LABEL=VALUE words after a pair name
 * the series of a labeled metric (a metric name never contains '='). An
 * observation may carry an exemplar, @TRACE_ID:SPAN_ID in hex (32 and 16
 * digits, as in a W3C traceparent; a metric name never starts with '@').
 *
 * bcmonctl delete SET METRIC LABEL=VALUE...: delete one series.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bcmon/libbcmon.h>
#include <bcmon/parse.h>

#include "ctl.h"

typedef int (*queue_fn)(struct bcmon_batch *b, const struct bcmon_label *labels,
			size_t n, const char *metric, int64_t v,
			const struct bcmon_exemplar *ex);

struct update {
	const char *metric;
	int64_t value;
	size_t n_labels;
	struct bcmon_label labels[BCMON_LABELS_MAX];
	bool has_exemplar;
	struct bcmon_exemplar exemplar;
};

/* len bytes from 2 * len hex digits; -1 on anything else. */
static int parse_hex(const char *s, size_t digits, uint8_t *out)
{
	for (size_t i = 0; i < digits; i++) {
		int c = s[i], v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return -1;
		if (i % 2)
			out[i / 2] = (uint8_t)(out[i / 2] << 4 | v);
		else
			out[i / 2] = (uint8_t)v;
	}
	return 0;
}

/* "@TRACE_ID:SPAN_ID" into ex; -1 when malformed. */
static int parse_exemplar(const char *word, struct bcmon_exemplar *ex)
{
	const size_t trace = 2 * BCMON_TRACE_ID_LEN, span = 2 * BCMON_SPAN_ID_LEN;

	if (strlen(word) != 1 + trace + 1 + span || word[0] != '@' ||
	    word[1 + trace] != ':')
		return -1;
	return parse_hex(word + 1, trace, ex->trace_id) ||
	       parse_hex(word + 2 + trace, span, ex->span_id) ? -1 : 0;
}

/* Decimal: "010" is ten, as a person writing it means. */
static int parse_value(const char *s, int64_t *out)
{
	return bcmon_parse_i64(s, INT64_MIN, INT64_MAX, out) ? -1 : 0;
}

/* NAME=VALUE into l (pointing into word, which is modified). */
static int parse_label(char *word, struct bcmon_label *l)
{
	char *eq = strchr(word, '=');

	if (!eq || eq == word)
		return -1;
	*eq = '\0';
	l->name = word;
	l->value = eq + 1;
	return 0;
}

/*
 * words: METRIC VALUE [LABEL=VALUE]... repeated. Fills up to max updates;
 * returns how many, or -1 after printing why.
 */
static int parse_updates(const char *verb, int argc, char **argv,
			 struct update *u, int max)
{
	int n = 0;

	for (int i = 0; i < argc;) {
		if (strchr(argv[i], '=') || argv[i][0] == '@') {
			fprintf(stderr, "bcmonctl %s: '%s': a label or exemplar must follow METRIC VALUE\n",
				verb, argv[i]);
			return -1;
		}
		if (i + 1 >= argc || n == max) {
			fprintf(stderr, "bcmonctl %s: '%s' has no value\n", verb, argv[i]);
			return -1;
		}
		u[n].metric = argv[i];
		u[n].n_labels = 0;
		u[n].has_exemplar = false;
		if (parse_value(argv[i + 1], &u[n].value)) {
			fprintf(stderr, "bcmonctl %s: '%s' is not an integer\n", verb, argv[i + 1]);
			return -1;
		}
		for (i += 2; i < argc && (strchr(argv[i], '=') || argv[i][0] == '@'); i++) {
			if (argv[i][0] == '@') {
				if (strcmp(verb, "observe") || u[n].has_exemplar ||
				    parse_exemplar(argv[i], &u[n].exemplar)) {
					fprintf(stderr, "bcmonctl %s: bad exemplar '%s' (one @TRACE_ID:SPAN_ID, %d and %d hex digits, observe only)\n",
						verb, argv[i], 2 * BCMON_TRACE_ID_LEN,
						2 * BCMON_SPAN_ID_LEN);
					return -1;
				}
				u[n].has_exemplar = true;
				continue;
			}
			if (u[n].n_labels == BCMON_LABELS_MAX ||
			    parse_label(argv[i], &u[n].labels[u[n].n_labels])) {
				fprintf(stderr, "bcmonctl %s: bad label '%s' (NAME=VALUE, at most %d)\n",
					verb, argv[i], BCMON_LABELS_MAX);
				return -1;
			}
			u[n].n_labels++;
		}
		n++;
	}
	return n;
}

static int run_update(const char *verb, queue_fn queue, int argc, char **argv)
{
	struct bcmon_batch *b = NULL;
	struct update *u;
	struct bcmon *bc = NULL;
	int rc = CTL_EXIT_FAIL, err = 0, n;

	if (argc < 3) {
		fprintf(stderr, "Usage: bcmonctl %s SET METRIC VALUE [LABEL=VALUE]...%s [METRIC VALUE ...]...\n",
			verb, strcmp(verb, "observe") ? "" : " [@TRACE_ID:SPAN_ID]");
		return CTL_EXIT_USAGE;
	}
	u = calloc((size_t)argc, sizeof(*u));
	if (!u) {
		fprintf(stderr, "bcmonctl: out of memory\n");
		return CTL_EXIT_FAIL;
	}
	n = parse_updates(verb, argc - 1, argv + 1, u, argc);
	if (n <= 0) {
		free(u);
		return CTL_EXIT_USAGE;
	}
	bc = ctl_connect();
	if (!bc)
		goto out;
	b = bcmon_batch_new(bc, argv[0], (size_t)n);
	if (!b) {
		fprintf(stderr, "bcmonctl %s: bad set name or out of memory\n", verb);
		goto out;
	}
	/* max_entries is the update count: the last queue() sends the batch. */
	for (int i = 0; i < n && !err; i++)
		err = queue(b, u[i].labels, u[i].n_labels, u[i].metric, u[i].value,
			    u[i].has_exemplar ? &u[i].exemplar : NULL);
	if (err == -ENAMETOOLONG)
		fprintf(stderr, "bcmonctl: %s %s: metric name too long\n", verb, argv[0]);
	else if (err)
		fprintf(stderr, "bcmonctl: %s %s: %s\n", verb, argv[0], bcmon_strerror(bc));
	else
		rc = CTL_EXIT_OK;
out:
	bcmon_batch_free(b);
	if (bc)
		bcmon_close(bc);
	free(u);
	return rc;
}

/* The library's calls behind one queue_fn (exemplars: observe only). */
static int queue_add(struct bcmon_batch *b, const struct bcmon_label *labels,
		     size_t n, const char *metric, int64_t v,
		     const struct bcmon_exemplar *ex)
{
	(void)ex;
	return bcmon_batch_add_labels(b, metric, labels, n, v);
}

static int queue_set(struct bcmon_batch *b, const struct bcmon_label *labels,
		     size_t n, const char *metric, int64_t v,
		     const struct bcmon_exemplar *ex)
{
	(void)ex;
	return bcmon_batch_set_labels(b, metric, labels, n, v);
}

static int queue_observe(struct bcmon_batch *b, const struct bcmon_label *labels,
			 size_t n, const char *metric, int64_t v,
			 const struct bcmon_exemplar *ex)
{
	return ex ? bcmon_batch_observe_exemplar(b, metric, labels, n, v, ex) :
		    bcmon_batch_observe_labels(b, metric, labels, n, v);
}

int cmd_add(const struct ctl_options *opts, int argc, char **argv)
{
	(void)opts;
	return run_update("add", queue_add, argc, argv);
}

int cmd_set(const struct ctl_options *opts, int argc, char **argv)
{
	(void)opts;
	return run_update("set", queue_set, argc, argv);
}

int cmd_observe(const struct ctl_options *opts, int argc, char **argv)
{
	(void)opts;
	return run_update("observe", queue_observe, argc, argv);
}

int cmd_delete(const struct ctl_options *opts, int argc, char **argv)
{
	struct bcmon_label labels[BCMON_LABELS_MAX];
	struct bcmon *bc;
	int n = argc - 2, rc = CTL_EXIT_FAIL;

	(void)opts;
	if (argc < 3 || n > BCMON_LABELS_MAX) {
		fprintf(stderr, "Usage: bcmonctl delete SET METRIC LABEL=VALUE...\n");
		return CTL_EXIT_USAGE;
	}
	for (int i = 0; i < n; i++) {
		if (parse_label(argv[i + 2], &labels[i])) {
			fprintf(stderr, "bcmonctl delete: bad label '%s' (NAME=VALUE)\n", argv[i + 2]);
			return CTL_EXIT_USAGE;
		}
	}
	bc = ctl_connect();
	if (!bc)
		return CTL_EXIT_FAIL;
	if (bcmon_series_delete(bc, argv[0], argv[1], labels, (size_t)n))
		fprintf(stderr, "bcmonctl: delete %s %s: %s\n", argv[0], argv[1],
			bcmon_strerror(bc));
	else
		rc = CTL_EXIT_OK;
	bcmon_close(bc);
	return rc;
}
