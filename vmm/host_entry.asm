; SPDX-License-Identifier: GPL-2.0
;
; The layer's own IDT handlers for the host side (host_tables.c). Interrupts
; are off there, so only NMIs and the layer's own bugs arrive. An NMI while
; the enclave is being stopped halts this core; any other NMI returns at
; once: it is one the SVM back end takes on purpose after an NMI exit
; (vmm/svm/svm.c, svm_take_nmi) and hands on to the kernel itself, a stop
; NMI that lost the race with the report, or the kernel's own stop after a
; panic, which powers off anyway.

bits 64
section .text
extern vmm_stopping
extern vmm_host_crashed

global vmm_host_nmi
global vmm_host_fault
vmm_host_nmi:
	cmp dword [rel vmm_stopping], 0
	jne .halt
	iretq
.halt:
	cli
	hlt
	jmp .halt

vmm_host_fault:
	mov rdi, [rsp]			; the error code, or the RIP if there is none
	and rsp, -16
	call vmm_host_crashed
