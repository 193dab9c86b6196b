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
int cmd_delete(const struct ctl_options *opts, int argc, char **argv);
int cmd_status(const struct ctl_options *opts, int argc, char **argv);
int cmd_net(const struct ctl_options *opts, int argc, char **argv);
int cmd_error(const struct ctl_options *opts, int argc, char **argv);
int cmd_errors(const struct ctl_options *opts, int argc, char **argv);
int cmd_sensors(const struct ctl_options *opts, int argc, char **argv);
int cmd_watch(const struct ctl_options *opts, int argc, char **argv);

/* origin.c: who recorded an event, who owns a set. */
struct bcmon_error_event;
struct bcmon_set_info;
void ctl_origin_text(const struct bcmon_error_event *ev, char *buf, size_t len);
void ctl_origin_json(const struct bcmon_error_event *ev);
void ctl_owner_text(const struct bcmon_set_info *s, char *buf, size_t len);

#endif /* BCMON_CTL_H */
