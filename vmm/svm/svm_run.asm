; SPDX-License-Identifier: GPL-2.0
;
; The SVM world switch. svm_launch() is called by a CPU on its kernel stack;
; it moves to the layer's stack and runs the kernel as guest from where the
; kernel asked (arch/x86_64/kernel/vmm_guest_entry.asm, kernel text: the
; layer's own text is hidden from the guest). The loop then runs on the host
; side for the life of the CPU: VMRUN, save the guest's registers, handle
; the exit, restore them, VMRUN again.
;
; struct svm_cpu (vmm/svm/svm.c): vcpu.gprs[16] at 0 (rax rcx rdx rbx rsp
; rbp rsi rdi r8..r15), vmcb_pa at 192, host_area_pa at 200, host_rsp at 208,
; run_pa at 232.

bits 64
%include "guest_regs.inc"
%define CTX_VMCB	192
%define CTX_HOST_AREA	200
%define CTX_HOST_RSP	208
%define CTX_RUN_PA	232

section .text
extern svm_prepare_launch
extern svm_handle_exit

global svm_launch, svm_run
svm_launch:				; (ctx, guest rsp, guest rip); never returns
	mov rbx, rdi
	mov r12, rsi
	mov rsp, [rdi + CTX_HOST_RSP]
	push rbx			; the context stays at [rsp] from here on
	sub rsp, 8
	mov rdi, rbx
	mov rsi, rdx			; guest rip
	mov rdx, r12			; guest rsp
	call svm_prepare_launch		; ends on the layer's own tables
	add rsp, 8
	jmp svm_loop

svm_run:				; (ctx): a core the layer started, its VMCB ready
	mov rsp, [rdi + CTX_HOST_RSP]
	push rdi
svm_loop:
	mov rdi, [rsp]
	mov rax, [rdi + CTX_VMCB]
	LOAD_GUEST_GPRS
	mov rdi, [rdi + G(7)]
	vmload
	vmrun
	vmsave
	; Host side: RAX (the VMCB address) and RSP are ours again; the rest
	; still hold the guest's values.
	xchg rdi, [rsp]
	mov [rdi + CTX_RUN_PA], rax	; what this VMRUN ran, for svm_handle_exit's check
	STORE_GUEST_GPRS
	mov rcx, [rsp]
	mov [rdi + G(7)], rcx
	mov [rsp], rdi
	mov rax, [rdi + CTX_HOST_AREA]
	vmload
	sub rsp, 8
	call svm_handle_exit
	add rsp, 8
	jmp svm_loop

