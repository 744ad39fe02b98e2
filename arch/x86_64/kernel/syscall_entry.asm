; SPDX-License-Identifier: GPL-2.0
;
; The SYSCALL entry. The CPU left the user RIP in RCX and RFLAGS in R11 and
; did not switch stacks: we swap GS, move to the running task's kernel
; stack and build the same struct trap_frame interrupts build, so the
; syscall layer, clone and exit all see one frame layout.
;
; The common case, a NATIVE call with nothing to do on the way out, stays
; here: account the entry (cove/acct.h, the same arithmetic as
; acct_enter_kernel), call the handler from syscall_fast_fn, test the
; reasons to stop on the way out (need_resched, the task's exit_work word,
; which holds its process's kill too, a restart code), account the exit
; and SYSRET.
; Everything else goes through the C dispatch (kernel/syscalls/dispatch.c),
; which does the same in full; keep the two in step.

bits 64
%include "frame.inc"
; The offsets and numbers of arch/asm_offsets.h (checked against offsetof in
; cpu.c and task_arch.c), as NASM defines: generated from it by the Makefile.
%include "asm_offsets.inc"
%define ERESTARTNOHAND		SYSCALL_ENTRY_ERESTARTNOHAND	; -514 .. -512 (cove/errno.h)
%define USER_CS			0x23
%define USER_DS			0x1b
%define SYSCALL_VECTOR		0x100	; not a real vector: marks a syscall frame

; Task rbx crosses between user and kernel (cove/acct.h): the stretch since
; its mark goes to time field %1 (the mark plus the stretch is now). Its
; sequence count is odd meanwhile, and two increments flip bit 1, the side
; it is on (a crossing is always paired). The counter is read after the
; odd count is stored, as cove/acct.h says why. Clobbers rax, rdx.
%macro ACCT_CROSS 1
	inc qword [rbx + TASK_ACCT_SEQ]
	rdtsc
	shl rdx, 32
	or rax, rdx
	sub rax, [rbx + TASK_ACCT_MARK]
	add [rbx + TASK_ACCT_MARK], rax
	add [rbx + %1], rax
	inc qword [rbx + TASK_ACCT_SEQ]
%endmacro

; The user stretch ends (as acct_enter_kernel does); from here rbx is the
; task: the handlers keep it (callee-saved). Clobbers rax, rdx.
%macro ACCT_ENTER 0
	mov rbx, [gs:PERCPU_CURRENT]
	ACCT_CROSS TASK_ACCT_UTIME
	inc qword [rbx + TASK_KENTRIES]
%endmacro

section .rodata
user_rip_end:	dq 0x0000800000000000	; the first non-canonical address above 0

section .text
extern syscall_dispatch
extern syscall_exit
extern syscall_fast_fn
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
	; rax still holds the number: find a NATIVE handler, or go the full way
	; (every call does while strace is on: the table is empty then).
	cmp rax, SYSCALL_ENTRY_MAX
	jae .full
	mov r11, [rel syscall_fast_fn]
	mov r11, [r11 + rax * 8]
	test r11, r11
	jz .full
	ACCT_ENTER
	sti
	; rdi, rsi, r8, r9 still hold the arguments; rdx went to rdtsc.
	mov rdx, [rsp + FRAME_RDX]
	mov rcx, r10
	call r11
	mov [rsp + FRAME_RAX], rax
	cli
	cmp dword [gs:PERCPU_NEED_RESCHED], 0
	jne .exit_full
	cmp qword [rbx + TASK_EXIT_WORK], 0
	jne .exit_full
	lea rcx, [rax + ERESTARTNOHAND]
	cmp rcx, 2
	jbe .exit_full
	ACCT_CROSS TASK_ACCT_STIME	; as acct_exit_kernel does
	; SYSRET faults in the kernel on a non-canonical RIP: IRET returns
	; there instead. (A bad user RSP only faults in user mode.)
	mov rcx, [rsp + FRAME_RIP]
	cmp rcx, [rel user_rip_end]
	jae trap_return
	; Nothing rewrote the frame (that sets iret_exit, in exit_work), and
	; C kept rbp and r12-r15: only the registers it may clobber come back.
	mov rax, [rsp + FRAME_RAX]
	mov rbx, [rsp + FRAME_RBX]
	mov rdi, [rsp + FRAME_RDI]
	mov rsi, [rsp + FRAME_RSI]
	mov rdx, [rsp + FRAME_RDX]
	mov r8, [rsp + FRAME_R8]
	mov r9, [rsp + FRAME_R9]
	mov r10, [rsp + FRAME_R10]
	mov r11, [rsp + FRAME_RFLAGS]
	mov rsp, [rsp + FRAME_RSP]
	swapgs
	o64 sysret

.full:
	ACCT_ENTER
	sti
	mov rdi, rsp
	call syscall_dispatch
	jmp .leave
.exit_full:
	mov rdi, rsp
	call syscall_exit
.leave:
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
