// SPDX-License-Identifier: GPL-2.0
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expo.h"
#include "yamlcfg.h"

#define MIB (1024ULL * 1024ULL)

struct exporter_config *config_default(void)
{
	struct exporter_config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return NULL;
	snprintf(cfg->namespace_, sizeof(cfg->namespace_), "bitcraps");
	cfg->thresholds.memory_critical_bytes = 200 * MIB;
	cfg->thresholds.cpu_warning_ratio = 0.80;
	cfg->thresholds.battery_warning_ratio = 0.10;
	cfg->thresholds.throttling = HEALTH_WARNING;
	cfg->disk_paths[0] = strdup("/");
	if (!cfg->disk_paths[0]) {
		free(cfg);
		return NULL;
	}
	cfg->ndisks = 1;
	return cfg;
}

void config_free(struct exporter_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->ndisks; i++)
		free(cfg->disk_paths[i]);
	free(cfg->pid_file);
	for (size_t i = 0; i < cfg->ndistributions; i++) {
		struct distribution *d = &cfg->distributions[i];

		free(d->set);
		free(d->family);
		free(d->label);
		for (size_t j = 0; j < d->noutcomes; j++)
			free(d->metric[j]);
	}
	free(cfg);
}

static int dup_string(struct ycfg *y, yaml_node_t *n, char **out)
{
	const char *s;

	if (ycfg_string(y, n, &s))
		return -EINVAL;
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

static int parse_ratio(struct ycfg *y, yaml_node_t *n, double *out)
{
	if (ycfg_double(y, n, out))
		return -EINVAL;
	if (*out < 0 || *out > 1)
		return ycfg_fail(y, n, "a ratio must be between 0 and 1");
	return 0;
}

static int parse_namespace(struct ycfg *y, yaml_node_t *n, struct exporter_config *cfg)
{
	const char *s;

	if (ycfg_string(y, n, &s))
		return -EINVAL;
	if (!s[0] || strlen(s) >= sizeof(cfg->namespace_) || strchr(s, ':') ||
	    !expo_metric_name_valid(s))
		return ycfg_fail(y, n, "namespace '%s' is not a valid metric name prefix", s);
	snprintf(cfg->namespace_, sizeof(cfg->namespace_), "%s", s);
	return 0;
}

static int parse_ports(struct ycfg *y, yaml_node_t *n, struct exporter_config *cfg)
{
	yaml_node_item_t *it;

	if (ycfg_expect(y, n, YAML_SEQUENCE_NODE, "watched_ports"))
		return -EINVAL;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *v = ycfg_node(y, *it);
		uint64_t port;

		if (cfg->nports == CONFIG_MAX_PORTS)
			return ycfg_fail(y, v, "at most %d watched ports", CONFIG_MAX_PORTS);
		if (ycfg_u64(y, v, 65535, &port))
			return -EINVAL;
		if (port == 0)
			return ycfg_fail(y, v, "port 0 cannot be watched");
		for (size_t i = 0; i < cfg->nports; i++)
			if (cfg->ports[i] == port)
				return ycfg_fail(y, v, "port %llu listed twice",
						 (unsigned long long)port);
		cfg->ports[cfg->nports++] = (uint16_t)port;
	}
	return 0;
}

static int parse_disks(struct ycfg *y, yaml_node_t *n, struct exporter_config *cfg)
{
	yaml_node_item_t *it;

	if (ycfg_expect(y, n, YAML_SEQUENCE_NODE, "disk_paths"))
		return -EINVAL;
	/* The list replaces the default ("/"). */
	for (size_t i = 0; i < cfg->ndisks; i++)
		free(cfg->disk_paths[i]);
	cfg->ndisks = 0;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *v = ycfg_node(y, *it);
		int err;

		if (cfg->ndisks == CONFIG_MAX_DISKS)
			return ycfg_fail(y, v, "at most %d disk paths", CONFIG_MAX_DISKS);
		err = dup_string(y, v, &cfg->disk_paths[cfg->ndisks]);
		if (err)
			return err;
		cfg->ndisks++;
		if (cfg->disk_paths[cfg->ndisks - 1][0] != '/')
			return ycfg_fail(y, v, "disk path must be absolute");
	}
	return 0;
}

static int parse_severity(struct ycfg *y, yaml_node_t *n, enum health_severity *out)
{
	const char *s;

	if (ycfg_string(y, n, &s))
		return -EINVAL;
	if (!strcmp(s, "none"))
		*out = HEALTH_OK;
	else if (!strcmp(s, "warning"))
		*out = HEALTH_WARNING;
	else if (!strcmp(s, "critical"))
		*out = HEALTH_CRITICAL;
	else
		return ycfg_fail(y, n, "severity must be none, warning or critical, not '%s'", s);
	return 0;
}

