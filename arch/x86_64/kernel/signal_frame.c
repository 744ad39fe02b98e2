// SPDX-License-Identifier: GPL-2.0
/*
 * The x86-64 signal frame, laid out exactly as Linux's struct rt_sigframe,
 * so glibc's and musl's restorers, code reading a ucontext_t and debuggers
 * all understand it:
 *
 *   higher  | caller's stack, then its 128-byte red zone (left alone)
 *           | FPU image (FXSAVE or XSAVE format, 64-byte aligned) + magic
 *           | siginfo (128 bytes)
 *           | ucontext: flags, link, stack_t, sigcontext, sigset
 *   rsp ->  | return address: the SA_RESTORER trampoline (rt_sigreturn)
 *
 * At the handler's first instruction rsp + 8 is 16-byte aligned, as after
 * a call. The building and parsing here are pure (frame images in kernel
 * memory), so the self-test checks them without a process.
 */
#include <cove/errno.h>
#include <cove/signal.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/uaccess.h>
#include <arch/fpu.h>
#include <arch/memlayout.h>
#include <arch/percpu_arch.h>
#include <arch/signal_frame.h>
#include <arch/trap.h>

#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4
#define FP_XSTATE_MAGIC1 0x46505853U
#define FP_XSTATE_MAGIC2 0x46505845U
#define FP_SW_BYTES_OFF 464		/* struct _fpx_sw_bytes in the FXSAVE area */
#define RED_ZONE 128

#define RFLAGS_CF 0x1UL
#define RFLAGS_PF 0x4UL
#define RFLAGS_AF 0x10UL
#define RFLAGS_ZF 0x40UL
#define RFLAGS_SF 0x80UL
#define RFLAGS_TF 0x100UL
#define RFLAGS_DF 0x400UL
#define RFLAGS_OF 0x800UL
#define RFLAGS_RF 0x10000UL
#define RFLAGS_AC 0x40000UL
/* What a program's sigreturn may change: the flags it can set itself. */
#define RFLAGS_USER (RFLAGS_AC | RFLAGS_OF | RFLAGS_DF | RFLAGS_TF | RFLAGS_SF | RFLAGS_ZF | \
		     RFLAGS_AF | RFLAGS_PF | RFLAGS_CF | RFLAGS_RF)

/* Linux's struct _fpx_sw_bytes: says an XSAVE image follows the FXSAVE part. */
struct fpx_sw_bytes {
	uint32_t magic1;
	uint32_t extended_size;		/* the image plus the trailing magic2 */
	uint64_t xfeatures;
	uint32_t xstate_size;
	uint32_t padding[7];
};

_Static_assert(sizeof(struct x86_sigcontext) == 256, "sigcontext is Linux's size");
_Static_assert(offsetof(struct x86_sigcontext, rip) == 128, "sigcontext rip");
_Static_assert(offsetof(struct x86_sigcontext, fpstate) == 184, "sigcontext fpstate");
_Static_assert(offsetof(struct x86_ucontext, uc_mcontext) == 40, "ucontext mcontext");
_Static_assert(offsetof(struct x86_ucontext, uc_sigmask) == 296, "ucontext sigmask");
_Static_assert(offsetof(struct x86_rt_sigframe, uc) == 8, "frame ucontext");
_Static_assert(offsetof(struct x86_rt_sigframe, info) == 312, "frame siginfo");
_Static_assert(sizeof(struct x86_rt_sigframe) == 440, "frame size");
_Static_assert(sizeof(struct fpx_sw_bytes) == 48, "sw bytes");

size_t sigframe_fpu_size(void)
{
	/* XSAVE images end with FP_XSTATE_MAGIC2, as Linux writes them. */
	return fpu_state_size() + (fpu_has_xsave() ? sizeof(uint32_t) : 0);
}

int sigframe_place(uint64_t sp, uint64_t sa_flags, const struct signal_stack *ss,
		   size_t fpu_size, struct sigframe_place *out)
{
	uint32_t ssflags = signal_altstack_flags(ss, sp);
	bool alt = false;
	uint64_t top;

	if ((sa_flags & SA_ONSTACK) && ssflags == 0) {
		top = ss->sp + ss->size;	/* switch to the alternate stack */
		alt = true;
	} else {
		if (sp < RED_ZONE)
			return -EFAULT;
		top = sp - RED_ZONE;		/* keep the interrupted code's red zone */
		alt = ssflags & SS_ONSTACK;
	}
	if (top < fpu_size + sizeof(struct x86_rt_sigframe) + 128)
		return -EFAULT;
	out->fpstate = ALIGN_DOWN(top - fpu_size, 64);
	out->frame = ALIGN_DOWN(out->fpstate - sizeof(struct x86_rt_sigframe), 16) - 8;
	out->on_altstack = alt;
	/* A frame that would spill off the alternate stack is a stack overflow. */
	if (alt && ss->size && out->frame < ss->sp)
		return -EFAULT;
	return 0;
}

