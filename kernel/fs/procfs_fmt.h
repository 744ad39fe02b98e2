/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text formats of /proc and /sys that Linux tools parse, and the reading
 * of a process's arguments off its initial stack. Pure (procfs_fmt.c and
 * procfs_args.c), host-tested.
 */
#ifndef COVE_FS_PROCFS_FMT_H
#define COVE_FS_PROCFS_FMT_H

#include <cove/cpumask.h>
#include <cove/types.h>

struct sbuf;

/* "0-3,6": a list of ranges, as sysfs's *_list files and Cpus_allowed_list. */
void fmt_cpulist(struct sbuf *sb, const struct cpumask *m);
/*
 * Linux's hex bitmap of nbits bits: 32-bit groups, highest first, comma
 * separated, the first only as wide as the bits above the last whole
 * group need ("f" for 4 CPUs, "ff,ffffffff" for 40).
 */
void fmt_cpumask(struct sbuf *sb, const struct cpumask *m, uint32_t nbits);

/* A line of /proc/meminfo: the label and a size in kB, as Linux aligns them. */
void fmt_meminfo_kb(struct sbuf *sb, const char *label, uint64_t bytes);
/* A HugePages_* count line. */
void fmt_meminfo_count(struct sbuf *sb, const char *label, uint64_t count);

/* One line of /proc/<pid>/maps (shared: 's', else 'p'); name may be NULL or empty. */
void fmt_maps_line(struct sbuf *sb, uint64_t start, uint64_t end, uint32_t prot, bool shared,
		   uint64_t offset, uint32_t dev, uint64_t ino, const char *name);

/*
 * The numbers of one /proc/<pid>/smaps entry (bytes), or of smaps_rollup's
 * sum; vmflags: Linux's two-letter flags, blank separated.
 */
struct smaps_vals {
	uint64_t size, kernel_page, mmu_page;
	uint64_t rss, pss, pss_dirty, pss_anon, pss_file, pss_shmem;
	uint64_t shared_clean, shared_dirty, private_clean, private_dirty;
	uint64_t anonymous, anon_huge, shmem_pmd, file_pmd;
	uint64_t shared_hugetlb, private_hugetlb;
	int thp_eligible;
	char vmflags[64];
};
/*
 * What follows a maps line in smaps, as Linux 6.1 prints it; rollup:
 * smaps_rollup's fields instead (no sizes, the Pss split, no flags).
 */
void fmt_smaps(struct sbuf *sb, const struct smaps_vals *v, bool rollup);

/*
 * Where exec put a process's strings, found again from the top of its
 * stack laid out as cove/user_stack.h says: argv strings, environment
 * strings, then the program's path (AT_EXECFN), below the 8 zero bytes at
 * the top. Addresses are user addresses; the ends are one past the last
 * NUL.
 */
struct stack_args {
	uint64_t argc;
	uint64_t arg_start, arg_end;
	uint64_t env_start, env_end;
	uint64_t execfn;		/* the path's first byte; it ends at top - 8 */
};

/*
 * win holds the user memory [top - len, top), top the stack's end. Finds
 * the auxiliary vector by its AT_EXECFN entry, walks back through envp[]
 * and argv[] to argc, and checks every pointer lands among the strings.
 * 0, or -EINVAL when the stack does not look like that (the process may
 * have written over it).
 */
int stack_args_parse(const void *win, size_t len, uint64_t top, struct stack_args *out);


/* What /proc/<pid>/stat, status and statm say of a process or one thread. */
struct proc_vals {
	uint32_t pid, tid, ppid;	/* tid: the thread shown (pid for the process) */
	char name[16];			/* at most 15 characters, as Linux's comm */
	char state;			/* R, S, Z or X */
	uint32_t threads, cpu, fd_size;
	uint64_t utime_ticks, stime_ticks, cutime_ticks, cstime_ticks, start_ticks, switches;
	uint64_t sigmask, sigign, sigcatch;
	struct cpumask allowed;
	uint32_t nr_cpu_ids;		/* bits in Cpus_allowed */
	uint64_t mems;			/* Mems_allowed: nodes with memory (0: node 0) */
	uint64_t vsize, rss, stack, data, exe;	/* bytes */
	uint64_t start_code, end_code, start_data, end_data, start_brk, start_stack;
	struct stack_args args;		/* zeros when not known */
	int exit_code;
};

/* The one line of stat: Linux's 52 fields. */
void fmt_proc_stat(struct sbuf *sb, const struct proc_vals *v);
void fmt_proc_status(struct sbuf *sb, const struct proc_vals *v);
void fmt_proc_statm(struct sbuf *sb, const struct proc_vals *v);

#endif /* COVE_FS_PROCFS_FMT_H */
