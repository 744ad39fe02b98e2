; SPDX-License-Identifier: GPL-2.0
;
; bool vmm_cpu_launch(uint32_t cpu): the kernel's way into the protection
; layer. The layer starts the guest on this very stack at .resumed, so to
; the kernel the call simply returns true, registers intact; it returns
; false (the layer kept out) with the registers restored the same way.
; This stub is kernel text on purpose: the guest resumes here, and the
; layer's own text is out of the guest's reach.

bits 64
section .text
extern vmm_layer_cpu_enter

global vmm_cpu_launch
vmm_cpu_launch:
	push rbp
	mov rbp, rsp
	push rbx
	push r12
	push r13
	push r14
	push r15
	sub rsp, 8			; 16-byte aligned for the call
	mov rsi, rsp			; the guest's stack...
	lea rdx, [rel .resumed]		; ...and where it resumes
	call vmm_layer_cpu_enter	; returns only if the layer kept out
	jmp .out
.resumed:
	mov eax, 1
.out:
	add rsp, 8
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
