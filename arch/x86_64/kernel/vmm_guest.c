// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's side of the protection layer. This file runs as the guest:
 * it sets the layer up at boot, launches each core into it, and afterwards
 * talks to it only through hypercalls. It never reads the layer's memory;
 * what it knows of the layer is the copy vmm_layer_init handed back.
 */
#include <cove/arch.h>
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/kmap.h>
#include <cove/kprintf.h>
#include <cove/percpu.h>
#include <cove/pmem.h>
#include <cove/vmm.h>
#include <cove/vmm_hypercall.h>
#include <cove/vmm_layer.h>
#include <cove/xcall.h>
#include <arch/lapic.h>

/* Written by the boot CPU in vmm_init, before any other CPU runs; read-only after. */
static bool vmm_on;
static struct vmm_layer_info vmm_info = { .backend = "none" };

bool vmm_cpu_launch(uint32_t cpu);

static void *vmm_lend_pages(uint32_t order, phys_addr_t *pa)
{
	return pmem_alloc(order, pa) ? NULL : phys_to_virt(*pa);
}

static void vmm_lend_log(bool is_error, const char *line)
{
	klog(is_error ? LOG_ERR : LOG_INFO, "%s\n", line);
}

static const struct vmm_services vmm_services = {
	.alloc_pages = vmm_lend_pages,
	.virt_to_phys = virt_to_phys,
	.log = vmm_lend_log,
};

int vmm_init(const struct boot_info *bi, enum vmm_mode mode)
{
	struct vmm_layer_params params = {
		.cokernel = bi->flags & BOOT_FLAG_COKERNEL,
		.poweroff_ports = arch_poweroff_has_exit_ports(),
	};
	int rc;

	if (mode == VMM_PROTECT_OFF) {
		kprintf("vmm: protection off (protect=off): the kernel runs unguarded\n");
		return 0;
	}
	rc = vmm_layer_init(bi, &params, &vmm_services, &vmm_info);
	if (rc == -ENODEV) {
		if (mode == VMM_PROTECT_REQUIRE) {
			pr_err("vmm: protect=require, but %s; refusing to run unguarded\n",
			       vmm_info.why);
			return rc;
		}
		kprintf("vmm: no protection: %s (protect=require would refuse to boot)\n",
			vmm_info.why);
		return 0;
	}
	if (rc) {
		pr_err("vmm: cannot set up %s (%d)%s\n", vmm_info.backend, rc,
		       mode == VMM_PROTECT_REQUIRE ? "; refusing to run unguarded" : "");
		return mode == VMM_PROTECT_REQUIRE ? rc : 0;
	}
	vmm_hypercall_init(vmm_info.call_insn);
	vmm_on = true;
	return 0;
}

/*
 * The nested tables map a guarded core's xAPIC page read-only: its APIC
 * writes go to the layer from now on (x2APIC ones are MSR writes the
 * layer sees anyway).
 */
static void vmm_cpu_set_guarded(bool guarded)
{
	if (guarded)
		lapic_set_write_hook(vmm_apic_write);
	this_cpu()->guarded = guarded;
}

void vmm_cpu_adopt(void)
{
	vmm_cpu_set_guarded(vmm_on);
}

void vmm_cpu_enter(void)
{
	unsigned long flags;
	bool guarded;

	if (!vmm_on)
		return;
	flags = arch_irq_save();
	guarded = vmm_cpu_launch(this_cpu_id());
	arch_irq_restore(flags);
	if (!guarded)
		pr_warn("vmm: cpu%u has no state in the layer; it runs unguarded\n", this_cpu_id());
	vmm_cpu_set_guarded(guarded);
}

bool vmm_guarded(void)
{
	return vmm_on;
}

const char *vmm_backend(void)
{
	return vmm_info.backend;
}

void vmm_area(phys_addr_t *base, uint64_t *size)
{
	*base = vmm_info.area_lo;
	*size = vmm_info.area_hi - vmm_info.area_lo;
}

void vmm_apic_write(uint32_t reg, uint64_t value)
{
	vmm_hypercall(VMM_HC_APIC_WRITE, reg, value);
}

int vmm_partition_add(phys_addr_t base, uint64_t size)
{
	return vmm_on ? (int)vmm_hypercall(VMM_HC_MEM_ADD, base, size) : 0;
}

static void vmm_sync_this_cpu(void *arg)
{
	(void)arg;
	vmm_hypercall(VMM_HC_SYNC, 0, 0);
}

/* Have every CPU exit once (and so flush); 0 once the layer waits on none. */
static int vmm_sync_all(void)
{
	if (xcall_run_all(vmm_sync_this_cpu, NULL))
		return -ETIMEDOUT;
	return vmm_hypercall(VMM_HC_SYNC, 0, 0) ? -EBUSY : 0;
}

int vmm_partition_remove(phys_addr_t base, uint64_t size)
{
	int rc;

	if (!vmm_on)
		return 0;
	rc = (int)vmm_hypercall(VMM_HC_MEM_REMOVE, base, size);
	return rc ? rc : vmm_sync_all();
}

int vmm_xemem_map(uint32_t slot, uint32_t gen)
{
	return vmm_on ? (int)vmm_hypercall(VMM_HC_XEMEM_MAP, slot, gen) : 0;
}

int vmm_xemem_unmap(uint32_t slot)
{
	int rc;

	if (!vmm_on)
		return 0;
	rc = (int)vmm_hypercall(VMM_HC_XEMEM_UNMAP, slot, 0);
	return rc ? rc : vmm_sync_all();
}

int vmm_cpu_add(uint32_t cpu, uint32_t apic_id)
{
	phys_addr_t pa;
	int rc;

	if (!vmm_on)
		return 0;
	if (pmem_alloc(VMM_CPU_STATE_ORDER, &pa))
		return -ENOMEM;
	rc = (int)vmm_hypercall(VMM_HC_CPU_ADD, cpu | (uint64_t)apic_id << 32, pa);
	if (rc) {
		pmem_free(pa, VMM_CPU_STATE_ORDER);
		return rc;
	}
	/* The block is the layer's now; no core may keep a translation to it. */
	return vmm_sync_all();
}

/* The request the layer reads: in the image, since stacks may lie outside the direct map. */
static struct vmm_cpu_start vmm_start_req;	/* the boot CPU's: cores start one at a time */

int vmm_cpu_start(uint32_t cpu, uint32_t apic_id, const struct vmm_cpu_start *start)
{
	if (!vmm_on)
		return vmm_layer_cpu_release(apic_id, start);
	vmm_start_req = *start;
	return (int)vmm_hypercall(VMM_HC_CPU_START, cpu | (uint64_t)apic_id << 32,
				  virt_to_phys(&vmm_start_req));
}

/* Filled by the layer with the table's text; only the CPU ending the run uses it. */
static char vmm_exit_text[8192];

void vmm_print_exits(void)
{
	int64_t len;
	char *line;

	if (!vmm_on)
		return;
	len = vmm_hypercall(VMM_HC_EXIT_TABLE, virt_to_phys(vmm_exit_text),
			    sizeof(vmm_exit_text));
	if (len <= 0 || len >= (int64_t)sizeof(vmm_exit_text))
		return;
	vmm_exit_text[len] = '\0';
	for (line = vmm_exit_text; *line;) {
		char *end = line;

		while (*end && *end != '\n')
			end++;
		kprintf("%.*s\n", (int)(end - line), line);
		line = *end ? end + 1 : end;
	}
}

void vmm_park_cpu(void)
{
	if (vmm_on)
		vmm_hypercall(VMM_HC_PARK, 0, 0);
}
