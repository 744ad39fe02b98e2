// SPDX-License-Identifier: GPL-2.0
/*
 * MAP_SHARED mappings of host files that may be written. Cove cannot map
 * the host's page cache, so such a mapping is a copy read in when it is
 * made, like any other file mapping, and what the job writes in it goes
 * back to the file: the pages written since the last time (their dirty
 * bits, mm/aspace_writeback.c), by msync, munmap, an mmap over it, mremap,
 * exec and the process's end. Each goes to the file the mapping was made
 * of, opened again by the path the proxy gave for it then, and never past
 * the file's end as it is at the write (a mapping never grows its file).
 *
 * A file no longer found by that path was unlinked (SQLite unlinks its
 * WAL index before it unmaps it), or renamed: nothing is written then, and
 * nothing said.
 *
 * What it is not: coherent. Another mapping of the file, in this process
 * or any other, and read(2) of the file see the bytes only once they were
 * written back.
 */
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/kprintf.h>
#include <cove/kvsnprintf.h>
#include <cove/offload.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/vfs.h>
#include <cove/vm_file_name.h>
#include <arch/syscall_list.h>

/* The proxy reads the path and writes the stat here, in one page of job memory. */
#define WB_STAT_OFF 2048
#define WB_STAT_SIZE_OFF 48		/* st_size in x86-64's struct stat */

/*
 * Its host calls are offload_syscall_dying's: a pending signal or kill
 * must not cut them short, since the pages are counted clean already.
 */
struct wb_host {
	struct aspace *as;
	uint64_t scratch;		/* the page, once a run needs it; 0 before */
	struct vm_file_name *file;	/* the file open at fd, or NULL */
	struct vm_file_name *gone;	/* the last file that did not open: not tried again */
	int fd;
	uint64_t size;			/* its size then */
	int err;			/* the first failure, for the console and msync */
};

static void wb_close(struct wb_host *h)
{
	if (h->file) {
		offload_syscall_dying(__NR_close, (uint64_t)h->fd, 0, 0, 0);
		vm_file_name_put(h->file);
		h->file = NULL;
	}
}

/* Open run's file, unless it is open already: 0 or -errno. */
static int wb_open(struct wb_host *h, struct vm_file_name *file)
{
	size_t len = strlen(file->path) + 1;
	int64_t rc;

	if (h->file == file)
		return 0;
	if (h->gone == file)
		return -ENOENT;
	wb_close(h);
	if (len > WB_STAT_OFF)
		return -ENAMETOOLONG;
	if (!h->scratch) {
		rc = aspace_find_free(h->as, PAGE_SIZE, PAGE_SIZE, &h->scratch);
		if (!rc)
			rc = aspace_map_anon(h->as, h->scratch, PAGE_SIZE, VM_READ | VM_WRITE,
					     VM_ANON);
		if (rc) {
			h->scratch = 0;
			return -ENOMEM;
		}
	}
	if (aspace_write(h->as, h->scratch, file->path, len))
		return -EFAULT;
	rc = offload_syscall_dying(__NR_openat, (uint64_t)AT_FDCWD, h->scratch,
				   O_WRONLY | O_CLOEXEC, 0);
	if (rc < 0)
		return (int)rc;
	h->fd = (int)rc;
	rc = offload_syscall_dying(__NR_fstat, (uint64_t)h->fd, h->scratch + WB_STAT_OFF, 0, 0);
	if (!rc && aspace_read(h->as, h->scratch + WB_STAT_OFF + WB_STAT_SIZE_OFF, &h->size,
			       sizeof(h->size)))
		rc = -EFAULT;
	if (rc) {
		offload_syscall_dying(__NR_close, (uint64_t)h->fd, 0, 0, 0);
		return (int)rc;
	}
	vm_file_name_get(file);
	h->file = file;
	return 0;
}

/* The run's bytes, straight from job memory, up to the file's end. */
static int wb_write(struct wb_host *h, const struct aspace_wb_run *run)
{
	uint64_t len = run->off >= h->size ? 0 : MIN(run->len, h->size - run->off), done = 0;

	while (done < len) {
		int64_t n = offload_syscall_dying(__NR_pwrite64, (uint64_t)h->fd, run->va + done,
						  len - done, run->off + done);

		if (n <= 0)
			return n < 0 ? (int)n : -EIO;
		done += (uint64_t)n;
	}
	return 0;
}

int offload_writeback(struct aspace *as, uint64_t va, uint64_t end)
{
	struct wb_host h = { .as = as };
	struct aspace_wb_run run;
	char path[256] = "";

	while (aspace_writeback_next(as, &va, end, &run)) {
		int rc = wb_open(&h, run.file);

		if (rc && h.gone != run.file) {
			vm_file_name_put(h.gone);
			vm_file_name_get(run.file);
			h.gone = run.file;
		} else if (!rc) {
			rc = wb_write(&h, &run);
		}
		if (rc && rc != -ENOENT && !h.err) {
			h.err = rc;
			ksnprintf(path, sizeof(path), "%s", run.file->path);
		}
		vm_file_name_put(run.file);
	}
	wb_close(&h);
	vm_file_name_put(h.gone);
	if (h.scratch)
		aspace_unmap(as, h.scratch, PAGE_SIZE);
	if (h.err) {
		struct process *p = task_current()->proc;

		pr_warn("mem: pid %u (%s): a shared mapping of %s was not written back: error %d\n",
			p->pid, p->name, path, -h.err);
		return -EIO;
	}
	return 0;
}
