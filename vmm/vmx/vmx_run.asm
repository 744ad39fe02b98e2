; SPDX-License-Identifier: GPL-2.0
;
; The VMX world switch. vmx_launch() is called by a CPU on its kernel stack
; with its VMCS current; the guest starts at .guest on the caller's stack,
; i.e. it "returns" from vmx_launch(). VM exits land in vmx_exit_entry on
; the layer's stack, whose top slot holds the CPU's context.
;
; struct vmx_cpu (vmm/vmx/vmx.c): gprs[16] at 0 (rax rcx rdx rbx rsp rbp rsi
; rdi r8..r15), host_rsp at 128, launched at 136.

bits 64
%include "guest_regs.inc"
%define CTX_HOST_RSP	128
%define VMCS_HOST_RSP	0x6c14
%define VMCS_HOST_RIP	0x6c16
%define VMCS_GUEST_RSP	0x681c
%define VMCS_GUEST_RIP	0x681e

section .text
extern vmx_handle_exit
extern vmx_entry_failed

global vmx_launch
vmx_launch:
	STORE_CALLEE_SAVED
	mov rax, VMCS_GUEST_RSP
	vmwrite rax, rsp
	lea rcx, [rel .guest]
	mov rax, VMCS_GUEST_RIP
	vmwrite rax, rcx
	; The layer's stack: its top slot holds the context for every exit.
	mov rsp, [rdi + CTX_HOST_RSP]
	push rdi
	mov rax, VMCS_HOST_RSP
	vmwrite rax, rsp
	lea rcx, [rel vmx_exit_entry]
	mov rax, VMCS_HOST_RIP
	vmwrite rax, rcx
	; The callee-saved registers still hold what the guest resumes with.
	vmlaunch
	; Only reached if the entry failed.
	mov rdi, [rsp]
	call vmx_entry_failed

.guest:
	ret

vmx_exit_entry:
	xchg rdi, [rsp]			; rdi = context, [rsp] = guest rdi
	mov [rdi + G(0)], rax
	STORE_GUEST_GPRS
	mov rax, [rsp]
	mov [rdi + G(7)], rax
	mov [rsp], rdi
	sub rsp, 8
	call vmx_handle_exit
	add rsp, 8
	mov rdi, [rsp]
	mov rax, [rdi + G(0)]
	LOAD_GUEST_GPRS
	mov rdi, [rdi + G(7)]
	vmresume
	mov rdi, [rsp]
	call vmx_entry_failed

; The layer's own IDT handlers for VMX root mode (interrupts are off there,
; so only NMIs and the layer's own bugs can arrive). An NMI while the enclave
; is being stopped halts this core; any other NMI is dropped: the kernel
; sends NMIs only to stop cores after a panic, and then powers off anyway.
extern vmm_stopping
global vmx_host_nmi
global vmx_host_fault
vmx_host_nmi:
	cmp dword [rel vmm_stopping], 0
	jne vmx_host_fault
	iretq
vmx_host_fault:
	cli
	hlt
	jmp vmx_host_fault
