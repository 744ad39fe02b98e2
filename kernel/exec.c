// SPDX-License-Identifier: GPL-2.0
/*
 * exec: read the file from the job file system, check it with elf_plan,
 * build its address space (image, heap, stack, all populated now), lay
 * out argv/envp/auxv the way Linux does, and start its first thread.
 *
 * A dynamically linked program names its interpreter (PT_INTERP, e.g.
 * /lib64/ld-linux-x86-64.so.2): that file is read from the same file system
 * and loaded too, below the mmap area as Linux places it, and the job
 * starts at the interpreter's entry with AT_BASE saying where it went and
 * AT_PHDR/AT_ENTRY describing the program. The interpreter then maps the
 * shared libraries itself through mmap. Running an interpreter directly
 * (`/lib64/ld-linux-x86-64.so.2 /bin/prog`) needs nothing special: it has
 * no interpreter of its own and loads like a static-PIE.
 */
#include <cove/aspace.h>
#include <cove/elf_load.h>
#include <cove/errno.h>
#include <cove/exec.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/jobdbg.h>
#include <cove/kvsnprintf.h>
#include <cove/offload.h>
#include <cove/pmem.h>
#include <cove/sched.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/user_stack.h>
#include <cove/vdso.h>
#include <arch/memlayout.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define EXEC_PIE_BASE USER_PIE_BASE
#define EXEC_STACK_TOP USER_STACK_TOP
#define EXEC_ARGS_MAX (128 * 1024)	/* room for argv, envp and auxv */
#define EXEC_FILE_MAX (512 * MiB)

void random_bytes(void *buf, size_t len);

/* One ELF file being loaded: the program, or its interpreter. */
struct exec_file {
	const char *path;
	char *data;			/* the whole file, kmalloc'd */
	size_t len;
	struct elf_plan plan;
	struct vm_file_name *name;	/* what its regions are named */
};

/*
 * Reads f->path. who prefixes the message: "" for the program, "PROG:
 * interpreter " for its interpreter, so the user learns which file of the
 * two is missing.
 */
static int exec_read_file(struct exec_file *f, const char *who, char *err, size_t errlen)
{
	int rc = vfs_read_file(f->path, EXEC_FILE_MAX, &f->data, &f->len);

	switch (rc) {
	case 0:
		return 0;
	case -ENOENT:
		ksnprintf(err, errlen, "%s%s: no such file", who, f->path);
		break;
	case -EACCES:
		ksnprintf(err, errlen, "%s%s: not a regular file", who, f->path);
		break;
	case -E2BIG:
		ksnprintf(err, errlen, "%s%s: too large to load (%lu MiB)", who, f->path,
			  (uint64_t)f->len >> 20);
		break;
	case -ENOMEM:
		ksnprintf(err, errlen, "%s%s: no memory to read it", who, f->path);
		break;
	case -EIO:
		ksnprintf(err, errlen, "%s%s: read failed", who, f->path);
		break;
	default:
		ksnprintf(err, errlen, "%s%s: cannot look it up", who, f->path);
		break;
	}
	f->data = NULL;
	return rc;
}

static void exec_file_free(struct exec_file *f)
{
	kfree(f->data);
	f->data = NULL;
	vm_file_name_put(f->name);
	f->name = NULL;
}

/*
 * Reads and plans the interpreter prog names. It is planned at a stand-in
 * base here, to check it and learn its size before anything is allocated;
 * exec_place_interp moves it to its real base later.
 */
static int exec_load_interp(const struct exec_file *prog, struct exec_file *interp,
			    char *err, size_t errlen)
{
	char who[192];
	const char *why = "";
	int rc;

	interp->path = prog->data + prog->plan.interp_off;
	ksnprintf(who, sizeof(who), "%s: interpreter ", prog->path);
	rc = exec_read_file(interp, who, err, errlen);
	if (rc)
		return rc;
	rc = elf_plan(interp->data, interp->len, USER_VA_START, &interp->plan, &why);
	if (rc) {
		ksnprintf(err, errlen, "%s%s: %s", who, interp->path, why);
		return rc;
	}
	/* Linux would start the interpreter's own and leave it to fail; say it here. */
	if (interp->plan.interp_len) {
		ksnprintf(err, errlen, "%s%s: is itself dynamically linked (names %s)", who,
			  interp->path, interp->data + interp->plan.interp_off);
		return -ENOEXEC;
	}
	return 0;
}

/*
 * Picks the interpreter's base the way mmap would pick room for it (an
 * ET_EXEC interpreter stays where it was linked) and plans it there.
 */
static int exec_place_interp(struct aspace *as, const struct exec_file *prog,
			     struct exec_file *interp, char *err, size_t errlen)
{
	struct elf_plan *ip = &interp->plan;
	const char *why = NULL;
	uint64_t base;

