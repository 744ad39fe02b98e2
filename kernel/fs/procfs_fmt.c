// SPDX-License-Identifier: GPL-2.0
/* Text formats of /proc and /sys (see procfs_fmt.h). Pure. */
#include <cove/aspace.h>
#include <cove/sbuf.h>
#include <cove/string.h>
#include "procfs_fmt.h"

void fmt_cpulist(struct sbuf *sb, const struct cpumask *m)
{
	bool first = true;

	for (uint32_t c = 0; c < CPUMASK_BITS; c++) {
		uint32_t last = c;

		if (!cpumask_test(m, c))
			continue;
		while (last + 1 < CPUMASK_BITS && cpumask_test(m, last + 1))
			last++;
		sbuf_printf(sb, first ? "%u" : ",%u", c);
		if (last > c)
			sbuf_printf(sb, "-%u", last);
		first = false;
		c = last;
	}
}

void fmt_cpumask(struct sbuf *sb, const struct cpumask *m, uint32_t nbits)
{
	uint32_t width = nbits % 32 ? nbits % 32 : 32;

	if (!nbits || nbits > CPUMASK_BITS)
		nbits = CPUMASK_BITS;
	for (int32_t base = (int32_t)ALIGN_UP(nbits, 32) - 32; base >= 0; base -= 32) {
		uint32_t val = (uint32_t)(m->bits[base / 64] >> (base % 64));

		if (width < 32)
			val &= (1U << width) - 1;
		sbuf_printf(sb, "%s%0*x", (uint32_t)base + 32 < ALIGN_UP(nbits, 32) ? "," : "",
			    (int)((width + 3) / 4), val);
		width = 32;
	}
}

/* Linux: the label with its colon in 16 columns, the number in 8. */
void fmt_meminfo_kb(struct sbuf *sb, const char *label, uint64_t bytes)
{
	sbuf_printf(sb, "%s:", label);
	sbuf_pad_to(sb, 16);
	sbuf_printf(sb, "%8lu kB\n", bytes >> 10);
}

void fmt_meminfo_count(struct sbuf *sb, const char *label, uint64_t count)
{
	sbuf_printf(sb, "%s:", label);
	sbuf_pad_to(sb, 16);
	sbuf_printf(sb, "%8lu\n", count);
}

/*
 * Linux pads the fixed part to 72 columns (25 plus six per pointer byte,
 * less one) before a name, and leaves a space after the inode either way.
 */
#define MAPS_NAME_COLUMN 72

void fmt_maps_line(struct sbuf *sb, uint64_t start, uint64_t end, uint32_t prot, bool shared,
		   uint64_t offset, uint32_t dev, uint64_t ino, const char *name)
{
	sbuf_printf(sb, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", start, end,
		    prot & VM_READ ? 'r' : '-', prot & VM_WRITE ? 'w' : '-',
		    prot & VM_EXEC ? 'x' : '-', shared ? 's' : 'p', offset, (dev >> 8) & 0xfff,
		    dev & 0xff, ino);
	if (name && name[0]) {
		sbuf_pad_to(sb, MAPS_NAME_COLUMN);
		sbuf_putc(sb, ' ');
		sbuf_puts(sb, name);
	}
	sbuf_putc(sb, '\n');
}

/* Linux's smaps label: padded to 16 columns, the number in the 8 after (7 after a longer one). */
static void fmt_smaps_kb(struct sbuf *sb, const char *label, uint64_t bytes)
{
	size_t len = strlen(label) + 1;

	sbuf_printf(sb, "%s:%*s%*lu kB\n", label, len < 16 ? (int)(16 - len) : 1, "",
		    len < 16 ? 8 : 7, bytes >> 10);
}

void fmt_smaps(struct sbuf *sb, const struct smaps_vals *v, bool rollup)
{
	if (!rollup) {
		fmt_smaps_kb(sb, "Size", v->size);
		fmt_smaps_kb(sb, "KernelPageSize", v->kernel_page);
		fmt_smaps_kb(sb, "MMUPageSize", v->mmu_page);
	}
	fmt_smaps_kb(sb, "Rss", v->rss);
	fmt_smaps_kb(sb, "Pss", v->pss);
	fmt_smaps_kb(sb, "Pss_Dirty", v->pss_dirty);
	if (rollup) {
		fmt_smaps_kb(sb, "Pss_Anon", v->pss_anon);
		fmt_smaps_kb(sb, "Pss_File", v->pss_file);
		fmt_smaps_kb(sb, "Pss_Shmem", v->pss_shmem);
	}
	fmt_smaps_kb(sb, "Shared_Clean", v->shared_clean);
	fmt_smaps_kb(sb, "Shared_Dirty", v->shared_dirty);
	fmt_smaps_kb(sb, "Private_Clean", v->private_clean);
	fmt_smaps_kb(sb, "Private_Dirty", v->private_dirty);
	fmt_smaps_kb(sb, "Referenced", v->rss);
	fmt_smaps_kb(sb, "Anonymous", v->anonymous);
	fmt_smaps_kb(sb, "LazyFree", 0);
	fmt_smaps_kb(sb, "AnonHugePages", v->anon_huge);
	fmt_smaps_kb(sb, "ShmemPmdMapped", v->shmem_pmd);
	fmt_smaps_kb(sb, "FilePmdMapped", v->file_pmd);
	fmt_smaps_kb(sb, "Shared_Hugetlb", v->shared_hugetlb);
	fmt_smaps_kb(sb, "Private_Hugetlb", v->private_hugetlb);
	fmt_smaps_kb(sb, "Swap", 0);
	fmt_smaps_kb(sb, "SwapPss", 0);
	fmt_smaps_kb(sb, "Locked", 0);
	if (rollup)
		return;
	sbuf_printf(sb, "THPeligible:    %d\n", v->thp_eligible);
	sbuf_printf(sb, "VmFlags: %s\n", v->vmflags);
}

