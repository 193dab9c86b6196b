/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --web.config.file, in the format of Prometheus' exporter-toolkit:
 *   tls_server_config: { cert_file: PATH, key_file: PATH,
 *                        client_auth_type: NoClientCert|..., client_ca_file: PATH,
 *                        min_version: TLS10|TLS11|TLS12|TLS13 }
 *   basic_auth_users: { USER: BCRYPT_HASH, ... }
 * Relative paths are relative to the web config file's directory.
 */
#ifndef BCMON_EXPORTER_WEBCONFIG_H
#define BCMON_EXPORTER_WEBCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define WEBCONFIG_MAX_USERS 32

/* exporter-toolkit's client_auth_type values, in Go's tls.ClientAuthType order. */
enum client_auth {
	CLIENT_AUTH_NONE,		/* NoClientCert (the default) */
	CLIENT_AUTH_REQUEST,		/* RequestClientCert: asked, not checked */
	CLIENT_AUTH_REQUIRE_ANY,	/* RequireAnyClientCert: required, not checked */
	CLIENT_AUTH_VERIFY_IF_GIVEN,	/* VerifyClientCertIfGiven */
	CLIENT_AUTH_REQUIRE_VERIFY,	/* RequireAndVerifyClientCert */
};

struct web_config {
	char *cert_pem;		/* file contents, NUL-terminated; NULL: plain HTTP */
	char *key_pem;
	char *client_ca_pem;	/* NULL without client_ca_file */
	/* the files, resolved, for watching them for changes */
	char *cert_path, *key_path, *client_ca_path;
	enum client_auth client_auth;
	unsigned int min_version;	/* 0x0301 (TLS 1.0) .. 0x0304 (TLS 1.3) */
	size_t nusers;
	char *user[WEBCONFIG_MAX_USERS];
	char *hash[WEBCONFIG_MAX_USERS];
};

/* 0 or -errno; err holds "FILE:LINE: why" or "FILE: why". */
int webconfig_load(const char *path, struct web_config **out, char *err, size_t errlen);
int webconfig_parse(const char *name, const char *dir, const char *text, size_t len,
		    struct web_config **out, char *err, size_t errlen);
void webconfig_free(struct web_config *wc);
const char *webconfig_client_auth_name(enum client_auth a);
/* true when user is configured and password matches its bcrypt hash. */
bool webconfig_check_user(const struct web_config *wc, const char *user,
			  const char *password);

#endif
