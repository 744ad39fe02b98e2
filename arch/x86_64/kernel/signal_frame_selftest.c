// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the signal frame: where it goes (alignment, red zone,
 * alternate stack), what it holds (Linux's offsets), the registers' round
 * trip through a handler and back, and the restart of interrupted calls.
 */
#include <cove/errno.h>
#include <cove/selftest.h>
#include <cove/signal.h>
#include <cove/string.h>
#include <cove/task.h>
#include <arch/signal_frame.h>
#include <arch/trap.h>

#define TEST_SP 0x00007fffff001234ULL
#define TEST_HANDLER 0x401000ULL
#define TEST_RESTORER 0x402000ULL

SELFTEST(signal_frame_place)
{
	struct signal_stack none = { 0, 0, SS_DISABLE };
	struct signal_stack alt = { 0x7f0000100000ULL, 16384, 0 };
	/* Smaller than any frame: the bare rt_sigframe, with no FPU state at all. */
	struct signal_stack tiny = { 0x7f0000100000ULL, sizeof(struct x86_rt_sigframe) / 2, 0 };
	size_t fsz = sigframe_fpu_size();
	struct sigframe_place pl;

	SELFTEST_CHECK(sigframe_place(TEST_SP, 0, &none, fsz, &pl) == 0);
	SELFTEST_CHECK((pl.frame + 8) % 16 == 0);	/* as right after a call */
	SELFTEST_CHECK(pl.fpstate % 64 == 0);
	SELFTEST_CHECK(pl.frame + sizeof(struct x86_rt_sigframe) <= pl.fpstate);
	SELFTEST_CHECK(pl.fpstate + fsz <= TEST_SP - 128);	/* the red zone is left alone */
	SELFTEST_CHECK(TEST_SP - 128 - (pl.fpstate + fsz) < 64);
	SELFTEST_CHECK(!pl.on_altstack);
	/* SA_ONSTACK with no alternate stack: the normal stack. */
	SELFTEST_CHECK(sigframe_place(TEST_SP, SA_ONSTACK, &none, fsz, &pl) == 0);
	SELFTEST_CHECK(pl.frame < TEST_SP && !pl.on_altstack);
	/* SA_ONSTACK: the top of the alternate stack. */
	SELFTEST_CHECK(sigframe_place(TEST_SP, SA_ONSTACK, &alt, fsz, &pl) == 0);
	SELFTEST_CHECK(pl.on_altstack);
	SELFTEST_CHECK(pl.frame >= alt.sp && pl.fpstate + fsz <= alt.sp + alt.size);
	SELFTEST_CHECK((pl.frame + 8) % 16 == 0);
	/* Already on it (a nested signal): go on below, without SA_ONSTACK too. */
	SELFTEST_CHECK(sigframe_place(alt.sp + 8192, 0, &alt, fsz, &pl) == 0);
	SELFTEST_CHECK(pl.on_altstack && pl.frame < alt.sp + 8192 - 128 && pl.frame >= alt.sp);
	/* No room left on the alternate stack: refused, not written below it. */
	SELFTEST_CHECK(sigframe_place(alt.sp + 600, 0, &alt, fsz, &pl) == -EFAULT);
	SELFTEST_CHECK(sigframe_place(TEST_SP, SA_ONSTACK, &tiny, fsz, &pl) == -EFAULT);
	/* A stack pointer near 0 cannot wrap around. */
	SELFTEST_CHECK(sigframe_place(100, 0, &none, fsz, &pl) == -EFAULT);
	return 0;
}

static void signal_frame_test_regs(struct trap_frame *f)
{
	uint64_t *r = (uint64_t *)f;

	memset(f, 0, sizeof(*f));
	for (int i = 0; i < 15; i++)		/* r15 .. rax */
		r[i] = 0x1111111111111111ULL * (uint64_t)(i + 1);
	f->vector = VEC_SYSCALL;
	f->error_code = 39;
	f->rip = 0x400123;
	f->cs = 0x23;
	f->rflags = 0x246 | 0x400;		/* IF ZF PF, and DF set */
	f->rsp = TEST_SP;
	f->ss = 0x1b;
}

SELFTEST(signal_frame_roundtrip)
{
	static struct x86_rt_sigframe fr;
	struct k_sigaction ka = { TEST_HANDLER, SA_SIGINFO | SA_RESTORER, TEST_RESTORER, 0 };
	struct ksiginfo info = { .signo = 10, .code = SI_TKILL, .a = 77 };
	struct signal_stack ss = { 0x7f0000100000ULL, 16384, 0 };
	struct signal_delivery d = { &info, &ka, 0x1234, &ss };
	struct trap_frame f, g;
	uint64_t frame = 0x7fffff000008ULL, fp = 0x7fffff000400ULL;
	int32_t v;

	signal_frame_test_regs(&f);
	sigframe_fill(&fr, &f, &d, fp, 0);
	SELFTEST_CHECK(fr.pretcode == TEST_RESTORER);
	SELFTEST_CHECK(fr.uc.uc_mcontext.rip == f.rip && fr.uc.uc_mcontext.rsp == f.rsp);
	SELFTEST_CHECK(fr.uc.uc_mcontext.rax == f.rax && fr.uc.uc_mcontext.r15 == f.r15);
	SELFTEST_CHECK(fr.uc.uc_mcontext.fpstate == fp);
	SELFTEST_CHECK(fr.uc.uc_mcontext.err == 0 && fr.uc.uc_mcontext.trapno == 0);
	SELFTEST_CHECK(fr.uc.uc_sigmask == 0x1234 && fr.uc.uc_mcontext.oldmask == 0x1234);
	SELFTEST_CHECK(fr.uc.uc_stack.sp == ss.sp && fr.uc.uc_stack.size == ss.size);
	memcpy(&v, fr.info, 4);
	SELFTEST_CHECK(v == 10);
	memcpy(&v, fr.info + 16, 4);
	SELFTEST_CHECK(v == 77);
	/* What glibc reads as gregs[REG_RIP] (16) and gregs[REG_RSP] (15). */
	SELFTEST_CHECK(((uint64_t *)&fr.uc.uc_mcontext)[16] == f.rip);
	SELFTEST_CHECK(((uint64_t *)&fr.uc.uc_mcontext)[15] == f.rsp);

	g = f;
	sigframe_enter_handler(&g, &d, frame);
	SELFTEST_CHECK(g.rip == TEST_HANDLER && g.rsp == frame);
	SELFTEST_CHECK(g.rdi == 10 && g.rsi == frame + 312 && g.rdx == frame + 8 && g.rax == 0);
	SELFTEST_CHECK(!(g.rflags & 0x400) && (g.rflags & 0x200));	/* DF off, IF on */

	/* Back from the handler: every register as it was, nothing to restart. */
	SELFTEST_CHECK(sigframe_restore_regs(&g, &fr.uc.uc_mcontext) == 0);
	SELFTEST_CHECK(memcmp(&g, &f, 15 * sizeof(uint64_t)) == 0);
	SELFTEST_CHECK(g.rip == f.rip && g.rsp == f.rsp && g.rflags == f.rflags);
	SELFTEST_CHECK(g.cs == 0x23 && g.ss == 0x1b && (int64_t)g.error_code == -1);
	/* A program may not give itself IOPL or clear IF through sigreturn. */
	fr.uc.uc_mcontext.eflags = 0x3000;
	SELFTEST_CHECK(sigframe_restore_regs(&g, &fr.uc.uc_mcontext) == 0);
	SELFTEST_CHECK(!(g.rflags & 0x3000) && (g.rflags & 0x200));
	/* Nor return to a non-canonical address (IRET would fault in the kernel). */
	fr.uc.uc_mcontext.rip = 0x0000800000000000ULL;
	SELFTEST_CHECK(sigframe_restore_regs(&g, &fr.uc.uc_mcontext) == -EFAULT);
	return 0;
}

SELFTEST(signal_syscall_restart)
{
	struct k_sigaction restart = { TEST_HANDLER, SA_RESTORER | SA_RESTART, TEST_RESTORER, 0 };
	struct k_sigaction plain = { TEST_HANDLER, SA_RESTORER, TEST_RESTORER, 0 };
	struct trap_frame f;

	signal_frame_test_regs(&f);
	f.rax = (uint64_t)-ERESTARTSYS;
	SELFTEST_CHECK(arch_signal_restart_pending(&f));
	arch_signal_syscall_restart(&f, &restart);
	SELFTEST_CHECK(f.rax == 39 && f.rip == 0x400121 && !arch_signal_restart_pending(&f));

	signal_frame_test_regs(&f);
	f.rax = (uint64_t)-ERESTARTSYS;
	arch_signal_syscall_restart(&f, &plain);
	SELFTEST_CHECK((int64_t)f.rax == -EINTR && f.rip == 0x400123);

	signal_frame_test_regs(&f);
	f.rax = (uint64_t)-ERESTARTNOHAND;
	arch_signal_syscall_restart(&f, NULL);		/* no handler ran: call again */
	SELFTEST_CHECK(f.rax == 39 && f.rip == 0x400121);

	signal_frame_test_regs(&f);
	f.rax = (uint64_t)-ERESTARTNOHAND;
	arch_signal_syscall_restart(&f, &restart);	/* a handler ran: EINTR even so */
	SELFTEST_CHECK((int64_t)f.rax == -EINTR);

	/* Done once: a second look changes nothing. */
	arch_signal_syscall_restart(&f, NULL);
	SELFTEST_CHECK((int64_t)f.rax == -EINTR && f.rip == 0x400123);

	/* Not a system call (an interrupt): never touched. */
	signal_frame_test_regs(&f);
	f.vector = 0x40;
	f.rax = (uint64_t)-ERESTARTSYS;
	SELFTEST_CHECK(!arch_signal_restart_pending(&f));
	arch_signal_syscall_restart(&f, NULL);
	SELFTEST_CHECK((int64_t)f.rax == -ERESTARTSYS && f.rip == 0x400123);
	task_current()->iret_exit = false;	/* the boot task runs no user code */
	return 0;
}
