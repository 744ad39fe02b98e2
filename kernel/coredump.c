// SPDX-License-Identifier: GPL-2.0
/*
 * Core files: a process killed by a signal whose default action dumps core
 * (SIGSEGV, SIGABRT, ...) leaves an ELF core named "core" in its current
 * directory, as Linux's default core_pattern does: in co-kernel mode the
 * host directory `cove run` started in (written by the job's proxy, so
 * the file is the user's), in bare mode the enclave's tree. RLIMIT_CORE 0
 * (or smaller than the file) writes none.
 *
 * What gdb needs: NT_PRSTATUS for every thread (the dumping one first,
 * with NT_SIGINFO, the signal's siginfo_t: gdb's $_siginfo), each followed
 * by the arch's notes of that thread (x86-64: its FPU/SSE/AVX
 * registers, NT_PRFPREG and NT_X86_XSTATE), NT_PRPSINFO, NT_AUXV (ld.so's
 * and the vDSO's place), NT_FILE (which file each image mapping came from)
 * and a PT_LOAD for each readable mapping.
 * Runs of 64 KiB or more of zeros inside a mapping get a PT_LOAD of their
 * own with no bytes in the file, so a job's large, mostly untouched heap
 * and stack cost nothing.
 *
 * The other threads are stopped first: each saves its FPU state and waits
 * in the kernel (coredump_park) until the file is written, so their
 * registers are the ones they stopped with.
 */
#include <cove/aspace.h>
#include <cove/acct.h>
#include <cove/coredump.h>
#include <cove/errno.h>
#include <cove/file.h>
#include <cove/heap.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/offload.h>
#include <cove/percpu.h>
#include <cove/sched.h>
#include <cove/signal.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <cove/vfs.h>
#include <arch/core_arch.h>
#include <arch/syscall_list.h>
#include <arch/trap.h>

#define CORE_NAME "core"
#define CORE_MAX_SEGS 1024
#define CORE_ZERO_RUN (64 * 1024)	/* zeros worth leaving out of the file */
#define CORE_CHUNK (1024 * 1024)	/* bytes per write of memory */
#define CORE_PARK_WAIT_NS (2 * NSEC_PER_SEC)
#define CORE_MAX_MAPS 512		/* NT_FILE entries */

#define NT_PRSTATUS 1
#define NT_PRFPREG 2
#define NT_PRPSINFO 3
#define NT_AUXV 6
#define NT_SIGINFO 0x53494749
#define NT_FILE 0x46494c45

#define PT_LOAD 1
#define PT_NOTE 4
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct core_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct core_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* Linux's struct elf_prstatus for x86-64: 336 bytes. */
struct core_prstatus {
	int32_t si_signo, si_code, si_errno;
	int16_t cursig;
	uint16_t pad0;
	uint64_t sigpend, sighold;
	int32_t pid, ppid, pgrp, sid;
	int64_t utime[2], stime[2], cutime[2], cstime[2];
	uint64_t regs[CORE_NREGS];
	int32_t fpvalid;
	uint32_t pad1;
};

/* Linux's struct elf_prpsinfo for x86-64: 136 bytes. */
struct core_prpsinfo {
	char state, sname, zomb, nice;
	uint32_t pad0;
	uint64_t flag;
	uint32_t uid, gid;
	int32_t pid, ppid, pgrp, sid;
	char fname[16];
	char psargs[80];
};

_Static_assert(sizeof(struct core_prstatus) == 336, "elf_prstatus layout");
_Static_assert(sizeof(struct core_prpsinfo) == 136, "elf_prpsinfo layout");

struct core_seg {
	uint64_t start, end, filesz;
	uint32_t flags;
};

struct core_map {
	uint64_t start, end, pgoff;
	const struct vm_file_name *file;
};

/* Where the file goes: the enclave's tree, or the host through the proxy. */
struct core_sink {
	struct process *p;
	struct file *f;			/* bare: the enclave file */
	int host_fd;			/* co-kernel: the proxy's descriptor */
	uint64_t scratch;		/* co-kernel: job memory the headers are staged in */
	uint64_t scratch_len;
	uint64_t limit;			/* RLIMIT_CORE */
	uint8_t *bounce;		/* bare: job memory passes through here */
};

