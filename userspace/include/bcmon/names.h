/* SPDX-License-Identifier: LGPL-2.1 */
/* Names of sets and metrics: the same rule the kernel module enforces. */
#ifndef BCMON_NAMES_H
#define BCMON_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* Longest name accepted, without the terminating NUL. */
#define BCMON_NAME_MAX_LEN 63

/* true when name matches [a-z][a-z0-9_]* and is 1..BCMON_NAME_MAX_LEN long. */
bool bcmon_name_valid(const char *name);

#endif /* BCMON_NAMES_H */
