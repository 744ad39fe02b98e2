; SPDX-License-Identifier: GPL-2.0
;
; Interrupt and exception entry stubs. Each pushes a dummy error code when
; the CPU does not, then its vector, then the common path saves the general
; registers as struct trap_frame (arch/trap.h) and calls trap_dispatch.

bits 64
%include "frame.inc"
section .text
extern trap_dispatch

%macro ISR_NOERR 1
isr_%1:
	push 0
	push %1
	jmp isr_common
%endmacro

%macro ISR_ERR 1
isr_%1:
	push %1
	jmp isr_common
%endmacro

; Exceptions that push an error code: 8, 10-14, 17, 21, 29, 30.
%assign v 0
%rep 256
%if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
	ISR_ERR v
%else
	ISR_NOERR v
%endif
%assign v v + 1
%endrep

isr_common:
	; From user mode, GS still holds the user's base: take the kernel's.
	; CS sits above vector, error code and RIP.
	test byte [rsp + 24], 3
	jz .from_kernel
	swapgs
.from_kernel:
	PUSH_GPRS
	cld
	mov rdi, rsp
	; Make the interrupted code's frame the parent of trap_dispatch, so a
	; backtrace walks straight through the interrupt.
	mov rbp, [rsp + 15 * 8 + 2 * 8]		; saved rip
	push rbp
	mov rbp, [rsp + 8 + 8 * 8]		; saved rbp of the interrupted code
	push rbp
	mov rbp, rsp
	call trap_dispatch
	add rsp, 16

; Leave through a struct trap_frame at rsp: kernel or user, by its CS.
global trap_return
trap_return:
	cli
	POP_GPRS
	add rsp, 16				; vector, error code
	test byte [rsp + 8], 3			; CS above RIP
	jz .to_kernel
	swapgs
.to_kernel:
	iretq

section .rodata
global isr_table
align 8
isr_table:
%assign v 0
%rep 256
	dq isr_ %+ v
%assign v v + 1
%endrep
