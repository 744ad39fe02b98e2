// SPDX-License-Identifier: GPL-2.0
/*
 * Shared memory calls on the enclave's shared memory objects (cove/shmem.h):
 * memfd_create, and SysV shmget/shmat/shmdt/shmctl. A SysV segment is an
 * object in a table of ids; shmat maps it like MAP_SHARED, and its number
 * of attaches is the object's number of mappers (Linux counts its VMAs too).
 *
 * IPC_RMID of a segment still attached marks it SHM_DEST, as Linux does:
 * its key is gone, but shmat by its id still works (UCX and MPICH attach
 * segments their creator marked at once), and it goes when no mapping is
 * left -- noticed at the next SysV call, since a process's exit unmaps it
 * without one. IPC_INFO, SHM_INFO and SHM_STAT (ipcs) are not offered.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/shmem.h>
#include <cove/shmfs.h>
#include <cove/spinlock.h>
#include <cove/string.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <cove/uaccess.h>

#define MFD_CLOEXEC 0x1u
#define MFD_ALLOW_SEALING 0x2u
#define MFD_HUGETLB 0x4u
#define MFD_NOEXEC_SEAL 0x8u
#define MFD_EXEC 0x10u
#define MFD_HUGE_MASK (0x3fu << 26)	/* the huge page size, with MFD_HUGETLB */
#define MFD_NAME_MAX 249		/* NAME_MAX less "memfd:" */

int64_t sys_memfd_create(SYSCALL_ARGS)
{
	uint32_t flags = (uint32_t)a1;
	char name[MFD_NAME_MAX + 1];
	struct file *f;
	int64_t n;
	int fd, rc;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC |
		      MFD_HUGE_MASK))
		return -EINVAL;
	if ((flags & MFD_HUGE_MASK) && !(flags & MFD_HUGETLB))
		return -EINVAL;
	n = strncpy_from_user(name, a0, sizeof(name));
	if (n == -ENAMETOOLONG)
		return -EINVAL;
	if (n < 0)
		return n;
	/* MFD_HUGETLB asks nothing more: large pages are used wherever they fit. */
	rc = shmfs_memfd(name, O_RDWR, &f);
	if (rc)
		return rc;
	fd = fd_install(task_current()->proc->files, f, 0, flags & MFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* SysV shared memory. */

#define IPC_PRIVATE 0
#define IPC_CREAT 01000
#define IPC_EXCL 02000
#define IPC_RMID 0
#define IPC_SET 1
#define IPC_STAT 2
#define IPC_64 0x100
#define SHM_LOCK 11
#define SHM_UNLOCK 12
#define SHM_RDONLY 010000
#define SHM_RND 020000
#define SHM_REMAP 040000
#define SHM_EXEC 0100000
#define SHM_DEST 01000		/* in mode: removed, waiting for its last detach */
#define SHMLBA PAGE_SIZE
#define SHM_SEGS 128		/* ids in use at once (Linux: SHMMNI, 4096) */

struct shm_seg {
	struct shmem *shm;	/* NULL: a free slot */
	int32_t key;
	uint32_t seq;		/* bumped per use of the slot: old ids go stale */
	uint64_t size;
	uint32_t mode;
	uint32_t cpid, lpid;
	int64_t atime, dtime, ctime;
};

/* The segments of the enclave, under shm_segs_lock. */
static struct shm_seg shm_segs[SHM_SEGS];
static spinlock_t shm_segs_lock = SPINLOCK_INIT;

/* Linux's struct shmid64_ds on x86-64, with its struct ipc64_perm. */
struct shm_ipc_perm {
	int32_t key;
	uint32_t uid, gid, cuid, cgid;
	uint32_t mode;
	uint16_t seq, pad2;
	uint64_t unused1, unused2;
};

struct shm_ds {
	struct shm_ipc_perm perm;
	uint64_t segsz;
	int64_t atime, dtime, ctime;
	int32_t cpid, lpid;
	uint64_t nattch;
	uint64_t unused4, unused5;
};

_Static_assert(sizeof(struct shm_ds) == 112, "struct shmid64_ds is 112 bytes on x86-64");

static int64_t shm_now(void)
{
	return (int64_t)(time_boot_epoch() + time_now_ns() / NSEC_PER_SEC);
}

static int shm_id(uint32_t slot)
{
	return (int)(shm_segs[slot].seq * SHM_SEGS + slot);
}

/*
 * Free the slots of removed segments nobody maps any more; their memory
 * goes with their last reference, after the lock.
 */
static void shm_sweep(void)
{
	struct shmem *drop[SHM_SEGS];
	unsigned long flags = spin_lock_irqsave(&shm_segs_lock);
	uint32_t n = 0;

	for (uint32_t i = 0; i < SHM_SEGS; i++) {
		struct shm_seg *s = &shm_segs[i];

		if (s->shm && (s->mode & SHM_DEST) && !shmem_mappers(s->shm)) {
			drop[n++] = s->shm;
			s->shm = NULL;
		}
	}
	spin_unlock_irqrestore(&shm_segs_lock, flags);
	while (n)
		shmem_put(drop[--n]);
}

/* The slot id names, or NULL. Under the lock. */
static struct shm_seg *shm_seg_of(int64_t id)
{
	struct shm_seg *s;

	if (id < 0)
		return NULL;
	s = &shm_segs[id % SHM_SEGS];
	return s->shm && (int64_t)s->seq == id / SHM_SEGS ? s : NULL;
}

/* A new segment of size bytes, its memory allocated now: its id or -errno. */
static int shm_create(int32_t key, uint64_t size, uint32_t mode)
{
	struct shmem *shm = shmem_create();
	unsigned long flags;
	int rc, id = -ENOSPC;

	if (!shm)
		return -ENOMEM;
	/* Sized outside the table lock: this allocates and zeroes. */
	rc = shmem_resize(shm, size);
	if (rc) {
		shmem_put(shm);
		return rc == -ENOSPC ? -ENOMEM : -EINVAL;
	}
	flags = spin_lock_irqsave(&shm_segs_lock);
	for (uint32_t i = 0; i < SHM_SEGS; i++) {
		struct shm_seg *s = &shm_segs[i];

		if (key != IPC_PRIVATE && s->shm && s->key == key) {
			id = -EEXIST;	/* made meanwhile by another process */
			break;
		}
	}
	for (uint32_t i = 0; i < SHM_SEGS && id == -ENOSPC; i++) {
		struct shm_seg *s = &shm_segs[i];
		uint32_t seq = s->seq;

		if (s->shm)
			continue;
		memset(s, 0, sizeof(*s));
		s->seq = (seq + 1) & 0x7fff;
		s->shm = shm;
		s->key = key;
		s->size = size;
		s->mode = mode & 0777;
		s->cpid = task_current()->proc->pid;
		s->ctime = shm_now();
		id = shm_id(i);
	}
	spin_unlock_irqrestore(&shm_segs_lock, flags);
	if (id < 0)
		shmem_put(shm);
	return id;
}

int64_t sys_shmget(SYSCALL_ARGS)
{
	int32_t key = (int32_t)a0;
	uint64_t size = a1;
	uint32_t shmflg = (uint32_t)a2;
	unsigned long flags;
	int64_t rc = -ENOENT;

	shm_sweep();
	if (key != IPC_PRIVATE) {
		flags = spin_lock_irqsave(&shm_segs_lock);
		for (uint32_t i = 0; i < SHM_SEGS; i++) {
			struct shm_seg *s = &shm_segs[i];

			if (!s->shm || s->key != key || (s->mode & SHM_DEST))
				continue;
			if ((shmflg & IPC_CREAT) && (shmflg & IPC_EXCL))
				rc = -EEXIST;
			else if (size > s->size)
				rc = -EINVAL;
			else
				rc = shm_id(i);
			break;
		}
		spin_unlock_irqrestore(&shm_segs_lock, flags);
		if (rc != -ENOENT || !(shmflg & IPC_CREAT))
			return rc;
	}
	if (size < 1 || size > SHMEM_SIZE_MAX)
		return -EINVAL;
	rc = shm_create(key, size, shmflg);
	/* Lost a race for the key: what the winner made is what shmget finds. */
	if (rc == -EEXIST && !(shmflg & IPC_EXCL))
		return sys_shmget(a0, a1, a2 & ~(uint64_t)IPC_CREAT, 0, 0, 0);
	return rc;
}

int64_t sys_shmat(SYSCALL_ARGS)
{
	struct aspace *as = task_current()->proc->as;
	uint64_t addr = a1, size = 0, va;
	uint32_t shmflg = (uint32_t)a2, prot = VM_READ;
	struct shmem *shm = NULL;
	struct shm_seg *s;
	unsigned long flags;
	int rc;

	shm_sweep();
	flags = spin_lock_irqsave(&shm_segs_lock);
	s = shm_seg_of((int)a0);
	if (s) {
		shm = s->shm;
		shmem_get(shm);
		size = ALIGN_UP(s->size, PAGE_SIZE);
	}
	spin_unlock_irqrestore(&shm_segs_lock, flags);
	if (!shm)
		return -EINVAL;
	if (!(shmflg & SHM_RDONLY))
		prot |= VM_WRITE;
	if (shmflg & SHM_EXEC)
		prot |= VM_EXEC;
	if (addr && (shmflg & SHM_RND))
		addr = ALIGN_DOWN(addr, SHMLBA);
	if (addr) {
		rc = IS_ALIGNED(addr, SHMLBA) ? 0 : -EINVAL;
		if (!rc && (shmflg & SHM_REMAP))
			aspace_unmap(as, addr, size);
		va = addr;
	} else {
		if (shmflg & SHM_REMAP)
			rc = -EINVAL;
		else
			rc = aspace_find_free(as, size,
					      size >= PAGE_SIZE_2M ? PAGE_SIZE_2M : PAGE_SIZE, &va) ?
				-ENOMEM : 0;
	}
	if (!rc)
		rc = aspace_map_shared(as, va, size, prot, VM_SYSV, shm, 0);
	if (rc == -EEXIST)
		rc = -EINVAL;	/* Linux: the range is taken and SHM_REMAP was not given */
	shmem_put(shm);
	if (rc)
		return rc;
	flags = spin_lock_irqsave(&shm_segs_lock);
	s = shm_seg_of((int)a0);
	if (s) {
		s->lpid = task_current()->proc->pid;
		s->atime = shm_now();
	}
	spin_unlock_irqrestore(&shm_segs_lock, flags);
	return (int64_t)va;
}

/*
 * The next region of the attach of shm at [from, end), or false: its
 * bounds copied out under the lock.
 */
static bool shm_next_region(struct aspace *as, struct shmem *shm, uint64_t from, uint64_t end,
			    uint64_t *start, uint64_t *stop)
{
	unsigned long flags = spin_lock_irqsave(&as->lock);
	bool found = false;

	for (struct vm_region *r = as->regions; r && r->start < end; r = r->next) {
		if (r->end > from && r->shm == shm && r->kind == VM_SYSV) {
			*start = MAX(r->start, from);
			*stop = MIN(r->end, end);
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&as->lock, flags);
	return found;
}

int64_t sys_shmdt(SYSCALL_ARGS)
{
	struct aspace *as = task_current()->proc->as;
	uint64_t addr = a0, end, start, stop;
	struct shmem *shm = NULL;
	struct vm_region *r;
	unsigned long flags;

	if (addr & (SHMLBA - 1))
		return -EINVAL;
	flags = spin_lock_irqsave(&as->lock);
	r = aspace_find(as, addr);
	/* Linux: addr must be where a segment was attached (its offset 0). */
	if (r && r->kind == VM_SYSV && r->shm && r->shm_off + (addr - r->start) == 0) {
		shm = r->shm;
		shmem_get(shm);
	}
	spin_unlock_irqrestore(&as->lock, flags);
	if (!shm)
		return -EINVAL;
	/* Every piece of this attach (mprotect may have split it), and nothing else. */
	end = addr + ALIGN_UP(shmem_size(shm), PAGE_SIZE);
	while (shm_next_region(as, shm, addr, end, &start, &stop)) {
		aspace_unmap(as, start, stop - start);
		addr = stop;
	}
	flags = spin_lock_irqsave(&shm_segs_lock);
	for (uint32_t i = 0; i < SHM_SEGS; i++) {
		if (shm_segs[i].shm == shm) {
			shm_segs[i].lpid = task_current()->proc->pid;
			shm_segs[i].dtime = shm_now();
		}
	}
	spin_unlock_irqrestore(&shm_segs_lock, flags);
	shmem_put(shm);
	shm_sweep();
	return 0;
}

static void shm_fill_ds(const struct shm_seg *s, int id, struct shm_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ds->perm.key = s->key;
	ds->perm.mode = s->mode;
	ds->perm.seq = (uint16_t)(id / SHM_SEGS);
	ds->segsz = s->size;
	ds->atime = s->atime;
	ds->dtime = s->dtime;
	ds->ctime = s->ctime;
	ds->cpid = (int32_t)s->cpid;
	ds->lpid = (int32_t)s->lpid;
	ds->nattch = shmem_mappers(s->shm);
}

int64_t sys_shmctl(SYSCALL_ARGS)
{
	int id = (int)a0, cmd = (int)a1 & ~IPC_64;
	struct shmem *drop = NULL;
	struct shm_ds ds;
	struct shm_seg *s;
	unsigned long flags;
	int64_t rc = 0;

	if (cmd == IPC_SET && copy_from_user(&ds, a2, sizeof(ds)))
		return -EFAULT;
	shm_sweep();
	flags = spin_lock_irqsave(&shm_segs_lock);
	s = shm_seg_of(id);
	if (!s) {
		rc = -EINVAL;
	} else if (cmd == IPC_STAT) {
		shm_fill_ds(s, id, &ds);
	} else if (cmd == IPC_SET) {
		s->mode = (s->mode & SHM_DEST) | (ds.perm.mode & 0777);
		s->ctime = shm_now();
	} else if (cmd == IPC_RMID && shmem_mappers(s->shm)) {
		s->mode |= SHM_DEST;	/* shmat by id only, until the last detach */
		s->key = IPC_PRIVATE;
		s->ctime = shm_now();
	} else if (cmd == IPC_RMID) {
		drop = s->shm;
		s->shm = NULL;
	} else if (cmd != SHM_LOCK && cmd != SHM_UNLOCK) {	/* always resident */
		rc = -EINVAL;
	}
	spin_unlock_irqrestore(&shm_segs_lock, flags);
	shmem_put(drop);
	if (!rc && cmd == IPC_STAT && copy_to_user(a2, &ds, sizeof(ds)))
		rc = -EFAULT;
	return rc;
}
