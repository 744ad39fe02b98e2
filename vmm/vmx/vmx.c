// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VMX back end: each CPU enters VMX root operation and runs the kernel
 * as its guest with EPT over the partition. Interrupts and timers are not
 * intercepted; x2APIC ICR writes are (an MSR bitmap bit), so every IPI is
 * checked against the enclave at the cost of one short exit.
 */
#include <cove/boot_info.h>
#include <cove/errno.h>
#include <cove/kvsnprintf.h>
#include <cove/pisces_abi.h>
#include <cove/string.h>
#include <cove/vmm_hypercall.h>
#include <arch/lapic.h>
#include <arch/pgtable.h>
#include <arch/x86.h>
#include "../vmm_host.h"

#define MSR_FEATURE_CONTROL 0x3a
#define MSR_VMX_BASIC 0x480
#define MSR_VMX_PINBASED 0x481
#define MSR_VMX_PROCBASED 0x482
#define MSR_VMX_EXIT 0x483
#define MSR_VMX_ENTRY 0x484
#define MSR_VMX_CR0_FIXED0 0x486
#define MSR_VMX_CR0_FIXED1 0x487
#define MSR_VMX_CR4_FIXED0 0x488
#define MSR_VMX_CR4_FIXED1 0x489
#define MSR_VMX_PROCBASED2 0x48b
#define MSR_VMX_EPT_VPID_CAP 0x48c
#define MSR_VMX_TRUE_PINBASED 0x48d
#define MSR_VMX_TRUE_PROCBASED 0x48e
#define MSR_VMX_TRUE_EXIT 0x48f
#define MSR_VMX_TRUE_ENTRY 0x490
#define MSR_PAT 0x277
#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define CR4_VMXE (1ULL << 13)
#define CR4_OSXSAVE (1ULL << 18)

/* VMCS field encodings (Intel SDM vol. 3, appendix B). */
enum {
	F_VPID = 0x0000,
	F_GUEST_ES = 0x0800, F_HOST_ES = 0x0c00,
	F_IO_BITMAP_A = 0x2000, F_IO_BITMAP_B = 0x2002, F_MSR_BITMAP = 0x2004,
	F_EPT_POINTER = 0x201a, F_GUEST_PHYS = 0x2400,
	F_LINK_POINTER = 0x2800, F_GUEST_DEBUGCTL = 0x2802, F_GUEST_PAT = 0x2804,
	F_GUEST_EFER = 0x2806, F_HOST_PAT = 0x2c00, F_HOST_EFER = 0x2c02,
	F_PIN = 0x4000, F_PROC = 0x4002, F_EXC_BITMAP = 0x4004, F_EXIT_CTLS = 0x400c,
	F_ENTRY_CTLS = 0x4012, F_ENTRY_INTR = 0x4016, F_PROC2 = 0x401e,
	F_INSN_ERROR = 0x4400, F_EXIT_REASON = 0x4402, F_EXIT_INTR = 0x4404,
	F_EXIT_INSN_LEN = 0x440c,
	F_GUEST_ES_LIMIT = 0x4800, F_GUEST_GDTR_LIMIT = 0x4810, F_GUEST_IDTR_LIMIT = 0x4812,
	F_GUEST_ES_AR = 0x4814, F_GUEST_INTERRUPTIBILITY = 0x4824, F_GUEST_ACTIVITY = 0x4826,
	F_GUEST_SYSENTER_CS = 0x482a, F_HOST_SYSENTER_CS = 0x4c00,
	F_CR0_MASK = 0x6000, F_CR4_MASK = 0x6002, F_CR0_SHADOW = 0x6004, F_CR4_SHADOW = 0x6006,
	F_EXIT_QUAL = 0x6400,
	F_GUEST_CR0 = 0x6800, F_GUEST_CR3 = 0x6802, F_GUEST_CR4 = 0x6804,
	F_GUEST_ES_BASE = 0x6806, F_GUEST_GDTR_BASE = 0x6816, F_GUEST_IDTR_BASE = 0x6818,
	F_GUEST_DR7 = 0x681a, F_GUEST_RSP = 0x681c, F_GUEST_RIP = 0x681e,
	F_GUEST_RFLAGS = 0x6820, F_GUEST_PENDING_DBG = 0x6822, F_GUEST_SYSENTER_ESP = 0x6824,
	F_GUEST_SYSENTER_EIP = 0x6826,
	F_HOST_CR0 = 0x6c00, F_HOST_CR3 = 0x6c02, F_HOST_CR4 = 0x6c04, F_HOST_FS_BASE = 0x6c06,
	F_HOST_GS_BASE = 0x6c08, F_HOST_TR_BASE = 0x6c0a, F_HOST_GDTR_BASE = 0x6c0c,
	F_HOST_IDTR_BASE = 0x6c0e, F_HOST_SYSENTER_ESP = 0x6c10, F_HOST_SYSENTER_EIP = 0x6c12,
};