void sigframe_fill(struct x86_rt_sigframe *fr, const struct trap_frame *f,
		   const struct signal_delivery *d, uint64_t fpstate, uint64_t fault_addr)
{
	struct x86_sigcontext *sc = &fr->uc.uc_mcontext;

	memset(fr, 0, sizeof(*fr));
	fr->pretcode = d->ka->restorer;
	fr->uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS |
			  (fpu_has_xsave() ? UC_FP_XSTATE : 0);
	fr->uc.uc_stack.sp = d->altstack->sp;
	fr->uc.uc_stack.flags = (int32_t)d->altstack->flags;
	fr->uc.uc_stack.size = d->altstack->size;
	sc->r8 = f->r8;
	sc->r9 = f->r9;
	sc->r10 = f->r10;
	sc->r11 = f->r11;
	sc->r12 = f->r12;
	sc->r13 = f->r13;
	sc->r14 = f->r14;
	sc->r15 = f->r15;
	sc->rdi = f->rdi;
	sc->rsi = f->rsi;
	sc->rbp = f->rbp;
	sc->rbx = f->rbx;
	sc->rdx = f->rdx;
	sc->rax = f->rax;
	sc->rcx = f->rcx;
	sc->rsp = f->rsp;
	sc->rip = f->rip;
	sc->eflags = f->rflags;
	sc->cs = (uint16_t)f->cs;
	sc->ss = (uint16_t)f->ss;
	if (f->vector < 32) {		/* an exception: what Linux reports of it */
		sc->err = f->error_code;
		sc->trapno = f->vector;
		sc->cr2 = fault_addr;
	}
	sc->oldmask = d->oldmask;
	sc->fpstate = fpstate;
	fr->uc.uc_sigmask = d->oldmask;
	siginfo_to_user(fr->info, d->info);
}

void sigframe_enter_handler(struct trap_frame *f, const struct signal_delivery *d, uint64_t frame)
{
	f->rdi = (uint64_t)d->info->signo;
	f->rsi = frame + offsetof(struct x86_rt_sigframe, info);
	f->rdx = frame + offsetof(struct x86_rt_sigframe, uc);
	f->rax = 0;		/* for handlers declared without a prototype (varargs) */
	f->rip = d->ka->handler;
	f->rsp = frame;
	f->cs = GDT_USER_CS;
	f->ss = GDT_USER_DS;
	f->rflags &= ~(RFLAGS_DF | RFLAGS_TF | RFLAGS_RF | RFLAGS_AC);
}

int sigframe_restore_regs(struct trap_frame *f, const struct x86_sigcontext *sc)
{
	/* IRET to a non-canonical address faults in the kernel: refuse it here. */
	if (sc->rip >= USER_ADDR_END || sc->rsp >= USER_ADDR_END)
		return -EFAULT;
	f->r8 = sc->r8;
	f->r9 = sc->r9;
	f->r10 = sc->r10;
	f->r11 = sc->r11;
	f->r12 = sc->r12;
	f->r13 = sc->r13;
	f->r14 = sc->r14;
	f->r15 = sc->r15;
	f->rdi = sc->rdi;
	f->rsi = sc->rsi;
	f->rbp = sc->rbp;
	f->rbx = sc->rbx;
	f->rdx = sc->rdx;
	f->rax = sc->rax;
	f->rcx = sc->rcx;
	f->rsp = sc->rsp;
	f->rip = sc->rip;
	f->rflags = (f->rflags & ~RFLAGS_USER) | (sc->eflags & RFLAGS_USER);
	f->cs = GDT_USER_CS;
	f->ss = GDT_USER_DS;
	f->error_code = (uint64_t)-1;	/* not a system call to restart */
	return 0;
}

/* The thread's FPU registers, saved into its own area, then to the user's. */
static int sigframe_save_fpu(struct task *t, uint64_t fpstate)
{
	size_t size = fpu_state_size();
	uint32_t magic2 = FP_XSTATE_MAGIC2;

	fpu_save(t->fpu);
	if (fpu_has_xsave()) {
		struct fpx_sw_bytes sw = {
			.magic1 = FP_XSTATE_MAGIC1,
			.extended_size = (uint32_t)(size + sizeof(magic2)),
			.xfeatures = fpu_xfeatures(),
			.xstate_size = (uint32_t)size,
		};

		/* XSAVE never writes these bytes: they are software's to use. */
		memcpy((uint8_t *)t->fpu + FP_SW_BYTES_OFF, &sw, sizeof(sw));
		if (copy_to_user(fpstate + size, &magic2, sizeof(magic2)))
			return -EFAULT;
	}
	return copy_to_user(fpstate, t->fpu, size);
}

