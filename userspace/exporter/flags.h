/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line flags in node_exporter's style: --name=value or --name value,
 * --collector.NAME / --no-collector.NAME. */
#ifndef BCMON_EXPORTER_FLAGS_H
#define BCMON_EXPORTER_FLAGS_H

#include <stdio.h>

struct options {
	const char *listen_address;
	const char *telemetry_path;
	const char *config_file;
	const char *web_config_file;
	int log_level;
	unsigned int max_connections;
	unsigned int max_connections_per_ip;
	unsigned int timeout_seconds;
	unsigned int max_header_bytes;
	unsigned int max_requests;
	double scrape_timeout;
	double scrape_timeout_offset;
};

enum flags_result {
	FLAGS_RUN,
	FLAGS_EXIT_OK,		/* --help or --version printed */
	FLAGS_USAGE_ERROR,	/* message printed; exit status 2 */
};

void flags_defaults(struct options *o);
enum flags_result flags_parse(int argc, char **argv, struct options *o);
void flags_usage(FILE *f, const char *prog);

#endif