#define PIN_NMI_EXITING (1U << 3)
#define PROC_IO_BITMAPS (1U << 25)
#define PROC_MSR_BITMAPS (1U << 28)
#define PROC_SECONDARY (1U << 31)
#define PROC2_EPT (1U << 1)
#define PROC2_RDTSCP (1U << 3)
#define PROC2_VPID (1U << 5)
#define PROC2_INVPCID (1U << 12)
#define EXIT_HOST_64 (1U << 9)
#define EXIT_SAVE_PAT (1U << 18)
#define EXIT_LOAD_PAT (1U << 19)
#define EXIT_SAVE_EFER (1U << 20)
#define EXIT_LOAD_EFER (1U << 21)
#define ENTRY_IA32E (1U << 9)
#define ENTRY_LOAD_PAT (1U << 14)
#define ENTRY_LOAD_EFER (1U << 15)

enum {
	R_EXCEPTION_NMI = 0, R_TRIPLE = 2, R_INIT = 3, R_SIPI = 4, R_CPUID = 10,
	R_INVD = 13, R_VMCALL = 18, R_VMCLEAR = 19, R_VMXON = 27, R_IO = 30, R_RDMSR = 31,
	R_WRMSR = 32, R_BAD_GUEST = 33, R_EPT_VIOLATION = 48, R_EPT_MISCONFIG = 49,
	R_INVEPT = 50, R_INVVPID = 53, R_XSETBV = 55,
};

/* The exit kinds counted per CPU, as the power-off table shows them. */
static const uint8_t vmx_exit_kinds[] = {
	VMM_EXIT_NMI, VMM_EXIT_CPUID, VMM_EXIT_MSR, VMM_EXIT_APIC, VMM_EXIT_HYPERCALL,
	VMM_EXIT_OTHER,
};

/*
 * Guest fields a core the layer starts takes from the core that asked for
 * it: every segment (selector, limit, access rights, base: ES CS SS DS FS
 * GS LDTR TR), the descriptor tables, CR0, CR4 and its shadow, EFER, PAT
 * and the SYSENTER MSRs.
 */
#define VMX_SEG_FIELDS(i) 0x0800 + 2 * (i), 0x4800 + 2 * (i), 0x4814 + 2 * (i), 0x6806 + 2 * (i)
static const uint16_t vmx_start_fields[] = {
	VMX_SEG_FIELDS(0), VMX_SEG_FIELDS(1), VMX_SEG_FIELDS(2), VMX_SEG_FIELDS(3),
	VMX_SEG_FIELDS(4), VMX_SEG_FIELDS(5), VMX_SEG_FIELDS(6), VMX_SEG_FIELDS(7),
	F_GUEST_GDTR_LIMIT, F_GUEST_GDTR_BASE, F_GUEST_IDTR_LIMIT, F_GUEST_IDTR_BASE,
	F_GUEST_CR0, F_GUEST_CR4, F_CR4_SHADOW, F_GUEST_EFER, F_GUEST_PAT,
	F_GUEST_SYSENTER_CS, F_GUEST_SYSENTER_ESP, F_GUEST_SYSENTER_EIP,
};
#define VMX_NR_START_FIELDS ARRAY_SIZE(vmx_start_fields)
#define F_GUEST_FS_BASE 0x680e
#define F_GUEST_GS_BASE 0x6810

/* Per CPU, in the layer's own memory. */
struct vmx_cpu {
	struct vmm_vcpu vcpu;	/* first: its gprs[] at 0 */
	uint64_t host_rsp;
	uint64_t launched;
	uint64_t vmxon_pa, vmcs_pa;
	bool setup_failed;	/* VMXON or the VMCS refused: report once on the layer's stack */
	/* A core the layer starts: its guest state, written by the asking core. */
	uint64_t start_vals[VMX_NR_START_FIELDS];
	struct vmm_cpu_start start;
};

_Static_assert(__builtin_offsetof(struct vmx_cpu, vcpu.gprs) == 0, "vmx_run.asm offsets");
_Static_assert(__builtin_offsetof(struct vmx_cpu, host_rsp) == 192, "vmx_run.asm offsets");

static inline struct vmx_cpu *vmx_cpu_of(struct vmm_vcpu *vcpu)
{
	return container_of(vcpu, struct vmx_cpu, vcpu);
}

void vmx_launch(struct vmx_cpu *c, uint64_t guest_rsp, uint64_t guest_rip) __noreturn;
static void vmx_park(void) __noreturn;
static void vmx_cpu_run_started(uint32_t cpu) __noreturn;