/* Everything the dump gathered: segments, file maps, the notes. */
struct core_plan {
	struct core_seg *seg;
	uint32_t nr_seg;
	struct core_map *map;
	uint32_t nr_map;
	uint8_t *head;			/* ELF header, program headers, notes */
	uint64_t head_len;		/* their bytes, page aligned */
	uint64_t total;			/* the whole file */
};

static bool core_page_zero(struct aspace *as, uint64_t va)
{
	phys_addr_t pa;
	uint64_t size;
	const uint64_t *w;

	if (arch_aspace_translate(&as->arch, va, &pa, &size))
		return true;		/* not populated (a fork child's stack): reads as nothing */
	w = phys_to_virt(ALIGN_DOWN(pa, PAGE_SIZE));
	for (size_t i = 0; i < PAGE_SIZE / sizeof(*w); i++) {
		if (w[i])
			return false;
	}
	return true;
}

static bool core_add_seg(struct core_plan *pl, uint64_t start, uint64_t end, bool data,
			 uint32_t flags)
{
	struct core_seg *s = pl->nr_seg ? &pl->seg[pl->nr_seg - 1] : NULL;

	/* Continue the last segment when it is the same kind and adjoins. */
	if (s && s->end == start && s->flags == flags && (data ? s->filesz == s->end - s->start :
							  s->filesz == 0)) {
		s->end = end;
		if (data)
			s->filesz = s->end - s->start;
		return true;
	}
	if (pl->nr_seg == CORE_MAX_SEGS)
		return false;
	pl->seg[pl->nr_seg++] = (struct core_seg){ start, end, data ? end - start : 0, flags };
	return true;
}

/*
 * One mapping into segments: its pages with bytes, and runs of at least
 * CORE_ZERO_RUN zeros left out of the file. When the table is full the
 * rest of the mapping goes in whole.
 */
static void core_plan_region(struct core_plan *pl, struct aspace *as, const struct vm_region *r)
{
	uint32_t flags = PF_R | ((r->prot & VM_WRITE) ? PF_W : 0) | ((r->prot & VM_EXEC) ? PF_X : 0);
	uint64_t va = r->start, run;

	while (va < r->end) {
		for (run = va; run < r->end && core_page_zero(as, run); run += PAGE_SIZE)
			;
		if (run - va >= CORE_ZERO_RUN || run == r->end) {
			if (run > va && !core_add_seg(pl, va, run, false, flags))
				break;
			va = run;
			continue;
		}
		/* Bytes up to the next long run of zeros. */
		for (run = va; run < r->end; run += PAGE_SIZE) {
			uint64_t z = run;

			while (z < r->end && z - run < CORE_ZERO_RUN && core_page_zero(as, z))
				z += PAGE_SIZE;
			if (z - run >= CORE_ZERO_RUN || (z == r->end && z > run))
				break;
			run = z;
		}
		if (!core_add_seg(pl, va, run, true, flags))
			break;
		va = run;
	}
	if (va < r->end && pl->nr_seg == CORE_MAX_SEGS) {
		struct core_seg *s = &pl->seg[pl->nr_seg - 1];

		/* Out of room: the last one grows to the mapping's end, bytes and all. */
		s->end = r->end;
		s->filesz = s->end - s->start;
	}
}

/*
 * The mappings. Nothing runs in the process now, so they stay as they are;
 * each is copied under the address space's lock and its pages scanned for
 * zeros after it, with interrupts on: a scan of a large heap under the lock
 * kept the boot core deaf to the host's doorbell long enough for the host
 * to call the enclave hung.
 */
static int core_plan_memory(struct core_plan *pl, struct aspace *as)
{
	uint64_t at = 0;

	pl->seg = kzalloc(CORE_MAX_SEGS * sizeof(*pl->seg));
	pl->map = kzalloc(CORE_MAX_MAPS * sizeof(*pl->map));
	if (!pl->seg || !pl->map)
		return -ENOMEM;
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&as->lock);
		struct vm_region copy = { 0 };
		bool found = false;

		for (struct vm_region *r = as->regions; r && !found; r = r->next) {
			if (r->start < at)
				continue;
			copy = *r;
			found = true;
			if (r->file && r->kind == VM_IMAGE && pl->nr_map < CORE_MAX_MAPS &&
			    !r->reserved && (r->prot & VM_READ)) {
				/* Held until the dump is done: the file stays named. */
				vm_file_name_get(r->file);
				pl->map[pl->nr_map++] = (struct core_map){
					r->start, r->end, r->file_off / PAGE_SIZE, r->file
				};
			}
		}
		spin_unlock_irqrestore(&as->lock, flags);
		if (!found)
			break;
		at = copy.end;
		if (copy.reserved || !(copy.prot & VM_READ) || copy.kind == VM_XEMEM)
			continue;
		core_plan_region(pl, as, &copy);
	}
	return 0;
}

