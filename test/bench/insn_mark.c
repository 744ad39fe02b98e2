// SPDX-License-Identifier: GPL-2.0
/*
 * insn_mark: execute the instruction-count marker (insn_marker.h) twice and
 * exit. Run under QEMU with test/bench/insn_plugin.so, each run leaves two
 * lines in the plugin's file with every vCPU's instruction count.
 *
 * The marker is the very first instruction at _start, so when this is the
 * job of `cove run`, the first line is the job's first instruction. The
 * second marker follows at once; its count on the same vCPU must be exactly
 * one more, which checks the plugin's accounting on every run.
 *
 *   insn_mark                 mark and exit
 *   insn_mark mem [HEAP]      then print "insn_mark: heap H stack S free F
 *                             total T" (bytes): with HEAP, the heap is moved
 *                             HEAP bytes up with brk and every page of it
 *                             written (H = HEAP, proven usable); S is
 *                             RLIMIT_STACK, F and T sysinfo's free and total.
 *
 * Static, with no C library: nothing runs before the marker, and the
 * program is the same bytes under Linux and under Cove.
 */
#include <stddef.h>
#include <stdint.h>

#include "insn_marker.h"

#define SYS_write 1
#define SYS_brk 12
#define SYS_sysinfo 99
#define SYS_prlimit64 302
#define RLIMIT_STACK 3

__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"\t" INSN_MARKER_ASM "\n"
	"\t" INSN_MARKER_ASM "\n"
	"\tmov %rsp, %rdi\n"
	"\tand $-16, %rsp\n"
	"\tcall insn_mark_main\n"
	"\tmov %eax, %edi\n"
	"\tmov $231, %eax\n"		/* exit_group(main's value) */
	"\tsyscall\n"
	"\thlt\n");

static long sys6(long nr, long a0, long a1, long a2, long a3)
{
	register long r10 __asm__("r10") = a3;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The Linux struct sysinfo, mem_unit and all. */
struct linux_sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	unsigned short procs, pad;
	unsigned int pad2;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char reserved[4];
};

static size_t put_str(char *p, const char *s)
{
	size_t n = 0;

	while (s[n]) {
		p[n] = s[n];
		n++;
	}
	return n;
}

static size_t put_u64(char *p, uint64_t v)
{
	char tmp[20];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

static int parse_u64(const char *s, uint64_t *v)
{
	*v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		*v = *v * 10 + (uint64_t)(*s - '0');
	}
	return 0;
}

static void say(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	sys6(SYS_write, 2, (long)s, (long)n, 0);
}

/* brk HEAP bytes up, then write every page of it: that memory is the job's. */
static int take_heap(uint64_t heap)
{
	uint64_t base = (uint64_t)sys6(SYS_brk, 0, 0, 0, 0);
	uint64_t top = base + heap;

	if ((uint64_t)sys6(SYS_brk, (long)top, 0, 0, 0) != top) {
		say("insn_mark: brk refused the heap\n");
		return -1;
	}
	for (uint64_t a = base; a < top; a += 4096)
		*(volatile char *)a = 1;
	return 0;
}

static int report_mem(const char *heap_arg)
{
	struct linux_sysinfo si;
	uint64_t heap = 0, lim[2];
	char line[160];
	size_t n = 0;

	if (heap_arg && (parse_u64(heap_arg, &heap) || take_heap(heap)))
		return 1;
	if (sys6(SYS_sysinfo, (long)&si, 0, 0, 0) ||
	    sys6(SYS_prlimit64, 0, RLIMIT_STACK, 0, (long)lim)) {
		say("insn_mark: sysinfo or prlimit64 failed\n");
		return 1;
	}
	n += put_str(line + n, "insn_mark: heap ");
	n += put_u64(line + n, heap);
	n += put_str(line + n, " stack ");
	n += put_u64(line + n, lim[0]);
	n += put_str(line + n, " free ");
	n += put_u64(line + n, (uint64_t)si.freeram * si.mem_unit);
	n += put_str(line + n, " total ");
	n += put_u64(line + n, (uint64_t)si.totalram * si.mem_unit);
	line[n++] = '\n';
	sys6(SYS_write, 1, (long)line, (long)n, 0);
	return 0;
}

int insn_mark_main(const long *sp);

int insn_mark_main(const long *sp)
{
	long argc = sp[0];
	char *const *argv = (char *const *)(sp + 1);
	const char *a = argc > 1 ? argv[1] : "";

	if (argc == 1)
		return 0;
	if (argc <= 3 && a[0] == 'm' && a[1] == 'e' && a[2] == 'm' && !a[3])
		return report_mem(argc == 3 ? argv[2] : NULL);
	say("usage: insn_mark [mem [HEAP_BYTES]]\n");
	return 2;
}
