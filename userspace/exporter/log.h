/* SPDX-License-Identifier: GPL-2.0 */
/* logfmt lines on stderr, like node_exporter: ts=... level=... msg="..." */
#ifndef BCMON_EXPORTER_LOG_H
#define BCMON_EXPORTER_LOG_H

enum log_level { LOG_LVL_DEBUG, LOG_LVL_INFO, LOG_LVL_WARN, LOG_LVL_ERROR };

/* "debug", "info", "warn", "error"; -1 for anything else. */
int log_level_parse(const char *name);
void log_set_level(enum log_level lvl);
/* msg is printf-formatted and quoted; keep key=value detail in it. */
__attribute__((format(printf, 2, 3)))
void log_msg(enum log_level lvl, const char *fmt, ...);

#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)

#endif