void fmt_proc_stat(struct sbuf *sb, const struct proc_vals *v)
{
	/* 1-9: ids, state, terminal (none), flags. */
	sbuf_printf(sb, "%u (%s) %c %u %u %u 0 -1 0 ", v->tid, v->name, v->state, v->ppid,
		    v->pid, v->pid);
	/* 10-19: faults (none: memory is mapped when asked for), times, priority, nice. */
	sbuf_printf(sb, "0 0 0 0 %lu %lu %lu %lu 20 0 ", v->utime_ticks, v->stime_ticks,
		    v->cutime_ticks, v->cstime_ticks);
	/* 20-28: threads, itrealvalue, start, vsize, rss in pages, rsslim, code, stack. */
	sbuf_printf(sb, "%u 0 %lu %lu %lu 18446744073709551615 %lu %lu %lu ", v->threads,
		    v->start_ticks, v->vsize, v->rss >> PAGE_SHIFT, v->start_code, v->end_code,
		    v->start_stack);
	/* 29-38: esp, eip, signals (pending, blocked, ignored, caught), wchan, swap, exit signal. */
	sbuf_printf(sb, "0 0 0 %lu %lu %lu 0 0 0 17 ", v->sigmask, v->sigign, v->sigcatch);
	/* 39-44: CPU, realtime priority, policy, block I/O delay, guest times. */
	sbuf_printf(sb, "%u 0 0 0 0 0 ", v->cpu);
	/* 45-52: data, brk, the argument and environment strings, exit code. */
	sbuf_printf(sb, "%lu %lu %lu %lu %lu %lu %lu %d\n", v->start_data, v->end_data,
		    v->start_brk, v->args.arg_start, v->args.arg_end, v->args.env_start,
		    v->args.env_end, v->exit_code);
}

static const char *fmt_state_name(char state)
{
	switch (state) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'Z': return "Z (zombie)";
	default: return "X (dead)";
	}
}

static void fmt_status_kb(struct sbuf *sb, const char *label, uint64_t bytes)
{
	sbuf_printf(sb, "%s:\t%8lu kB\n", label, bytes >> 10);
}

void fmt_proc_status(struct sbuf *sb, const struct proc_vals *v)
{
	struct cpumask nodes;
	uint64_t mems;

	sbuf_printf(sb, "Name:\t%s\nUmask:\t0022\nState:\t%s\n", v->name, fmt_state_name(v->state));
	sbuf_printf(sb, "Tgid:\t%u\nNgid:\t0\nPid:\t%u\nPPid:\t%u\nTracerPid:\t0\n", v->pid,
		    v->tid, v->ppid);
	/* Jobs run as root: there is no other user. */
	sbuf_printf(sb, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%u\nGroups:\t\n", v->fd_size);
	fmt_status_kb(sb, "VmPeak", v->vsize);
	fmt_status_kb(sb, "VmSize", v->vsize);
	fmt_status_kb(sb, "VmLck", 0);
	fmt_status_kb(sb, "VmPin", 0);
	fmt_status_kb(sb, "VmHWM", v->rss);
	fmt_status_kb(sb, "VmRSS", v->rss);
	fmt_status_kb(sb, "RssAnon", v->rss);
	fmt_status_kb(sb, "RssFile", 0);
	fmt_status_kb(sb, "RssShmem", 0);
	fmt_status_kb(sb, "VmData", v->data);
	fmt_status_kb(sb, "VmStk", v->stack);
	fmt_status_kb(sb, "VmExe", v->exe);
	fmt_status_kb(sb, "VmLib", 0);
	fmt_status_kb(sb, "VmPTE", 0);
	fmt_status_kb(sb, "VmSwap", 0);
	sbuf_printf(sb, "Threads:\t%u\nSigQ:\t0/0\nSigPnd:\t%016x\nShdPnd:\t%016x\n", v->threads,
		    0, 0);
	sbuf_printf(sb, "SigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n", v->sigmask,
		    v->sigign, v->sigcatch);
	sbuf_puts(sb, "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
		      "CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n"
		      "CapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\n");
	sbuf_puts(sb, "Cpus_allowed:\t");
	fmt_cpumask(sb, &v->allowed, v->nr_cpu_ids);
	sbuf_puts(sb, "\nCpus_allowed_list:\t");
	fmt_cpulist(sb, &v->allowed);
	/*
	 * The nodes with memory, MAX_NUMNODES bits wide in 32-bit groups as
	 * Debian's Linux prints them (1024 nodes): the 30 high groups are zero.
	 */
	mems = v->mems ? v->mems : 1;
	cpumask_clear(&nodes);
	for (uint32_t k = 0; k < 64; k++) {
		if ((mems >> k) & 1)
			cpumask_set(&nodes, k);
	}
	sbuf_puts(sb, "\nMems_allowed:\t");
	for (int g = 0; g < 30; g++)
		sbuf_puts(sb, "00000000,");
	sbuf_printf(sb, "%08x,%08x\nMems_allowed_list:\t", (uint32_t)(mems >> 32), (uint32_t)mems);
	fmt_cpulist(sb, &nodes);
	sbuf_putc(sb, '\n');
	sbuf_printf(sb, "voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t0\n",
		    v->switches);
}

void fmt_proc_statm(struct sbuf *sb, const struct proc_vals *v)
{
	sbuf_printf(sb, "%lu %lu 0 %lu 0 %lu 0\n", v->vsize >> PAGE_SHIFT, v->rss >> PAGE_SHIFT,
		    v->exe >> PAGE_SHIFT, (v->data + v->stack) >> PAGE_SHIFT);
}