/* Set up by the boot CPU in vmx_init; each CPU then uses only its own entry. */
static struct vmx_cpu *vmx_cpus;
static uint32_t vmx_nr_cpus;
static phys_addr_t vmx_io_a, vmx_io_b, vmx_msr_bitmap;
static uint64_t vmx_eptp;
static uint32_t vmx_revision;
static uint32_t vmx_pin, vmx_proc, vmx_proc2, vmx_exit_ctls, vmx_entry_ctls;
static bool vmx_has_vpid;
static struct pgtable vmx_ept;
static uint64_t vmx_invept_type;	/* 1 this EPTP, 2 all: what the CPU offers */

static int vmx_vmwrite(uint64_t field, uint64_t value)
{
	uint8_t fail;

	__asm__ volatile("vmwrite %2, %1; setna %0" : "=qm"(fail) : "r"(field), "r"(value) : "cc");
	return fail ? -EIO : 0;
}

static uint64_t vmx_vmread(uint64_t field)
{
	uint64_t v = 0;

	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"(field) : "cc");
	return v;
}

static bool vmx_present(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return c & (1U << 5);
}

/* A control word: what we want, forced by the allowed-0/allowed-1 MSR. */
static int vmx_adjust(uint32_t msr, uint32_t want, uint32_t *out)
{
	uint64_t cap = rdmsr(msr);
	uint32_t v = (want | (uint32_t)cap) & (uint32_t)(cap >> 32);

	*out = v;
	return (v & want) == want ? 0 : -ENODEV;
}

static bool vmx_available(const char **why)
{
	uint64_t fc, basic;
	bool true_ctls;

	if (!vmx_present()) {
		*why = "this CPU has no Intel VMX";
		return false;
	}
	fc = rdmsr(MSR_FEATURE_CONTROL);
	if ((fc & 1) && !(fc & 4)) {
		*why = "VMX is locked off by the firmware (IA32_FEATURE_CONTROL)";
		return false;
	}
	basic = rdmsr(MSR_VMX_BASIC);
	true_ctls = basic & (1ULL << 55);
	vmx_revision = (uint32_t)basic & 0x7fffffff;
	if (vmx_adjust(true_ctls ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED, PIN_NMI_EXITING,
		       &vmx_pin) ||
	    vmx_adjust(true_ctls ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED,
		       PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_SECONDARY, &vmx_proc) ||
	    vmx_adjust(true_ctls ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT,
		       EXIT_HOST_64 | EXIT_SAVE_PAT | EXIT_LOAD_PAT | EXIT_SAVE_EFER | EXIT_LOAD_EFER,
		       &vmx_exit_ctls) ||
	    vmx_adjust(true_ctls ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY,
		       ENTRY_IA32E | ENTRY_LOAD_PAT | ENTRY_LOAD_EFER, &vmx_entry_ctls)) {
		*why = "this CPU's VMX lacks I/O or MSR bitmaps or 64-bit state switching";
		return false;
	}
	if (vmx_adjust(MSR_VMX_PROCBASED2, PROC2_EPT, &vmx_proc2)) {
		*why = "this CPU's VMX has no EPT";
		return false;
	}
	/* Optional: let the kernel keep RDTSCP and INVPCID, tag TLBs per guest. */
	vmx_proc2 |= (uint32_t)(rdmsr(MSR_VMX_PROCBASED2) >> 32) &
		     (PROC2_RDTSCP | PROC2_VPID | PROC2_INVPCID);
	vmx_has_vpid = vmx_proc2 & PROC2_VPID;
	return true;
}

static void vmx_bitmap_set(uint8_t *map, uint32_t bit)
{
	map[bit / 8] |= (uint8_t)(1U << (bit % 8));
}

/*
 * MSR bitmap: write-low at byte 2048, write-high (0xc0000000-) at 3072.
 * Every write the bitmap can name exits (the CPU exits on the MSRs it
 * cannot) but the ones the policy lets the guest make itself.
 */
static void vmx_msr_bitmap_fill(uint8_t *map)
{
	const uint32_t *direct;
	uint32_t n = vmm_msr_direct_list(&direct), bit;

	memset(map + 2048, 0xff, 2048);
	for (uint32_t i = 0; i < n; i++) {
		if (direct[i] < 0x2000)
			bit = 2048 * 8 + direct[i];
		else
			bit = 3072 * 8 + (direct[i] - 0xc0000000);
		map[bit / 8] &= (uint8_t)~(1U << (bit % 8));
	}
}

/* One core's state block: VMXON region, VMCS, then the stack. */
static void vmx_cpu_lay_out(struct vmx_cpu *vc, uint32_t cpu, void *block)
{
	phys_addr_t pa = vmm_v2p(block);

	vc->vcpu.cpu = cpu;
	vc->vmxon_pa = pa;
	vc->vmcs_pa = pa + PAGE_SIZE;
	*(uint32_t *)block = vmx_revision;
	*(uint32_t *)((char *)block + PAGE_SIZE) = vmx_revision;
	vc->host_rsp = (uint64_t)block + (PAGE_SIZE << VMM_CPU_STATE_ORDER);
}

