// SPDX-License-Identifier: GPL-2.0
/*
 * Memory calls. Every mapping is populated when it is made, but for an
 * anonymous PROT_NONE one, a reservation populated by the mprotect that
 * grants access (cove/aspace.h, aspace_reserve); a large
 * anonymous mapping is placed on a large-page boundary so it gets large
 * pages. A file mapping is a private copy of the file's bytes, read in when
 * it is made (no demand paging, so no page cache to share either), except
 * for files whose bytes are shared memory (/dev/shm, memfd): MAP_SHARED
 * maps their very pages, as MAP_SHARED|MAP_ANONYMOUS maps a new shared
 * object's, which fork then shares (cove/shmem.h). A MAP_SHARED mapping
 * of a host file that may be written is a copy whose written pages go back
 * to the file (kernel/offload/offload_writeback.c): msync, munmap, and an
 * mmap or mremap over it write them first.
 */
#include <cove/aspace.h>
#include <cove/aspace_huge.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/offload.h>
#include <cove/heap.h>
#include <cove/shmem.h>
#include <cove/string.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/vfs.h>
#include "sys_mm.h"

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MADV_DONTNEED 4
#define MADV_HUGEPAGE 14
#define MADV_NOHUGEPAGE 15

static struct aspace *cur_as(void)
{
	return task_current()->proc->as;
}

static uint32_t mm_prot(uint64_t prot)
{
	/* x86 cannot map write-only or exec-only: reading comes with both. */
	uint32_t p = 0;

	/*
	 * PROT_NONE stays 0: mapped for the kernel only (see arch_aspace_map),
	 * or, anonymous, not populated at all (sys_mmap).
	 */
	if (prot & (PROT_READ | PROT_WRITE | PROT_EXEC))
		p |= VM_READ;
	if (prot & PROT_WRITE)
		p |= VM_WRITE;
	if (prot & PROT_EXEC)
		p |= VM_EXEC;
	return p;
}

static uint64_t mm_align_for(struct aspace *as, uint64_t len)
{
	if (len >= PAGE_SIZE_1G && as->large_page >= PAGE_SIZE_1G)
		return PAGE_SIZE_1G;
	if (len >= PAGE_SIZE_2M && as->large_page >= PAGE_SIZE_2M)
		return PAGE_SIZE_2M;
	return PAGE_SIZE;
}

int64_t sys_brk(SYSCALL_ARGS)
{
	struct aspace *as = cur_as();

	/*
	 * The heap was mapped whole at exec; brk moves within it. Memory given
	 * back is zeroed, so growing again hands out zeros as on Linux (and a
	 * fork may leave what lies above the break uncopied). A fork child's
	 * heap is populated only up to its parent's break: the rest is mapped
	 * here, when the break first grows into it, or the break stays put.
	 */
	if (a0 < as->brk_base || a0 > as->brk_limit)
		return (int64_t)as->brk_cur;
	if (a0 > as->brk_mapped) {
		uint64_t end = MIN(ALIGN_UP(a0, PAGE_SIZE_2M), as->brk_limit);

		if (aspace_map_anon(as, as->brk_mapped, end - as->brk_mapped,
				    VM_READ | VM_WRITE, VM_HEAP))
			return (int64_t)as->brk_cur;
		as->brk_mapped = end;
	}
	if (a0 < as->brk_cur)
		__builtin_memset((void *)a0, 0, as->brk_cur - a0);
	as->brk_cur = a0;
	return (int64_t)as->brk_cur;
}

/*
 * Copies len bytes of the enclave-local file f from offset off into the
 * fresh mapping at va (page-aligned), through the file's own read at that
 * offset: f's file position does not move. Bytes past the end of the file
 * stay zero -- the tail of its last page, and whole pages beyond it, where
 * Linux would raise SIGBUS on access instead: no page is ever missing here.
 */
static int mmap_fill_from_file(struct file *f, uint64_t va, uint64_t len, uint64_t off)
{
	return vfs_mmap_copy(f, cur_as(), va, len, off);
}

