// SPDX-License-Identifier: GPL-2.0
/*
 * Accept: a list of media ranges "type/subtype;param=v;q=0.5". The text
 * format is what any range other than OpenMetrics matches ("text/plain",
 * "*\/\*", ...), so OpenMetrics wins only when an openmetrics-text range of
 * a version we serve (1.0.0, or none given) has a strictly higher quality
 * than the best range the text format matches, or the same quality and
 * comes first. Prometheus itself sends
 *   application/openmetrics-text;version=1.0.0,...;q=0.75,text/plain;version=0.0.4;q=0.5,*\/\*;q=0.1
 */
#include "negotiate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TOKEN_MAX 128

struct element {
	char value[TOKEN_MAX];	/* lower-cased, no spaces */
	char version[TOKEN_MAX];
	char proto[TOKEN_MAX];		/* protobuf's message name */
	char encoding[TOKEN_MAX];	/* protobuf's framing */
	double q;
};

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Copy [s, end) trimmed and lower-cased into dst. */
static void copy_token(char *dst, const char *s, const char *end)
{
	size_t n = 0;

	s = skip_ws(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	while (s < end && n < TOKEN_MAX - 1)
		dst[n++] = (char)tolower((unsigned char)*s++);
	dst[n] = '\0';
}

/* Parse one list element [s, end): value then ";name=value" parameters. */
static void parse_element(const char *s, const char *end, struct element *el)
{
	const char *semi = memchr(s, ';', (size_t)(end - s));
	const char *p;

	el->q = 1.0;
	el->version[0] = el->proto[0] = el->encoding[0] = '\0';
	copy_token(el->value, s, semi ? semi : end);
	for (p = semi; p && p < end; p = semi) {
		char param[TOKEN_MAX], *eq;

		p++;
		semi = memchr(p, ';', (size_t)(end - p));
		copy_token(param, p, semi ? semi : end);
		eq = strchr(param, '=');
		if (!eq)
			continue;
		*eq++ = '\0';
		if (*eq == '"') {
			size_t n = strlen(++eq);

			if (n && eq[n - 1] == '"')
				eq[n - 1] = '\0';
		}
		if (!strcmp(param, "q")) {
			char *e;
			double q = strtod(eq, &e);

			el->q = (*e || q < 0 || q > 1) ? 0 : q;
		} else if (!strcmp(param, "version")) {
			snprintf(el->version, sizeof(el->version), "%s", eq);
		} else if (!strcmp(param, "proto")) {
			snprintf(el->proto, sizeof(el->proto), "%s", eq);
		} else if (!strcmp(param, "encoding")) {
			snprintf(el->encoding, sizeof(el->encoding), "%s", eq);
		}
	}
}

/* Calls fn for every element of a comma-separated header; stops on true. */
static void for_each_element(const char *hdr,
			     void (*fn)(const struct element *, void *), void *arg)
{
	const char *s = hdr, *comma;
	struct element el;

	while (s && *s) {
		comma = strchr(s, ',');
		parse_element(s, comma ? comma : s + strlen(s), &el);
		if (el.value[0])
			fn(&el, arg);
		s = comma ? comma + 1 : NULL;
	}
}

struct format_pick {
	double om_q, text_q;
	int om_pos, text_pos, pos;
};

static void rank_format(const struct element *el, void *arg)
{
	struct format_pick *pk = arg;

	pk->pos++;
	if (!strcmp(el->value, "application/openmetrics-text")) {
		if ((!el->version[0] || !strcmp(el->version, "1.0.0")) && el->q > pk->om_q) {
			pk->om_q = el->q;
			pk->om_pos = pk->pos;
		}
		return;
	}
	if (!strcmp(el->value, "text/plain") || !strcmp(el->value, "text/*") ||
	    !strcmp(el->value, "*/*")) {
		if (el->q > pk->text_q) {
			pk->text_q = el->q;
			pk->text_pos = pk->pos;
		}
	}
}

enum expo_format negotiate_format(const char *accept)
{
	struct format_pick pk = { 0 };

	if (!accept)
		return EXPO_FMT_TEXT;
	for_each_element(accept, rank_format, &pk);
	if (pk.om_q > 0 && (pk.om_q > pk.text_q ||
			    (pk.om_q == pk.text_q && pk.om_pos < pk.text_pos)))
		return EXPO_FMT_OPENMETRICS;
	return EXPO_FMT_TEXT;
}

/*
 * Protobuf: "application/vnd.google.protobuf" naming the message
 * io.prometheus.client.MetricFamily (parameters are lower-cased, so the
 * name is compared that way) with the delimited encoding, which is what
 * Prometheus asks for when native histograms are on:
 *   application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;
 *   encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,...
 */
struct proto_pick {
	struct format_pick text;
	double q;
	int pos;
};

static void rank_protobuf(const struct element *el, void *arg)
{
	struct proto_pick *pk = arg;

	rank_format(el, &pk->text);
	if (!strcmp(el->value, "application/vnd.google.protobuf") &&
	    !strcmp(el->proto, "io.prometheus.client.metricfamily") &&
	    !strcmp(el->encoding, "delimited") && el->q > pk->q) {
		pk->q = el->q;
		pk->pos = pk->text.pos;
	}
}

bool negotiate_protobuf(const char *accept)
{
	struct proto_pick pk = { 0 };
	double best;
	int best_pos;

	if (!accept)
		return false;
	for_each_element(accept, rank_protobuf, &pk);
	best = pk.text.om_q > pk.text.text_q ? pk.text.om_q : pk.text.text_q;
	best_pos = pk.text.om_q > pk.text.text_q ? pk.text.om_pos : pk.text.text_pos;
	if (pk.text.om_q == pk.text.text_q && pk.text.om_q > 0)
		best_pos = pk.text.om_pos < pk.text.text_pos ? pk.text.om_pos : pk.text.text_pos;
	return pk.q > 0 && (pk.q > best || (pk.q == best && pk.pos < best_pos));
}

struct gzip_pick {
	double gzip_q, star_q;
	bool gzip_seen, star_seen;
};

static void rank_encoding(const struct element *el, void *arg)
{
	struct gzip_pick *pk = arg;

	if (!strcmp(el->value, "gzip") || !strcmp(el->value, "x-gzip")) {
		pk->gzip_seen = true;
		if (el->q > pk->gzip_q)
			pk->gzip_q = el->q;
	} else if (!strcmp(el->value, "*")) {
		pk->star_seen = true;
		if (el->q > pk->star_q)
			pk->star_q = el->q;
	}
}

bool negotiate_gzip(const char *accept_encoding)
{
	struct gzip_pick pk = { 0 };

	if (!accept_encoding)
		return false;
	for_each_element(accept_encoding, rank_encoding, &pk);
	if (pk.gzip_seen)
		return pk.gzip_q > 0;
	return pk.star_seen && pk.star_q > 0;
}
