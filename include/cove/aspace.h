/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User address spaces, in the Kitten spirit: explicit regions whose memory
 * is allocated and mapped when the region is created (no demand paging),
 * with 2 MiB / 1 GiB pages wherever alignment and size allow.
 */
#ifndef COVE_ASPACE_H
#define COVE_ASPACE_H

#include <cove/mempolicy.h>
#include <cove/spinlock.h>
#include <cove/types.h>
#include <cove/vm_file_name.h>
#include <arch/aspace_arch.h>

#define VM_READ 1u
#define VM_WRITE 2u
#define VM_EXEC 4u

/* The user half ends below the canonical hole; keep a page of margin. */
#define USER_VA_END 0x00007ffffffff000ULL
#define USER_VA_START 0x10000ULL

enum vm_kind {
	VM_IMAGE,	/* ELF segments: the program's and its interpreter's */
	VM_HEAP,	/* brk */
	VM_STACK,
	VM_ANON,	/* mmap, anonymous */
	VM_FILE,	/* mmap of a file: a private copy of its bytes, or shared (shm) */
	VM_SYSV,	/* a SysV shared memory segment (shmat) */
	/*
	 * Pages the address space does not own (an XEMEM segment's, or a
	 * host's): never freed here, never copied by fork, changed only by
	 * aspace_map_foreign / aspace_unmap_foreign (munmap: -EINVAL,
	 * mprotect: -EACCES).
	 */
	VM_XEMEM,
	/*
	 * The vDSO and its time page (cove/vdso.h): the kernel's shared pages,
	 * read-only, mapped by exec and kept shared by fork.
	 */
	VM_VDSO,
};

struct shmem;

/* madvise's advice on large pages for a region (MADV_HUGEPAGE / MADV_NOHUGEPAGE). */
enum vm_thp { VM_THP_DEFAULT, VM_THP_HUGE, VM_THP_NEVER };

/*
 * What pages a region's memory comes in (mm/aspace_huge.c): MAP_HUGETLB
 * fixes one size, populated so or not at all; otherwise the address
 * space's largest page, as madvise's advice changes it.
 */
struct vm_pages {
	uint64_t hugetlb;		/* 2 MiB or 1 GiB for MAP_HUGETLB, else 0 */
	uint8_t thp;			/* enum vm_thp */
};

struct vm_region {
	uint64_t start, end;
	uint32_t prot;
	enum vm_kind kind;
	struct vm_file_name *file;	/* NULL: anonymous memory */
	uint64_t file_off;		/* the file offset start came from, if file */
	/*
	 * Shared memory: the object whose pages [start, end) map, from
	 * shm_off on, held as a mapper (cove/shmem.h). NULL: the pages are
	 * the region's own, freed when it is unmapped.
	 */
	struct shmem *shm;
	uint64_t shm_off;
	/*
	 * Address space only, no pages (mmap PROT_NONE, anonymous): prot is 0.
	 * mprotect to any access populates it then, in the system call, so
	 * user code still never faults to get memory. A populated region
	 * mprotected back to PROT_NONE keeps its pages (as Linux does) and is
	 * not reserved.
	 */
	bool reserved;
	struct vm_pages pages;
	struct mempolicy policy;	/* mbind's; MPOL_DEFAULT: the thread's */
	struct vm_region *next;		/* sorted by start */
};

struct aspace {
	struct arch_aspace arch;
	spinlock_t lock;
	struct vm_region *regions;
	uint64_t brk_base, brk_cur, brk_limit;
	/*
	 * The heap is populated up to here. exec populates it whole; a fork
	 * child only up to its parent's break (rounded up to a large page),
	 * and brk populates more when the break grows past it.
	 */
	uint64_t brk_mapped;
	/*
	 * A fork child's stack is reserved down to here but populated only
	 * below its parent's stack pointer (mm/aspace_stack.c says why); 0
	 * when the stack is populated whole. Set once, at fork.
	 */
	uint64_t stack_floor;
	uint64_t mmap_top;		/* mmap without a hint searches below this */
	uint64_t large_page;		/* largest page to use: 4K, 2M or 1G */
	uint64_t mapped_bytes;
	uint64_t peak_bytes;		/* the most mapped_bytes ever was: ru_maxrss */
	/* Where exec left the auxiliary vector on the stack, for a core file's NT_AUXV. */
	uint64_t auxv_addr, auxv_len;
	uint64_t shared_bytes;		/* of those, pages of shared objects (fork copies none) */
	uint64_t populated[3];		/* 4K, 2M, 1G pages ever mapped (statistics) */
	/* Bumped when pages are unmapped or lose rights: a host mirror must forget what it saw. */
	uint64_t unmap_gen;
	/* Write-back mappings ever made here (struct vm_file_name): 0 spares the walk. */
	uint32_t writeback_maps;
	/*
	 * Pages in [moving_start, moving_end) are being moved to another node
	 * (mm/aspace_migrate.c): a fault there waits for them. Under lock.
	 */
	uint64_t moving_start, moving_end;
	uint32_t refs;
};

