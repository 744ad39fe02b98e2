// SPDX-License-Identifier: GPL-2.0
/*
 * exec: read the file from the job file system, check it with elf_plan,
 * build its address space (image, heap, stack, all populated now), lay
 * out argv/envp/auxv the way Linux does, and start its first thread.
 */
#include <cove/aspace.h>
#include <cove/elf_load.h>
#include <cove/errno.h>
#include <cove/exec.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/kvsnprintf.h>
#include <cove/pmem.h>
#include <cove/sched.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/user_stack.h>
#include <arch/memlayout.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define EXEC_PIE_BASE USER_PIE_BASE
#define EXEC_STACK_TOP USER_STACK_TOP
#define EXEC_ARGS_MAX (128 * 1024)	/* room for argv, envp and auxv */
#define EXEC_FILE_MAX (512 * MiB)

void random_bytes(void *buf, size_t len);

static int exec_read_file(const char *path, char **data, size_t *len, char *err, size_t errlen)
{
	int rc = vfs_read_file(path, EXEC_FILE_MAX, data, len);

	switch (rc) {
	case 0:
		return 0;
	case -ENOENT:
		ksnprintf(err, errlen, "%s: no such file", path);
		break;
	case -EACCES:
		ksnprintf(err, errlen, "%s: not a regular file", path);
		break;
	case -E2BIG:
		ksnprintf(err, errlen, "%s: too large to load (%lu MiB)", path, (uint64_t)*len >> 20);
		break;
	case -ENOMEM:
		ksnprintf(err, errlen, "%s: no memory to read it", path);
		break;
	case -EIO:
		ksnprintf(err, errlen, "%s: read failed", path);
		break;
	default:
		ksnprintf(err, errlen, "%s: cannot look it up", path);
		break;
	}
	return rc;
}

static uint32_t exec_prot(unsigned int elf_prot)
{
	return ((elf_prot & ELF_PROT_R) ? VM_READ : 0) | ((elf_prot & ELF_PROT_W) ? VM_WRITE : 0) |
	       ((elf_prot & ELF_PROT_X) ? VM_EXEC : 0) | VM_READ;
}

/* Map every segment, copy its bytes, then give each page its protection. */
static int exec_map_image(struct aspace *as, const struct elf_plan *plan, const uint8_t *image)
{
	uint64_t mapped_end = 0;
	int rc;

	for (uint32_t i = 0; i < plan->nr_segments; i++) {
		const struct elf_segment *s = &plan->seg[i];
		uint64_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
		uint64_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);

		/* A page shared with the previous segment is mapped already. */
		if (start < mapped_end)
			start = mapped_end;
		if (start < end) {
			rc = aspace_map_anon(as, start, end - start, VM_READ | VM_WRITE, VM_IMAGE);
			if (rc)
				return rc;
			mapped_end = end;
		}
		rc = aspace_write(as, s->vaddr, image + s->file_off, s->filesz);
		if (rc)
			return rc;
	}
	for (uint32_t i = 0; i < plan->nr_segments; i++) {
		const struct elf_segment *s = &plan->seg[i];
		uint64_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
		uint64_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
		uint32_t prot = exec_prot(s->prot);

		/* Shared edge pages keep both neighbours' rights. */
		if (i > 0 && start < ALIGN_UP(plan->seg[i - 1].vaddr + plan->seg[i - 1].memsz,
					      PAGE_SIZE)) {
			aspace_protect(as, start, PAGE_SIZE,
				       prot | exec_prot(plan->seg[i - 1].prot));
			start += PAGE_SIZE;
		}
		if (start < end)
			aspace_protect(as, start, end - start, prot);
	}
	return 0;
}

static int exec_build_stack(struct aspace *as, const struct exec_params *ep,
			    const struct elf_plan *plan, uint64_t *sp)
{
	uint8_t random16[16];
	uint32_t a, b, c, d;
	struct user_stack_args args = {
		.argv = ep->argv,
		.envp = ep->envp,
		.execfn = ep->path,
		.at_phdr = plan->phdr_vaddr,
		.at_phent = plan->phent,
		.at_phnum = plan->phnum,
		.at_entry = plan->entry,
		.at_clktck = 100,
		.random16 = random16,
		.platform = "x86_64",
		.at_minsigstksz = 2048,
	};
	void *buf = kmalloc(EXEC_ARGS_MAX);
	int rc;

	if (!buf)
		return -ENOMEM;
	cpuid(1, 0, &a, &b, &c, &d);
	args.at_hwcap = d;
	random_bytes(random16, sizeof(random16));
	rc = user_stack_build(buf, EXEC_ARGS_MAX, EXEC_STACK_TOP, &args, sp);
	if (!rc)
		rc = aspace_write(as, EXEC_STACK_TOP - EXEC_ARGS_MAX, buf, EXEC_ARGS_MAX);
	kfree(buf);
	return rc;
}

