// SPDX-License-Identifier: GPL-2.0
/* strstr, the one string function the kernel's kernel/lib/string.c lacks. */
#include "standin.h"

const char *strstr(const char *h, const char *n)
{
	size_t len = strlen(n);

	for (; *h; h++) {
		if (!strncmp(h, n, len))
			return h;
	}
	return len ? NULL : h;
}
