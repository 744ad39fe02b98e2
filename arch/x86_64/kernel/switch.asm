; SPDX-License-Identifier: GPL-2.0
;
; void arch_switch_stack(uint64_t *save_rsp, uint64_t next_rsp)
; Save the callee-saved registers on this kernel stack, park its RSP in
; *save_rsp, and resume whatever was parked on next_rsp. A new task's stack
; is prepared (task_arch.c) to "return" into task_first_switch.

bits 64
section .text
global arch_switch_stack
arch_switch_stack:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

; Where a new task's first switch "returns": finish the switch in C, then
; leave for user mode through the frame at the top of the task's stack,
; as any return to user mode does (task_first_exit_to_user).
extern sched_task_first_run
extern task_first_exit_to_user
extern trap_return
global task_first_switch
task_first_switch:
	call sched_task_first_run
	mov rdi, rsp
	call task_first_exit_to_user
	jmp trap_return