int arch_signal_setup_frame(struct trap_frame *f, const struct signal_delivery *d)
{
	struct task *t = task_current();
	struct x86_rt_sigframe fr;
	struct sigframe_place place;

	/* x86-64 handlers return through the C library's trampoline, always. */
	if (!(d->ka->flags & SA_RESTORER))
		return -EINVAL;
	if (sigframe_place(f->rsp, d->ka->flags, d->altstack, sigframe_fpu_size(), &place))
		return -EFAULT;
	if (sigframe_save_fpu(t, place.fpstate))
		return -EFAULT;
	sigframe_fill(&fr, f, d, place.fpstate, t->fault_addr);
	if (copy_to_user(place.frame, &fr, sizeof(fr)))
		return -EFAULT;
	sigframe_enter_handler(f, d, place.frame);
	/* The handler starts with a clean FPU, as on Linux. */
	fpu_state_init(t->fpu);
	fpu_restore(t->fpu);
	t->iret_exit = true;
	return 0;
}

/* Load the FPU image a sigreturn frame points at (0: reset the FPU). */
static int sigframe_restore_fpu(struct task *t, uint64_t fpstate)
{
	size_t size = fpu_state_size();
	struct fpx_sw_bytes sw;
	uint32_t magic2 = 0;
	bool full = false;

	if (!fpstate) {
		fpu_state_init(t->fpu);
		fpu_restore(t->fpu);
		return 0;
	}
	if (copy_from_user(t->fpu, fpstate, 512))
		return -EFAULT;
	memcpy(&sw, (uint8_t *)t->fpu + FP_SW_BYTES_OFF, sizeof(sw));
	/* The extended state only when its markers say it is there and whole. */
	if (fpu_has_xsave() && sw.magic1 == FP_XSTATE_MAGIC1 && sw.xstate_size == size &&
	    sw.extended_size == size + sizeof(magic2) &&
	    !copy_from_user(&magic2, fpstate + size, sizeof(magic2)) &&
	    magic2 == FP_XSTATE_MAGIC2) {
		if (copy_from_user((uint8_t *)t->fpu + 512, fpstate + 512, size - 512))
			return -EFAULT;
		full = true;
	}
	if (fpu_check_user(t->fpu, !full))
		return -EINVAL;
	fpu_restore(t->fpu);
	return 0;
}

int arch_signal_restore_frame(struct trap_frame *f, uint64_t *mask, struct signal_stack *ss)
{
	struct task *t = task_current();
	struct x86_ucontext uc;

	/* The handler's ret popped the return address: rsp is at the ucontext. */
	if (copy_from_user(&uc, f->rsp, sizeof(uc)))
		return -EFAULT;
	if (sigframe_restore_regs(f, &uc.uc_mcontext))
		return -EFAULT;
	if (sigframe_restore_fpu(t, uc.uc_mcontext.fpstate))
		return -EFAULT;
	*mask = uc.uc_sigmask;
	ss->sp = uc.uc_stack.sp;
	ss->size = uc.uc_stack.size;
	ss->flags = (uint32_t)uc.uc_stack.flags;
	t->iret_exit = true;
	return 0;
}

bool arch_signal_restart_pending(const struct trap_frame *f)
{
	return f->vector == VEC_SYSCALL && (int64_t)f->error_code >= 0 &&
	       errno_is_restart((int64_t)f->rax);
}

void arch_signal_syscall_restart(struct trap_frame *f, const struct k_sigaction *ka)
{
	if (f->vector != VEC_SYSCALL || (int64_t)f->error_code < 0)
		return;
	switch ((int64_t)f->rax) {
	case -ERESTARTNOHAND:
		if (ka) {
			f->rax = (uint64_t)-EINTR;
			break;
		}
		goto restart;
	case -ERESTARTSYS:
		if (ka && !(ka->flags & SA_RESTART)) {
			f->rax = (uint64_t)-EINTR;
			break;
		}
		goto restart;
	case -ERESTARTNOINTR:
restart:
		/* Back onto the syscall instruction (2 bytes) with the number it had. */
		f->rax = f->error_code;
		f->rip -= 2;
		task_current()->iret_exit = true;
		break;
	default:
		break;
	}
	f->error_code = (uint64_t)-1;
}

uint64_t arch_signal_user_sp(const struct trap_frame *f)
{
	return f->rsp;
}
