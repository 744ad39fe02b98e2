// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_main: from a boot description to a running partition. Nothing here
 * knows how the kernel was loaded; that ended when struct boot_info was
 * filled in.
 */
#include <cove/arch.h>
#include <cove/boot_info.h>
#include <cove/cokernel.h>
#include <cove/host.h>
#include <cove/exit.h>
#include <cove/init.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/numa.h>
#include <cove/options.h>
#include <cove/panic.h>
#include <cove/partition.h>
#include <cove/pmem.h>
#include <cove/selftest.h>
#include <cove/cmdline.h>
#include <cove/file.h>
#include <cove/string.h>
#include <cove/job.h>
#include <cove/ramfs.h>
#include <cove/sched.h>
#include <cove/smp.h>
#include <cove/timer.h>
#include <cove/vdso.h>
#include <cove/vmm.h>
#include <arch/memlayout.h>

#define COVE_VERSION "0.1.0"

static void partition_note(void *ctx, bool is_error, const char *msg)
{
	(void)ctx;
	if (is_error)
		pr_err("cmdline: %s\n", msg);
	else
		pr_warn("cmdline: %s\n", msg);
}

static void memory_init(struct boot_info *bi)
{
	int rc;

	numa_init(bi);
	rc = pmem_init(bi, bi->boot_mapped_limit ? bi->boot_mapped_limit : BOOT_MAPPED_LIMIT);

	if (rc)
		panic("pmem: cannot manage partition memory (%d)", rc);
	arch_smp_reserve();
	rc = kmap_init(bi);
	if (rc)
		panic("kmap: cannot build the kernel page tables (%d)", rc);
	rc = pmem_add_unreached();
	if (rc)
		panic("pmem: cannot add memory the boot tables did not reach (%d)", rc);
}

/* partition_add= and partition_remove=: BASE,SIZE, e.g. 256M,128M. */
static void main_partition_change(struct boot_info *bi, const char *name, const char *arg,
				  int (*change)(struct boot_info *, uint64_t, uint64_t))
{
	char base_s[32];
	const char *comma = strchr(arg, ',');
	uint64_t base, size;
	size_t n = comma ? (size_t)(comma - arg) : 0;

	if (!comma || n >= sizeof(base_s)) {
		pr_err("cmdline: %s=%s: use BASE,SIZE (e.g. 256M,128M)\n", name, arg);
		return;
	}
	memcpy(base_s, arg, n);
	base_s[n] = 0;
	if (cmdline_parse_size(base_s, &base) || cmdline_parse_size(comma + 1, &size)) {
		pr_err("cmdline: %s=%s: BASE and SIZE must be sizes (e.g. 256M,128M)\n", name,
		       arg);
		return;
	}
	change(bi, base, size);
}

void kernel_main(struct boot_info *bi)
{
	uint32_t online;
	int status = EXIT_OK;

	kernel_set_boot_info(bi);
	/* Before anything can end the run: how it ends, who serves the host. */
	if (kernel_is_cokernel())
		cokernel_init(bi);
	job_init();
	smp_init_boot_cpu(bi);
	kprintf("\nCove " COVE_VERSION " - lightweight kernel for HPC (x86_64)\n");
	kprintf("boot: %s mode, loaded by %s%s\n",
		(bi->flags & BOOT_FLAG_COKERNEL) ? "co-kernel" : "bare",
		bi->loader[0] ? bi->loader : "an unknown loader",
		(bi->flags & BOOT_FLAG_EFI) ? " (UEFI)" : "");
	kprintf("cmdline: %s\n", bi->cmdline[0] ? bi->cmdline : "(empty)");

	/* Bare mode: everything the firmware reported is ours to grow into. */
	if (!bi->nr_granted) {
		bi->nr_granted = bi->nr_mem;
		for (uint32_t i = 0; i < bi->nr_mem; i++)
			bi->granted[i] = bi->mem[i];
	}
	/* A bad command line is the user's mistake, not a kernel bug: stop cleanly. */
	if (options_parse(bi->cmdline) ||
	    partition_restrict(bi, kernel_options.mem_limit, (uint32_t)kernel_options.cpu_limit,
			       partition_note, NULL)) {
		pr_err("cove: not starting with a bad command line\n");
		kernel_exit(EXIT_BAD_CMDLINE);
	}

	memory_init(bi);
	if (arch_platform_init())
		panic("platform: interrupt controller or timer unusable");
	time_init();
	if (vdso_init())
		pr_warn("vdso: not mapped (no memory); jobs make time system calls\n");
	sched_init_cpu();
	if (host_init(bi))
		kernel_exit(EXIT_PANIC);
	if (vmm_init(bi, (enum vmm_mode)kernel_options.protect))
		kernel_exit(EXIT_BAD_CMDLINE);
	vmm_cpu_enter();
	if (vmm_guarded())
		kprintf("vmm: the kernel runs guarded by %s\n", vmm_backend());
	else
		kprintf("vmm: the kernel runs unguarded\n");
	report_memory(bi);
	if (bi->initrd.size && vfs_init(phys_to_virt(bi->initrd.base), bi->initrd.size) == 0)
		kprintf("initramfs: %lu KiB, %lu files and directories\n", bi->initrd.size >> 10,
			vfs_root()->nr_nodes);
	else if (!bi->initrd.size)
		vfs_init(NULL, 0);

	if (kernel_options.partition_add[0])
		main_partition_change(bi, "partition_add", kernel_options.partition_add,
				      partition_grow);

	fault_inject_init();
	online = smp_boot_secondaries(bi);
	report_cpus(bi);
	kprintf("cove: %u/%u CPUs online, %lu MiB in partition\n", online, smp_nr_cpus(),
		partition_bytes(bi) >> 20);
	/* After the other CPUs are up, so the layer's flush reaches them all. */
	if (kernel_options.partition_remove[0])
		main_partition_change(bi, "partition_remove", kernel_options.partition_remove,
				      partition_shrink);

	panic_test_run(kernel_options.panic_test);
	fault_inject_run(kernel_options.fault_inject, kernel_options.fault_addr);

	if (kernel_options.selftest && selftest_run_all())
		status = EXIT_SELFTEST_FAILED;
	/* Co-kernel: jobs come from the host, and the host ends the run. */
	if (status == EXIT_OK && kernel_is_cokernel())
		cokernel_main(bi);
	/* The jobs end the run themselves, from whichever CPU sees the last rank go. */
	if (status == EXIT_OK && job_start_from_cmdline())
		sched_idle_loop();
	kernel_exit(status);
}
