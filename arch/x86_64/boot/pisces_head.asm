; SPDX-License-Identifier: GPL-2.0
;
; Co-kernel entry (include/cove/pisces_abi.h). A Linux loader copies the
; image to (partition base + link address) and starts every enclave core
; here in 64-bit mode, on its own identity-mapped tables, with %esi = page
; frame number of the boot block. Nothing here may use an absolute address:
; the code runs at base + its link address. The difference (the partition
; base) is worked out from RIP and becomes the image's physical offset.
;
; The boot core builds the same boot tables as head.asm (identity + direct
; map of low memory, the image at -2 GiB, now shifted by the offset) and
; leaves for C. Every other core enters the protection layer instead
; (vmm/ap_entry.asm, cpu_entry in the header): kernel text is the guest's
; to rewrite, so a core added later must never run it unguarded.

%define KERNEL_VMA_BASE		0xFFFFFFFF80000000
%define DIRECT_MAP_PML4		273

; struct pisces_boot_params / cove_boot_tail offsets;
; arch/x86_64/boot/pisces_entry.c asserts each of them.
%define BP_APIC_ID		112
%define BP_TAIL			2048
%define TAIL_STATE		56
%define COVE_TAIL_MAGIC		0x45564f43
%define COVE_STATE_BOOTING	1
%define COVE_IMAGE_MAGIC	0x31474d4945564f43
%define COVE_TAIL_VERSION	4

extern boot_pml4, boot_pdpt_low, boot_pdpt_high, boot_pd
extern __kernel_end, boot_stack_top, arch_boot_pisces, vmm_ap_entry

; struct cove_image_header: right after the multiboot2 header (kernel.ld),
; well inside the first 64 KiB a loader searches.
; A Pisces loader copies the image as a flat file to the partition's
; second 2 MiB and enters its first byte (launch_code_target_addr =
; kernel_addr): the linker puts this jump there, before the multiboot2
; header, which GRUB finds anywhere 8-aligned in the first 32 KiB.
section .pisces_jump progbits alloc exec
bits 64
	jmp strict near pisces_entry64
	times 8 - ($ - $$) db 0xcc

section .cove_header progbits alloc
align 8
cove_image_header:
	dq COVE_IMAGE_MAGIC
	dd COVE_TAIL_VERSION
	dd cove_image_header_end - cove_image_header
	dq pisces_entry64
	dq 0x200000			; KERNEL_LINK_PHYS
	dq __kernel_end - KERNEL_VMA_BASE
	dq 0x200000			; the -2 GiB window is mapped with 2 MiB pages
	dq vmm_ap_entry - KERNEL_VMA_BASE
cove_image_header_end:

%include "apic_id.inc"

section .boot.bss nobits alloc write
align 4096
boot_pd_image:	resb 4096		; -2 GiB .. -1 GiB -> base .. base + 1 GiB
pisces_stack:	resb 512		; the boot core, until C has boot_stack
pisces_stack_top:

section .boot.data progbits alloc write
align 16
pisces_gdt:
	dq 0
	dq 0x00AF9A000000FFFF		; 0x08: 64-bit code
	dq 0x00CF92000000FFFF		; 0x10: data
pisces_gdt_end:
align 8
pisces_gdtr:				; base patched at run time: it is physical
	dw pisces_gdt_end - pisces_gdt - 1
	dq 0

section .boot.text progbits alloc exec
bits 64
global pisces_entry64
pisces_entry64:
	cli
	cld
	mov r15d, esi
	shl r15, 12			; r15 = boot block (physical = identity)
	APIC_ID_TO_EAX			; no stack yet
	cmp eax, [r15 + BP_APIC_ID]
	jne pisces_not_boot_core

	; The boot core. Our own GDT first: the loader's lives in a page it
	; takes back once every core has left its trampoline.
	lea rsp, [rel pisces_stack_top]
	lea rax, [rel pisces_gdt]
	mov [rel pisces_gdtr + 2], rax
	lgdt [rel pisces_gdtr]
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	lea rax, [rel .cs_reloaded]
	push 0x08
	push rax
	retfq
.cs_reloaded:
	lea r14, [rel pisces_entry64]
	mov rax, pisces_entry64
	sub r14, rax			; r14 = run address - link address (cpuid clobbers rbx)

	; The boot core: build the boot tables (everything relative to r14).
	lea rdi, [rel boot_pml4]
	xor eax, eax
	mov ecx, 512 * 3
	rep stosq			; pml4, pdpt_low, pdpt_high
	lea rdi, [rel boot_pd_image]
	mov ecx, 512
	rep stosq

	; Low memory, identity and at the direct map: 512 GiB of 1 GiB pages
	; where the CPU has them, else 4 GiB of 2 MiB pages (head.asm's PDs).
	mov eax, 0x80000001
	cpuid
	lea rdi, [rel boot_pdpt_low]
	test edx, 1 << 26
	jz .small_pages
	mov rax, 0x83			; present, writable, large
	mov ecx, 512
.fill_1g:
	mov [rdi], rax
	add rax, 1 << 30
	add rdi, 8
	loop .fill_1g
	jmp .image
.small_pages:
	lea rsi, [rel boot_pd]
	mov rdx, rsi
	mov rax, 0x83
	mov ecx, 512 * 4
.fill_2m:
	mov [rsi], rax
	add rax, 0x200000
	add rsi, 8
	loop .fill_2m
	lea rax, [rdx + 3]
	mov ecx, 4
.fill_pdpt:
	mov [rdi], rax
	add rax, 4096
	add rdi, 8
	loop .fill_pdpt

.image:
	; -2 GiB maps the image's first GiB, shifted by the partition base.
	lea rdi, [rel boot_pd_image]
	lea rax, [r14 + 0x83]
	mov ecx, 512
.fill_image:
	mov [rdi], rax
	add rax, 0x200000
	add rdi, 8
	loop .fill_image
	lea rax, [rel boot_pd_image]
	or rax, 3
	lea rdi, [rel boot_pdpt_high]
	mov [rdi + 510 * 8], rax

	lea rdi, [rel boot_pml4]
	lea rax, [rel boot_pdpt_low]
	or rax, 3
	mov [rdi], rax
	mov [rdi + DIRECT_MAP_PML4 * 8], rax
	lea rax, [rel boot_pdpt_high]
	or rax, 3
	mov [rdi + 511 * 8], rax
	mov cr3, rdi

	; Only our module's extension has a state word (a Pisces loader leaves
	; the place zero, and nothing else may be written there).
	cmp dword [r15 + BP_TAIL], COVE_TAIL_MAGIC
	jne .no_extension
	mov dword [r15 + BP_TAIL + TAIL_STATE], COVE_STATE_BOOTING
.no_extension:
	mov rdi, r15			; arch_boot_pisces(block, offset)
	mov rsi, r14
	mov rax, pisces_start64
	jmp rax

; Another core sent here by mistake (its entry is the layer's): touch nothing.
pisces_not_boot_core:
	hlt
	jmp pisces_not_boot_core

section .text
pisces_start64:
	mov rsp, boot_stack_top
	xor ebp, ebp			; ends the backtrace chain
	call arch_boot_pisces
.hang:
	cli
	hlt
	jmp .hang
