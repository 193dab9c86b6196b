/* SPDX-License-Identifier: GPL-2.0 */
/* bcmonctl: small helpers for --json output. */
#ifndef BCMON_CTL_JSON_H
#define BCMON_CTL_JSON_H

#include <stdio.h>

/* Print s as a JSON string literal, quotes included: bcmon_json_string()
 * (escapes, and U+FFFD for bytes that are not UTF-8). */
void json_print_string(FILE *out, const char *s);

#endif /* BCMON_CTL_JSON_H */
