// SPDX-License-Identifier: GPL-2.0
/*
 * Memory calls. Every mapping is populated when it is made; a large
 * mapping is placed on a large-page boundary so it gets large pages.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/syscalls.h>
#include <cove/task.h>
#include <cove/vfs.h>

#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2

static struct aspace *cur_as(void)
{
	return task_current()->proc->as;
}

static uint32_t mm_prot(uint64_t prot)
{
	/* x86 cannot map write-only or exec-only: reading comes with both. */
	uint32_t p = 0;

	/* PROT_NONE stays 0: mapped for the kernel only (see arch_aspace_map). */
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
	 * The heap was mapped whole at exec; brk only moves within it. Memory
	 * given back is zeroed, so growing again hands out zeros as on Linux.
	 */
	if (a0 >= as->brk_base && a0 <= as->brk_limit) {
		if (a0 < as->brk_cur)
			__builtin_memset((void *)a0, 0, as->brk_cur - a0);
		as->brk_cur = a0;
	}
	return (int64_t)as->brk_cur;
}

/* Copy a file's bytes into a fresh private mapping. */
static int mm_fill_from_file(uint64_t va, uint64_t len, int fd, uint64_t off)
{
	struct file *f = fd_get(task_current()->proc->files, fd);
	int rc;

	if (!f)
		return -EBADF;
	rc = vfs_mmap_copy(f, task_current()->proc->as, va, len, off);
	file_put(f);
	return rc;
}

int64_t sys_mmap(SYSCALL_ARGS)
{
	struct aspace *as = cur_as();
	uint64_t addr = a0, len = ALIGN_UP(a1, PAGE_SIZE), flags = a3, off = a5;
	uint32_t prot = mm_prot(a2);
	bool anon = flags & MAP_ANONYMOUS;
	int fd = (int)a4;
	uint64_t va;
	int rc;

	if (!a1 || len < a1 || !(flags & (MAP_SHARED | MAP_PRIVATE)) || (off & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (flags & MAP_FIXED)
			aspace_unmap(as, addr, len);
		rc = aspace_map_anon(as, addr, len, VM_READ | VM_WRITE, VM_ANON);
		if (rc)
			return rc == -EEXIST ? -EEXIST : -ENOMEM;
		va = addr;
	} else {
		/* A hint is honoured when that range is free, as on Linux. */
		rc = -EEXIST;
		if (addr && IS_ALIGNED(addr, PAGE_SIZE))
			rc = aspace_map_anon(as, addr, len, VM_READ | VM_WRITE, VM_ANON);
		va = addr;
		if (rc) {
			if (aspace_find_free(as, len, mm_align_for(as, len), &va))
				return -ENOMEM;
			if (aspace_map_anon(as, va, len, VM_READ | VM_WRITE, VM_ANON))
				return -ENOMEM;
		}
	}
	if (!anon) {
		rc = mm_fill_from_file(va, a1, fd, off);
		if (rc) {
			aspace_unmap(as, va, len);
			return rc;
		}
	}
	if (prot != (VM_READ | VM_WRITE))
		aspace_protect(as, va, len, prot);
	return (int64_t)va;
}

int64_t sys_munmap(SYSCALL_ARGS)
{
	if ((a0 & (PAGE_SIZE - 1)) || !a1)
		return -EINVAL;
	return aspace_unmap(cur_as(), a0, a1);
}

int64_t sys_mprotect(SYSCALL_ARGS)
{
	if (a0 & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!a1)
		return 0;
	return aspace_protect(cur_as(), a0, a1, mm_prot(a2));
}

int64_t sys_mremap(SYSCALL_ARGS)
{
	struct aspace *as = cur_as();
	uint64_t old = a0, old_len = ALIGN_UP(a1, PAGE_SIZE), new_len = ALIGN_UP(a2, PAGE_SIZE);
	struct vm_region *r;
	uint32_t prot;
	uint64_t va;
	int rc;

	if ((old & (PAGE_SIZE - 1)) || !new_len || (a3 & MREMAP_FIXED))
		return -EINVAL;
	r = aspace_find(as, old);
	if (!r || old + old_len > r->end)
		return -EFAULT;
	prot = r->prot;
	if (new_len <= old_len) {
		if (new_len < old_len)
			aspace_unmap(as, old + new_len, old_len - new_len);
		return (int64_t)old;
	}
	/* Grow in place when the space after is free. */
	if (aspace_map_anon(as, old + old_len, new_len - old_len, prot, VM_ANON) == 0)
		return (int64_t)old;
	if (!(a3 & MREMAP_MAYMOVE))
		return -ENOMEM;
	rc = aspace_find_free(as, new_len, mm_align_for(as, new_len), &va);
	if (!rc)
		rc = aspace_map_anon(as, va, new_len, VM_READ | VM_WRITE, VM_ANON);
	if (rc)
		return -ENOMEM;
	/* Both ranges are mapped in the current address space. */
	__builtin_memcpy((void *)va, (const void *)old, old_len);
	aspace_unmap(as, old, old_len);
	if (prot != (VM_READ | VM_WRITE))
		aspace_protect(as, va, new_len, prot);
	return (int64_t)va;
}

int64_t sys_madvise(SYSCALL_ARGS)
{
	/* Memory stays resident in Cove: advice changes nothing, DONTNEED included. */
	if (a0 & (PAGE_SIZE - 1))
		return -EINVAL;
	if (a2 == 4) {	/* MADV_DONTNEED: Linux zero-fills private anon pages */
		if (!aspace_check(cur_as(), a0, a1, VM_WRITE))
			return -ENOMEM;
		__builtin_memset((void *)a0, 0, a1);
	}
	return 0;
}

int64_t sys_mlock(SYSCALL_ARGS)
{
	return 0;	/* everything is resident already */
}
