// SPDX-License-Identifier: LGPL-2.1
#include <bcmon/names.h>

#include <string.h>

bool bcmon_name_valid(const char *name)
{
	size_t len;

	if (!name)
		return false;
	len = strlen(name);
	if (len == 0 || len > BCMON_NAME_MAX_LEN)
		return false;
	if (name[0] < 'a' || name[0] > 'z')
		return false;
	for (size_t i = 1; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}