int exec_spawn(const struct exec_params *ep, struct process **out, char *err, size_t errlen)
{
	uint64_t heap = ALIGN_UP(ep->heap_size, PAGE_SIZE_2M);
	uint64_t stack = ALIGN_UP(MAX(ep->stack_size, (uint64_t)EXEC_ARGS_MAX * 2), PAGE_SIZE);
	struct pmem_stats st;
	struct elf_plan plan;
	struct trap_frame frame;
	struct process *p = NULL;
	struct task *t;
	const char *why = "";
	const char *name;
	char *image = NULL;
	size_t len = 0;
	uint64_t sp;
	uint32_t cpu;
	int rc;

	rc = exec_read_file(ep->path, &image, &len, err, errlen);
	if (rc)
		return rc;
	rc = elf_plan(image, len, EXEC_PIE_BASE, &plan, &why);
	if (rc) {
		ksnprintf(err, errlen, "%s: %s", ep->path, why);
		goto out;
	}
	pmem_get_stats(&st);
	if (heap + stack + (plan.hi - plan.lo) > st.free_bytes) {
		ksnprintf(err, errlen, "%s: needs %lu MiB (heap %lu MiB, stack %lu MiB, image) "
			  "but the partition has %lu MiB free", ep->path,
			  (heap + stack + plan.hi - plan.lo) >> 20, heap >> 20, stack >> 20,
			  st.free_bytes >> 20);
		rc = -ENOMEM;
		goto out;
	}
	name = strchr(ep->path, '/') ? ep->path + strlen(ep->path) : ep->path;
	while (name > ep->path && name[-1] != '/')
		name--;
	p = process_create(name, ep->parent);
	if (!p) {
		rc = -ENOMEM;
		goto nomem;
	}
	p->allowed = ep->cpus;
	p->job_rank = ep->job_rank;
	p->host_job = ep->host_job;
	/* A host job starts in the directory `cove run` was started in. */
	p->cwd_on_host = ep->host_job != 0;
	if (ep->host_cwd)
		ksnprintf(p->host_cwd, sizeof(p->host_cwd), "%s", ep->host_cwd);
	p->as = aspace_create(ep->page_size);
	p->proxy = ep->proxy && ep->host_job;
	p->files = p->proxy ? fdtable_create_host() : fdtable_create_stdio(ep->host_job);
	if (!p->as || !p->files) {
		rc = -ENOMEM;
		goto nomem;
	}
	rc = exec_map_image(p->as, &plan, (const uint8_t *)image);
	if (!rc) {
		p->as->brk_base = p->as->brk_cur = ALIGN_UP(plan.hi, PAGE_SIZE_2M);
		p->as->brk_limit = p->as->brk_base + heap;
		rc = aspace_map_anon(p->as, p->as->brk_base, heap, VM_READ | VM_WRITE, VM_HEAP);
	}
	if (!rc)
		rc = aspace_map_anon(p->as, EXEC_STACK_TOP - stack, stack, VM_READ | VM_WRITE,
				     VM_STACK);
	if (!rc)
		rc = exec_build_stack(p->as, ep, &plan, &sp);
	if (rc)
		goto nomem;

	cpu = sched_pick_cpu(&ep->cpus);
	if (cpu >= CPUMASK_BITS) {
		ksnprintf(err, errlen, "%s: none of its CPUs is online", ep->path);
		rc = -EINVAL;
		goto fail;
	}
	t = task_create(p, cpu);
	if (!t) {
		rc = -ENOMEM;
		goto nomem;
	}
	memset(&frame, 0, sizeof(frame));
	frame.rip = plan.entry;
	frame.rsp = sp;
	frame.rflags = X86_RFLAGS_IF;
	task_set_user_frame(t, &frame);
	kfree(image);
	*out = p;
	sched_enqueue(t);
	return 0;
nomem:
	ksnprintf(err, errlen, "%s: out of memory while loading it", ep->path);
fail:
	if (p) {
		if (p->files)
			fdtable_put(p->files);
		p->files = NULL;
		p->reaped = true;
		process_reap_tasks_done(p);
	}
out:
	kfree(image);
	return rc;
}