/*
 * Whether f, one of the enclave's files, may be mapped so. Every mapping
 * reads the file; a shared writable one would have to write back, which
 * Cove does for host files only (mm_map_host_file).
 */
static int mm_file_check(struct file *f, uint64_t flags, uint64_t prot)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EACCES;
	if ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE)) {
		if ((f->flags & O_ACCMODE) != O_RDWR)
			return -EACCES;
		return -ENODEV;
	}
	/*
	 * MAP_SHARED without PROT_WRITE is served by a private copy: nobody
	 * writes through it, so it differs from Linux's only if the file
	 * changes later (a job writing a file it has mapped shared). Real
	 * sharing comes with the process work.
	 */
	return 0;
}

/*
 * The path f was opened by, for the regions made from it (/proc/self/maps).
 * struct file does not record it yet; until it does, such regions are
 * VM_FILE with their offset but no name.
 */
static struct vm_file_name *mm_file_name(struct file *f)
{
	return NULL;
}

/*
 * Map [va, va + len) RW: shm's pages from off on if shm, else new memory;
 * or, reserve, only reserve it (no access, no pages).
 */
static int mm_map_at(struct aspace *as, uint64_t va, uint64_t len, enum vm_kind kind,
		     struct vm_file_name *file, struct shmem *shm, uint64_t off, bool reserve)
{
	if (reserve)
		return aspace_reserve(as, va, len, kind);
	if (shm)
		return aspace_map_shared(as, va, len, VM_READ | VM_WRITE, kind, shm, off);
	return aspace_map_file(as, va, len, VM_READ | VM_WRITE, kind, file, off);
}

/*
 * Places [va, va + len) as the flags ask and maps it RW (shm: onto its
 * pages from off; reserve: only reserves it): 0 or -errno.
 */
static int mm_place(struct aspace *as, uint64_t addr, uint64_t len, uint64_t flags,
		    enum vm_kind kind, struct vm_file_name *file, struct shmem *shm,
		    uint64_t off, bool reserve, uint64_t *va)
{
	int rc;

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		/* Replacing is what ld.so does over the span it reserved for a library. */
		if (flags & MAP_FIXED) {
			if (aspace_hugetlb_cut_check(as, addr, addr + len))
				return -EINVAL;
			offload_writeback(as, addr, addr + len);
			aspace_unmap(as, addr, len);
		}
		rc = mm_map_at(as, addr, len, kind, file, shm, off, reserve);
		if (rc)
			return rc == -EEXIST ? -EEXIST : -ENOMEM;
		*va = addr;
		return 0;
	}
	/* A hint is honoured when that range is free, as on Linux. */
	if (addr && IS_ALIGNED(addr, PAGE_SIZE) &&
	    !mm_map_at(as, addr, len, kind, file, shm, off, reserve)) {
		*va = addr;
		return 0;
	}
	/*
	 * Only anonymous and shared memory are worth large pages; a file's
	 * copy is small and split up.
	 */
	if (aspace_find_free(as, len, kind == VM_ANON || shm ? mm_align_for(as, len) : PAGE_SIZE,
			     va))
		return -ENOMEM;
	if (mm_map_at(as, *va, len, kind, file, shm, off, reserve))
		return -ENOMEM;
	return 0;
}

/*
 * A host file (co-kernel, cove/offload.h): a copy, read in by the proxy
 * straight into the new memory through its mirror. A shared mapping that
 * may be written is written back to the file at the path the proxy gives
 * for it now (kernel/offload/offload_writeback.c), and needs the file open
 * for reading and writing, as on Linux.
 */
#define VM_HOST_PATH_MAX 1024
#define F_GETFL 3

static int mm_host_writeback_check(int fd)
{
	uint64_t args[6] = { (uint64_t)fd, F_GETFL };
	int64_t fl = offload_syscall(__NR_fcntl, args);

	if (fl < 0)
		return (int)fl;
	return (fl & O_ACCMODE) == O_RDWR ? 0 : -EACCES;
}

