; SPDX-License-Identifier: GPL-2.0
;
; Where the host starts every enclave core but the boot core (co-kernel,
; include/cove/pisces_abi.h: the image header's cpu_entry). This is the
; layer's text, so once protection is on the guest can neither change it
; nor the slots the core waits on (vmm/ap_start.c): only the layer
; releases the core. It arrives in 64-bit mode on the loader's identity
; tables with %esi = page frame number of the boot block, and runs at its
; physical address, so everything here is RIP-relative.
;
; A release names CR3, RSP, RDI and RIP. Protection on: the layer's own
; tables (which identity-map this code too) and vmm_ap_host_start on the
; layer's stack for the core. Protection off: the kernel's tables and entry.

bits 64
%include "apic_id.inc"

; struct pisces_boot_params / cove_boot_tail / cove_boot_cpu and struct
; vmm_ap_slot offsets; vmm/ap_start.c asserts each of them.
%define BP_TAIL			2048
%define TAIL_NR_CPUS		64
%define TAIL_CPUS		72
%define BOOT_CPU_SIZE		16
%define BOOT_CPU_ARRIVED	8
%define SLOT_SIZE		48
%define SLOT_APIC		0
%define SLOT_GO			4
%define SLOT_CR3		8
%define SLOT_RIP		16
%define SLOT_RSP		24
%define SLOT_ARG		32
%define NR_SLOTS		64

extern vmm_ap_slots

section .text
align 64
global vmm_ap_entry, vmm_ap_entry_end
vmm_ap_entry:
	cli
	cld
	mov r15d, esi
	shl r15, 12			; the boot block (identity-mapped)
	APIC_ID_TO_EAX
	mov r14d, eax

	; Our slot: the one naming us (started again after a failed start),
	; else the first free one. A slot holds APIC ID + 1; 0 is free.
	lea edx, [r14 + 1]
	lea rsi, [rel vmm_ap_slots]
	mov ecx, NR_SLOTS
.find_own:
	cmp [rsi + SLOT_APIC], edx
	je .claimed
	add rsi, SLOT_SIZE
	loop .find_own
	lea rsi, [rel vmm_ap_slots]
	mov ecx, NR_SLOTS
.claim:
	xor eax, eax
	lock cmpxchg [rsi + SLOT_APIC], edx
	je .claimed
	add rsi, SLOT_SIZE
	loop .claim
	jmp .lost

.claimed:
	; Tell the host we left its trampoline: our entry in the boot block.
	mov ecx, [r15 + BP_TAIL + TAIL_NR_CPUS]
	cmp ecx, NR_SLOTS
	ja .wait
	lea rdi, [r15 + BP_TAIL + TAIL_CPUS]
.find_box:
	jrcxz .wait
	cmp [rdi], r14d
	je .arrived
	add rdi, BOOT_CPU_SIZE
	dec ecx
	jmp .find_box
.arrived:
	mov qword [rdi + BOOT_CPU_ARRIVED], 1

.wait:
	pause
	cmp dword [rsi + SLOT_GO], 0
	je .wait
	mov rax, [rsi + SLOT_CR3]
	mov rsp, [rsi + SLOT_RSP]
	mov rdi, [rsi + SLOT_ARG]
	mov rdx, [rsi + SLOT_RIP]
	mov dword [rsi + SLOT_GO], 0	; a later start waits again
	mov cr3, rax
	xor ebp, ebp
	jmp rdx

.lost:					; no slot left: never touch anything
	hlt
	jmp .lost
vmm_ap_entry_end:
