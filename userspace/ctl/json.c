// SPDX-License-Identifier: GPL-2.0
#include "json.h"

#include <bcmon/parse.h>

static void put_file(void *arg, const char *text, size_t len)
{
	fwrite(text, 1, len, arg);
}

void json_print_string(FILE *out, const char *s)
{
	bcmon_json_string(s, put_file, out);
}
