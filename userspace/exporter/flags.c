// SPDX-License-Identifier: GPL-2.0
#include "flags.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <bcmon/parse.h>

#include "http.h"
#include "log.h"
#include "registry.h"

#ifndef BCMON_VERSION
#define BCMON_VERSION "0.0.0"
#endif

void flags_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->listen_address = ":9477";
	o->telemetry_path = "/metrics";
	o->log_level = LOG_LVL_INFO;
	o->max_connections = 512;
	o->max_connections_per_ip = 128;
	o->timeout_seconds = 10;
	o->max_header_bytes = 16384;
	o->max_requests = 40;		/* node_exporter's --web.max-requests */
	o->scrape_timeout = 10;		/* Prometheus' default scrape_timeout */
	o->scrape_timeout_offset = 0.5;	/* blackbox_exporter's --timeout-offset */
}

void flags_usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [flags]\n\n"
		"Prometheus exporter for bcmon: counter sets, errors and sensors from\n"
		"bcmon.ko, network latency from the eBPF probes, process and system\n"
		"usage from /proc, and node health.\n\n"
		"Flags:\n"
		"  --web.listen-address=\":9477\"   address to listen on ([host]:port)\n"
		"  --web.telemetry-path=\"/metrics\" path under which to expose metrics\n"
		"  --web.config.file=FILE          TLS and basic auth (exporter-toolkit format)\n"
		"  --web.max-connections=512       connections served at once\n"
		"  --web.max-connections-per-ip=128 connections from one client address (0: no limit)\n"
		"  --web.connection-timeout=10     seconds an idle or slow connection is kept\n"
		"  --web.max-header-bytes=16384    memory per connection, bounds request headers\n"
		"  --web.max-requests=40           scrapes and /health served at once, 503 beyond (0: no limit)\n"
		"  --scrape.timeout=10             seconds a scrape may take without X-Prometheus-Scrape-Timeout-Seconds\n"
		"  --scrape.timeout-offset=0.5     seconds kept back from the scraper's timeout for the answer\n"
		"  --config.file=FILE              exporter configuration (YAML)\n"
		"  --log.level=info                debug, info, warn or error\n"
		"  --version                       print the version and exit\n"
		"  -h, --help                      this help\n\n"
		"Collectors:\n", prog);
	registry_print_help(f);
}

static int parse_uint(const char *flag, const char *v, unsigned int min,
		      unsigned int max, unsigned int *out)
{
	uint64_t n;

	if (bcmon_parse_u64(v, min, max, &n)) {
		fprintf(stderr, "bcmon-exporter: --%s: '%s' is not a number in %u..%u\n",
			flag, v, min, max);
		return -1;
	}
	*out = (unsigned int)n;
	return 0;
}

static int parse_seconds(const char *flag, const char *v, double min, double max,
			 double *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(d) || d < min || d > max) {
		fprintf(stderr, "bcmon-exporter: --%s: '%s' is not a number of seconds in %g..%g\n",
			flag, v, min, max);
		return -1;
	}
	*out = d;
	return 0;
}

/* The flags that take a value. */
static const char *const valued[] = {
	"web.listen-address", "web.telemetry-path", "web.config.file", "config.file",
	"log.level", "web.max-connections", "web.max-connections-per-ip",
	"web.connection-timeout", "web.max-header-bytes", "web.max-requests",
	"scrape.timeout", "scrape.timeout-offset",
};

static int apply(struct options *o, const char *name, const char *v)
{
	if (!strcmp(name, "web.listen-address")) {
		char host[256], port[8];

		/* A usage error, found before anything starts. */
		if (http_split_address(v, host, sizeof(host), port, sizeof(port))) {
			fprintf(stderr, "bcmon-exporter: invalid listen address '%s' "
				"(want host:port, [v6]:port or :port)\n", v);
			return -1;
		}
		o->listen_address = v;
	} else if (!strcmp(name, "web.telemetry-path")) {
		if (v[0] != '/' || !strcmp(v, "/") || !strcmp(v, "/health") ||
		    !strncmp(v, "/-/", 3)) {
			fprintf(stderr, "bcmon-exporter: --web.telemetry-path must start with '/' "
				"and differ from /, /health and /-/...\n");
			return -1;
		}
		o->telemetry_path = v;
	} else if (!strcmp(name, "web.config.file")) {
		o->web_config_file = v;
	} else if (!strcmp(name, "config.file")) {
		o->config_file = v;
	} else if (!strcmp(name, "log.level")) {
		o->log_level = log_level_parse(v);
		if (o->log_level < 0) {
			fprintf(stderr, "bcmon-exporter: --log.level: '%s' is not one of "
				"debug, info, warn, error\n", v);
			return -1;
		}
	} else if (!strcmp(name, "web.max-connections")) {
		return parse_uint(name, v, 1, 65536, &o->max_connections);
	} else if (!strcmp(name, "web.max-connections-per-ip")) {
		return parse_uint(name, v, 0, 65536, &o->max_connections_per_ip);
	} else if (!strcmp(name, "web.connection-timeout")) {
		return parse_uint(name, v, 1, 3600, &o->timeout_seconds);
	} else if (!strcmp(name, "web.max-header-bytes")) {
		return parse_uint(name, v, 4096, 1 << 20, &o->max_header_bytes);
	} else if (!strcmp(name, "web.max-requests")) {
		return parse_uint(name, v, 0, 65536, &o->max_requests);
	} else if (!strcmp(name, "scrape.timeout")) {
		return parse_seconds(name, v, 0.05, 300, &o->scrape_timeout);
	} else if (!strcmp(name, "scrape.timeout-offset")) {
		return parse_seconds(name, v, 0, 60, &o->scrape_timeout_offset);
	}
	return 0;
}

static enum flags_result unknown_flag(const char *arg)
{
	fprintf(stderr, "bcmon-exporter: unknown flag '%s' (see --help)\n", arg);
	return FLAGS_USAGE_ERROR;
}

enum flags_result flags_parse(int argc, char **argv, struct options *o)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *name, *eq, *value = NULL;
		char key[64];
		bool takes_value = false;

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			flags_usage(stdout, argv[0]);
			return FLAGS_EXIT_OK;
		}
		if (!strcmp(arg, "--version")) {
			printf("bcmon-exporter %s\n", BCMON_VERSION);
			return FLAGS_EXIT_OK;
		}
		if (strncmp(arg, "--", 2))
			return unknown_flag(arg);
		name = arg + 2;
		if (!strncmp(name, "collector.", 10) || !strncmp(name, "no-collector.", 13)) {
			bool on = name[0] == 'c';

			if (registry_set_enabled(strchr(name, '.') + 1, on)) {
				fprintf(stderr, "bcmon-exporter: unknown collector in %s\n", arg);
				return FLAGS_USAGE_ERROR;
			}
			continue;
		}
		eq = strchr(name, '=');
		snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - name) : (int)strlen(name), name);
		for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++)
			if (!strcmp(key, valued[k]))
				takes_value = true;
		if (!takes_value)
			return unknown_flag(arg);
		if (eq) {
			value = eq + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			fprintf(stderr, "bcmon-exporter: --%s needs a value\n", key);
			return FLAGS_USAGE_ERROR;
		}
		if (apply(o, key, value))
			return FLAGS_USAGE_ERROR;
	}
	return FLAGS_RUN;
}