/* A path the file can be opened by again: absolute, and not of a file unlinked since. */
static bool mm_host_path_reopens(const char *path)
{
	static const char deleted[] = " (deleted)";
	size_t len = strlen(path), dl = sizeof(deleted) - 1;

	return path[0] == '/' && !(len >= dl && !strcmp(path + len - dl, deleted));
}

static int64_t mm_map_host_file(struct aspace *as, uint64_t addr, uint64_t len, uint64_t flags,
				uint32_t prot, int fd, uint64_t off)
{
	bool writeback = (flags & MAP_TYPE) != MAP_PRIVATE && (prot & VM_WRITE);
	int64_t n;
	uint64_t va;
	int rc;

	if (!offload_fd_is_host(fd))
		return -EBADF;
	rc = writeback ? mm_host_writeback_check(fd) : 0;
	if (rc)
		return rc;
	char *path;

	rc = mm_place(as, addr, len, flags, VM_FILE, NULL, NULL, off, false, &va);
	if (rc)
		return rc;
	/*
	 * Named as on Linux, for /proc/self/maps (which runtimes and
	 * debuggers read to find libraries) and fault reports: the host's
	 * path, asked through the new memory before the file's bytes land.
	 * A write-back mapping needs it (ENODEV, as for a file that cannot be
	 * mapped, when there is none), and counts its pages as unwritten once
	 * they hold the file's bytes.
	 */
	path = kmalloc(VM_HOST_PATH_MAX);
	rc = path ? offload_fd_host_path(fd, va, path, VM_HOST_PATH_MAX) : -ENOMEM;
	if (!rc && writeback && !mm_host_path_reopens(path))
		rc = -ENODEV;
	if (writeback && rc)
		n = rc;
	else
		n = offload_pread_into(fd, va, len, off);
	if (!rc && n >= 0 && aspace_name(as, va, path, off, writeback) && writeback)
		n = -ENOMEM;
	kfree(path);
	if (n < 0) {
		aspace_unmap(as, va, len);
		return n == -EISDIR || n == -EINVAL ? -ENODEV : n;
	}
	if (prot != (VM_READ | VM_WRITE))
		aspace_protect(as, va, len, prot);
	return (int64_t)va;
}

/*
 * MAP_SHARED of shared memory: shm's pages from off on (file: the file it
 * came from, for the access check; NULL for anonymous memory).
 */
static int64_t mm_map_shared(struct aspace *as, uint64_t addr, uint64_t len, uint64_t flags,
			     uint32_t prot, struct file *f, struct shmem *shm, uint64_t off)
{
	uint64_t va;
	int rc;

	if (f && ((f->flags & O_ACCMODE) == O_WRONLY ||
		  ((prot & VM_WRITE) && (f->flags & O_ACCMODE) != O_RDWR)))
		return -EACCES;
	rc = mm_place(as, addr, len, flags, f ? VM_FILE : VM_ANON, NULL, shm, off, false, &va);
	if (rc)
		return rc;
	if (prot != (VM_READ | VM_WRITE))
		aspace_protect(as, va, len, prot);
	return (int64_t)va;
}

/* MAP_SHARED|MAP_ANONYMOUS: a new shared object, kept by the mapping alone. */
static int64_t mm_map_shared_anon(struct aspace *as, uint64_t addr, uint64_t len,
				  uint64_t flags, uint32_t prot)
{
	struct shmem *shm = shmem_create();
	int64_t rc;

	if (!shm)
		return -ENOMEM;
	rc = shmem_resize(shm, len);
	if (!rc)
		rc = mm_map_shared(as, addr, len, flags, prot, NULL, shm, 0);
	shmem_put(shm);
	return rc == -ENOSPC ? -ENOMEM : rc;
}

