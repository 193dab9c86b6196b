/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exporter's YAML configuration (--config.file). See
 * Documentation/exporter.md for the format. A missing file option means
 * config_default(); a bad file is rejected whole with "FILE:LINE: why".
 */
#ifndef BCMON_EXPORTER_CONFIG_H
#define BCMON_EXPORTER_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_NAMESPACE_MAX 64
/* What the eBPF probes label (BCMON_NET_MAX_PORTS): more is an error, not
 * a silent truncation. */
#define CONFIG_MAX_PORTS 16
#define CONFIG_MAX_DISKS 32
#define CONFIG_MAX_DISTRIBUTIONS 16
#define CONFIG_MAX_OUTCOMES 64

enum health_severity {
	HEALTH_OK,		/* also "rule disabled" for throttling */
	HEALTH_WARNING,
	HEALTH_CRITICAL,
};

/* A zero threshold disables its rule. */
struct thresholds {
	uint64_t memory_warning_bytes;
	uint64_t memory_critical_bytes;	/* seed: 200 MiB */
	double cpu_warning_ratio;	/* seed: 0.8 (system CPU) */
	double cpu_critical_ratio;
	double battery_warning_ratio;	/* seed: 0.10 */
	double battery_critical_ratio;
	enum health_severity throttling;	/* seed: warning */
};

#define CONFIG_DEFAULT_WINDOW_S 600.0

/*
 * A counter set whose counters should follow expected probabilities: either
 * one counter per outcome (metric[] names them), or one labeled counter
 * (family) whose one label's values are the outcomes (metric[] holds them).
 */
struct distribution {
	char *set;		/* also the "set" label of the exported gauges */
	char *family;		/* a labeled counter of the set, or NULL */
	char *label;		/* its label whose values are the outcomes */
	double window_s;	/* the test covers the change over this span */
	size_t noutcomes;
	char *metric[CONFIG_MAX_OUTCOMES];
	double probability[CONFIG_MAX_OUTCOMES];	/* normalised to sum 1 */
};

struct exporter_config {
	char namespace_[CONFIG_NAMESPACE_MAX];
	size_t nports;
	uint16_t ports[CONFIG_MAX_PORTS];
	size_t ndisks;
	char *disk_paths[CONFIG_MAX_DISKS];
	char *pid_file;		/* process the process_* metrics describe */
	struct thresholds thresholds;
	size_t ndistributions;
	struct distribution distributions[CONFIG_MAX_DISTRIBUTIONS];
};

struct exporter_config *config_default(void);
/* 0 or -errno; on -EINVAL err holds "NAME:LINE: why". */
int config_parse(const char *name, const char *text, size_t len,
		 struct exporter_config **out, char *err, size_t errlen);
int config_load_file(const char *path, struct exporter_config **out,
		     char *err, size_t errlen);
void config_free(struct exporter_config *cfg);

#endif
