// SPDX-License-Identifier: GPL-2.0
/*
 * Which absolute paths name the enclave's own views of the machine: /proc
 * and /dev always describe the enclave, whatever mode Cove runs in, and so
 * does the part of /sys about its processors and memory
 * (/sys/devices/system/{cpu,node}, and the directories above them). The
 * rest of /sys describes devices (network interfaces, PCI, InfiniBand),
 * which a job reaches only through its host proxy: those are the host's,
 * as McKernel leaves them to Linux. So is the network's part of /proc
 * (/proc/net, /proc/self/net, /proc/sys/net): a job's sockets are its
 * proxy's, and runtimes read routes and limits there (UCX gives up on TCP
 * without /proc/net/route). Pure: host-tested, and the offload routing
 * asks it before sending a path to the host.
 */
#include <cove/path.h>
#include <cove/string.h>
#include <cove/vfs.h>

/* Enough components to tell /sys/devices/system/cpu from its neighbours. */
#define VFS_PEEK_DEPTH 4

struct vfs_peek {
	const char *name[VFS_PEEK_DEPTH];
	size_t len[VFS_PEEK_DEPTH];
	size_t depth;
};

/*
 * The first components of path once "." and ".." are taken lexically (the
 * tops of these trees are never symlinks, so that is what the lookup
 * would find), and how deep the path goes.
 */
static void vfs_peek_path(const char *path, struct vfs_peek *pk)
{
	const char *name;
	size_t n;

	pk->depth = 0;
	while ((n = path_next_name(&path, &name))) {
		if (path_is_dotdot(name, n)) {
			if (pk->depth)
				pk->depth--;
			continue;
		}
		if (pk->depth < VFS_PEEK_DEPTH) {
			pk->name[pk->depth] = name;
			pk->len[pk->depth] = n;
		}
		pk->depth++;
	}
}

static bool vfs_peek_is(const struct vfs_peek *pk, size_t i, const char *want)
{
	return pk->depth > i && pk->len[i] == strlen(want) && !strncmp(pk->name[i], want, pk->len[i]);
}

bool vfs_path_is_enclave(const char *path)
{
	struct vfs_peek pk;

	if (!path || path[0] != '/')
		return false;
	vfs_peek_path(path, &pk);
	if (vfs_peek_is(&pk, 0, "proc"))
		return !(vfs_peek_is(&pk, 1, "net") ||
			 ((vfs_peek_is(&pk, 1, "self") || vfs_peek_is(&pk, 1, "thread-self") ||
			   vfs_peek_is(&pk, 1, "sys")) && vfs_peek_is(&pk, 2, "net")));
	if (vfs_peek_is(&pk, 0, "dev"))
		return true;
	if (!vfs_peek_is(&pk, 0, "sys"))
		return false;
	/* /sys, /sys/devices and /sys/devices/system list only the enclave's. */
	if (pk.depth == 1 || (vfs_peek_is(&pk, 1, "devices") &&
			      (pk.depth == 2 || (vfs_peek_is(&pk, 2, "system") && pk.depth == 3))))
		return true;
	return vfs_peek_is(&pk, 1, "devices") && vfs_peek_is(&pk, 2, "system") &&
	       (vfs_peek_is(&pk, 3, "cpu") || vfs_peek_is(&pk, 3, "node"));
}
