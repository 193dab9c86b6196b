// SPDX-License-Identifier: GPL-2.0
/* Config and web config parsing: defaults, a full file, bad files with
 * the line of the mistake, bcrypt users. */
#include <crypt.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "webconfig.h"

static int parse(const char *text, struct exporter_config **cfg, char *err)
{
	return config_parse("test.yml", text, strlen(text), cfg, err, 256);
}

static void defaults_are_the_seeds(void **state)
{
	struct exporter_config *cfg = NULL;
	char err[256] = "";

	(void)state;
	assert_int_equal(parse("", &cfg, err), 0);
	assert_string_equal(cfg->namespace_, "bitcraps");
	assert_int_equal(cfg->thresholds.memory_critical_bytes, 200ULL * 1024 * 1024);
	assert_true(fabs(cfg->thresholds.cpu_warning_ratio - 0.8) < 1e-12);
	assert_true(fabs(cfg->thresholds.battery_warning_ratio - 0.1) < 1e-12);
	assert_int_equal(cfg->thresholds.throttling, HEALTH_WARNING);
	assert_int_equal(cfg->ndisks, 1);
	assert_string_equal(cfg->disk_paths[0], "/");
	assert_int_equal(cfg->nports, 0);
	assert_null(cfg->pid_file);
	config_free(cfg);
}

static const char full[] =
	"# every key\n"
	"namespace: node7\n"
	"watched_ports: [7000, 7001]\n"
	"disk_paths:\n"
	"  - /var\n"
	"  - /data\n"
	"process:\n"
	"  pid_file: /run/bitcraps.pid\n"
	"thresholds:\n"
	"  memory_warning_bytes: 100000000\n"
	"  memory_critical_bytes: 300000000\n"
	"  cpu_warning_ratio: 0.7\n"
	"  cpu_critical_ratio: 0.95\n"
	"  battery_warning_ratio: 0.2\n"
	"  battery_critical_ratio: 0.05\n"
	"  thermal_throttling: critical\n"
	"distributions:\n"
	"  - set: dice\n"
	"    expected: {total_2: 1, total_3: 2, total_4: 3, total_5: 4, total_6: 5,\n"
	"               total_7: 6, total_8: 5, total_9: 4, total_10: 3, total_11: 2,\n"
	"               total_12: 1}\n"
	"  - set: coin\n"
	"    window: 2h\n"
	"    metric: tosses\n"
	"    label: side\n"
	"    expected:\n"
	"      heads: 0.5\n"
	"      tails: 0.5\n";

static void full_file(void **state)
{
	struct exporter_config *cfg = NULL;
	const struct distribution *d;
	char err[256] = "";

	(void)state;
	assert_int_equal(parse(full, &cfg, err), 0);
	assert_string_equal(cfg->namespace_, "node7");
	assert_int_equal(cfg->nports, 2);
	assert_int_equal(cfg->ports[1], 7001);
	assert_int_equal(cfg->ndisks, 2);
	assert_string_equal(cfg->disk_paths[1], "/data");
	assert_string_equal(cfg->pid_file, "/run/bitcraps.pid");
	assert_int_equal(cfg->thresholds.memory_warning_bytes, 100000000);
	assert_int_equal(cfg->thresholds.memory_critical_bytes, 300000000);
	assert_true(fabs(cfg->thresholds.cpu_critical_ratio - 0.95) < 1e-12);
	assert_true(fabs(cfg->thresholds.battery_critical_ratio - 0.05) < 1e-12);
	assert_int_equal(cfg->thresholds.throttling, HEALTH_CRITICAL);
	assert_int_equal(cfg->ndistributions, 2);
	d = &cfg->distributions[0];
	assert_string_equal(d->set, "dice");
	assert_int_equal(d->noutcomes, 11);
	assert_string_equal(d->metric[5], "total_7");
	/* Weights are normalised: 6/36 for a 7. */
	assert_true(fabs(d->probability[5] - 6.0 / 36) < 1e-12);
	assert_true(fabs(cfg->distributions[1].probability[0] - 0.5) < 1e-12);
	/* The fairness window: 10 minutes unless given. */
	assert_true(d->window_s == 600);
	assert_true(cfg->distributions[1].window_s == 7200);
	/* Outcomes as values of a labeled counter's label. */
	assert_null(d->family);
	assert_string_equal(cfg->distributions[1].family, "tosses");
	assert_string_equal(cfg->distributions[1].label, "side");
	assert_string_equal(cfg->distributions[1].metric[1], "tails");
	config_free(cfg);
}

struct bad_case {
	const char *text;
	const char *message;	/* expected, with its line number */
};