static int vmx_init(const struct boot_info *bi)
{
	uint8_t *io_a, *io_b, *msrs;
	uint64_t cap = rdmsr(MSR_VMX_EPT_VPID_CAP);
	phys_addr_t pa;
	int rc;

	vmx_nr_cpus = vmm_cpu_slots(bi);
	vmx_cpus = vmm_alloc_pages(vmm_order_for(vmx_nr_cpus * sizeof(*vmx_cpus)), &pa);
	io_a = vmm_alloc_pages(0, &vmx_io_a);
	io_b = vmm_alloc_pages(0, &vmx_io_b);
	msrs = vmm_alloc_pages(0, &vmx_msr_bitmap);
	if (!vmx_cpus || !io_a || !io_b || !msrs)
		return -ENOMEM;
	if (vmm_all_ports_trapped()) {
		memset(io_a, 0xff, PAGE_SIZE);
		memset(io_b, 0xff, PAGE_SIZE);
	}
	vmx_bitmap_set(io_a, 0xcf9);
	vmx_bitmap_set(io_a, 0x64);
	vmx_bitmap_set(io_a, 0x92);
	for (uint32_t port = 0xcf8; port <= 0xcff; port++)
		vmx_bitmap_set(io_a, port);
	vmx_msr_bitmap_fill(msrs);

	for (uint32_t i = 0; i < (bi->nr_cpus ? bi->nr_cpus : 1); i++) {
		void *block = vmm_alloc_pages(VMM_CPU_STATE_ORDER, &pa);

		if (!block)
			return -ENOMEM;
		vmx_cpu_lay_out(&vmx_cpus[i], i, block);
	}
	vmx_invept_type = (cap & (1ULL << 25)) ? 1 : 2;
	/*
	 * EPT entries share the x86 layout where it matters here: R/W/X are
	 * bits 0-2 (present, writable, user) and bit 7 marks a large page.
	 */
	rc = vmm_build_nested(bi, &vmx_ept, cap & (1ULL << 17));
	if (rc)
		return rc;
	vmx_eptp = vmx_ept.root | (3ULL << 3) | ((cap & (1ULL << 14)) ? 6 : 0);
	vmm_log("vmm: nested tables map the partition with %lu x 1 GiB, %lu x 2 MiB, "
		"%lu x 4 KiB pages in %lu tables", vmx_ept.mapped[2], vmx_ept.mapped[1],
		vmx_ept.mapped[0], vmx_ept.nr_tables);
	return 0;
}

static void vmx_segment(uint32_t index, uint16_t sel, uint64_t base, uint64_t gdt_base)
{
	uint32_t ar = 0x10000, limit = 0;	/* unusable */

	if (sel & ~3) {
		uint64_t desc = ((const uint64_t *)gdt_base)[sel >> 3];

		ar = (uint32_t)((desc >> 40) & 0xf0ff);
		limit = 0xffffffff;
		if (((desc >> 40) & 0x1f) == 0x0b || ((desc >> 40) & 0x1f) == 0x09)
			limit = (uint32_t)((desc & 0xffff) | ((desc >> 32) & 0xf0000));
	}
	vmx_vmwrite(F_GUEST_ES + index * 2, sel);
	vmx_vmwrite(F_GUEST_ES_LIMIT + index * 2, limit);
	vmx_vmwrite(F_GUEST_ES_AR + index * 2, ar);
	vmx_vmwrite(F_GUEST_ES_BASE + index * 2, base);
}

/* What the layer intercepts and the EPT: the same on every core. */
static int vmx_setup_controls(void)
{
	int rc = 0;

	rc |= vmx_vmwrite(F_PIN, vmx_pin);
	rc |= vmx_vmwrite(F_PROC, vmx_proc);
	rc |= vmx_vmwrite(F_PROC2, vmx_proc2);
	rc |= vmx_vmwrite(F_EXIT_CTLS, vmx_exit_ctls);
	rc |= vmx_vmwrite(F_ENTRY_CTLS, vmx_entry_ctls);
	rc |= vmx_vmwrite(F_EXC_BITMAP, 0);
	rc |= vmx_vmwrite(F_IO_BITMAP_A, vmx_io_a);
	rc |= vmx_vmwrite(F_IO_BITMAP_B, vmx_io_b);
	rc |= vmx_vmwrite(F_MSR_BITMAP, vmx_msr_bitmap);
	rc |= vmx_vmwrite(F_EPT_POINTER, vmx_eptp);
	if (vmx_has_vpid)
		rc |= vmx_vmwrite(F_VPID, 1);
	rc |= vmx_vmwrite(F_CR0_MASK, 0);
	rc |= vmx_vmwrite(F_CR4_MASK, CR4_VMXE);
	rc |= vmx_vmwrite(F_LINK_POINTER, ~0ULL);
	rc |= vmx_vmwrite(F_GUEST_DR7, 0x400);
	rc |= vmx_vmwrite(F_GUEST_DEBUGCTL, 0);
	rc |= vmx_vmwrite(F_GUEST_INTERRUPTIBILITY, 0);
	rc |= vmx_vmwrite(F_GUEST_ACTIVITY, 0);
	rc |= vmx_vmwrite(F_GUEST_PENDING_DBG, 0);
	return rc;
}