int64_t sys_mmap(SYSCALL_ARGS)
{
	struct aspace *as = cur_as();
	uint64_t addr = a0, len = ALIGN_UP(a1, PAGE_SIZE), flags = a3, off = a5;
	uint64_t type = flags & MAP_TYPE;
	uint32_t prot = mm_prot(a2);
	struct vm_file_name *name = NULL;
	struct shmem *shm;
	struct file *f = NULL;
	bool reserve;
	uint64_t va;
	int rc;

	/* MAP_DENYWRITE, MAP_NORESERVE, MAP_POPULATE and such change nothing here. */
	if (!a1 || len < a1 || (off & (PAGE_SIZE - 1)) ||
	    (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE))
		return -EINVAL;
	if ((flags & (MAP_ANONYMOUS | MAP_HUGETLB)) == (MAP_ANONYMOUS | MAP_HUGETLB))
		return mm_map_hugetlb(as, addr, a1, flags, prot);
	if ((flags & MAP_ANONYMOUS) && type != MAP_PRIVATE)
		return mm_map_shared_anon(as, addr, len, flags, prot);
	if (!(flags & MAP_ANONYMOUS)) {
		/* No hugetlbfs here: Linux refuses huge pages of another file (UCX then retries). */
		if (off + len < off || (flags & MAP_HUGETLB))
			return -EINVAL;
		f = fd_get(task_current()->proc->files, (int)a4);
		if (!f)
			return mm_map_host_file(as, addr, len, flags, prot, (int)a4, off);
		shm = type != MAP_PRIVATE ? vfs_file_shmem(f) : NULL;
		if (shm) {
			int64_t r = mm_map_shared(as, addr, len, flags, prot, f, shm, off);

			shmem_put(shm);
			file_put(f);
			return r;
		}
		rc = mm_file_check(f, flags, a2);
		if (rc)
			goto out;
		name = mm_file_name(f);
	}
	/*
	 * Anonymous PROT_NONE only reserves address space: glibc's malloc
	 * arenas, ld.so's library spans and Java heaps ask for far more than
	 * they use. A file's PROT_NONE copy is made as any other.
	 */
	reserve = !f && !prot;
	rc = mm_place(as, addr, len, flags, f ? VM_FILE : VM_ANON, name, NULL, off, reserve, &va);
	if (!rc && f) {
		rc = mmap_fill_from_file(f, va, len, off);
		if (rc)
			aspace_unmap(as, va, len);
	}
	if (!rc && !reserve && prot != (VM_READ | VM_WRITE))
		aspace_protect(as, va, len, prot);
out:
	vm_file_name_put(name);
	file_put(f);
	return rc ? rc : (int64_t)va;
}

/*
 * The caller's thread is the only one using its address space: memory
 * can be remade under it (a large page collapsed) with nobody touching it.
 */
static bool mm_alone(void)
{
	struct process *p = task_current()->proc;

	return __atomic_load_n(&p->nr_live, __ATOMIC_RELAXED) == 1 &&
	       __atomic_load_n(&p->as->refs, __ATOMIC_RELAXED) == 1;
}

int64_t sys_munmap(SYSCALL_ARGS)
{
	uint64_t len = ALIGN_UP(a1, PAGE_SIZE);

	if ((a0 & (PAGE_SIZE - 1)) || !a1 || len < a1 || a0 + len < a0)
		return -EINVAL;
	/* Linux cannot split a MAP_HUGETLB page: EINVAL, nothing unmapped. */
	if (aspace_hugetlb_cut_check(cur_as(), a0, a0 + len))
		return -EINVAL;
	offload_writeback(cur_as(), a0, a0 + len);
	return aspace_unmap(cur_as(), a0, a1);
}

int64_t sys_mprotect(SYSCALL_ARGS)
{
	uint64_t len = ALIGN_UP(a1, PAGE_SIZE);
	int rc;

	if (a0 & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!a1)
		return 0;
	if (len < a1 || a0 + len < a0)
		return -ENOMEM;
	if (aspace_hugetlb_cut_check(cur_as(), a0, a0 + len))
		return -EINVAL;
	rc = aspace_protect(cur_as(), a0, a1, mm_prot(a2));
	/* A reservation populated piece by piece fills MADV_HUGEPAGE blocks. */
	if (!rc && a2 && mm_alone())
		aspace_collapse(cur_as(), a0, len);
	return rc;
}