struct aspace *aspace_create(uint64_t large_page);
void aspace_get(struct aspace *as);
/*
 * fork: a new address space holding a copy of every page of src, made now
 * (mm/aspace_fork.c says why not copy-on-write), but for the heap above the
 * break and the stack below sp, the forking thread's user stack pointer
 * (see aspace_clone_extent). NULL with *err -ENOMEM when the partition
 * cannot hold the copy.
 */
struct aspace *aspace_clone(struct aspace *src, uint64_t sp, int *err);
/*
 * addr lies in the reserved, unpopulated part of a fork child's stack:
 * populate down to it (and a little more). 0 if it did; -EFAULT if addr is
 * not there, so the fault is the program's.
 */
int aspace_stack_grow(struct aspace *as, uint64_t addr);
void aspace_put(struct aspace *as);
/*
 * Unmap every region now, the address space itself kept (a process that
 * ended: its memory and shared attachments go at its end, as on Linux,
 * not when it is reaped).
 */
void aspace_empty(struct aspace *as);
/*
 * Whether some aspace_empty is still giving memory back: a job about to
 * start waits for it (aspace_wait_emptied), as a rank's end reaches the
 * host before its memory is free.
 */
bool aspace_emptying(void);
/* Until no address space is being emptied, or ms have passed; false then. */
bool aspace_wait_emptied(uint32_t ms);
/* Allocate, zero and map [va, va+len) now. */
int aspace_map_anon(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
		    enum vm_kind kind);
/*
 * The same, for memory that will hold file's bytes from file_off on: the
 * region remembers both (taking its own reference to file, which may be
 * NULL). Copying the bytes in is the caller's.
 */
int aspace_map_file(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
		    enum vm_kind kind, struct vm_file_name *file, uint64_t file_off);
/*
 * Reserve [va, va+len) with no access and no pages (mmap PROT_NONE): no
 * memory is spent until aspace_protect grants access to part of it.
 */
int aspace_reserve(struct aspace *as, uint64_t va, uint64_t len, enum vm_kind kind);
/*
 * Map [va, va+len) onto the pages of shm from shm_off (page aligned) on,
 * shared with every other mapper: the region holds shm as a mapper. 2 MiB
 * pages where the object has a 2 MiB block at a matching alignment. Pages
 * past the object's end stay unmapped (an access is a fault).
 */
int aspace_map_shared(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot,
		      enum vm_kind kind, struct shmem *shm, uint64_t shm_off);
int aspace_unmap(struct aspace *as, uint64_t va, uint64_t len);
/*
 * Map [va, va + the chunks' sizes) onto the physical chunks given, one
 * after another, as one VM_XEMEM region (the pages stay their owner's).
 * 0, -EEXIST (something is mapped there), -EINVAL, -ENOMEM.
 */
struct boot_range;
int aspace_map_foreign(struct aspace *as, uint64_t va, const struct boot_range *chunks,
		       uint32_t nr, uint32_t prot);
/* Remove the VM_XEMEM region that is exactly [va, va+len) (every CPU flushed): 0 or -EINVAL. */
int aspace_unmap_foreign(struct aspace *as, uint64_t va, uint64_t len);
/*
 * Change the rights of [va, va+len), all mapped. Reserved parts given
 * access are populated now (zeroed, large pages where alignment allows);
 * -ENOMEM, and nothing changed, when the partition cannot hold them.
 */
int aspace_protect(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot);
/* A free gap of len bytes aligned to align, highest first below mmap_top. */
int aspace_find_free(struct aspace *as, uint64_t len, uint64_t align, uint64_t *va);
/*
 * What holds va, for a console line: "libc.so.6+0x2a1f0" (the file and
 * the offset in it), "anonymous memory+0x10", or "unmapped".
 */
void aspace_describe(struct aspace *as, uint64_t va, char *buf, size_t len);
/*
 * Name the unnamed region at va a copy of the file at path from offset off
 * (a host file); writeback: its written pages go back to the file (struct
 * vm_file_name), and its pages count as unwritten from now. 0, or -ENOMEM
 * (the region is left unnamed).
 */
int aspace_name(struct aspace *as, uint64_t va, const char *path, uint64_t off, bool writeback);
/* A run of pages to write back to a file: [va, va + len) from file offset off. */
struct aspace_wb_run {
	uint64_t va, len, off;
	struct vm_file_name *file;	/* referenced: vm_file_name_put when done */
};
/*
 * The next pages at or after *va and below end that a write-back mapping
 * (struct vm_file_name) had written since they were last read in or
 * written back, contiguous in one region: counted as unwritten from now
 * (a write after this marks them again), *va moved past them. 1 and run,
 * or 0 when there are none left.
 */
