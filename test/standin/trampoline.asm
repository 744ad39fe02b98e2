; SPDX-License-Identifier: GPL-2.0
;
; Real mode -> 64-bit mode for a core the stand-in starts (INIT, SIPI with
; vector TRAMP_PA >> 12). Assembled as a flat binary for the one page it
; runs in; cpu.c copies it there and fills the parameters, which sit at a
; fixed offset so C finds them without symbols. It does what the module's
; cove_trampoline.S does: the given CR3 (identity-maps the first 4 GiB),
; EFER.LME and NXE (Cove's page tables use NX), then jump to the entry with
; %esi = the parameter "pfn" (the Pisces block's page frame number).

%define TRAMP_PA	0x8000		; must match standin.h

org TRAMP_PA
bits 16
start:
	jmp short real_mode
	align 8
params:					; struct tramp_params in cpu.c
p_org:		dd TRAMP_PA		; lets C check the two agree
p_cr3:		dd 0
p_pfn:		dd 0
p_pad:		dd 0
p_entry:	dq 0

real_mode:
	cli
	cld
	xor ax, ax
	mov ds, ax
	lgdt [gdt_desc]
	mov eax, cr0
	or eax, 1			; PE
	mov cr0, eax
	jmp dword 0x08:prot_mode

bits 32
prot_mode:
	mov eax, 0x10
	mov ds, eax
	mov es, eax
	mov ss, eax
	mov fs, eax
	mov gs, eax
	mov eax, cr4
	or eax, 1 << 5			; PAE
	mov cr4, eax
	mov eax, [p_cr3]
	mov cr3, eax
	mov ecx, 0xC0000080		; EFER: LME, NXE
	rdmsr
	or eax, (1 << 8) | (1 << 11)
	wrmsr
	mov eax, cr0
	or eax, (1 << 31) | 1		; PG, PE
	mov cr0, eax
	jmp 0x18:long_mode

bits 64
long_mode:
	mov esi, [p_pfn]
	mov rax, [p_entry]
	jmp rax

align 8
gdt:
	dq 0
	dq 0x00CF9A000000FFFF		; 0x08: 32-bit code, flat
	dq 0x00CF92000000FFFF		; 0x10: data, flat
	dq 0x00AF9A000000FFFF		; 0x18: 64-bit code
gdt_desc:
	dw 4 * 8 - 1
	dd gdt
