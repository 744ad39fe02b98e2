// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only faults aimed at the host's side of the channels rather than at
 * its memory: what a co-kernel gone wrong could write into the memory it
 * shares with the host, or how hard it could ring the host. The protection
 * layer cannot stop a write into the partition, so these show that the
 * host module protects itself from the enclave's data.
 */
#include <cove/arch.h>
#include <cove/boot_info.h>
#include <cove/fault_host.h>
#include <cove/init.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/panic.h>
#include <cove/percpu.h>
#include <cove/pisces_abi.h>
#include <cove/string.h>
#include <cove/smp.h>
#include <cove/task.h>
#include <cove/xcall.h>

#define FAULT_FLOOD_ROUNDS 4	/* times round the ring, never waiting for an answer */
#define FAULT_STORM_RINGS 1000000

static struct cove_chan *fault_chan(const struct boot_range *r)
{
	return r->size >= COVE_CHAN_HDR ? phys_to_virt(r->base) : NULL;
}

/* Geometry no host could use: a zero ring, a ring far larger than the partition. */
void fault_chan_scribble(void)
{
	const struct boot_info *bi = kernel_get_boot_info();
	struct cove_chan *ctl = fault_chan(&bi->control_chan);
	struct cove_chan *lc = fault_chan(&bi->longcall_chan);

	if (!ctl || !lc) {
		kprintf("fault_inject: no channels to scribble on (not a co-kernel)\n");
		return;
	}
	kprintf("fault_inject: scribbling on the channel headers: control 0 slots, "
		"long-call 0x7fffffff slots of 0xffffffff bytes\n");
	__atomic_store_n(&ctl->nr_slots, 0, __ATOMIC_RELEASE);
	lc->nr_slots = 0x7fffffff;
	__atomic_store_n(&lc->slot_size, 0xffffffffU, __ATOMIC_RELEASE);
}

/*
 * Publish long calls round and round the ring without waiting for the
 * host's answers, as a kernel that lost track of its slots would: a whole
 * ring of reads from the job's stdin (answered only when the host has
 * input), then, once the host took them, the same slots again.
 */
void fault_lc_flood(void)
{
	const struct boot_info *bi = kernel_get_boot_info();
	struct cove_chan *lc = fault_chan(&bi->longcall_chan);
	struct task *t = task_current();
	uint32_t job = t->proc ? t->proc->host_job : 0;
	uint32_t nr, round, waited;
	uint64_t head;

	if (!lc || !job) {
		kprintf("fault_inject: no long-call channel or host job to flood\n");
		return;
	}
	nr = lc->nr_slots;
	kprintf("fault_inject: publishing %u rounds of %u long calls without waiting for "
		"answers\n", FAULT_FLOOD_ROUNDS, nr);
	for (round = 0; round < FAULT_FLOOD_ROUNDS; round++) {
		head = __atomic_load_n(&lc->head, __ATOMIC_ACQUIRE);
		for (uint32_t i = 0; i < nr; i++) {
			struct cove_msg *m = (void *)((uint8_t *)lc + COVE_CHAN_HDR +
						      ((head + i) & (nr - 1)) * lc->slot_size);

			m->done = 0;
			m->op = COVE_LC_READ;
			m->job = job;
			m->result = 0;
			m->len = 0;
			memset(m->arg, 0, sizeof(m->arg));
			m->arg[0] = COVE_LC_STDIN;
			m->arg[2] = 16;
			__atomic_store_n(&m->seq, head + i + 1, __ATOMIC_RELEASE);
		}
		__atomic_store_n(&lc->head, head + nr, __ATOMIC_RELEASE);
		/* Let the host take them all (its tick is 20 ms), then publish over them. */
		for (waited = 0; waited < 200 &&
		     __atomic_load_n(&lc->tail, __ATOMIC_ACQUIRE) != head + nr; waited++)
			arch_delay_us(1000);
		if (waited == 200)
			break;
	}
	kprintf("fault_inject: the host took %u rounds, then stopped taking\n", round);
}

/* Ring the host's doorbell without end, announcing nothing. */
void fault_doorbell_storm(void)
{
	const struct boot_info *bi = kernel_get_boot_info();
	const struct cove_host_page *hp = bi->host_page ? kmap_mmio(bi->host_page, PAGE_SIZE) : NULL;
	uint32_t vector = hp ? hp->lc_doorbell_vector : 0;

	if (vector < 0x20 || vector > 0xff) {
		kprintf("fault_inject: the host gave no doorbell to ring\n");
		return;
	}
	kprintf("fault_inject: ringing the host's doorbell %u times\n", FAULT_STORM_RINGS);
	for (uint32_t i = 0; i < FAULT_STORM_RINGS; i++)
		arch_ring_host(hp->lc_doorbell_apic_id, vector);
	kprintf("fault_inject: rang the host's doorbell %u times\n", FAULT_STORM_RINGS);
}

static void __noreturn fault_spin(void *unused)
{
	arch_irq_disable();
	for (;;)
		arch_cpu_relax();
}

/*
 * Every core spins with interrupts off: the boot CPU no longer answers the
 * host's doorbell nor advances its heartbeat, as a kernel stuck in a
 * deadlock would. Only the host's hang detection notices.
 */
void fault_hang(void)
{
	uint32_t self = this_cpu_id();

	kprintf("fault_inject: every core spins with interrupts off from now on\n");
	for (uint32_t cpu = 0; cpu < smp_nr_cpus(); cpu++) {
		if (cpu != self)
			xcall_run(cpu, fault_spin, NULL);	/* returns -ETIMEDOUT: it spins */
	}
	fault_spin(NULL);
}

/* A kernel bug that ends in panic(): the host must hear of it and go on. */
void fault_panic(void)
{
	panic("fault_inject: a kernel panic on request");
}
