/* SPDX-License-Identifier: GPL-2.0 */
/* bcmonctl: command table and shared helpers. */
#ifndef BCMON_CTL_H
#define BCMON_CTL_H

struct bcmon;

enum { CTL_EXIT_OK = 0, CTL_EXIT_FAIL = 1, CTL_EXIT_USAGE = 2 };

struct ctl_options {
	int json;
};

struct ctl_command {
	const char *name;
	int (*run)(const struct ctl_options *opts, int argc, char **argv);
	const char *help;
};

/* Open the bcmon family or print why not; returns NULL on failure. */
struct bcmon *ctl_connect(void);

int cmd_version(const struct ctl_options *opts, int argc, char **argv);
int cmd_sets(const struct ctl_options *opts, int argc, char **argv);
int cmd_show(const struct ctl_options *opts, int argc, char **argv);
int cmd_create(const struct ctl_options *opts, int argc, char **argv);
int cmd_destroy(const struct ctl_options *opts, int argc, char **argv);
int cmd_add(const struct ctl_options *opts, int argc, char **argv);
int cmd_set(const struct ctl_options *opts, int argc, char **argv);
int cmd_observe(const struct ctl_options *opts, int argc, char **argv);
int cmd_status(const struct ctl_options *opts, int argc, char **argv);
int cmd_net(const struct ctl_options *opts, int argc, char **argv);
int cmd_error(const struct ctl_options *opts, int argc, char **argv);
int cmd_errors(const struct ctl_options *opts, int argc, char **argv);
int cmd_sensors(const struct ctl_options *opts, int argc, char **argv);
int cmd_watch(const struct ctl_options *opts, int argc, char **argv);

#endif /* BCMON_CTL_H */
