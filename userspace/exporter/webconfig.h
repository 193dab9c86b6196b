/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --web.config.file, in the format of Prometheus' exporter-toolkit:
 *   tls_server_config: { cert_file: PATH, key_file: PATH }
 *   basic_auth_users: { USER: BCRYPT_HASH, ... }
 * Relative paths are relative to the web config file's directory.
 */
#ifndef BCMON_EXPORTER_WEBCONFIG_H
#define BCMON_EXPORTER_WEBCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define WEBCONFIG_MAX_USERS 32

struct web_config {
	char *cert_pem;		/* file contents, NUL-terminated; NULL: plain HTTP */
	char *key_pem;
	size_t nusers;
	char *user[WEBCONFIG_MAX_USERS];
	char *hash[WEBCONFIG_MAX_USERS];
};

/* 0 or -errno; err holds "FILE:LINE: why" or "FILE: why". */
int webconfig_load(const char *path, struct web_config **out, char *err, size_t errlen);
int webconfig_parse(const char *name, const char *dir, const char *text, size_t len,
		    struct web_config **out, char *err, size_t errlen);
void webconfig_free(struct web_config *wc);
/* true when user is configured and password matches its bcrypt hash. */
bool webconfig_check_user(const struct web_config *wc, const char *user,
			  const char *password);

#endif
