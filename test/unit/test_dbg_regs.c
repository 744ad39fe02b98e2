// SPDX-License-Identifier: GPL-2.0
/*
 * gdb's 'g' layout of a thread's user frame (arch/x86_64/kernel/dbg_regs.c):
 * every register where gdb's amd64 description puts it, and what a debugger
 * may not change (selectors, IOPL, IF, a system call's restart).
 */
#include <stddef.h>
#include <string.h>
#include <arch/dbg_regs.h>
#include <arch/trap.h>
#include "unit.h"

static struct trap_frame frame(void)
{
	struct trap_frame f = {
		.rax = 1, .rbx = 2, .rcx = 3, .rdx = 4, .rsi = 5, .rdi = 6, .rbp = 7,
		.r8 = 8, .r9 = 9, .r10 = 10, .r11 = 11, .r12 = 12, .r13 = 13, .r14 = 14,
		.r15 = 15, .rip = 0x401000, .cs = 0x23, .rflags = 0x202, .rsp = 0x7ff000,
		.ss = 0x1b, .vector = VEC_SYSCALL, .error_code = 60,
	};
	return f;
}

TEST(dbg_regs_layout)
{
	/* Byte offsets of gdb's amd64 'g' packet. */
	CHECK_EQ(offsetof(struct dbg_regs, rax), 0);
	CHECK_EQ(offsetof(struct dbg_regs, rsp), 7 * 8);
	CHECK_EQ(offsetof(struct dbg_regs, r8), 8 * 8);
	CHECK_EQ(offsetof(struct dbg_regs, rip), 16 * 8);
	CHECK_EQ(offsetof(struct dbg_regs, eflags), 17 * 8);
	CHECK_EQ(offsetof(struct dbg_regs, gs), 17 * 8 + 6 * 4);
	/* What `maint print remote-registers` of gdb 13 says for amd64 GNU/Linux. */
	CHECK_EQ(offsetof(struct dbg_regs, orig_rax), 536);
	CHECK_EQ(offsetof(struct dbg_regs, fs_base), 544);
	CHECK_EQ(offsetof(struct dbg_regs, gs_base), 552);
	CHECK_EQ(DBG_REGS_SIZE, 560);
	CHECK_EQ(DBG_REGS_SET_SIZE, 164);
	CHECK_EQ(DBG_REGS_GAP_END, 536);
}

TEST(dbg_regs_get)
{
	struct trap_frame f = frame();
	struct dbg_regs r;

	arch_dbg_regs_get(&f, 0x4c0000, 0, &r);
	CHECK_EQ(r.rax, 1);
	CHECK_EQ(r.rbx, 2);
	CHECK_EQ(r.rcx, 3);
	CHECK_EQ(r.rdx, 4);
	CHECK_EQ(r.rsi, 5);
	CHECK_EQ(r.rdi, 6);
	CHECK_EQ(r.rbp, 7);
	CHECK_EQ(r.rsp, 0x7ff000);
	CHECK_EQ(r.r8, 8);
	CHECK_EQ(r.r15, 15);
	CHECK_EQ(r.rip, 0x401000);
	CHECK_EQ(r.eflags, 0x202);
	CHECK_EQ(r.cs, 0x23);
	CHECK_EQ(r.ss, 0x1b);
	CHECK_EQ(r.ds | r.es | r.fs | r.gs, 0);
	CHECK_EQ(r.orig_rax, 60);	/* in a system call: its number */
	CHECK_EQ(r.fs_base, 0x4c0000);
	f.vector = 3;
	arch_dbg_regs_get(&f, 0x4c0000, 0, &r);
	CHECK_EQ(r.orig_rax, ~0ULL);
}

TEST(dbg_regs_set_roundtrip)
{
	struct trap_frame f = frame(), g;
	struct dbg_regs r;

	arch_dbg_regs_get(&f, 0, 0, &r);
	r.rax = 0xdead;
	r.rip = 0x401234;
	r.r12 = 0xbeef;
	arch_dbg_regs_set(&f, &r);
	CHECK_EQ(f.rax, 0xdead);
	CHECK_EQ(f.rip, 0x401234);
	CHECK_EQ(f.r12, 0xbeef);
	/* The call it was in is not restarted once a debugger set its registers. */
	CHECK_EQ(f.error_code, ~0ULL);
	g = frame();
	g.vector = 3;
	g.error_code = 0;
	arch_dbg_regs_set(&g, &r);
	CHECK_EQ(g.error_code, 0);
}

TEST(dbg_regs_set_refuses_privilege)
{
	struct trap_frame f = frame();
	struct dbg_regs r;

	arch_dbg_regs_get(&f, 0, 0, &r);
	r.cs = 0x08;		/* the kernel's code segment */
	r.ss = 0x10;
	r.eflags = 0x3000 | 0x4000 | 0x1 | 0x400;	/* IOPL 3, NT, CF, DF; IF cleared */
	arch_dbg_regs_set(&f, &r);
	CHECK_EQ(f.cs, 0x23);
	CHECK_EQ(f.ss, 0x1b);
	CHECK_EQ(f.rflags & 0x7000, 0);		/* no IOPL, no NT */
	CHECK(f.rflags & 0x200);		/* interrupts stay on */
	CHECK(f.rflags & 0x1);
	CHECK(f.rflags & 0x400);
}

TEST(dbg_regs_single_step)
{
	struct trap_frame f = frame();

	arch_dbg_single_step(&f, true);
	CHECK(f.rflags & DBG_RFLAGS_TF);
	arch_dbg_single_step(&f, false);
	CHECK(!(f.rflags & DBG_RFLAGS_TF));
	CHECK_EQ(f.rflags, 0x202);
	arch_dbg_breakpoint_rewind(&f);
	CHECK_EQ(f.rip, 0x400fff);
}