int aspace_writeback_next(struct aspace *as, uint64_t *va, uint64_t end,
			  struct aspace_wb_run *run);
/*
 * A fault at va not present: map it if it lies in a shared mapping whose
 * object has grown to it since the mapping was made. 0 when mapped.
 */
int aspace_shm_fault(struct aspace *as, uint64_t va);
/* The region containing va, or NULL (caller holds as->lock). */
struct vm_region *aspace_find(struct aspace *as, uint64_t va);
/* Copy into / out of user memory through the kernel's direct map. */
int aspace_write(struct aspace *as, uint64_t va, const void *src, size_t len);
int aspace_read(struct aspace *as, uint64_t va, void *dst, size_t len);
/*
 * Atomically replace the 32-bit word at va (4-aligned, writable) with new
 * if it holds *old: 0; -EAGAIN with *old the value found; -EFAULT.
 */
int aspace_cmpxchg_u32(struct aspace *as, uint64_t va, uint32_t *old, uint32_t new);
/*
 * Copy to (write) or from [va, va+len) of another process's address space,
 * as its regions allow (VM_WRITE / VM_READ): 0 or -EFAULT, nothing copied.
 * Under its lock, so no page is freed under the copy.
 */
int aspace_access(struct aspace *as, uint64_t va, void *buf, size_t len, bool write);
/*
 * The same for a debugger (cove/jobdbg.h): any mapped memory the process
 * could read or run, written whatever its protection, as ptrace's forced
 * access does (a breakpoint in read-only text). 0 or -EFAULT.
 */
int aspace_debug_access(struct aspace *as, uint64_t va, void *buf, size_t len, bool write);
/* True if [va, va+len) lies in regions that allow prot. */
bool aspace_check(struct aspace *as, uint64_t va, uint64_t len, uint32_t prot);

/* The path of the file r holds a copy of, or NULL for anonymous memory. */
static inline const char *vm_region_path(const struct vm_region *r)
{
	return r->file ? r->file->path : NULL;
}

/* Architecture: page tables of one address space. */
int arch_aspace_init(struct arch_aspace *a);
void arch_aspace_destroy(struct arch_aspace *a);
int arch_aspace_map(struct arch_aspace *a, uint64_t va, phys_addr_t pa, uint64_t len,
		    uint32_t prot);
/*
 * The same for pages that hold only zeros: they count as clean until
 * written (arch_aspace_dirty), where any other mapping counts as written.
 */
int arch_aspace_map_zeroed(struct arch_aspace *a, uint64_t va, phys_addr_t pa, uint64_t len,
			   uint32_t prot);
enum aspace_dirty_op {
	ASPACE_DIRTY_TEST,	/* whether the page was written since it was zeros */
	ASPACE_DIRTY_SET,	/* the kernel wrote it through its direct map */
	ASPACE_DIRTY_CLEAR,	/* it is zeros again: the caller flushes before trusting it */
};
/*
 * Whether the page mapping va was written since it held only zeros (1 or
 * 0, -ENOENT if unmapped), changed as op says, atomically against the
 * CPU; *pa and *size (either may be NULL) get what arch_aspace_translate
 * would, in the same walk.
 */
int arch_aspace_dirty(struct arch_aspace *a, uint64_t va, enum aspace_dirty_op op,
		      phys_addr_t *pa, uint64_t *size);
/* The first page written since it held only zeros in [va, end): 1 and its base and size, or 0. */
int arch_aspace_find_dirty(struct arch_aspace *a, uint64_t va, uint64_t end, uint64_t *base,
			   uint64_t *size);
/* Unmap [va, va+len); a large page partly covered is split first. */
int arch_aspace_unmap(struct arch_aspace *a, uint64_t va, uint64_t len);
/*
 * The next mapped page in [*va, end), unmapped: 1 with *va, *pa and *size
 * telling it; 0 when none is left; a negative error when a large page end
 * cuts through cannot be split (*va at it).
 */
int arch_aspace_unmap_next(struct arch_aspace *a, uint64_t *va, uint64_t end, phys_addr_t *pa,
			   uint64_t *size);
int arch_aspace_translate(struct arch_aspace *a, uint64_t va, phys_addr_t *pa,
			  uint64_t *page_size);
void arch_aspace_activate(struct arch_aspace *a);
/* Make every CPU that may cache this address space drop stale entries. */
void arch_aspace_flush(struct arch_aspace *a);
/* Flush, then free the tables a large page replaced (arch_aspace_tables_pending). */
void arch_aspace_reclaim(struct arch_aspace *a);
bool arch_has_1g_pages(void);

#endif /* COVE_ASPACE_H */
