// SPDX-License-Identifier: GPL-2.0
#include "yamlcfg.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_FILE_MAX (1 << 20)

/*
 * Read to the end, whatever the file is: a pipe or a process substitution
 * (--config.file=<(...)) has no size to trust, and a short read is not
 * the end of a regular file either.
 */
int ycfg_read_file(const char *path, char **text, size_t *len)
{
	size_t cap = 4096, got = 0;
	char *buf, *grown;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (got + 1 == cap) {
			if (cap > CONFIG_FILE_MAX) {
				err = -EFBIG;
				break;
			}
			grown = realloc(buf, cap * 2);
			if (!grown) {
				err = -ENOMEM;
				break;
			}
			buf = grown;
			cap *= 2;
		}
		n = read(fd, buf + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!err && got > CONFIG_FILE_MAX)
		err = -EFBIG;
	if (err) {
		free(buf);
		return err;
	}
	buf[got] = '\0';
	*text = buf;
	*len = got;
	return 0;
}

int ycfg_load(struct ycfg *y, const char *name, const char *text, size_t len,
	      char *err, size_t errlen)
{
	yaml_parser_t parser;
	int ret = 0;

	memset(y, 0, sizeof(*y));
	y->name = name;
	y->err = err;
	y->errlen = errlen;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		snprintf(err, errlen, "%s:%zu: %s%s%s", name,
			 (parser.problem_mark.line ? parser.problem_mark.line
						   : parser.context_mark.line) + 1,
			 parser.problem ? parser.problem : "YAML syntax error",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		ret = -EINVAL;
	}
	yaml_parser_delete(&parser);
	return ret;
}

void ycfg_free(struct ycfg *y)
{
	yaml_document_delete(&y->doc);
}

yaml_node_t *ycfg_root(struct ycfg *y)
{
	return yaml_document_get_root_node(&y->doc);
}

yaml_node_t *ycfg_node(struct ycfg *y, int index)
{
	return yaml_document_get_node(&y->doc, index);
}

int ycfg_fail(struct ycfg *y, const yaml_node_t *node, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(y->err, y->errlen, "%s:%zu: %s", y->name,
		 node ? node->start_mark.line + 1 : 1, why);
	return -EINVAL;
}

static const char *type_word(yaml_node_type_t t)
{
	switch (t) {
	case YAML_SCALAR_NODE:
		return "a value";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

int ycfg_expect(struct ycfg *y, yaml_node_t *n, yaml_node_type_t type, const char *what)
{
	if (n->type != type)
		return ycfg_fail(y, n, "%s must be %s, not %s", what, type_word(type),
				 type_word(n->type));
	return 0;
}

int ycfg_each_pair(struct ycfg *y, yaml_node_t *map, const char *what,
		   ycfg_pair_fn fn, void *ctx)
{
	yaml_node_pair_t *p;

	if (ycfg_expect(y, map, YAML_MAPPING_NODE, what))
		return -EINVAL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ycfg_node(y, p->key), *v = ycfg_node(y, p->value);
		const char *key;
		int err;

		if (ycfg_string(y, k, &key))
			return -EINVAL;
		err = fn(y, key, k, v, ctx);
		if (err)
			return err;
	}
	return 0;
}

bool ycfg_is_null(const yaml_node_t *n)
{
	const char *v = (const char *)n->data.scalar.value;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return !v[0] || !strcmp(v, "~") || !strcmp(v, "null");
}

int ycfg_string(struct ycfg *y, yaml_node_t *n, const char **out)
{
	if (n->type != YAML_SCALAR_NODE)
		return ycfg_fail(y, n, "expected a string, found %s", type_word(n->type));
	*out = (const char *)n->data.scalar.value;
	return 0;
}

int ycfg_u64(struct ycfg *y, yaml_node_t *n, uint64_t max, uint64_t *out)
{
	const char *s;
	char *end;
	unsigned long long v;

	if (ycfg_string(y, n, &s))
		return -EINVAL;
	if (s[0] < '0' || s[0] > '9')
		return ycfg_fail(y, n, "'%s' is not a non-negative integer", s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return ycfg_fail(y, n, "'%s' is not a non-negative integer", s);
	if (v > max)
		return ycfg_fail(y, n, "%s is out of range (at most %llu)", s,
				 (unsigned long long)max);
	*out = v;
	return 0;
}

int ycfg_double(struct ycfg *y, yaml_node_t *n, double *out)
{
	const char *s;
	char *end;
	double v;

	if (ycfg_string(y, n, &s))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (!s[0] || errno || *end || !isfinite(v))
		return ycfg_fail(y, n, "'%s' is not a number", s);
	*out = v;
	return 0;
}
