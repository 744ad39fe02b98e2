/* SPDX-License-Identifier: GPL-2.0 */
/* Walking a path name by name, lexically (no lookups). */
#ifndef COVE_PATH_H
#define COVE_PATH_H

#include <cove/types.h>

/*
 * The next name in *path, past slashes and "." entries (".." is a name
 * here: callers decide what it means): its length, with *name pointing at
 * it and *path just past it; 0 at the end.
 */
static inline size_t path_next_name(const char **path, const char **name)
{
	const char *p = *path;
	size_t n;

	for (;;) {
		while (*p == '/')
			p++;
		for (n = 0; p[n] && p[n] != '/'; n++)
			;
		if (!(n == 1 && p[0] == '.'))
			break;
		p += n;
	}
	*name = p;
	*path = p + n;
	return n;
}

static inline bool path_is_dotdot(const char *name, size_t n)
{
	return n == 2 && name[0] == '.' && name[1] == '.';
}

#endif /* COVE_PATH_H */
