/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real mode -> long mode trampoline for enclave cores.
 *
 * Not run in place: cove_cpu.c copies the bytes between cove_tramp_start
 * and cove_tramp_end to a page below 1 MiB, patches the fields at the end
 * (linear addresses of the GDT and of the two far-jump targets, CR3, block
 * PFN, 64-bit entry) and sends INIT/SIPI with that page's vector. A core
 * starts at CS = page >> 4, IP = 0 in real mode. %ebx keeps the page's
 * linear address, so everything after real mode is addressed from it.
 * Lives in .rodata: the module never executes it.
 */
#define OFF(sym) ((sym) - cove_tramp_start)

#define SEL_CODE32	0x08
#define SEL_DATA	0x10
#define SEL_CODE64	0x18

#define CR0_PE		0x00000001
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define MSR_EFER_NR	0xc0000080
#define EFER_LME_NXE	0x00000900

	.section .rodata, "a"
	.balign 16
	.globl cove_tramp_start
cove_tramp_start:
	.code16
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	movzwl	%ax, %ebx
	shll	$4, %ebx
	lgdtl	OFF(cove_tramp_gdt_desc)
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	*OFF(cove_tramp_pm_ptr)

	.code32
	.globl cove_tramp_pm32
cove_tramp_pm32:
	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	OFF(cove_tramp_cr3)(%ebx), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER_NR, %ecx
	rdmsr
	orl	$EFER_LME_NXE, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_PE), %eax
	movl	%eax, %cr0
	ljmpl	*OFF(cove_tramp_lm_ptr)(%ebx)

	.code64
	.globl cove_tramp_lm64
cove_tramp_lm64:
	movl	%ebx, %ebx			/* clear the upper half */
	movl	OFF(cove_tramp_pfn)(%rbx), %esi
	movq	OFF(cove_tramp_entry)(%rbx), %rax
	jmp	*%rax

	.balign 8
	.globl cove_tramp_gdt
cove_tramp_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* 32-bit code, flat */
	.quad	0x00cf92000000ffff		/* data, flat */
	.quad	0x00af9a000000ffff		/* 64-bit code */

	.globl cove_tramp_gdt_desc
cove_tramp_gdt_desc:
	.word	4 * 8 - 1
	.long	0				/* patched: linear address of the GDT */

	.globl cove_tramp_pm_ptr
cove_tramp_pm_ptr:
	.long	0				/* patched: linear address of pm32 */
	.word	SEL_CODE32

	.globl cove_tramp_lm_ptr
cove_tramp_lm_ptr:
	.long	0				/* patched: linear address of lm64 */
	.word	SEL_CODE64

	.balign 8
	.globl cove_tramp_cr3
cove_tramp_cr3:
	.long	0				/* loader tables, below 4 GiB */
	.globl cove_tramp_pfn
cove_tramp_pfn:
	.long	0				/* PFN of the boot block */
	.globl cove_tramp_entry
cove_tramp_entry:
	.quad	0				/* partition base + this batch's entry */
	.globl cove_tramp_end
cove_tramp_end:
