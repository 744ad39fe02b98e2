; SPDX-License-Identifier: GPL-2.0
;
; The VMX world switch. vmx_launch() is called by a CPU on its kernel stack
; with its VMCS current; the guest starts where the kernel asked
; (arch/x86_64/kernel/vmm_guest_entry.asm, kernel text: the layer's own text
; is hidden from the guest). VM exits land in vmx_exit_entry on the layer's
; stack, whose top slot holds the CPU's context.
;
; struct vmx_cpu (vmm/vmx/vmx.c): vcpu.gprs[16] at 0 (rax rcx rdx rbx rsp
; rbp rsi rdi r8..r15), host_rsp at 192, launched at 200.

bits 64
%include "guest_regs.inc"
%define CTX_HOST_RSP	192
%define VMCS_HOST_RSP	0x6c14
%define VMCS_HOST_RIP	0x6c16
%define VMCS_GUEST_RSP	0x681c
%define VMCS_GUEST_RIP	0x681e

section .text
extern vmx_handle_exit
extern vmx_entry_failed
extern vmx_host_start

global vmx_launch
vmx_launch:				; (ctx, guest rsp, guest rip); never returns
	mov rbx, rdi
	mov r12, rsi
	mov r13, rdx
	; The layer's stack: its top slot holds the context for every exit.
	mov rsp, [rdi + CTX_HOST_RSP]
	push rbx
	sub rsp, 8
	call vmx_host_start		; the layer's tables from here; reports a failed setup
	add rsp, 8
	mov rax, VMCS_GUEST_RSP
	vmwrite rax, r12
	mov rax, VMCS_GUEST_RIP
	vmwrite rax, r13
	mov rax, VMCS_HOST_RSP
	vmwrite rax, rsp
	lea rcx, [rel vmx_exit_entry]
	mov rax, VMCS_HOST_RIP
	vmwrite rax, rcx
	mov rdi, [rsp]
	mov rdi, [rdi + G(7)]		; a core the layer started takes its argument here
	vmlaunch
	; Only reached if the entry failed.
	mov rdi, [rsp]
	call vmx_entry_failed

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
