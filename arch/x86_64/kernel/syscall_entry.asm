; SPDX-License-Identifier: GPL-2.0
;
; The SYSCALL entry. The CPU left the user RIP in RCX and RFLAGS in R11 and
; did not switch stacks: we swap GS, move to the running task's kernel
; stack and build the same struct trap_frame interrupts build, so the
; syscall layer, clone and exit all see one frame layout.

bits 64
%include "frame.inc"
%define PERCPU_TASK_STACK_TOP	24	; arch/asm_offsets.h, checked in cpu.c
%define PERCPU_USER_RSP		32
%define USER_CS			0x23
%define USER_DS			0x1b
%define SYSCALL_VECTOR		0x100	; not a real vector: marks a syscall frame

section .text
extern syscall_dispatch
extern trap_return

global syscall_entry
syscall_entry:
	swapgs
	mov [gs:PERCPU_USER_RSP], rsp
	mov rsp, [gs:PERCPU_TASK_STACK_TOP]
	push USER_DS
	push qword [gs:PERCPU_USER_RSP]
	push r11
	push USER_CS
	push rcx
	push rax			; error code slot: the call's number (arch/trap.h)
	push SYSCALL_VECTOR
	PUSH_GPRS
	; DF is already clear (SFMASK), and a user rbp ends any backtrace.
	mov rdi, rsp
	call syscall_dispatch
	; A non-zero return asks for the full IRET path (changed RIP/RSP, exec).
	test eax, eax
	jnz trap_return
	cli
	POP_GPRS
	add rsp, 16			; vector, error code
	mov rcx, [rsp]			; user RIP
	mov r11, [rsp + 16]		; user RFLAGS
	mov rsp, [rsp + 24]		; user RSP
	swapgs
	o64 sysret
