; SPDX-License-Identifier: GPL-2.0
;
; SMP trampoline, assembled flat and copied to a page below 1 MiB. A CPU
; woken by SIPI starts here in real mode at CS = page >> 4, IP = 0. It works
; out its own linear base, patches its GDT pointer and far jump, and climbs
; to 64-bit mode on the page tables the boot CPU left in the parameters.

bits 16
org 0

tramp_start:
	jmp short real_start

align 8
; struct trampoline_params (arch/x86_64/kernel/smp_start.c), at offset 8
p_cr3:		dq 0
p_entry:	dq 0
p_stack:	dq 0
p_arg:		dq 0

align 8
gdt:
	dq 0
	dq 0x00CF9A000000FFFF		; 0x08: 32-bit code
	dq 0x00CF92000000FFFF		; 0x10: data
	dq 0x00AF9A000000FFFF		; 0x18: 64-bit code
gdt_end:
gdtr:
	dw gdt_end - gdt - 1
	dd 0
far32:
	dd 0
	dw 0x08

real_start:
	cli
	cld
	mov ax, cs
	mov ds, ax
	xor ebx, ebx
	mov bx, ax
	shl ebx, 4
	lea eax, [ebx + gdt]
	mov [gdtr + 2], eax
	lea eax, [ebx + pm32]
	mov [far32], eax
	o32 lgdt [gdtr]
	mov eax, cr0
	or eax, 1
	mov cr0, eax
	jmp dword far [far32]

bits 32
pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	lea esp, [ebx + 0x1000]		; top of the trampoline page, for the retf
	mov eax, cr4
	or eax, 1 << 5			; PAE
	mov cr4, eax
	mov eax, [ebx + p_cr3]
	mov cr3, eax
	mov ecx, 0xC0000080		; EFER: LME, NXE
	rdmsr
	or eax, (1 << 8) | (1 << 11)
	wrmsr
	mov eax, cr0
	or eax, (1 << 31) | (1 << 16)	; PG, WP
	mov cr0, eax
	lea eax, [ebx + lm64]
	push dword 0x18
	push eax
	retf

bits 64
lm64:
	mov ebx, ebx			; upper half is undefined after the switch
	mov rsp, [rbx + p_stack]
	mov rdi, [rbx + p_arg]
	mov rax, [rbx + p_entry]
	push 0				; fake return address: ends backtraces
	xor ebp, ebp
	jmp rax