/* mremap of [old, old + old_len), which lies in one region of that kind, file and offset. */
static int64_t mm_remap(struct aspace *as, uint64_t old, uint64_t old_len, uint64_t new_len,
			uint64_t flags, uint32_t prot, enum vm_kind kind,
			struct vm_file_name *file, uint64_t file_off)
{
	uint64_t va;
	int rc;

	if (new_len <= old_len) {
		if (new_len < old_len)
			aspace_unmap(as, old + new_len, old_len - new_len);
		return (int64_t)old;
	}
	/*
	 * Grow in place when the space after is free. What is added is zeroed
	 * memory, also for a file's copy, where Linux would show more of the
	 * file: nothing Cove's C libraries or ld.so do.
	 */
	if (aspace_map_anon(as, old + old_len, new_len - old_len, prot, VM_ANON) == 0)
		return (int64_t)old;
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	/* A moved copy of a file still names it. */
	rc = aspace_find_free(as, new_len, kind == VM_ANON ? mm_align_for(as, new_len) : PAGE_SIZE,
			      &va);
	if (!rc)
		rc = aspace_map_file(as, va, new_len, VM_READ | VM_WRITE,
				     kind == VM_FILE ? VM_FILE : VM_ANON, file, file_off);
	if (rc)
		return -ENOMEM;
	/* Both ranges are mapped in the current address space. */
	__builtin_memcpy((void *)va, (const void *)old, old_len);
	aspace_unmap(as, old, old_len);
	if (prot != (VM_READ | VM_WRITE))
		aspace_protect(as, va, new_len, prot);
	return (int64_t)va;
}

/* mremap of a reservation: it stays one, wherever it ends up, and costs nothing. */
static int64_t mm_remap_reserved(struct aspace *as, uint64_t old, uint64_t old_len,
				 uint64_t new_len, uint64_t flags, enum vm_kind kind)
{
	uint64_t va;

	if (new_len <= old_len) {
		if (new_len < old_len)
			aspace_unmap(as, old + new_len, old_len - new_len);
		return (int64_t)old;
	}
	if (aspace_reserve(as, old + old_len, new_len - old_len, kind) == 0)
		return (int64_t)old;
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	if (aspace_find_free(as, new_len, mm_align_for(as, new_len), &va) ||
	    aspace_reserve(as, va, new_len, kind))
		return -ENOMEM;
	aspace_unmap(as, old, old_len);
	return (int64_t)va;
}

/*
 * mremap of shared memory: the mapping grows over more of the same
 * object (in place or moved), never into memory of its own.
 */
static int64_t mm_remap_shared(struct aspace *as, uint64_t old, uint64_t old_len,
			       uint64_t new_len, uint64_t flags, uint32_t prot,
			       enum vm_kind kind, struct shmem *shm, uint64_t shm_off)
{
	uint64_t va;

	if (new_len <= old_len) {
		if (new_len < old_len)
			aspace_unmap(as, old + new_len, old_len - new_len);
		return (int64_t)old;
	}
	if (aspace_map_shared(as, old + old_len, new_len - old_len, prot, kind, shm,
			      shm_off + old_len) == 0)
		return (int64_t)old;
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	if (aspace_find_free(as, new_len, mm_align_for(as, new_len), &va) ||
	    aspace_map_shared(as, va, new_len, prot, kind, shm, shm_off))
		return -ENOMEM;
	aspace_unmap(as, old, old_len);
	return (int64_t)va;
}

int64_t sys_mremap(SYSCALL_ARGS)
{
	struct aspace *as = cur_as();
	uint64_t old = a0, old_len = ALIGN_UP(a1, PAGE_SIZE), new_len = ALIGN_UP(a2, PAGE_SIZE);
	struct vm_file_name *file = NULL;
	struct vm_region *r;
	enum vm_kind kind = VM_ANON;
	struct shmem *shm = NULL;
	uint64_t file_off = 0, shm_off = 0;
	unsigned long flags;
	uint32_t prot = 0;
	bool reserved = false;
	uint64_t hugetlb = 0;
	int64_t rc;

	if ((old & (PAGE_SIZE - 1)) || !new_len || (a3 & MREMAP_FIXED))
		return -EINVAL;
	/* A write-back mapping's bytes are out before it moves or shrinks. */
	offload_writeback(as, old, old + old_len);
	/* What the region is, copied out under the lock; the name is held until the end. */
	flags = spin_lock_irqsave(&as->lock);
	r = aspace_find(as, old);
	rc = !r || old + old_len > r->end ? -EFAULT : 0;
	if (!rc) {
		prot = r->prot;
		kind = r->kind;
		reserved = r->reserved;
		file = r->file;
		file_off = r->file_off + (old - r->start);
		vm_file_name_get(file);
		shm = r->shm;
		shm_off = r->shm_off + (old - r->start);
		if (shm)
			shmem_get(shm);
		hugetlb = r->pages.hugetlb;
	}
	spin_unlock_irqrestore(&as->lock, flags);
	if (rc)
		return rc;
	/*
	 * Linux moves or grows no MAP_HUGETLB mapping: aligned to its page
	 * size, lengths rounded up to it, it may only shrink.
	 */
	if (hugetlb) {
		old_len = ALIGN_UP(a1, hugetlb);
		new_len = ALIGN_UP(a2, hugetlb);
		rc = (old & (hugetlb - 1)) || new_len > old_len ? -EINVAL : (int64_t)old;
		if (rc > 0 && new_len < old_len)
			aspace_unmap(as, old + new_len, old_len - new_len);
		vm_file_name_put(file);
		shmem_put(shm);
		return rc;
	}
	if (reserved)
		rc = mm_remap_reserved(as, old, old_len, new_len, a3, kind);
	else if (shm)
		rc = mm_remap_shared(as, old, old_len, new_len, a3, prot, kind, shm, shm_off);
	else
		rc = mm_remap(as, old, old_len, new_len, a3, prot, kind, file, file_off);
	vm_file_name_put(file);
	shmem_put(shm);
	return rc;
}

int64_t sys_madvise(SYSCALL_ARGS)
{
	uint64_t len = ALIGN_UP(a1, PAGE_SIZE);

	/*
	 * Memory stays resident in Cove: most advice changes nothing. What
	 * a program can see does: DONTNEED's zeros, and the page sizes that
	 * HUGEPAGE / NOHUGEPAGE ask for (mm/aspace_huge.c).
	 */
	if ((a0 & (PAGE_SIZE - 1)) || len < a1 || a0 + len < a0)
		return -EINVAL;
	if (!len)
		return 0;
	switch (a2) {
	case MADV_DONTNEED:
		return aspace_discard(cur_as(), a0, len);
	case MADV_HUGEPAGE:
		return aspace_advise_huge(cur_as(), a0, len, VM_THP_HUGE, mm_alone());
	case MADV_NOHUGEPAGE:
		return aspace_advise_huge(cur_as(), a0, len, VM_THP_NEVER, mm_alone());
	default:
		return 0;
	}
}

int64_t sys_msync(SYSCALL_ARGS)
{
	/*
	 * Shared memory has no file behind it, and other file mappings are
	 * private copies: only host files' write-back mappings have anything
	 * to write, at once for MS_ASYNC too.
	 */
	if ((a0 & (PAGE_SIZE - 1)) || (a2 & ~7ULL) || ((a2 & 1) && (a2 & 4)))
		return -EINVAL;
	if (a1 && !aspace_check(cur_as(), a0, ALIGN_UP(a1, PAGE_SIZE), 0))
		return -ENOMEM;
	if (a1 && a2 != 2)	/* MS_INVALIDATE alone asks nothing */
		return offload_writeback(cur_as(), a0, a0 + ALIGN_UP(a1, PAGE_SIZE));
	return 0;
}

int64_t sys_mlock(SYSCALL_ARGS)
{
	return 0;	/* everything is resident already */
}
