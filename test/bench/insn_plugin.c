// SPDX-License-Identifier: GPL-2.0
/*
 * insn_plugin: a QEMU TCG plugin counting the guest instructions each vCPU
 * executes. Whenever the marker of insn_marker.h executes, it appends one
 * line to the file given as out=PATH:
 *
 *   insn-mark SEQ vcpu V pc ADDR insns C0 C1 .. spin S0 S1 ..
 *
 * Ci is what vCPU i had executed at that moment, Si the part of it spent in
 * busy-wait loops (SPIN_GAP, below). When QEMU exits: "insn-exit insns ..
 * spin ..".
 *
 *   qemu-system-x86_64 ... -plugin build/bench/insn_plugin.so,out=marks.txt
 *
 * Why a plugin and not -icount: QEMU 7.2's icount runs all vCPUs round-robin
 * on one thread and starves all but the first while it is busy, so Linux
 * cannot bring up a second CPU, and co-kernel mode needs Linux on two CPUs
 * beside Cove's. A plugin counts the same instructions in normal
 * multi-threaded TCG.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insn_marker.h"
#include "qemu_plugin_abi.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;

/*
 * One vCPU's counts, written only by the thread running that vCPU (each
 * vCPU has its own under multi-threaded TCG), read by any thread reaching
 * a marker. A cache line each, so vCPUs do not slow one another down.
 */
struct vcpu_count {
	uint64_t insns;
	uint64_t spin;
	uint64_t gap;		/* since the last PAUSE; not counted on past SPIN_GAP */
} __attribute__((aligned(64)));

/*
 * Busy-waiting: instructions between two PAUSEs at most this far apart on
 * one vCPU, with the blocks holding the PAUSEs. Every busy-wait loop in
 * Linux (cpu_relax) and in Cove (arch_cpu_relax) runs one PAUSE an
 * iteration, and an iteration is a few dozen instructions even when it
 * calls out (Linux's stop_machine loop does). How long such a loop runs
 * depends on host time (how soon another vCPU's thread gets a host core),
 * not on the work asked for, so it is counted apart.
 */
#define SPIN_GAP 256

/* What a marker's callback needs from the block it was translated in. */
struct marker_site {
	uint64_t pc;
	uint64_t tail;		/* the marker and the instructions after it */
};

static struct vcpu_count *counts;
static unsigned int nr_vcpus;
static FILE *out;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long marks;

static void add(uint64_t *v, uint64_t n)
{
	__atomic_store_n(v, __atomic_load_n(v, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

/*
 * A block's count is added when it starts: a block cut short by an
 * exception (a page fault in its middle, say) is counted whole, a small
 * over-count. Interrupts are taken only between blocks, so they cut none.
 * udata is the block's instruction count, shifted left once; the low bit
 * says it holds a PAUSE.
 */
static void tb_exec(unsigned int vcpu, void *udata)
{
	uintptr_t u = (uintptr_t)udata;
	uint64_t n = u >> 1;
	struct vcpu_count *c;

	if (vcpu >= nr_vcpus)
		return;
	c = &counts[vcpu];
	add(&c->insns, n);
	if (u & 1) {
		/* What ran since the last PAUSE was an iteration of the same wait. */
		add(&c->spin, (c->gap <= SPIN_GAP ? c->gap : 0) + n);
		c->gap = 0;
	} else if (c->gap <= SPIN_GAP) {
		c->gap += n;
	}
}

/* Every vCPU's counts; vcpu (if any) is the one at a marker. */
static void print_counts(unsigned int vcpu, uint64_t tail)
{
	unsigned int i;

	fprintf(out, " insns");
	for (i = 0; i < nr_vcpus; i++) {
		uint64_t n = __atomic_load_n(&counts[i].insns, __ATOMIC_RELAXED);

		/*
		 * Its own block was counted whole on entry: take off the marker
		 * and what follows it, so the figure is exactly what ran before.
		 */
		fprintf(out, " %llu", (unsigned long long)(i == vcpu ? n - tail : n));
	}
	fprintf(out, " spin");
	for (i = 0; i < nr_vcpus; i++)
		fprintf(out, " %llu",
			(unsigned long long)__atomic_load_n(&counts[i].spin, __ATOMIC_RELAXED));
	fprintf(out, "\n");
}

/*
 * Other vCPUs run on their own threads meanwhile: their counts are read as
 * they are now, to within the block each is in.
 */
static void marker_exec(unsigned int vcpu, void *udata)
{
	const struct marker_site *m = udata;

	if (vcpu >= nr_vcpus)
		return;
	pthread_mutex_lock(&out_lock);
	if (!out) {		/* QEMU is on its way out */
		pthread_mutex_unlock(&out_lock);
		return;
	}
	fprintf(out, "insn-mark %lu vcpu %u pc %#llx", ++marks, vcpu, (unsigned long long)m->pc);
	print_counts(vcpu, m->tail);
	/* Flushed now: QEMU may be killed by a timeout rather than exit. */
	fflush(out);
	pthread_mutex_unlock(&out_lock);
}

static bool is_marker(const uint8_t *b, size_t len)
{
	static const uint8_t marker[] = INSN_MARKER_BYTES;

	return len == sizeof(marker) && !memcmp(b, marker, sizeof(marker));
}

/* PAUSE (F3 90), as cpu_relax and arch_cpu_relax emit it. */
static bool is_pause(const uint8_t *b, size_t len)
{
	return len == 2 && b[0] == 0xf3 && b[1] == 0x90;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	uintptr_t spin = 0;

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		const uint8_t *b = qemu_plugin_insn_data(insn);
		size_t len = qemu_plugin_insn_size(insn);

		if (is_pause(b, len))
			spin = 1;
		if (is_marker(b, len)) {
			/* Kept for the block's life; markers are few, so never freed. */
			struct marker_site *m = malloc(sizeof(*m));

			if (!m)
				abort();
			m->pc = qemu_plugin_insn_vaddr(insn);
			m->tail = n - i;
			qemu_plugin_register_vcpu_insn_exec_cb(insn, marker_exec,
							       QEMU_PLUGIN_CB_NO_REGS, m);
		}
	}
	/*
	 * Registered after the marker's callback but run before it: QEMU emits
	 * a block's callbacks ahead of its first instruction's. insn_mark runs
	 * two markers in a row so that a change in this order shows (their
	 * counts would not differ by exactly one).
	 */
	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec, QEMU_PLUGIN_CB_NO_REGS,
					     (void *)((uintptr_t)n << 1 | spin));
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	pthread_mutex_lock(&out_lock);
	fprintf(out, "insn-exit");
	print_counts(nr_vcpus, 0);
	fclose(out);
	out = NULL;
	pthread_mutex_unlock(&out_lock);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *path = NULL;

	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4)) {
			path = argv[i] + 4;
		} else {
			fprintf(stderr, "insn_plugin: unknown argument '%s' (only out=PATH)\n",
				argv[i]);
			return -1;
		}
	}
	if (!path) {
		fprintf(stderr, "insn_plugin: no out=PATH given\n");
		return -1;
	}
	if (!info->system_emulation || info->system.max_vcpus < 1) {
		fprintf(stderr, "insn_plugin: needs full-system emulation\n");
		return -1;
	}
	nr_vcpus = (unsigned int)info->system.max_vcpus;
	counts = aligned_alloc(64, nr_vcpus * sizeof(*counts));
	out = fopen(path, "w");
	if (!counts || !out) {
		fprintf(stderr, "insn_plugin: cannot set up (%s: %m)\n", path);
		return -1;
	}
	memset(counts, 0, nr_vcpus * sizeof(*counts));
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
