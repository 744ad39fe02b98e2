; SPDX-License-Identifier: GPL-2.0
;
; Multiboot2 entry: GRUB (BIOS or UEFI) drops us here in 32-bit protected
; mode with paging off. We build just enough page tables to reach 64-bit
; mode in the higher half, then hand the multiboot2 pointer to C.
;
; The boot tables identity-map the first 4 GiB and alias it at the direct map
; so early C code can read the multiboot2 info and ACPI tables. mm/ replaces
; them with tables covering exactly the partition.

%define KERNEL_VMA_BASE	0xFFFFFFFF80000000
%define DIRECT_MAP_PML4	273		; (0xFFFF888000000000 >> 39) & 511
%define MB2_MAGIC	0xE85250D6
%define MB2_BOOT_MAGIC	0x36D76289
%define COM1		0x3F8

section .multiboot2
align 8
mb2_header:
	dd MB2_MAGIC
	dd 0				; architecture: i386 protected mode
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
	; Ask for the memory map, ACPI RSDP and EFI markers (tags 6, 14, 15, 17).
	align 8
	dw 1, 0
	dd 8 + 4 * 4
	dd 6, 14, 15, 17
	align 8
	dw 0, 0				; end tag
	dd 8
mb2_header_end:

section .boot.bss nobits alloc write
align 4096
global boot_pml4
boot_pml4:	resb 4096
global boot_pdpt_low, boot_pdpt_high, boot_pd
boot_pdpt_low:	resb 4096
boot_pdpt_high:	resb 4096
boot_pd:	resb 4096 * 4		; 4 x 1 GiB of 2 MiB pages
boot_stack32:	resb 1024
boot_stack32_top:

section .boot.data progbits alloc write
align 8
mb2_saved_magic:	dd 0
mb2_saved_info:		dd 0
align 16
boot_gdt:
	dq 0
	dq 0x00AF9A000000FFFF		; 0x08: 64-bit code
	dq 0x00CF92000000FFFF		; 0x10: data
boot_gdt_end:
boot_gdtr:
	dw boot_gdt_end - boot_gdt - 1
	dq boot_gdt
msg_nolm:	db "cove: this CPU has no 64-bit mode or no NX; cannot boot", 13, 10, 0
msg_nomb:	db "cove: not started by a multiboot2 loader; cannot boot", 13, 10, 0

section .boot.text progbits alloc exec
bits 32
global _start32
_start32:
	cli
	cld
	mov esp, boot_stack32_top
	mov [mb2_saved_magic], eax
	mov [mb2_saved_info], ebx

	cmp eax, MB2_BOOT_MAGIC
	jne .no_multiboot

	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29		; LM
	jz .no_long_mode
	test edx, 1 << 20		; NX
	jz .no_long_mode

	; 2 MiB identity pages for 0..4 GiB
	mov edi, boot_pd
	mov eax, 0x83			; present, writable, large
	xor edx, edx
	mov ecx, 512 * 4
.fill_pd:
	mov [edi], eax
	mov [edi + 4], edx
	add eax, 0x200000
	adc edx, 0
	add edi, 8
	loop .fill_pd

	; PDPT low: four PDs
	mov edi, boot_pdpt_low
	mov eax, boot_pd + 3
	mov ecx, 4
.fill_pdpt:
	mov [edi], eax
	mov dword [edi + 4], 0
	add eax, 4096
	add edi, 8
	loop .fill_pdpt

	; PDPT high: slot 510 (-2 GiB) maps the first GiB, where the image is
	mov dword [boot_pdpt_high + 510 * 8], boot_pd + 3

	mov dword [boot_pml4], boot_pdpt_low + 3
	mov dword [boot_pml4 + DIRECT_MAP_PML4 * 8], boot_pdpt_low + 3
	mov dword [boot_pml4 + 511 * 8], boot_pdpt_high + 3

	mov eax, cr4
	or eax, 1 << 5			; PAE
	mov cr4, eax
	mov eax, boot_pml4
	mov cr3, eax
	mov ecx, 0xC0000080		; EFER
	rdmsr
	or eax, (1 << 8) | (1 << 11)	; LME, NXE
	wrmsr
	mov eax, cr0
	or eax, (1 << 31) | (1 << 16) | 1	; PG, WP, PE
	mov cr0, eax

	lgdt [boot_gdtr]
	jmp 0x08:.long_mode

.no_multiboot:
	mov esi, msg_nomb
	jmp .die
.no_long_mode:
	mov esi, msg_nolm
.die:
	mov dx, COM1 + 5
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	mov dx, COM1
	lodsb
	test al, al
	jz .halt
	out dx, al
	jmp .die
.halt:
	hlt
	jmp .halt

bits 64
.long_mode:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor ax, ax
	mov fs, ax
	mov gs, ax
	mov rax, start64
	jmp rax

section .text

extern arch_boot_multiboot2
start64:
	mov rsp, boot_stack_top
	xor ebp, ebp			; ends the backtrace chain
	; The saved words live in the low stub; the -2 GiB window maps it too.
	mov edi, [rel KERNEL_VMA_BASE + mb2_saved_magic]
	mov esi, [rel KERNEL_VMA_BASE + mb2_saved_info]
	call arch_boot_multiboot2
.hang:
	cli
	hlt
	jmp .hang

; The boot CPU's stack (it keeps this one), with a page below it that the
; kernel's own page tables leave unmapped so an overflow faults at once.
section .bss
align 4096
global boot_stack_guard
global boot_stack_top
boot_stack_guard:	resb 4096
boot_stack:		resb 16384
boot_stack_top:
