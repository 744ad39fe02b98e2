// SPDX-License-Identifier: GPL-2.0
/*
 * insn_profile: a QEMU TCG plugin saying where guest instructions go. Each
 * translated block counts the instructions it executes; when QEMU exits,
 * one line per block start address goes to out=PATH:
 *
 *   ADDR INSNS
 *
 * scripts/insn-profile.sh folds them into functions with the kernel's
 * symbols. Meant for one vCPU (-smp 1): the counters are not atomic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_abi.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;

struct block {
	uint64_t pc, insns, runs;
	struct block *next;
};

/* Every block ever translated (a block translated twice appears twice). */
static struct block *blocks;
static FILE *out;

static void block_run(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	((struct block *)udata)->runs++;
}

static void block_translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	struct block *b = calloc(1, sizeof(*b));
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	if (!b || !n)
		return;
	b->pc = qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, 0));
	b->insns = n;
	b->next = blocks;
	blocks = b;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, block_run, QEMU_PLUGIN_CB_NO_REGS, b);
}

static void profile_write(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	for (struct block *b = blocks; b; b = b->next) {
		if (b->runs)
			fprintf(out, "%llx %llu\n", (unsigned long long)b->pc,
				(unsigned long long)(b->runs * b->insns));
	}
	fclose(out);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	(void)info;
	if (argc != 1 || strncmp(argv[0], "out=", 4)) {
		fprintf(stderr, "insn_profile: give exactly out=PATH\n");
		return -1;
	}
	out = fopen(argv[0] + 4, "w");
	if (!out) {
		fprintf(stderr, "insn_profile: cannot write %s: %m\n", argv[0] + 4);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, block_translated);
	qemu_plugin_register_atexit_cb(id, profile_write, NULL);
	return 0;
}