static int threshold_key(struct ycfg *y, const char *key, yaml_node_t *k,
			 yaml_node_t *v, void *ctx)
{
	struct thresholds *t = ctx;

	if (!strcmp(key, "memory_warning_bytes"))
		return ycfg_u64(y, v, UINT64_MAX, &t->memory_warning_bytes);
	if (!strcmp(key, "memory_critical_bytes"))
		return ycfg_u64(y, v, UINT64_MAX, &t->memory_critical_bytes);
	if (!strcmp(key, "cpu_warning_ratio"))
		return parse_ratio(y, v, &t->cpu_warning_ratio);
	if (!strcmp(key, "cpu_critical_ratio"))
		return parse_ratio(y, v, &t->cpu_critical_ratio);
	if (!strcmp(key, "battery_warning_ratio"))
		return parse_ratio(y, v, &t->battery_warning_ratio);
	if (!strcmp(key, "battery_critical_ratio"))
		return parse_ratio(y, v, &t->battery_critical_ratio);
	if (!strcmp(key, "thermal_throttling"))
		return parse_severity(y, v, &t->throttling);
	return ycfg_fail(y, k, "unknown key '%s' in thresholds", key);
}

/*
 * A warning must come before its critical grade: below it for the rules
 * that grade values above a limit (memory, CPU), above it for the battery,
 * which grades values below. A zero disables a rule and is never compared.
 */
static int parse_thresholds(struct ycfg *y, yaml_node_t *n, struct thresholds *t)
{
	int err = ycfg_each_pair(y, n, "thresholds", threshold_key, t);

	if (err)
		return err;
	if (t->memory_warning_bytes && t->memory_critical_bytes &&
	    t->memory_warning_bytes > t->memory_critical_bytes)
		return ycfg_fail(y, n, "memory_warning_bytes (%llu) is above memory_critical_bytes (%llu)",
				 (unsigned long long)t->memory_warning_bytes,
				 (unsigned long long)t->memory_critical_bytes);
	if (t->cpu_warning_ratio > 0 && t->cpu_critical_ratio > 0 &&
	    t->cpu_warning_ratio > t->cpu_critical_ratio)
		return ycfg_fail(y, n, "cpu_warning_ratio (%g) is above cpu_critical_ratio (%g)",
				 t->cpu_warning_ratio, t->cpu_critical_ratio);
	if (t->battery_warning_ratio > 0 && t->battery_critical_ratio > 0 &&
	    t->battery_warning_ratio < t->battery_critical_ratio)
		return ycfg_fail(y, n, "battery_warning_ratio (%g) is below battery_critical_ratio (%g): "
				 "a battery warns before it is critical",
				 t->battery_warning_ratio, t->battery_critical_ratio);
	return 0;
}

static int process_key(struct ycfg *y, const char *key, yaml_node_t *k,
		       yaml_node_t *v, void *ctx)
{
	struct exporter_config *cfg = ctx;

	if (strcmp(key, "pid_file"))
		return ycfg_fail(y, k, "unknown key '%s' in process", key);
	free(cfg->pid_file);
	cfg->pid_file = NULL;
	return dup_string(y, v, &cfg->pid_file);
}

/* Each key of "expected" is an outcome's metric, its value a weight. */
static int outcome_pair(struct ycfg *y, const char *key, yaml_node_t *k,
			yaml_node_t *v, void *ctx)
{
	struct distribution *d = ctx;
	double w;

	if (d->noutcomes == CONFIG_MAX_OUTCOMES)
		return ycfg_fail(y, k, "at most %d outcomes", CONFIG_MAX_OUTCOMES);
	for (size_t i = 0; i < d->noutcomes; i++)
		if (!strcmp(d->metric[i], key))
			return ycfg_fail(y, k, "outcome '%s' listed twice", key);
	d->metric[d->noutcomes] = strdup(key);
	if (!d->metric[d->noutcomes])
		return -ENOMEM;
	d->noutcomes++;
	if (ycfg_double(y, v, &w))
		return -EINVAL;
	if (!(w > 0))
		return ycfg_fail(y, v, "an expected weight must be positive");
	d->probability[d->noutcomes - 1] = w;
	return 0;
}

static int parse_expected(struct ycfg *y, yaml_node_t *n, struct distribution *d)
{
	double total = 0;
	int err;

	err = ycfg_each_pair(y, n, "expected", outcome_pair, d);
	if (err)
		return err;
	if (d->noutcomes < 2)
		return ycfg_fail(y, n, "a distribution needs at least two outcomes");
	/* Weights or probabilities: either way they are normalised here. */
	for (size_t i = 0; i < d->noutcomes; i++)
		total += d->probability[i];
	for (size_t i = 0; i < d->noutcomes; i++)
		d->probability[i] /= total;
	return 0;
}

/*
 * A window as Prometheus writes durations: "10m", "600s", "1h" (one unit),
 * or a plain number of seconds. At least 1 s, at most a week.
 */
static int parse_window(struct ycfg *y, yaml_node_t *v, double *out)
{
	const char *s;
	char *end;
	double n;

	if (ycfg_string(y, v, &s))
		return -EINVAL;
	errno = 0;
	n = strtod(s, &end);
	if (errno || end == s || !(n > 0))
		return ycfg_fail(y, v, "window must be a duration such as 10m, 600s or 1h");
	if (!strcmp(end, "m"))
		n *= 60;
	else if (!strcmp(end, "h"))
		n *= 3600;
	else if (*end && strcmp(end, "s"))
		return ycfg_fail(y, v, "window must be a duration such as 10m, 600s or 1h");
	if (n < 1 || n > 7 * 86400)
		return ycfg_fail(y, v, "window must be between 1s and 168h");
	*out = n;
	return 0;
}