static void bad_files_name_the_line(void **state)
{
	static const struct bad_case cases[] = {
		{ "namespace: ok\nbogus: 1\n", "test.yml:2: unknown key 'bogus'" },
		{ "namespace: 9bad\n", "test.yml:1: namespace '9bad' is not a valid" },
		{ "namespace: a-b\n", "test.yml:1: namespace 'a-b'" },
		{ "watched_ports: [80, 70000]\n", "test.yml:1: 70000 is out of range" },
		{ "watched_ports:\n  - 80\n  - 80\n", "test.yml:3: port 80 listed twice" },
		{ "watched_ports: 80\n", "test.yml:1: watched_ports must be a list" },
		{ "disk_paths: [relative]\n", "test.yml:1: disk path must be absolute" },
		{ "thresholds:\n  cpu_warning_ratio: 80\n",
		  "test.yml:2: a ratio must be between 0 and 1" },
		{ "thresholds:\n  memory_critical_bytes: -1\n",
		  "test.yml:2: '-1' is not a non-negative integer" },
		{ "thresholds:\n\n  thermal_throttling: maybe\n",
		  "test.yml:3: severity must be none, warning or critical" },
		{ "thresholds:\n  cpu: 1\n", "test.yml:2: unknown key 'cpu' in thresholds" },
		{ "distributions:\n  - set: dice\n    expected: {a: 1}\n",
		  "test.yml:3: a distribution needs at least two outcomes" },
		{ "distributions:\n  - set: dice\n    expected: {a: 1, b: 0}\n",
		  "test.yml:3: an expected weight must be positive" },
		{ "distributions:\n  - expected: {a: 1, b: 1}\n",
		  "test.yml:2: a distribution needs 'set'" },
		{ "distributions:\n  - set: dice\n    window: 10d\n    expected: {a: 1, b: 1}\n",
		  "test.yml:3: window must be a duration such as 10m" },
		{ "distributions:\n  - set: dice\n    window: 0.5s\n    expected: {a: 1, b: 1}\n",
		  "test.yml:3: window must be between 1s and 168h" },
		{ "distributions:\n  - set: dice\n    metric: rolls\n    expected: {a: 1, b: 1}\n",
		  "test.yml:2: a distribution over a labeled counter needs both 'metric' and 'label'" },
		{ "namespace: [x\n", "test.yml:2:" },	/* YAML syntax: unclosed flow */
		{ "a: b\n  c: d\n", "test.yml:2: mapping values are not allowed" },
		{ "- 1\n", "test.yml:1: the configuration must be a mapping" },
		/* The probes label 16 ports: a 17th is an error, not dropped. */
		{ "watched_ports: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]\n",
		  "test.yml:1: at most 16 watched ports" },
		/* A warning above its critical grade can never be seen. */
		{ "thresholds:\n  memory_warning_bytes: 300\n  memory_critical_bytes: 200\n",
		  "test.yml:2: memory_warning_bytes (300) is above memory_critical_bytes (200)" },
		{ "thresholds:\n  memory_warning_bytes: 314572800\n",
		  "test.yml:2: memory_warning_bytes (314572800) is above memory_critical_bytes" },
		{ "thresholds:\n  cpu_warning_ratio: 0.9\n  cpu_critical_ratio: 0.5\n",
		  "test.yml:2: cpu_warning_ratio (0.9) is above cpu_critical_ratio (0.5)" },
		{ "thresholds:\n  battery_warning_ratio: 0.05\n  battery_critical_ratio: 0.2\n",
		  "test.yml:2: battery_warning_ratio (0.05) is below battery_critical_ratio (0.2)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct exporter_config *cfg = NULL;
		char err[256] = "";

		assert_int_equal(parse(cases[i].text, &cfg, err), -EINVAL);
		assert_null(cfg);
		if (strncmp(err, cases[i].message, strlen(cases[i].message))) {
			print_error("case %zu: got '%s', want '%s...'\n", i, err, cases[i].message);
			fail();
		}
	}
}

static void missing_file(void **state)
{
	struct exporter_config *cfg = NULL;
	char err[256];

	(void)state;
	assert_int_equal(config_load_file("/nonexistent/bcmon.yml", &cfg, err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "/nonexistent/bcmon.yml: No such file or directory");
}

static char *bcrypt_hash(const char *password)
{
	char *setting = crypt_gensalt("$2b$", 4, NULL, 0);
	const char *h;

	assert_non_null(setting);
	h = crypt(password, setting);
	assert_non_null(h);
	assert_int_equal(h[0], '$');
	return strdup(h);
}

static void web_config_users(void **state)
{
	char *hash = bcrypt_hash("s3cret");
	struct web_config *wc = NULL;
	char text[256], err[256] = "";

	(void)state;
	snprintf(text, sizeof(text), "basic_auth_users:\n  alice: %s\n", hash);
	assert_int_equal(webconfig_parse("web.yml", NULL, text, strlen(text), &wc, err,
					 sizeof(err)), 0);
	assert_int_equal(wc->nusers, 1);
	assert_null(wc->cert_pem);
	assert_true(webconfig_check_user(wc, "alice", "s3cret"));
	assert_false(webconfig_check_user(wc, "alice", "s3cret "));
	assert_false(webconfig_check_user(wc, "alice", ""));
	assert_false(webconfig_check_user(wc, "bob", "s3cret"));
	webconfig_free(wc);
	free(hash);
}

static void web_config_errors(void **state)
{
	static const struct bad_case cases[] = {
		{ "basic_auth_users:\n  alice: plaintext\n",
		  "web.yml:2: password of 'alice' must be a bcrypt hash" },
		{ "tls_server_config:\n  cert_file: /nonexistent.crt\n  key_file: /x.key\n",
		  "web.yml:2: cannot read /nonexistent.crt" },
		{ "tls_server_config:\n  cipher_suites: [x]\n",
		  "web.yml:2: tls_server_config.cipher_suites is not supported" },
		{ "tls_server_config:\n  client_auth_type: Maybe\n",
		  "web.yml:2: client_auth_type 'Maybe' is not one of" },
		{ "tls_server_config:\n  min_version: TLS14\n",
		  "web.yml:2: min_version 'TLS14' is not one of TLS10" },
		{ "tls_server_config:\n  client_ca_file: /nonexistent-ca.pem\n",
		  "web.yml:2: cannot read /nonexistent-ca.pem" },
		{ "http_server_config:\n  http2: true\n", "web.yml:1: http_server_config is not supported" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct web_config *wc = NULL;
		char err[256] = "";

		assert_int_equal(webconfig_parse("web.yml", NULL, cases[i].text,
						 strlen(cases[i].text), &wc, err, sizeof(err)),
				 -EINVAL);
		assert_null(wc);
		if (strncmp(err, cases[i].message, strlen(cases[i].message))) {
			print_error("case %zu: got '%s', want '%s...'\n", i, err, cases[i].message);
			fail();
		}
	}
}

static void web_config_tls_files_relative_to_dir(void **state)
{
	char dir[] = "/tmp/bcmon-webcfg-XXXXXX", path[128];
	const char *text = "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n";
	struct web_config *wc = NULL;
	char err[256] = "";
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/c.pem", dir);
	f = fopen(path, "w");
	fputs("CERT\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/k.pem", dir);
	f = fopen(path, "w");
	fputs("KEY\n", f);
	fclose(f);
	assert_int_equal(webconfig_parse("web.yml", dir, text, strlen(text), &wc, err,
					 sizeof(err)), 0);
	assert_string_equal(wc->cert_pem, "CERT\n");
	assert_string_equal(wc->key_pem, "KEY\n");
	webconfig_free(wc);
	unlink(path);
	snprintf(path, sizeof(path), "%s/c.pem", dir);
	unlink(path);
	rmdir(dir);
}

/* client_auth_type, client_ca_file and min_version, as exporter-toolkit. */
static void web_config_client_auth(void **state)
{
	char dir[] = "/tmp/bcmon-webcfg-XXXXXX", path[160];
	const char *names[] = { "c.pem", "k.pem", "ca.pem" };
	const char *verify_no_ca = "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
				   "  client_auth_type: RequireAndVerifyClientCert\n";
	const char *ca_no_auth = "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
				 "  client_ca_file: ca.pem\n";
	const char *good = "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
			   "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.pem\n"
			   "  min_version: TLS13\n";
	struct web_config *wc = NULL;
	char err[256] = "";

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (int i = 0; i < 3; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs("PEM\n", f);
		fclose(f);
	}
	assert_int_equal(webconfig_parse("web.yml", dir, verify_no_ca, strlen(verify_no_ca), &wc,
					 err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "web.yml:2: client_auth_type RequireAndVerifyClientCert needs client_ca_file");
	assert_int_equal(webconfig_parse("web.yml", dir, ca_no_auth, strlen(ca_no_auth), &wc,
					 err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "web.yml:2: client_ca_file is set but client_auth_type is NoClientCert");
	assert_int_equal(webconfig_parse("web.yml", dir, good, strlen(good), &wc, err,
					 sizeof(err)), 0);
	assert_int_equal(wc->client_auth, CLIENT_AUTH_VERIFY_IF_GIVEN);
	assert_int_equal(wc->min_version, 0x0304);
	assert_string_equal(wc->client_ca_pem, "PEM\n");
	snprintf(path, sizeof(path), "%s/ca.pem", dir);
	assert_string_equal(wc->client_ca_path, path);
	webconfig_free(wc);
	/* Without min_version: TLS 1.2, exporter-toolkit's default. */
	assert_int_equal(webconfig_parse("web.yml", dir, ca_no_auth, strlen(ca_no_auth) -
					 strlen("  client_ca_file: ca.pem\n"), &wc, err, sizeof(err)), 0);
	assert_int_equal(wc->min_version, 0x0303);
	webconfig_free(wc);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_the_seeds),
		cmocka_unit_test(full_file),
		cmocka_unit_test(bad_files_name_the_line),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(web_config_users),
		cmocka_unit_test(web_config_errors),
		cmocka_unit_test(web_config_tls_files_relative_to_dir),
		cmocka_unit_test(web_config_client_auth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