	if (!ip->align)
		return 0;
	if (aspace_find_free(as, ip->hi - ip->lo, ip->align, &base) ||
	    elf_plan(interp->data, interp->len, base, ip, &why)) {
		ksnprintf(err, errlen, "%s: interpreter %s: no room for it (%s)", prog->path,
			  interp->path, why ? why : "address space full");
		return -ENOMEM;
	}
	return 0;
}

static uint32_t exec_prot(unsigned int elf_prot)
{
	return ((elf_prot & ELF_PROT_R) ? VM_READ : 0) | ((elf_prot & ELF_PROT_W) ? VM_WRITE : 0) |
	       ((elf_prot & ELF_PROT_X) ? VM_EXEC : 0) | VM_READ;
}

/*
 * Map every segment, copy its bytes, then give each page its protection.
 * The regions remember the file and offset each page came from.
 */
static int exec_map_image(struct aspace *as, const struct exec_file *f)
{
	const struct elf_plan *plan = &f->plan;
	const uint8_t *image = (const uint8_t *)f->data;
	uint64_t mapped_end = 0;
	int rc;

	for (uint32_t i = 0; i < plan->nr_segments; i++) {
		const struct elf_segment *s = &plan->seg[i];
		uint64_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
		uint64_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
		uint64_t off = ALIGN_DOWN(s->file_off, PAGE_SIZE);

		/* A page shared with the previous segment is mapped already. */
		if (start < mapped_end) {
			off += mapped_end - start;
			start = mapped_end;
		}
		if (start < end) {
			rc = aspace_map_file(as, start, end - start, VM_READ | VM_WRITE, VM_IMAGE,
					     f->name, off);
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

/*
 * Remember where the auxiliary vector went (after argc, argv and envp, each
 * ending in NULL), for core files. buf holds [TOP - EXEC_ARGS_MAX, TOP).
 */
static void exec_note_auxv(struct aspace *as, const void *buf, uint64_t sp)
{
	uint64_t floor = EXEC_STACK_TOP - EXEC_ARGS_MAX, at = sp, word;

	memcpy(&word, (const char *)buf + (at - floor), sizeof(word));
	at += (word + 2) * sizeof(word);	/* argc, argv[], NULL */
	do {					/* envp[], NULL */
		memcpy(&word, (const char *)buf + (at - floor), sizeof(word));
		at += sizeof(word);
	} while (word && at + 16 <= EXEC_STACK_TOP);
	as->auxv_addr = at;
	for (as->auxv_len = 0; at + 16 <= EXEC_STACK_TOP; at += 16) {
		memcpy(&word, (const char *)buf + (at - floor), sizeof(word));
		as->auxv_len += 16;
		if (word == AT_NULL)
			break;
	}
}

static int exec_build_stack(struct aspace *as, const struct exec_params *ep,
			    const struct elf_plan *plan, uint64_t at_base, uint64_t *sp)
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
		.at_base = at_base,
		.at_clktck = 100,
		.random16 = random16,
		.platform = "x86_64",
		.at_minsigstksz = 2048,
		.at_sysinfo_ehdr = vdso_base(),
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
		exec_note_auxv(as, buf, *sp);
	if (!rc)
		rc = aspace_write(as, EXEC_STACK_TOP - EXEC_ARGS_MAX, buf, EXEC_ARGS_MAX);
	kfree(buf);
	return rc;
}

/* The program and, if it names one, its interpreter: read, checked and named. */
static int exec_load_files(const struct exec_params *ep, struct exec_file *prog,
			   struct exec_file *interp, char *err, size_t errlen)
{
	const char *why = "";
	int rc;

	prog->path = ep->path;
	rc = exec_read_file(prog, "", err, errlen);
	if (rc)
		return rc;
	rc = elf_plan(prog->data, prog->len, EXEC_PIE_BASE, &prog->plan, &why);
	if (rc) {
		ksnprintf(err, errlen, "%s: %s", ep->path, why);
		return rc;
	}
	if (prog->plan.interp_len) {
		rc = exec_load_interp(prog, interp, err, errlen);
		if (rc)
			return rc;
		interp->name = vm_file_name_create(interp->path);
		if (!interp->name)
			goto nomem;
	}
	prog->name = vm_file_name_create(ep->path);
	if (!prog->name)
		goto nomem;
	return 0;
nomem:
	ksnprintf(err, errlen, "%s: out of memory while loading it", ep->path);
	return -ENOMEM;
}

int exec_build(const struct exec_params *ep, struct exec_image *img, char *err, size_t errlen)
{
	uint64_t heap = ALIGN_UP(ep->heap_size, PAGE_SIZE_2M);
	uint64_t stack = ALIGN_UP(MAX(ep->stack_size, (uint64_t)EXEC_ARGS_MAX * 2), PAGE_SIZE);
	struct exec_file prog = { 0 }, interp = { 0 };
	struct aspace *as = NULL;
	bool dynamic;
	uint64_t image_bytes;
	struct pmem_stats st;
	int rc;

	rc = exec_load_files(ep, &prog, &interp, err, errlen);
	if (rc)
		goto out;
	dynamic = prog.plan.interp_len != 0;
	image_bytes = prog.plan.hi - prog.plan.lo + (dynamic ? interp.plan.hi - interp.plan.lo : 0);
	pmem_get_stats(&st);
	if (heap + stack + image_bytes > st.free_bytes) {
		ksnprintf(err, errlen, "%s: needs %lu MiB (heap %lu MiB, stack %lu MiB, image) "
			  "but the partition has %lu MiB free", ep->path,
			  (heap + stack + image_bytes) >> 20, heap >> 20, stack >> 20,
			  st.free_bytes >> 20);
		rc = -ENOMEM;
		goto out;
	}
	as = aspace_create(ep->page_size);
	rc = as ? 0 : -ENOMEM;
	if (!as)
		goto nomem;
	rc = exec_map_image(as, &prog);
	if (!rc) {
		as->brk_base = as->brk_cur = ALIGN_UP(prog.plan.hi, PAGE_SIZE_2M);
		as->brk_limit = as->brk_mapped = as->brk_base + heap;
		rc = aspace_map_anon(as, as->brk_base, heap, VM_READ | VM_WRITE, VM_HEAP);
	}
	if (!rc)
		rc = aspace_map_anon(as, EXEC_STACK_TOP - stack, stack, VM_READ | VM_WRITE,
				     VM_STACK);
	if (rc)
		goto nomem;
	if (dynamic) {
		rc = exec_place_interp(as, &prog, &interp, err, errlen);
		if (rc)
			goto fail;
		rc = exec_map_image(as, &interp);
		if (rc == -EEXIST) {
			ksnprintf(err, errlen, "%s: interpreter %s: overlaps the program's memory",
				  ep->path, interp.path);
			goto fail;
		}
	}
	if (!rc)
		rc = vdso_map(as);
	if (!rc)
		rc = exec_build_stack(as, ep, &prog.plan, dynamic ? interp.plan.bias : 0, &img->sp);
	if (rc)
		goto nomem;
	img->entry = dynamic ? interp.plan.entry : prog.plan.entry;
	img->as = as;
	exec_file_free(&interp);
	exec_file_free(&prog);
	return 0;
nomem:
	ksnprintf(err, errlen, "%s: out of memory while loading it", ep->path);
fail:
	if (as)
		aspace_put(as);
out:
	exec_file_free(&interp);
	exec_file_free(&prog);
	return rc;
}

const char *exec_basename(const char *path)
{
	const char *name = path + strlen(path);

	while (name > path && name[-1] != '/')
		name--;
	return name;
}

int exec_spawn(const struct exec_params *ep, struct process **out, char *err, size_t errlen)
{
	struct exec_image img;
	struct trap_frame frame;
	struct process *p = NULL;
	struct task *t;
	uint32_t cpu;
	int rc;

	rc = exec_build(ep, &img, err, errlen);
	if (rc)
		return rc;
	p = process_create(exec_basename(ep->path), ep->parent);
	if (!p) {
		aspace_put(img.as);
		rc = -ENOMEM;
		goto nomem;
	}
	p->as = img.as;
	p->allowed = ep->cpus;
	p->job_rank = ep->job_rank;
	p->job_rank_of = (uint32_t)(uintptr_t)ep->job_rank;
	p->exec_heap = ep->heap_size;
	p->exec_stack = ep->stack_size;
	p->host_job = ep->host_job;
	/* A host job starts in the directory `cove run` was started in. */
	p->cwd_on_host = ep->host_job != 0;
	if (ep->host_cwd)
		ksnprintf(p->host_cwd, sizeof(p->host_cwd), "%s", ep->host_cwd);
	p->proxy = ep->proxy && ep->host_job;
	p->proxy_forked = p->proxy && ep->proxy_forked;
	if (ep->debug)
		jobdbg_attach(p);
	p->files = p->proxy ? fdtable_create_shared(&offload_fd_numbers)
			    : fdtable_create_stdio(ep->host_job);
	if (!p->files) {
		rc = -ENOMEM;
		goto nomem;
	}
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
	frame.rip = img.entry;
	frame.rsp = img.sp;
	frame.rflags = X86_RFLAGS_IF;
	task_set_user_frame(t, &frame);
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
	return rc;
}
