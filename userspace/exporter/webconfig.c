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
	free(wc->client_ca_pem);
	free(wc->cert_path);
	free(wc->key_path);
	free(wc->client_ca_path);
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

static int read_pem(struct ycfg *y, yaml_node_t *n, const char *dir, char **out,
		    char **path_out)
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
	free(*path_out);
	*path_out = strdup(path);
	if (!*path_out)
		return -ENOMEM;
	err = ycfg_read_file(path, out, &len);
	if (err)
		return ycfg_fail(y, n, "cannot read %s: %s", path, strerror(-err));
	return 0;
}

static const char *const client_auth_names[] = {
	"NoClientCert", "RequestClientCert", "RequireAnyClientCert",
	"VerifyClientCertIfGiven", "RequireAndVerifyClientCert",
};

const char *webconfig_client_auth_name(enum client_auth a)
{
	return client_auth_names[a];
}

static int parse_client_auth(struct ycfg *y, yaml_node_t *v, enum client_auth *out)
{
	const char *s;

	if (ycfg_string(y, v, &s))
		return -EINVAL;
	for (size_t i = 0; i < sizeof(client_auth_names) / sizeof(client_auth_names[0]); i++)
		if (!strcmp(s, client_auth_names[i])) {
			*out = (enum client_auth)i;
			return 0;
		}
	return ycfg_fail(y, v, "client_auth_type '%s' is not one of NoClientCert, "
			 "RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, "
			 "RequireAndVerifyClientCert", s);
}

static int parse_min_version(struct ycfg *y, yaml_node_t *v, unsigned int *out)
{
	static const char *const names[] = { "TLS10", "TLS11", "TLS12", "TLS13" };
	const char *s;

	if (ycfg_string(y, v, &s))
		return -EINVAL;
	for (unsigned int i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*out = 0x0301 + i;
			return 0;
		}
	return ycfg_fail(y, v, "min_version '%s' is not one of TLS10, TLS11, TLS12, TLS13", s);
}

/* What the key handlers below fill in, and where relative PEM paths start. */
struct web_ctx {
	const char *dir;
	struct web_config *wc;
};

static int tls_key(struct ycfg *y, const char *key, yaml_node_t *k,
		   yaml_node_t *v, void *ctx)
{
	struct web_ctx *web = ctx;

	if (!strcmp(key, "cert_file"))
		return read_pem(y, v, web->dir, &web->wc->cert_pem, &web->wc->cert_path);
	if (!strcmp(key, "key_file"))
		return read_pem(y, v, web->dir, &web->wc->key_pem, &web->wc->key_path);
	if (!strcmp(key, "client_ca_file"))
		return read_pem(y, v, web->dir, &web->wc->client_ca_pem,
				&web->wc->client_ca_path);
	if (!strcmp(key, "client_auth_type"))
		return parse_client_auth(y, v, &web->wc->client_auth);
	if (!strcmp(key, "min_version"))
		return parse_min_version(y, v, &web->wc->min_version);
	return ycfg_fail(y, k, "tls_server_config.%s is not supported", key);
}

static int parse_tls(struct ycfg *y, yaml_node_t *n, struct web_ctx *web)
{
	int err;

	err = ycfg_each_pair(y, n, "tls_server_config", tls_key, web);
	if (err)
		return err;
	if (!web->wc->cert_pem || !web->wc->key_pem)
		return ycfg_fail(y, n, "tls_server_config needs cert_file and key_file");
	/* As exporter-toolkit: verifying needs the CAs to verify against. */
	if ((web->wc->client_auth == CLIENT_AUTH_VERIFY_IF_GIVEN ||
	     web->wc->client_auth == CLIENT_AUTH_REQUIRE_VERIFY) && !web->wc->client_ca_pem)
		return ycfg_fail(y, n, "client_auth_type %s needs client_ca_file",
				 client_auth_names[web->wc->client_auth]);
	if (web->wc->client_ca_pem && web->wc->client_auth == CLIENT_AUTH_NONE)
		return ycfg_fail(y, n, "client_ca_file is set but client_auth_type is NoClientCert");
	return 0;
}

static bool is_bcrypt(const char *h)
{
	return !strncmp(h, "$2b$", 4) || !strncmp(h, "$2y$", 4) || !strncmp(h, "$2a$", 4);
}

static int user_pair(struct ycfg *y, const char *user, yaml_node_t *k,
		     yaml_node_t *v, void *ctx)
{
	struct web_config *wc = ctx;
	const char *hash;

	if (ycfg_string(y, v, &hash))
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
	return 0;
}

static int root_key(struct ycfg *y, const char *key, yaml_node_t *k,
		    yaml_node_t *v, void *ctx)
{
	struct web_ctx *web = ctx;

	if (ycfg_is_null(v))
		return 0;
	if (!strcmp(key, "tls_server_config"))
		return parse_tls(y, v, web);
	if (!strcmp(key, "basic_auth_users"))
		return ycfg_each_pair(y, v, "basic_auth_users", user_pair, web->wc);
	return ycfg_fail(y, k, "%s is not supported", key);
}

int webconfig_parse(const char *name, const char *dir, const char *text, size_t len,
		    struct web_config **out, char *err, size_t errlen)
{
	struct web_config *wc = calloc(1, sizeof(*wc));
	struct web_ctx web = { .dir = dir, .wc = wc };
	yaml_node_t *root;
	struct ycfg y;
	int ret;

	if (!wc)
		return -ENOMEM;
	wc->min_version = 0x0303;	/* TLS 1.2, exporter-toolkit's default */
	ret = ycfg_load(&y, name, text, len, err, errlen);
	if (ret)
		goto out_free;
	root = ycfg_root(&y);
	if (!root || ycfg_is_null(root))
		goto out_doc;
	ret = ycfg_each_pair(&y, root, "the web configuration", root_key, &web);
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