/* Bytes a note takes: header, owner's name and descriptor, each 4-aligned. */
static uint64_t core_note_size(const char *name, uint64_t len)
{
	return 12 + ALIGN_UP(strlen(name) + 1, 4) + ALIGN_UP(len, 4);
}

/* A note's header and name at at (zeroed memory): where its descriptor goes. */
static uint8_t *core_note_start(uint8_t *at, const char *name, uint32_t type, uint32_t len)
{
	uint32_t hdr[3] = { (uint32_t)strlen(name) + 1, len, type };

	memcpy(at, hdr, sizeof(hdr));
	memcpy(at + 12, name, hdr[0]);
	return at + 12 + ALIGN_UP(hdr[0], 4);
}

static uint8_t *core_note(uint8_t *at, uint32_t type, const void *desc, uint32_t len)
{
	uint8_t *d = core_note_start(at, "CORE", type, len);

	memcpy(d, desc, len);
	return d + ALIGN_UP(len, 4);
}

static void core_timeval(int64_t tv[2], uint64_t ns)
{
	tv[0] = (int64_t)(ns / NSEC_PER_SEC);
	tv[1] = (int64_t)(ns % NSEC_PER_SEC) / 1000;
}

static void core_prstatus(struct core_prstatus *ps, struct process *p, struct task *t,
			  const struct trap_frame *f, int sig)
{
	struct acct_times a;

	memset(ps, 0, sizeof(*ps));
	ps->si_signo = sig;
	ps->cursig = (int16_t)sig;
	ps->sighold = t->sigmask;
	ps->pid = (int32_t)t->tid;
	ps->ppid = (int32_t)process_parent_pid(p);
	ps->pgrp = (int32_t)p->pgid;
	ps->sid = (int32_t)p->sid;
	acct_task(t, &a);
	core_timeval(ps->utime, a.utime_ns);
	core_timeval(ps->stime, a.stime_ns);
	arch_core_regs(t, f, ps->regs);
}

/* Thread t's notes: NT_PRSTATUS, then the arch's (its FPU state). */
static uint8_t *core_thread_notes(uint8_t *at, struct process *p, struct task *t,
				  const struct trap_frame *f, int sig,
				  const struct core_arch_note *an, unsigned int nr_an)
{
	struct core_prstatus ps;

	core_prstatus(&ps, p, t, f, sig);
	for (unsigned int i = 0; i < nr_an; i++)
		ps.fpvalid |= an[i].type == NT_PRFPREG;
	at = core_note(at, NT_PRSTATUS, &ps, sizeof(ps));
	for (unsigned int i = 0; i < nr_an; i++) {
		uint8_t *d = core_note_start(at, an[i].name, an[i].type, an[i].len);

		arch_core_thread_note(t, i, d);
		at = d + ALIGN_UP(an[i].len, 4);
	}
	return at;
}

/* NT_FILE's descriptor: count, page size, the ranges, then the names. */
static uint64_t core_file_note(const struct core_plan *pl, uint8_t *out)
{
	uint64_t words = 2 + 3ULL * pl->nr_map, len = words * 8;

	if (out) {
		uint64_t *w = (uint64_t *)out;

		w[0] = pl->nr_map;
		w[1] = PAGE_SIZE;
		for (uint32_t i = 0; i < pl->nr_map; i++) {
			w[2 + 3 * i] = pl->map[i].start;
			w[3 + 3 * i] = pl->map[i].end;
			w[4 + 3 * i] = pl->map[i].pgoff;
		}
	}
	for (uint32_t i = 0; i < pl->nr_map; i++) {
		size_t n = strlen(pl->map[i].file->path) + 1;

		if (out)
			memcpy(out + len, pl->map[i].file->path, n);
		len += n;
	}
	return len;
}