/*
 * The host side: on the layer's stack, with the layer's own page tables,
 * GDT and IDT (none of the kernel's), the segments this core has now.
 */
static int vmx_setup_host(uint16_t tr_sel, uint64_t tr_base)
{
	uint16_t sel[6];
	int rc = 0;

	read_segment_selectors(sel);
	for (uint32_t i = 0; i < 6; i++)
		rc |= vmx_vmwrite(F_HOST_ES + i * 2, sel[i] & ~7);
	rc |= vmx_vmwrite(F_HOST_ES + 6 * 2, tr_sel & ~7);
	rc |= vmx_vmwrite(F_HOST_CR0, read_cr0());
	rc |= vmx_vmwrite(F_HOST_CR3, vmm_host_cr3());
	rc |= vmx_vmwrite(F_HOST_CR4, read_cr4());
	rc |= vmx_vmwrite(F_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	rc |= vmx_vmwrite(F_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	rc |= vmx_vmwrite(F_HOST_TR_BASE, tr_base);
	rc |= vmx_vmwrite(F_HOST_GDTR_BASE, vmm_host_gdt_base());
	rc |= vmx_vmwrite(F_HOST_IDTR_BASE, vmm_host_idt_base());
	rc |= vmx_vmwrite(F_HOST_SYSENTER_CS, rdmsr(MSR_SYSENTER_CS));
	rc |= vmx_vmwrite(F_HOST_SYSENTER_ESP, rdmsr(MSR_SYSENTER_ESP));
	rc |= vmx_vmwrite(F_HOST_SYSENTER_EIP, rdmsr(MSR_SYSENTER_EIP));
	rc |= vmx_vmwrite(F_HOST_PAT, rdmsr(MSR_PAT));
	rc |= vmx_vmwrite(F_HOST_EFER, rdmsr(MSR_EFER));
	return rc;
}

/* The guest starts as exactly this CPU, now; the host side keeps its TR. */
static int vmx_setup_vmcs(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed gdt, idt;
	uint16_t sel[8];
	uint64_t tr_base, gdt_base;
	int rc = 0;

	__asm__ volatile("sgdt %0; sidt %1" : "=m"(gdt), "=m"(idt));
	read_segment_selectors(sel);
	__asm__ volatile("sldt %0" : "=r"(sel[6]));
	__asm__ volatile("str %0" : "=r"(sel[7]));
	gdt_base = gdt.base;
	{
		const uint64_t *d = (const uint64_t *)gdt_base + (sel[7] >> 3);

		tr_base = ((d[0] >> 16) & 0xffffff) | (((d[0] >> 56) & 0xff) << 24) | (d[1] << 32);
	}

	rc |= vmx_setup_controls();
	rc |= vmx_vmwrite(F_CR4_SHADOW, read_cr4() & ~CR4_VMXE);
	for (uint32_t i = 0; i < 6; i++)
		vmx_segment(i, sel[i], i == 4 ? rdmsr(MSR_FS_BASE) : i == 5 ? rdmsr(MSR_GS_BASE) : 0,
			    gdt_base);
	vmx_segment(6, sel[6], 0, gdt_base);
	vmx_segment(7, sel[7], tr_base, gdt_base);
	rc |= vmx_vmwrite(F_GUEST_GDTR_LIMIT, gdt.limit);
	rc |= vmx_vmwrite(F_GUEST_GDTR_BASE, gdt.base);
	rc |= vmx_vmwrite(F_GUEST_IDTR_LIMIT, idt.limit);
	rc |= vmx_vmwrite(F_GUEST_IDTR_BASE, idt.base);
	rc |= vmx_vmwrite(F_GUEST_CR0, read_cr0());
	rc |= vmx_vmwrite(F_GUEST_CR3, read_cr3());
	rc |= vmx_vmwrite(F_GUEST_CR4, read_cr4());
	rc |= vmx_vmwrite(F_GUEST_RFLAGS, read_rflags());
	rc |= vmx_vmwrite(F_GUEST_PAT, rdmsr(MSR_PAT));
	rc |= vmx_vmwrite(F_GUEST_EFER, rdmsr(MSR_EFER));
	rc |= vmx_vmwrite(F_GUEST_SYSENTER_CS, rdmsr(MSR_SYSENTER_CS));
	rc |= vmx_vmwrite(F_GUEST_SYSENTER_ESP, rdmsr(MSR_SYSENTER_ESP));
	rc |= vmx_vmwrite(F_GUEST_SYSENTER_EIP, rdmsr(MSR_SYSENTER_EIP));
	rc |= vmx_setup_host(sel[7], tr_base);
	return rc ? -EIO : 0;
}

static void vmx_fill_report(struct vmx_cpu *c, struct vmm_report *r)
{
	memset(r, 0, sizeof(*r));
	r->cpu = c->vcpu.cpu;
	r->exit_code = vmx_vmread(F_EXIT_REASON);
	r->info1 = vmx_vmread(F_EXIT_QUAL);
	r->info2 = vmx_vmread(F_GUEST_PHYS);
	r->rip = vmx_vmread(F_GUEST_RIP);
	r->rsp = vmx_vmread(F_GUEST_RSP);
	r->rflags = vmx_vmread(F_GUEST_RFLAGS);
	r->cr0 = vmx_vmread(F_GUEST_CR0);
	r->cr3 = vmx_vmread(F_GUEST_CR3);
	r->cr4 = vmx_vmread(F_GUEST_CR4);
	memcpy(r->gpr, c->vcpu.gprs, sizeof(r->gpr));
	r->gpr[4] = r->rsp;
}

static void vmx_vcpu_fill_report(struct vmm_vcpu *vcpu, struct vmm_report *r)
{
	vmx_fill_report(vmx_cpu_of(vcpu), r);
}

void vmx_entry_failed(struct vmx_cpu *c)
{
	struct vmm_report r;

	vmx_fill_report(c, &r);
	ksnprintf(r.what, sizeof(r.what), "VM entry failed on cpu %u (instruction error %lu)",
		  c->vcpu.cpu, vmx_vmread(F_INSN_ERROR));
	vmm_violation(VMM_FAULT_INVALID, &r);
}

static void vmx_skip_insn(void)
{
	vmx_vmwrite(F_GUEST_RIP, vmx_vmread(F_GUEST_RIP) + vmx_vmread(F_EXIT_INSN_LEN));
}

static struct vmm_vcpu *vmx_vcpu_of(uint32_t cpu)
{
	return cpu < vmx_nr_cpus && vmx_cpus[cpu].vmcs_pa ? &vmx_cpus[cpu].vcpu : NULL;
}

static void vmx_park(void)
{
	/* INIT is blocked in VMX root operation: leave it so the host's INIT works. */
	__asm__ volatile("cli; vmxoff" ::: "memory", "cc");
	write_cr4(read_cr4() & ~CR4_VMXE);
	vmm_halt();
}

/* Drop every guest translation cached through the EPT, on this core. */
static void vmx_invept(void)
{
	struct {
		uint64_t eptp, zero;
	} desc = { vmx_eptp, 0 };

	__asm__ volatile("invept %0, %1" : : "m"(desc), "r"(vmx_invept_type) : "cc", "memory");
}

static void vmx_flush_guest_tlb(struct vmm_vcpu *vcpu)
{
	vmx_invept();
}

/* The state block of a core added at run time, once the layer took it. */
static int64_t vmx_cpu_add(uint64_t cpu_apic, uint64_t pa)
{
	uint32_t cpu = (uint32_t)cpu_apic;
	void *block;
	int64_t rc;

	if (cpu >= vmx_nr_cpus || vmx_cpus[cpu].vmcs_pa)
		return -EINVAL;
	rc = vmm_host_cpu_add(&vmx_ept, cpu_apic, pa, &block);
	if (!rc)
		vmx_cpu_lay_out(&vmx_cpus[cpu], cpu, block);
	return rc;
}

/* VMM_HC_CPU_START, on the asking core (its VMCS is the current one). */
static void vmx_prepare_started(uint32_t cpu, const struct vmm_cpu_start *req, void *unused)
{
	struct vmx_cpu *c = &vmx_cpus[cpu];

	for (uint32_t i = 0; i < VMX_NR_START_FIELDS; i++)
		c->start_vals[i] = vmx_vmread(vmx_start_fields[i]);
	c->start = *req;
	memset(c->vcpu.gprs, 0, sizeof(c->vcpu.gprs));
	c->vcpu.gprs[7] = req->rdi;
}

/* The asking core's VMCS is the current one: vmx_prepare_started reads it. */
static int64_t vmx_cpu_start(struct vmm_vcpu *asking, uint64_t cpu_apic, uint64_t gpa)
{
	uint32_t cpu = (uint32_t)cpu_apic;

	if (cpu >= vmx_nr_cpus || !vmx_cpus[cpu].vmcs_pa)
		return -EINVAL;
	return vmm_host_cpu_start(cpu_apic, gpa, vmx_cpus[cpu].host_rsp, vmx_prepare_started,
				  NULL);
}

static void vmx_dispatch_exit(struct vmx_cpu *c);

void vmx_handle_exit(struct vmx_cpu *c)
{
	c->vcpu.exits++;
	vmx_dispatch_exit(c);
	/* Another core took access away from the guest: drop what this one cached. */
	if (vmm_host_flush_due(c->vcpu.cpu))
		vmx_invept();
}

static void vmx_dispatch_exit(struct vmx_cpu *c)
{
	uint32_t reason = (uint32_t)vmx_vmread(F_EXIT_REASON) & 0xffff;
	uint64_t *gprs = c->vcpu.gprs;
	uint64_t *exits_by = c->vcpu.exits_by;
	struct vmm_report r;

	switch (reason) {
	case R_EXCEPTION_NMI:
		exits_by[VMM_EXIT_NMI]++;
		if (vmm_is_stopping())
			vmx_park();	/* halted where the host's INIT still works */
		/* Hand the NMI to the kernel: vector 2, type NMI, valid. */
		vmx_vmwrite(F_ENTRY_INTR, 2 | (2U << 8) | (1U << 31));
		return;
	case R_CPUID: {
		uint32_t a, b, cc, d;

		exits_by[VMM_EXIT_CPUID]++;
		cpuid((uint32_t)gprs[0], (uint32_t)gprs[1], &a, &b, &cc, &d);
		gprs[0] = a;
		gprs[3] = b;
		gprs[1] = cc;
		gprs[2] = d;
		vmx_skip_insn();
		return;
	}
	case R_XSETBV:
		exits_by[VMM_EXIT_OTHER]++;
		__asm__ volatile("xsetbv" : : "c"((uint32_t)gprs[1]), "a"((uint32_t)gprs[0]),
				 "d"((uint32_t)gprs[2]));
		vmx_skip_insn();
		return;
	case R_VMCALL:
		/* The layer's calls; one RAX names none of is the guest's VMCALL. */
		if (vmm_host_hypercall(&c->vcpu)) {
			vmx_skip_insn();
			return;
		}
		break;
	case R_WRMSR: {
		uint64_t val = (gprs[2] << 32) | (uint32_t)gprs[0];
		enum vmm_msr_action act = vmm_msr_write((uint32_t)gprs[1], val,
							vmx_vmread(F_GUEST_EFER));

		if (act == VMM_MSR_DONE || act == VMM_MSR_SET_EFER) {
			exits_by[act == VMM_MSR_DONE ? VMM_EXIT_APIC : VMM_EXIT_MSR]++;
			if (act == VMM_MSR_SET_EFER)
				vmx_vmwrite(F_GUEST_EFER, val);
			vmx_skip_insn();
			return;
		}
		vmx_fill_report(c, &r);
		if (act == VMM_MSR_REFUSE_IPI)
			vmm_violation_apic(&r, APIC_REG_ICR_LOW, val);
		vmm_violation_msr(&r, true, gprs[1], val);
	}
	case R_EPT_VIOLATION:
		vmx_fill_report(c, &r);
		vmm_violation_nested(&r, (r.info1 & 2) ? "write" : (r.info1 & 4) ? "fetch" : "read",
				     r.info2);
	case R_TRIPLE:
		vmx_fill_report(c, &r);
		vmm_violation_triple(&r);
	case R_IO:
		vmx_fill_report(c, &r);
		vmm_violation_io(&r, r.info1 & 8, r.info1 >> 16);
	case R_INIT:
		if (vmm_init_is_reclaim())
			vmx_park();
		/* fall through */
	case R_SIPI:
		vmx_fill_report(c, &r);
		ksnprintf(r.what, sizeof(r.what), "an INIT or SIPI arrived at enclave cpu %u",
			  c->vcpu.cpu);
		vmm_violation(VMM_FAULT_INIT, &r);
	default:
		break;
	}
	vmx_fill_report(c, &r);
	if ((reason >= R_VMCLEAR && reason <= R_VMXON) || reason == R_INVEPT ||
	    reason == R_INVVPID || reason == R_VMCALL) {
		ksnprintf(r.what, sizeof(r.what), "the kernel executed a VMX instruction (exit "
			  "reason %u)", reason);
		vmm_violation(VMM_FAULT_VIRT_INSN, &r);
	}
	ksnprintf(r.what, sizeof(r.what), "unexpected exit, reason %u", reason);
	vmm_violation(VMM_FAULT_INVALID, &r);
}

/* Host side, on the layer's stack and tables, just before the first VM entry. */
void vmx_host_start(struct vmx_cpu *c)
{
	struct vmm_report r;

	vmm_host_first_entry(c->vcpu.cpu);
	if (!c->setup_failed)
		return;
	memset(&r, 0, sizeof(r));
	r.cpu = c->vcpu.cpu;
	ksnprintf(r.what, sizeof(r.what), "cannot enter VMX operation on cpu %u", c->vcpu.cpu);
	vmm_violation(VMM_FAULT_INVALID, &r);
}

/* VMX root operation on this core with c's VMCS current; false if the CPU refused. */
static bool vmx_enter_root(struct vmx_cpu *c)
{
	uint64_t fc, cr0;
	uint8_t fail;

	fc = rdmsr(MSR_FEATURE_CONTROL);
	if (!(fc & 1))
		wrmsr(MSR_FEATURE_CONTROL, fc | 1 | 4);	/* we own the machine: enable, lock */
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 | rdmsr(MSR_VMX_CR0_FIXED0)) & rdmsr(MSR_VMX_CR0_FIXED1);
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	write_cr4((read_cr4() | CR4_VMXE | rdmsr(MSR_VMX_CR4_FIXED0)) & rdmsr(MSR_VMX_CR4_FIXED1));
	__asm__ volatile("vmxon %1; setna %0" : "=qm"(fail) : "m"(c->vmxon_pa) : "cc", "memory");
	if (!fail)
		__asm__ volatile("vmclear %1; setna %0" : "=qm"(fail) : "m"(c->vmcs_pa) : "cc", "memory");
	if (!fail)
		__asm__ volatile("vmptrld %1; setna %0" : "=qm"(fail) : "m"(c->vmcs_pa) : "cc", "memory");
	return !fail;
}

static bool vmx_cpu_enter(uint32_t cpu, uint64_t guest_rsp, uint64_t guest_rip)
{
	struct vmx_cpu *c;

	/* No state: vmm_cpu_add refused the core, so it is not started. */
	if (cpu >= vmx_nr_cpus || !vmx_cpus[cpu].vmcs_pa)
		return false;
	c = &vmx_cpus[cpu];
	__asm__ volatile("cli");
	c->setup_failed = !vmx_enter_root(c) || vmx_setup_vmcs();
	vmx_launch(c, guest_rsp, guest_rip);
}

/*
 * The guest's XSETBV exits and the layer executes it here (R_XSETBV), which
 * raises #UD in the layer unless this core's own CR4 allows XSAVE. A core
 * that entered from the kernel (vmx_cpu_enter) runs with the kernel's CR4;
 * a started one has only what INIT and the loader's trampoline set.
 */
static void vmx_host_allow_xsetbv(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (c & (1U << 26))
		write_cr4(read_cr4() | CR4_OSXSAVE);
}

/* Host TR: the kernel's selector in the layer's GDT copy, on the layer's own TSS. */
static void vmx_cpu_run_started(uint32_t cpu)
{
	struct vmx_cpu *c = &vmx_cpus[cpu];
	int rc = 0;

	vmx_host_allow_xsetbv();
	c->setup_failed = !vmx_enter_root(c);
	if (!c->setup_failed) {
		rc |= vmx_setup_controls();
		for (uint32_t i = 0; i < VMX_NR_START_FIELDS; i++)
			rc |= vmx_vmwrite(vmx_start_fields[i], c->start_vals[i]);
		rc |= vmx_vmwrite(F_GUEST_FS_BASE, 0);
		rc |= vmx_vmwrite(F_GUEST_GS_BASE, 0);
		rc |= vmx_vmwrite(F_GUEST_CR3, c->start.cr3);
		rc |= vmx_vmwrite(F_GUEST_RFLAGS, 2);
		rc |= vmx_setup_host(vmm_host_tr_sel(), vmm_host_tss_base());
		c->setup_failed = rc != 0;
	}
	vmx_launch(c, c->start.rsp, c->start.rip);
}

const struct vmm_backend vmm_vmx_backend = {
	.name = "Intel VMX with EPT",
	.host_page_code = COVE_GUARDED_EPT,
	.call_insn = VMM_CALL_VMCALL,
	.exit_kinds = vmx_exit_kinds,
	.nr_exit_kinds = ARRAY_SIZE(vmx_exit_kinds),
	.nested = &vmx_ept,
	.present = vmx_present,
	.available = vmx_available,
	.init = vmx_init,
	.cpu_enter = vmx_cpu_enter,
	.cpu_run_started = vmx_cpu_run_started,
	.park = vmx_park,
	.vcpu_of = vmx_vcpu_of,
	.cpu_add = vmx_cpu_add,
	.cpu_start = vmx_cpu_start,
	.flush_guest_tlb = vmx_flush_guest_tlb,
	.fill_report = vmx_vcpu_fill_report,
};