struct distribution_ctx {
	struct distribution *d;
	yaml_node_t *expected;	/* parsed after the walk, once 'set' is known */
};

static int distribution_key(struct ycfg *y, const char *key, yaml_node_t *k,
			    yaml_node_t *v, void *ctx)
{
	struct distribution_ctx *dc = ctx;

	if (!strcmp(key, "set")) {
		free(dc->d->set);
		dc->d->set = NULL;
		return dup_string(y, v, &dc->d->set);
	}
	if (!strcmp(key, "expected")) {
		dc->expected = v;
		return 0;
	}
	if (!strcmp(key, "window"))
		return parse_window(y, v, &dc->d->window_s);
	if (!strcmp(key, "metric")) {
		free(dc->d->family);
		dc->d->family = NULL;
		return dup_string(y, v, &dc->d->family);
	}
	if (!strcmp(key, "label")) {
		free(dc->d->label);
		dc->d->label = NULL;
		return dup_string(y, v, &dc->d->label);
	}
	return ycfg_fail(y, k, "unknown key '%s' in distribution", key);
}

static int parse_distribution(struct ycfg *y, yaml_node_t *n, struct distribution *d)
{
	struct distribution_ctx dc = { .d = d };
	int err;

	d->window_s = CONFIG_DEFAULT_WINDOW_S;
	err = ycfg_each_pair(y, n, "a distribution", distribution_key, &dc);
	if (err)
		return err;
	if (!d->set)
		return ycfg_fail(y, n, "a distribution needs 'set'");
	if (!dc.expected)
		return ycfg_fail(y, n, "a distribution needs 'expected'");
	if (!d->family != !d->label)
		return ycfg_fail(y, n, "a distribution over a labeled counter needs both 'metric' and 'label'");
	return parse_expected(y, dc.expected, d);
}

static int parse_distributions(struct ycfg *y, yaml_node_t *n, struct exporter_config *cfg)
{
	yaml_node_item_t *it;

	if (ycfg_expect(y, n, YAML_SEQUENCE_NODE, "distributions"))
		return -EINVAL;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *v = ycfg_node(y, *it);
		int err;

		if (cfg->ndistributions == CONFIG_MAX_DISTRIBUTIONS)
			return ycfg_fail(y, v, "at most %d distributions",
					 CONFIG_MAX_DISTRIBUTIONS);
		err = parse_distribution(y, v, &cfg->distributions[cfg->ndistributions++]);
		if (err)
			return err;
		for (size_t i = 0; i + 1 < cfg->ndistributions; i++)
			if (!strcmp(cfg->distributions[i].set,
				    cfg->distributions[cfg->ndistributions - 1].set))
				return ycfg_fail(y, v, "set '%s' declared twice",
						 cfg->distributions[i].set);
	}
	return 0;
}

static int root_key(struct ycfg *y, const char *key, yaml_node_t *k,
		    yaml_node_t *v, void *ctx)
{
	struct exporter_config *cfg = ctx;

	if (ycfg_is_null(v))
		return 0;	/* "key:" with nothing keeps the default */
	if (!strcmp(key, "namespace"))
		return parse_namespace(y, v, cfg);
	if (!strcmp(key, "watched_ports"))
		return parse_ports(y, v, cfg);
	if (!strcmp(key, "disk_paths"))
		return parse_disks(y, v, cfg);
	if (!strcmp(key, "thresholds"))
		return parse_thresholds(y, v, &cfg->thresholds);
	if (!strcmp(key, "process"))
		return ycfg_each_pair(y, v, "process", process_key, cfg);
	if (!strcmp(key, "distributions"))
		return parse_distributions(y, v, cfg);
	return ycfg_fail(y, k, "unknown key '%s'", key);
}

int config_parse(const char *name, const char *text, size_t len,
		 struct exporter_config **out, char *err, size_t errlen)
{
	struct exporter_config *cfg;
	yaml_node_t *root;
	struct ycfg y;
	int ret;

	cfg = config_default();
	if (!cfg)
		return -ENOMEM;
	ret = ycfg_load(&y, name, text, len, err, errlen);
	if (ret)
		goto out_free;
	root = ycfg_root(&y);
	if (root && !ycfg_is_null(root))
		ret = ycfg_each_pair(&y, root, "the configuration", root_key, cfg);
	ycfg_free(&y);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", name);
	if (ret)
		goto out_free;
	*out = cfg;
	return 0;
out_free:
	config_free(cfg);
	return ret;
}

int config_load_file(const char *path, struct exporter_config **out,
		     char *err, size_t errlen)
{
	size_t len;
	char *text;
	int ret;

	ret = ycfg_read_file(path, &text, &len);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = config_parse(path, text, len, out, err, errlen);
	free(text);
	return ret;
}