/*
 * The ELF header, program headers and notes, in one buffer whose length
 * is page aligned: the memory follows from there. Threads are read under
 * the process's lock, so none is freed meanwhile.
 */
static int core_plan_head(struct core_plan *pl, struct process *p, struct task *me,
			  const struct trap_frame *f, const struct ksiginfo *info)
{
	uint8_t siginfo[SIGINFO_SIZE];
	int sig = info->signo;
	uint64_t notes_len, file_len = core_file_note(pl, NULL), auxv_len = p->as->auxv_len;
	uint64_t off, max_threads = 0, nphdr = 1 + pl->nr_seg, thread_len;
	struct core_arch_note an[CORE_ARCH_NOTES_MAX];
	unsigned int nr_an = arch_core_thread_notes(an);
	struct core_prpsinfo pi;
	struct core_ehdr *eh;
	struct core_phdr *ph;
	unsigned long flags;
	uint8_t *at, *auxv;

	flags = spin_lock_irqsave(&p->lock);
	for (struct task *t = p->threads; t; t = t->thread_next)
		max_threads++;
	spin_unlock_irqrestore(&p->lock, flags);
	auxv_len = MIN(auxv_len, (uint64_t)4096);
	thread_len = core_note_size("CORE", sizeof(struct core_prstatus));
	for (unsigned int i = 0; i < nr_an; i++)
		thread_len += core_note_size(an[i].name, an[i].len);
	notes_len = max_threads * thread_len + core_note_size("CORE", sizeof(siginfo)) +
		    core_note_size("CORE", sizeof(pi)) + core_note_size("CORE", auxv_len) +
		    core_note_size("CORE", file_len);
	pl->head_len = ALIGN_UP(sizeof(*eh) + nphdr * sizeof(*ph) + notes_len, PAGE_SIZE);
	pl->head = kzalloc(pl->head_len);
	auxv = kzalloc(auxv_len + 1);
	if (!pl->head || !auxv) {
		kfree(auxv);
		return -ENOMEM;
	}
	if (auxv_len && aspace_read(p->as, p->as->auxv_addr, auxv, auxv_len))
		auxv_len = 0;
	at = pl->head + sizeof(*eh) + nphdr * sizeof(*ph);
	/*
	 * The dumping thread first: gdb takes the first as the one that died.
	 * Its FPU registers are live; the others saved theirs when they parked.
	 */
	arch_core_save_state(me);
	at = core_thread_notes(at, p, me, f, sig, an, nr_an);
	siginfo_to_user(siginfo, info);
	at = core_note(at, NT_SIGINFO, siginfo, sizeof(siginfo));
	flags = spin_lock_irqsave(&p->lock);
	for (struct task *t = p->threads; t && max_threads > 1; t = t->thread_next) {
		if (t == me || t->state == TASK_DEAD || !t->started)
			continue;
		at = core_thread_notes(at, p, t, task_user_frame(t), sig, an, nr_an);
		max_threads--;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	memset(&pi, 0, sizeof(pi));
	pi.state = 0;
	pi.sname = 'R';
	pi.pid = (int32_t)p->pid;
	pi.ppid = (int32_t)process_parent_pid(p);
	pi.pgrp = (int32_t)p->pgid;
	pi.sid = (int32_t)p->sid;
	memcpy(pi.fname, p->name, MIN(sizeof(pi.fname) - 1, strlen(p->name)));
	memcpy(pi.psargs, p->name, MIN(sizeof(pi.psargs) - 1, strlen(p->name)));
	at = core_note(at, NT_PRPSINFO, &pi, sizeof(pi));
	at = core_note(at, NT_AUXV, auxv, (uint32_t)auxv_len);
	kfree(auxv);
	core_file_note(pl, core_note_start(at, "CORE", NT_FILE, (uint32_t)file_len));
	at += core_note_size("CORE", file_len);
	/* Fewer threads than counted (one ended meanwhile) leave zeros unused. */
	notes_len = (uint64_t)(at - (pl->head + sizeof(*eh) + nphdr * sizeof(*ph)));

	eh = (struct core_ehdr *)pl->head;
	memcpy(eh->ident, "\177ELF\2\1\1", 7);	/* 64-bit, little-endian, version 1 */
	eh->type = 4;				/* ET_CORE */
	eh->machine = CORE_ELF_MACHINE;
	eh->version = 1;
	eh->phoff = sizeof(*eh);
	eh->ehsize = sizeof(*eh);
	eh->phentsize = sizeof(*ph);
	eh->phnum = (uint16_t)nphdr;
	ph = (struct core_phdr *)(pl->head + sizeof(*eh));
	ph[0] = (struct core_phdr){ .type = PT_NOTE, .offset = sizeof(*eh) + nphdr * sizeof(*ph),
				    .filesz = notes_len, .align = 4 };
	off = pl->head_len;
	for (uint32_t i = 0; i < pl->nr_seg; i++) {
		const struct core_seg *s = &pl->seg[i];

		ph[1 + i] = (struct core_phdr){
			.type = PT_LOAD, .flags = s->flags, .offset = off, .vaddr = s->start,
			.filesz = s->filesz, .memsz = s->end - s->start, .align = PAGE_SIZE,
		};
		off += s->filesz;
	}
	pl->total = off;
	return 0;
}

/* Open the file. Co-kernel: stage the name in job memory the proxy can read. */
static int core_open(struct core_sink *k, uint64_t head_len)
{
	struct aspace *as = k->p->as;
	int64_t rc;

	if (!offload_has_proxy(k->p)) {
		k->bounce = kmalloc(CORE_CHUNK);
		if (!k->bounce)
			return -ENOMEM;
		return vfs_openat(AT_FDCWD, CORE_NAME, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW,
				  0600, &k->f);
	}
	k->scratch_len = ALIGN_UP(head_len + sizeof(CORE_NAME), PAGE_SIZE);
	rc = aspace_find_free(as, k->scratch_len, PAGE_SIZE, &k->scratch);
	if (!rc)
		rc = aspace_map_anon(as, k->scratch, k->scratch_len, VM_READ | VM_WRITE, VM_ANON);
	if (!rc)
		rc = aspace_write(as, k->scratch + head_len, CORE_NAME, sizeof(CORE_NAME));
	if (rc) {
		k->scratch = 0;
		return (int)rc;
	}
	rc = offload_syscall_dying(__NR_openat, (uint64_t)AT_FDCWD, k->scratch + head_len,
				   O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
	if (rc < 0)
		return (int)rc;
	k->host_fd = (int)rc;
	return 0;
}

/* Write the head (kernel memory) at offset 0. */
static int core_write_head(struct core_sink *k, const uint8_t *buf, uint64_t len)
{
	uint64_t pos = 0;
	int64_t rc;

	if (k->f)
		return vfs_write(k->f, buf, len, &pos) == (int64_t)len ? 0 : -EIO;
	if (aspace_write(k->p->as, k->scratch, buf, len))
		return -EFAULT;
	rc = offload_syscall_dying(__NR_pwrite64, (uint64_t)k->host_fd, k->scratch, len, 0);
	return rc == (int64_t)len ? 0 : rc < 0 ? (int)rc : -EIO;
}

/* Write len bytes of job memory from va at offset off. */
static int core_write_memory(struct core_sink *k, uint64_t va, uint64_t len, uint64_t off)
{
	while (len) {
		uint64_t n = MIN(len, (uint64_t)CORE_CHUNK), pos = off;
		int64_t rc;

		if (k->f) {
			if (aspace_read(k->p->as, va, k->bounce, n))
				memset(k->bounce, 0, n);	/* a hole in a fork child's stack */
			rc = vfs_write(k->f, k->bounce, n, &pos);
		} else {
			rc = offload_syscall_dying(__NR_pwrite64, (uint64_t)k->host_fd, va, n, off);
		}
		if (rc != (int64_t)n)
			return rc < 0 ? (int)rc : -EIO;
		va += n;
		off += n;
		len -= n;
	}
	return 0;
}

static void core_close(struct core_sink *k)
{
	if (k->f)
		file_put(k->f);
	else if (k->host_fd >= 0)
		offload_syscall_dying(__NR_close, (uint64_t)k->host_fd, 0, 0, 0);
	kfree(k->bounce);
}

static void core_plan_free(struct core_plan *pl)
{
	for (uint32_t i = 0; pl->map && i < pl->nr_map; i++)
		vm_file_name_put((struct vm_file_name *)pl->map[i].file);
	kfree(pl->seg);
	kfree(pl->map);
	kfree(pl->head);
}

/* Write the file: 0, or why not (-EFBIG: over RLIMIT_CORE). */
static int core_write(struct process *p, struct task *me, const struct trap_frame *f,
		      const struct ksiginfo *info, uint64_t limit, uint64_t *size)
{
	struct core_sink k = { .p = p, .host_fd = -1, .limit = limit };
	struct core_plan pl = { 0 };
	uint64_t off;
	int rc;

	rc = core_plan_memory(&pl, p->as);
	if (!rc)
		rc = core_plan_head(&pl, p, me, f, info);
	if (!rc && pl.total > limit)
		rc = -EFBIG;
	if (!rc)
		rc = core_open(&k, pl.head_len);
	if (!rc)
		rc = core_write_head(&k, pl.head, pl.head_len);
	off = pl.head_len;
	for (uint32_t i = 0; !rc && i < pl.nr_seg; i++) {
		if (pl.seg[i].filesz)
			rc = core_write_memory(&k, pl.seg[i].start, pl.seg[i].filesz, off);
		off += pl.seg[i].filesz;
	}
	if (rc != -EFBIG)
		core_close(&k);
	*size = pl.total;
	core_plan_free(&pl);
	return rc;
}

/* Every other live thread waits in coredump_park, or the wait is over. */
static void core_wait_others(struct process *p, struct task *me)
{
	uint64_t deadline = time_now_ns() + CORE_PARK_WAIT_NS;

	for (;;) {
		unsigned long flags = spin_lock_irqsave(&p->lock);
		uint32_t others = 0;

		for (struct task *t = p->threads; t; t = t->thread_next)
			others += t != me && t->started && t->state != TASK_DEAD && !t->exiting;
		spin_unlock_irqrestore(&p->lock, flags);
		if (__atomic_load_n(&p->core_parked, __ATOMIC_ACQUIRE) >= others ||
		    time_now_ns() >= deadline)
			return;
		sched_sleep_until(time_now_ns() + NSEC_PER_MSEC);
	}
}

void coredump_park(struct task *t)
{
	struct process *p = t->proc;

	/* Its FPU registers where the writer reads them, before it counts this one. */
	arch_core_save_state(t);
	__atomic_fetch_add(&p->core_parked, 1, __ATOMIC_RELEASE);
	/* Yield rather than sleep: a killed process's thread does not block. */
	while (__atomic_load_n(&p->core_dumper, __ATOMIC_ACQUIRE)) {
		schedule();
		arch_cpu_relax();
	}
}

void coredump_and_exit(struct process *p, const struct ksiginfo *info,
		       const struct trap_frame *f)
{
	struct task *me = task_current();
	int sig = info->signo;
	unsigned long flags = spin_lock_irqsave(&p->lock);
	uint64_t limit = p->core_limit[0], size = 0;
	bool first = !p->kill_signal;
	int rc;

	/* Killed as the signal says, not yet dumped; the others stop. */
	if (first) {
		p->exit_code = 0;
		p->term_signal = sig;
		p->dumped = false;
		p->kill_signal = sig;
		p->core_dumper = me;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	/* Another thread (or a kill) is ending it already: just go. */
	if (!first)
		process_exit(p, 0, sig, false);
	if (!limit) {
		p->core_note = "RLIMIT_CORE is 0";
		goto out;
	}
	process_kill(p, sig, false);	/* wakes and kicks the others into the kernel */
	core_wait_others(p, me);
	rc = core_write(p, me, f, info, limit, &size);
	if (rc == -EFBIG)
		p->core_note = "larger than RLIMIT_CORE";
	else if (rc)
		p->core_note = rc == -EACCES || rc == -EPERM || rc == -ENOENT ?
			       "cannot create it here" : "could not write it";
	p->core_bytes = rc ? 0 : size;
	p->core_errno = rc;
out:
	flags = spin_lock_irqsave(&p->lock);
	p->dumped = p->core_bytes != 0;
	__atomic_store_n(&p->core_dumper, NULL, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&p->lock, flags);
	process_exit(p, 0, sig, p->dumped);
}
