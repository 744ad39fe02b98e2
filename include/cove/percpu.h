/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU data. Each CPU finds its own block through arch_this_cpu(); other
 * CPUs reach it through percpu_of(). Fields are written only by the owning
 * CPU unless their comment says otherwise.
 */
#ifndef COVE_PERCPU_H
#define COVE_PERCPU_H

#include <cove/arch.h>
#include <cove/spinlock.h>
#include <cove/types.h>
#include <arch/percpu_arch.h>
#include <generated/config.h>

#define MAX_CPUS CONFIG_NR_CPUS

typedef void (*xcall_fn)(void *arg);

struct xcall_slot {
	spinlock_t lock;		/* held by the sender for the whole call */
	xcall_fn fn;			/* written by the sender */
	void *arg;
	volatile uint32_t done;		/* written by the target */
	uint64_t nr_handled;
};

struct task;
struct runqueue;

/*
 * The first fields are read by assembly at fixed offsets (arch/.../asm
 * offsets are checked against offsetof at build time): keep their order.
 */
struct percpu {
	struct percpu *self;		/* must stay first: arch_this_cpu() reads it */
	uint32_t cpu;			/* logical index, 0 = boot CPU */
	uint32_t apic_id;
	uint64_t kstack_top;		/* this CPU's own (boot/idle) stack */
	uint64_t task_stack_top;	/* kernel stack of the running task: syscall entry */
	uint64_t user_rsp;		/* scratch for the syscall entry */
	struct task *current;		/* running task, or NULL when idle */
	volatile uint32_t need_resched;	/* set by anyone, cleared by the CPU */
	volatile uint32_t idle_polling;	/* idle and watching need_resched: no IPI needed */
	struct runqueue *rq;
	struct task *switched_from;	/* set across a switch, for its finish */
	struct task *migrating;		/* to hand to its new CPU after the switch */
	volatile bool online;		/* set by the CPU itself, read by all */
	volatile uint64_t timer_irqs;	/* timer events taken */
	uint64_t irqs;
	uint64_t user_irqs;		/* interrupts that stopped user code: noise */
	struct xcall_slot xcall;
	/* Co-kernel: the host started it (the layer releases it); else INIT/SIPI. */
	bool host_started;
	bool guarded;			/* runs as the protection layer's guest; set by itself */
	struct arch_percpu arch;
};

/* Indexed by logical CPU; filled by smp code before each CPU starts. */
extern struct percpu *percpu_table[MAX_CPUS];

static inline struct percpu *this_cpu(void)
{
	return arch_this_cpu();
}

static inline struct percpu *percpu_of(uint32_t cpu)
{
	return cpu < MAX_CPUS ? percpu_table[cpu] : NULL;
}

static inline uint32_t this_cpu_id(void)
{
	struct percpu *p = this_cpu();

	return p ? p->cpu : 0;
}

#endif /* COVE_PERCPU_H */
