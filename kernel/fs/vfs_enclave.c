// SPDX-License-Identifier: GPL-2.0
/*
 * Which absolute paths name the enclave's own views of the machine: /proc,
 * /sys and /dev always describe the enclave, whatever mode Cove runs in.
 * Pure: host-tested, and the offload routing asks it before sending a path
 * to the host.
 */
#include <cove/path.h>
#include <cove/string.h>
#include <cove/vfs.h>

static const char *const vfs_enclave_trees[] = { "proc", "sys", "dev" };

/*
 * The first component of path once "." and ".." are taken lexically (the
 * tops of these trees are never symlinks, so that is what the lookup
 * would find): its start and length, or length 0 for the root itself.
 */
static size_t vfs_first_component(const char *path, const char **first)
{
	size_t depth = 0, first_len = 0, n;
	const char *name;

	*first = NULL;
	while ((n = path_next_name(&path, &name))) {
		if (path_is_dotdot(name, n)) {
			if (depth)
				depth--;
			continue;
		}
		if (!depth) {
			*first = name;
			first_len = n;
		}
		depth++;
	}
	return depth ? first_len : 0;
}

bool vfs_path_is_enclave(const char *path)
{
	const char *first;
	size_t n;

	if (!path || path[0] != '/')
		return false;
	n = vfs_first_component(path, &first);
	for (size_t i = 0; n && i < ARRAY_SIZE(vfs_enclave_trees); i++) {
		if (strlen(vfs_enclave_trees[i]) == n && !strncmp(first, vfs_enclave_trees[i], n))
			return true;
	}
	return false;
}
