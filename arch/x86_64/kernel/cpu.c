// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU processor state: each CPU gets its own GDT (the TSS descriptor
 * points at its own TSS), the shared IDT, and GS pointing at its percpu.
 */
#include <cove/arch.h>
#include <cove/percpu.h>
#include <cove/smp.h>
#include <cove/string.h>
#include <cove/vdso_data.h>
#include <arch/asm_offsets.h>
#include <arch/fpu.h>
#include <arch/lapic.h>
#include <arch/trap.h>
#include <arch/x86.h>

_Static_assert(offsetof(struct percpu, task_stack_top) == PERCPU_TASK_STACK_TOP,
	       "syscall_entry.asm reads task_stack_top at a fixed offset");
_Static_assert(offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP,
	       "syscall_entry.asm saves the user rsp at a fixed offset");
_Static_assert(offsetof(struct percpu, current) == PERCPU_CURRENT,
	       "syscall_entry.asm finds the running task at a fixed offset");
_Static_assert(offsetof(struct percpu, need_resched) == PERCPU_NEED_RESCHED &&
	       sizeof(((struct percpu *)0)->need_resched) == 4,
	       "syscall_entry.asm tests need_resched as a dword at a fixed offset");

struct gdt_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

static void cpu_setup_gdt(struct arch_percpu *a)
{
	uint64_t tss = (uint64_t)&a->tss;
	uint64_t limit = sizeof(a->tss) - 1;

	a->gdt[0] = 0;
	a->gdt[1] = 0x00AF9A000000FFFFULL;	/* kernel code, 64-bit */
	a->gdt[2] = 0x00CF92000000FFFFULL;	/* kernel data */
	a->gdt[3] = 0x00CFF2000000FFFFULL;	/* user data (for sysret order) */
	a->gdt[4] = 0x00AFFA000000FFFFULL;	/* user code, 64-bit */
	a->gdt[5] = (limit & 0xffff) | ((tss & 0xffffff) << 16) | (0x89ULL << 40) |
		    (((limit >> 16) & 0xf) << 48) | (((tss >> 24) & 0xff) << 56);
	a->gdt[6] = tss >> 32;

	memset(&a->tss, 0, sizeof(a->tss));
	for (int i = 0; i < 3; i++)
		a->tss.ist[i] = (uint64_t)a->ist_stacks[i] + IST_STACK_SIZE;
	a->tss.iomap_base = sizeof(a->tss);	/* no I/O bitmap */
}

static void cpu_load_gdt(struct arch_percpu *a)
{
	struct gdt_ptr p = { sizeof(a->gdt) - 1, (uint64_t)a->gdt };

	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movw %%ax, %%fs\n\t"
		"movw %%ax, %%gs\n\t"
		"ltr %w3"
		:
		: "m"(p), "i"(GDT_KERNEL_CS), "r"(GDT_KERNEL_DS), "r"(GDT_TSS)
		: "rax", "memory");
}

#define MSR_STAR 0xC0000081
#define MSR_LSTAR 0xC0000082
#define MSR_FMASK 0xC0000084
#define EFER_SCE (1ULL << 0)

extern char syscall_entry[];

/*
 * SYSCALL lands in syscall_entry with IF, DF, TF and AC cleared. SYSRET
 * derives the user selectors from STAR[63:48]: CS = base + 16, SS = base + 8,
 * which is why user data precedes user code in the GDT.
 */
static void cpu_init_syscall(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)(GDT_USER_DS - 8 - 3) << 48) | ((uint64_t)GDT_KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, (1U << 9) | (1U << 10) | (1U << 8) | (1U << 18));
}

#define MSR_TSC_AUX 0xC0000103
#define CPUID_EXT_RDTSCP (1U << 27)	/* CPUID 0x80000001 EDX */

static bool cpu_has_rdtscp(void)
{
	uint32_t a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x80000001)
		return false;
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	return d & CPUID_EXT_RDTSCP;
}

/*
 * RDTSCP hands user code TSC_AUX: Linux's layout, cpu | node << 12, so the
 * vDSO's getcpu needs no trap. In co-kernel mode this overwrites the
 * number Linux left there for its own vDSO: the core is Cove's now.
 */
static void cpu_init_tsc_aux(struct percpu *p)
{
	if (cpu_has_rdtscp())
		wrmsr(MSR_TSC_AUX, p->cpu & 0xfff);
}

uint32_t arch_user_getcpu_flags(void)
{
	return cpu_has_rdtscp() ? VDSO_F_RDTSCP : 0;
}

/* Everything a CPU needs before it may take an interrupt or run user code. */
void cpu_init_self(struct percpu *p)
{
	cpu_setup_gdt(&p->arch);
	cpu_load_gdt(&p->arch);
	idt_load();
	/* After the gs reload above, which zeroed the base. */
	wrmsr(MSR_GS_BASE, (uint64_t)p);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	write_cr4(read_cr4() | X86_CR4_PGE);
	cpu_init_syscall();
	cpu_init_tsc_aux(p);
	fpu_init_cpu();
}

void arch_set_kernel_stack(struct percpu *p, uint64_t top)
{
	p->task_stack_top = top;
	p->arch.tss.rsp[0] = top;
}

extern char boot_stack_top[];

void arch_cpu_init_boot(struct percpu *p)
{
	p->kstack_top = (uint64_t)boot_stack_top;
	idt_init();
	fpu_init_boot();
	cpu_init_self(p);
}

void arch_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
