// SPDX-License-Identifier: GPL-2.0
#include "webconfig.h"

#include <crypt.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yamlcfg.h"

void webconfig_free(struct web_config *wc)
{
	if (!wc)
		return;
	free(wc->cert_pem);
	if (wc->key_pem) {
		/* The private key should not linger in freed heap memory. */
		explicit_bzero(wc->key_pem, strlen(wc->key_pem));
		free(wc->key_pem);
	}
	for (size_t i = 0; i < wc->nusers; i++) {
		free(wc->user[i]);
		free(wc->hash[i]);
	}
	free(wc);
}

static int read_pem(struct ycfg *y, yaml_node_t *n, const char *dir, char **out)
{
	char path[PATH_MAX];
	const char *file;
	size_t len;
	int err;

	if (ycfg_string(y, n, &file))
		return -EINVAL;
	if (file[0] == '/' || !dir)
		snprintf(path, sizeof(path), "%s", file);
	else
		snprintf(path, sizeof(path), "%s/%s", dir, file);
	free(*out);
	*out = NULL;
	err = ycfg_read_file(path, out, &len);
	if (err)
		return ycfg_fail(y, n, "cannot read %s: %s", path, strerror(-err));
	return 0;
}

static int parse_tls(struct ycfg *y, yaml_node_t *n, const char *dir, struct web_config *wc)
{
	yaml_node_pair_t *p;

	if (ycfg_expect(y, n, YAML_MAPPING_NODE, "tls_server_config"))
		return -EINVAL;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ycfg_node(y, p->key), *v = ycfg_node(y, p->value);
		const char *key;
		int err;

		if (ycfg_string(y, k, &key))
			return -EINVAL;
		if (!strcmp(key, "cert_file"))
			err = read_pem(y, v, dir, &wc->cert_pem);
		else if (!strcmp(key, "key_file"))
			err = read_pem(y, v, dir, &wc->key_pem);
		else
			err = ycfg_fail(y, k, "tls_server_config.%s is not supported", key);
		if (err)
			return err;
	}
	if (!wc->cert_pem || !wc->key_pem)
		return ycfg_fail(y, n, "tls_server_config needs cert_file and key_file");
	return 0;
}

static bool is_bcrypt(const char *h)
{
	return !strncmp(h, "$2b$", 4) || !strncmp(h, "$2y$", 4) || !strncmp(h, "$2a$", 4);
}

static int parse_users(struct ycfg *y, yaml_node_t *n, struct web_config *wc)
{
	yaml_node_pair_t *p;

	if (ycfg_expect(y, n, YAML_MAPPING_NODE, "basic_auth_users"))
		return -EINVAL;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ycfg_node(y, p->key), *v = ycfg_node(y, p->value);
		const char *user, *hash;

		if (ycfg_string(y, k, &user) || ycfg_string(y, v, &hash))
			return -EINVAL;
		if (wc->nusers == WEBCONFIG_MAX_USERS)
			return ycfg_fail(y, k, "at most %d users", WEBCONFIG_MAX_USERS);
		if (!user[0] || strchr(user, ':'))
			return ycfg_fail(y, k, "user name must be non-empty without ':'");
		if (!is_bcrypt(hash))
			return ycfg_fail(y, v, "password of '%s' must be a bcrypt hash ($2y$...)",
					 user);
		wc->user[wc->nusers] = strdup(user);
		wc->hash[wc->nusers] = strdup(hash);
		wc->nusers++;
		if (!wc->user[wc->nusers - 1] || !wc->hash[wc->nusers - 1])
			return -ENOMEM;
	}
	return 0;
}

int webconfig_parse(const char *name, const char *dir, const char *text, size_t len,
		    struct web_config **out, char *err, size_t errlen)
{
	struct web_config *wc = calloc(1, sizeof(*wc));
	yaml_node_t *root;
	yaml_node_pair_t *p;
	struct ycfg y;
	int ret;

	if (!wc)
		return -ENOMEM;
	ret = ycfg_load(&y, name, text, len, err, errlen);
	if (ret)
		goto out_free;
	root = ycfg_root(&y);
	if (!root || ycfg_is_null(root))
		goto out_doc;
	ret = ycfg_expect(&y, root, YAML_MAPPING_NODE, "the web configuration");
	for (p = root->data.mapping.pairs.start; !ret && p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ycfg_node(&y, p->key), *v = ycfg_node(&y, p->value);
		const char *key;

		ret = ycfg_string(&y, k, &key);
		if (ret || ycfg_is_null(v))
			continue;
		if (!strcmp(key, "tls_server_config"))
			ret = parse_tls(&y, v, dir, wc);
		else if (!strcmp(key, "basic_auth_users"))
			ret = parse_users(&y, v, wc);
		else
			ret = ycfg_fail(&y, k, "%s is not supported", key);
	}
out_doc:
	ycfg_free(&y);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", name);
	if (ret)
		goto out_free;
	*out = wc;
	return 0;
out_free:
	webconfig_free(wc);
	return ret;
}

int webconfig_load(const char *path, struct web_config **out, char *err, size_t errlen)
{
	char dirbuf[PATH_MAX];
	size_t len;
	char *text;
	int ret;

	ret = ycfg_read_file(path, &text, &len);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	snprintf(dirbuf, sizeof(dirbuf), "%s", path);
	ret = webconfig_parse(path, dirname(dirbuf), text, len, out, err, errlen);
	free(text);
	return ret;
}

/* Compare without an early exit, so timing does not reveal the prefix. */
static bool same_secret(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;

	for (size_t i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

bool webconfig_check_user(const struct web_config *wc, const char *user,
			  const char *password)
{
	struct crypt_data data;
	const char *hash = NULL;
	const char *got;

	for (size_t i = 0; i < wc->nusers; i++)
		if (!strcmp(wc->user[i], user))
			hash = wc->hash[i];
	if (!wc->nusers)
		return false;
	memset(&data, 0, sizeof(data));
	/* An unknown user costs a bcrypt run too, so that the answer's timing
	 * does not tell which user names exist. */
	got = crypt_r(password, hash ? hash : wc->hash[0], &data);
	/* libxcrypt returns "*0"/"*1" (or NULL) on failure, never a match. */
	return hash && got && got[0] == '$' && same_secret(got, hash);
}
