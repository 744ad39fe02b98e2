; SPDX-License-Identifier: GPL-2.0
;
; The stand-in's entry. GRUB (multiboot2) leaves us in 32-bit protected mode
; with paging off; we identity-map the first 4 GiB with 2 MiB pages, enter
; 64-bit mode and call standin_main(magic, info). Everything is linked at
; its physical address, so the same tables serve the stand-in and, as the
; "loader tables" of the Pisces protocol, the enclave core's first steps.
; The local APIC page is mapped write-back like the rest: Bochs ignores
; memory types; real hardware would want it uncached.

%define MB2_MAGIC	0xE85250D6
%define MB2_BOOT_MAGIC	0x36D76289
%define COM1		0x3F8

extern standin_main

section .multiboot2 progbits alloc
align 8
mb2_header:
	dd MB2_MAGIC
	dd 0				; i386 protected mode
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + (mb2_header_end - mb2_header))
	align 8
	dw 1, 0				; information request: the memory map (6)
	dd 8 + 4
	dd 6
	align 8
	dw 0, 0				; end tag
	dd 8
mb2_header_end:

section .bss nobits alloc write
align 4096
global standin_pml4
standin_pml4:	resb 4096
standin_pdpt:	resb 4096
standin_pd:	resb 4096 * 4		; 4 x 1 GiB of 2 MiB pages
stack:		resb 16384
stack_top:

section .data
align 16
gdt:
	dq 0
	dq 0x00AF9A000000FFFF		; 0x08: 64-bit code
	dq 0x00CF92000000FFFF		; 0x10: data
gdt_end:
gdtr:
	dw gdt_end - gdt - 1
	dq gdt
msg_nolm:	db "standin: this CPU has no 64-bit mode; cannot run", 13, 10, 0

; A core the stand-in took back from the enclave comes here (through the
; trampoline, in 64-bit mode, no stack): it says it arrived and stays ours.
align 4
global core_home_apic
core_home_apic:	dd 0

section .text
bits 32
global _start
_start:
	cli
	cld
	mov esp, stack_top
	mov edi, eax			; keep magic and info for C
	mov esi, ebx

	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz .no_long_mode

	; PML4[0] -> PDPT, PDPT[0..3] -> four PDs of 2 MiB pages: [0, 4 GiB).
	mov eax, standin_pdpt
	or eax, 3
	mov [standin_pml4], eax
	mov eax, standin_pd
	or eax, 3
	xor ecx, ecx
.pdpt:
	mov [standin_pdpt + ecx * 8], eax
	add eax, 4096
	inc ecx
	cmp ecx, 4
	jb .pdpt
	xor ecx, ecx
.pd:
	mov eax, ecx
	shl eax, 21
	or eax, 0x83			; present, writable, 2 MiB
	mov [standin_pd + ecx * 8], eax
	mov eax, ecx
	shr eax, 11			; bits 32+ of the address
	mov [standin_pd + ecx * 8 + 4], eax
	inc ecx
	cmp ecx, 512 * 4
	jb .pd

	mov eax, cr4
	or eax, 1 << 5			; PAE
	mov cr4, eax
	mov eax, standin_pml4
	mov cr3, eax
	mov ecx, 0xC0000080		; EFER.LME
	rdmsr
	or eax, 1 << 8
	wrmsr
	mov eax, cr0
	or eax, (1 << 31) | 1
	mov cr0, eax
	lgdt [gdtr]
	jmp 0x08:long_mode

.no_long_mode:				; no C yet: say it on COM1 by hand
	mov esi, msg_nolm
.next:
	lodsb
	test al, al
	jz .stop
	mov ah, al
	mov dx, COM1 + 5
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	mov dx, COM1
	mov al, ah
	out dx, al
	jmp .next
.stop:
	hlt
	jmp .stop

bits 64
long_mode:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rsp, stack_top
	xor ebp, ebp
	; edi = magic, esi = info, as C's first two arguments.
	call standin_main
global halt_forever
halt_forever:
	cli
	hlt
	jmp halt_forever

; Entered by a core the stand-in restarted (trampoline.asm, %esi = its
; APIC ID in this use). No stack: one store, then halt for good.
global core_home
core_home:
	lea rax, [rel core_home_apic]
	lea edx, [esi + 1]		; APIC ID + 1: 0 means "nobody came"
	mov [rax], edx
.halt:
	cli
	hlt
	jmp .halt

; An NMI on the stand-in's own core (nmi.c installs this as vector 2, the
; only gate of its IDT): count it and go on. Only an enclave that got past
; the layer sends one, so the count is the harm an unguarded NMI does.
extern nmi_seen
global nmi_entry
nmi_entry:
	lock inc dword [rel nmi_seen]
	iretq

; The stand-in's doorbell (doorbell.c installs it at its vector): Cove
; rang. C counts the ring and ends the interrupt; the registers C may
; clobber are saved, since any code of the serving loop may be interrupted.
; The CPU left RSP at 8 mod 16; nine pushes make the call aligned.
extern doorbell_irq
global doorbell_entry
doorbell_entry:
	push rax
	push rcx
	push rdx
	push rsi
	push rdi
	push r8
	push r9
	push r10
	push r11
	cld
	call doorbell_irq
	pop r11
	pop r10
	pop r9
	pop r8
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rax
	iretq

; The local APIC's spurious vector: no EOI is owed for it, nothing to count.
global spurious_entry
spurious_entry:
	iretq
