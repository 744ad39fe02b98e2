// SPDX-License-Identifier: GPL-2.0
/*
 * AMD SVM back end: each CPU enters host mode and runs the kernel as its
 * guest with nested paging over the partition. Interrupts, timers and IPIs
 * are not intercepted, so a running job causes no exits at all; what is
 * intercepted is exactly what the protection contract names.
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

#define MSR_VM_CR 0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117
#define MSR_PAT 0x277
#define EFER_SVME (1ULL << 12)
#define VM_CR_SVMDIS (1ULL << 4)

/* Intercept bits, VMCB control area words 3 and 4. */
#define INTERCEPT_NMI (1U << 1)
#define INTERCEPT_INIT (1U << 3)
#define INTERCEPT_IOIO (1U << 27)
#define INTERCEPT_MSR (1U << 28)
#define INTERCEPT_SHUTDOWN (1U << 31)
#define INTERCEPT_SVM_INSNS 0x7fU	/* VMRUN VMMCALL VMLOAD VMSAVE STGI CLGI SKINIT */

#define EXIT_NMI 0x61
#define EXIT_INIT 0x63
#define EXIT_IOIO 0x7b
#define EXIT_MSR 0x7c
#define EXIT_SHUTDOWN 0x7f
#define EXIT_VMRUN 0x80
#define EXIT_SKINIT 0x86
#define EXIT_VMMCALL 0x81
#define EXIT_NPF 0x400

/* The exit kinds counted per CPU, as the power-off table shows them. */
static const uint8_t svm_exit_kinds[] = {
	VMM_EXIT_NMI, VMM_EXIT_MSR, VMM_EXIT_APIC, VMM_EXIT_HYPERCALL, VMM_EXIT_OTHER,
};
#define EXIT_INVALID ((uint64_t)-1)

struct vmcb_seg {
	uint16_t sel, attrib;
	uint32_t limit;
	uint64_t base;
} __packed;

struct vmcb {
	/* Control area. */
	uint32_t cr_intercepts, dr_intercepts, exc_intercepts, intercepts3, intercepts4;
	uint8_t reserved0[0x3c - 0x14];
	uint16_t pause_threshold, pause_count;
	uint64_t iopm_pa, msrpm_pa, tsc_offset;
	uint32_t asid;
	uint8_t tlb_control, reserved1[3];
	uint64_t int_ctl, int_shadow, exit_code, exit_info1, exit_info2, exit_int_info;
	uint64_t np_enable, avic_bar, ghcb_pa, event_inj, n_cr3, lbr_virt;
	uint32_t clean, reserved2;
	uint64_t next_rip;
	uint8_t reserved3[0x400 - 0xd0];
	/* State save area. */
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	uint8_t reserved4[0x4cb - 0x4a0];
	uint8_t cpl;
	uint32_t reserved5;
	uint64_t efer;
	uint8_t reserved6[0x548 - 0x4d8];
	uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip;
	uint8_t reserved7[0x5d8 - 0x580];
	uint64_t rsp;
	uint8_t reserved8[0x5f8 - 0x5e0];
	uint64_t rax, star, lstar, cstar, sfmask, kernel_gs_base, sysenter_cs, sysenter_esp,
		sysenter_eip, cr2;
	uint8_t reserved9[0x668 - 0x648];
	uint64_t g_pat;
} __packed;

_Static_assert(__builtin_offsetof(struct vmcb, exit_code) == 0x70, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, n_cr3) == 0xb0, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, next_rip) == 0xc8, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, es) == 0x400, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, efer) == 0x4d0, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, cr4) == 0x548, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, rsp) == 0x5d8, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, rax) == 0x5f8, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, g_pat) == 0x668, "VMCB layout");

/* Per CPU, in the layer's own memory: the guest cannot see or change it. */
struct svm_cpu {
	struct vmm_vcpu vcpu;	/* first: its gprs[] (RAX aside, in the VMCB) at 0 */
	uint64_t vmcb_pa;
	uint64_t host_area_pa;
	uint64_t host_rsp;
	struct vmcb *vmcb;
	uint64_t hsave_pa;
};

_Static_assert(__builtin_offsetof(struct svm_cpu, vcpu.gprs) == 0, "svm_run.asm offsets");
_Static_assert(__builtin_offsetof(struct svm_cpu, vmcb_pa) == 192, "svm_run.asm offsets");
_Static_assert(__builtin_offsetof(struct svm_cpu, host_area_pa) == 200, "svm_run.asm offsets");
_Static_assert(__builtin_offsetof(struct svm_cpu, host_rsp) == 208, "svm_run.asm offsets");

static inline struct svm_cpu *svm_cpu_of(struct vmm_vcpu *vcpu)
{
	return container_of(vcpu, struct svm_cpu, vcpu);
}

void svm_launch(struct svm_cpu *c, uint64_t guest_rsp, uint64_t guest_rip) __noreturn;
void svm_run(struct svm_cpu *c) __noreturn;
static void svm_park(void) __noreturn;
static void svm_cpu_run_started(uint32_t cpu) __noreturn;

/* Built by the boot CPU in svm_init; each CPU then uses only its own entry. */
static struct svm_cpu *svm_cpus;
static uint32_t svm_nr_cpus;
static phys_addr_t svm_iopm_pa, svm_msrpm_pa, svm_ncr3;
static bool svm_has_nrip;
/* VMCB TLB_CONTROL value that drops the guest's translations. */
static uint8_t svm_tlb_flush = 1;
static struct pgtable svm_npt;

static bool svm_present(void)
{
	uint32_t a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x80000001)
		return false;
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	return c & (1U << 2);
}

static bool svm_available(const char **why)
{
	uint32_t a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x8000000a) {
		*why = "this CPU has neither AMD SVM nor Intel VMX";
		return false;
	}
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	if (!(c & (1U << 2))) {
		*why = "this CPU has no AMD SVM (and Intel VMX is not supported yet)";
		return false;
	}
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		*why = "SVM is disabled by the firmware";
		return false;
	}
	cpuid(0x8000000a, 0, &a, &b, &c, &d);
	if (!(d & 1)) {
		*why = "SVM without nested paging";
		return false;
	}
	svm_has_nrip = d & (1U << 3);
	if (d & (1U << 6))
		svm_tlb_flush = 3;	/* this ASID only */
	return true;
}

static void svm_bitmap_set(uint8_t *map, uint32_t bit)
{
	map[bit / 8] |= (uint8_t)(1U << (bit % 8));
}

/* The read bit of an MSR in the permission map (two bits per MSR; write is next). */
static uint32_t svm_msrpm_bit(uint32_t msr)
{
	if (msr < 0x2000)
		return msr * 2;
	if (msr >= 0xc0000000 && msr < 0xc0002000)
		return 0x800 * 8 + (msr - 0xc0000000) * 2;
	return 0x1000 * 8 + (msr - 0xc0010000) * 2;
}

/*
 * Every write the map can name traps (the CPU traps the MSRs it cannot),
 * but the ones the policy lets the guest make itself; reads trap only for
 * the layer's own save area.
 */
static void svm_msrpm_fill(uint8_t *msrpm)
{
	const uint32_t *direct;
	uint32_t n = vmm_msr_direct_list(&direct);

	memset(msrpm, 0xaa, 3 * 0x800);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t bit = svm_msrpm_bit(direct[i]) + 1;

		msrpm[bit / 8] &= (uint8_t)~(1U << (bit % 8));
	}
	svm_bitmap_set(msrpm, svm_msrpm_bit(MSR_VM_HSAVE_PA));
}

/* One core's state block: VMCB, host save area, HSAVE page, then the stack. */
static void svm_cpu_lay_out(struct svm_cpu *sc, uint32_t cpu, void *block)
{
	phys_addr_t pa = vmm_v2p(block);

	sc->vcpu.cpu = cpu;
	sc->vmcb = block;
	sc->vmcb_pa = pa;
	sc->host_area_pa = pa + PAGE_SIZE;
	sc->hsave_pa = pa + 2 * PAGE_SIZE;
	sc->host_rsp = (uint64_t)block + (PAGE_SIZE << VMM_CPU_STATE_ORDER);
}

static int svm_init(const struct boot_info *bi)
{
	uint8_t *iopm, *msrpm;
	uint32_t a, b, c, d;
	phys_addr_t pa;
	int rc;

	svm_nr_cpus = vmm_cpu_slots(bi);
	svm_cpus = vmm_alloc_pages(vmm_order_for(svm_nr_cpus * sizeof(*svm_cpus)), &pa);
	iopm = vmm_alloc_pages(2, &svm_iopm_pa);	/* 12 KiB used */
	msrpm = vmm_alloc_pages(1, &svm_msrpm_pa);
	if (!svm_cpus || !iopm || !msrpm)
		return -ENOMEM;
	/* Platform reset and PCI configuration: ports the kernel has no business with. */
	if (vmm_all_ports_trapped())
		memset(iopm, 0xff, 3 * PAGE_SIZE);
	svm_bitmap_set(iopm, 0xcf9);
	svm_bitmap_set(iopm, 0x64);
	svm_bitmap_set(iopm, 0x92);
	for (uint32_t port = 0xcf8; port <= 0xcff; port++)
		svm_bitmap_set(iopm, port);
	svm_msrpm_fill(msrpm);

	for (uint32_t i = 0; i < (bi->nr_cpus ? bi->nr_cpus : 1); i++) {
		void *block = vmm_alloc_pages(VMM_CPU_STATE_ORDER, &pa);

		if (!block)
			return -ENOMEM;
		svm_cpu_lay_out(&svm_cpus[i], i, block);
	}
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	rc = vmm_build_nested(bi, &svm_npt, d & (1U << 26));
	if (rc)
		return rc;
	svm_ncr3 = svm_npt.root;
	vmm_log("vmm: nested tables map the partition with %lu x 1 GiB, %lu x 2 MiB, "
		"%lu x 4 KiB pages in %lu tables", svm_npt.mapped[2], svm_npt.mapped[1],
		svm_npt.mapped[0], svm_npt.nr_tables);
	return 0;
}

/* VMCB attributes: the descriptor's access byte and its flags nibble. */
static void svm_seg_from_gdt(struct vmcb_seg *s, uint16_t sel)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed gdtr;
	uint64_t desc;

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	s->sel = sel;
	if (!(sel & ~3)) {
		s->attrib = 0;
		s->limit = 0;
		s->base = 0;
		return;
	}
	desc = ((const uint64_t *)gdtr.base)[sel >> 3];
	s->attrib = (uint16_t)(((desc >> 40) & 0xff) | (((desc >> 52) & 0xf) << 8));
	s->limit = 0xffffffff;
	s->base = 0;
}

/* What the layer intercepts and the nested tables: the same on every core. */
static void svm_vmcb_controls(struct vmcb *v)
{
	v->intercepts3 = INTERCEPT_NMI | INTERCEPT_INIT | INTERCEPT_IOIO | INTERCEPT_MSR |
			 INTERCEPT_SHUTDOWN;
	v->intercepts4 = INTERCEPT_SVM_INSNS;
	v->iopm_pa = svm_iopm_pa;
	v->msrpm_pa = svm_msrpm_pa;
	v->asid = 1;
	v->tlb_control = 1;		/* flush this ASID on the first run */
	v->np_enable = 1;
	v->n_cr3 = svm_ncr3;
}

/*
 * On the layer's stack, just before the first VMRUN of this CPU: the guest
 * starts as this CPU is now (read while the kernel's tables are still
 * loaded), then the host side moves to the layer's own tables.
 */
void svm_prepare_launch(struct svm_cpu *c, uint64_t guest_rip, uint64_t guest_rsp)
{
	struct vmcb *v = c->vmcb;
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed dt;
	uint16_t sel[6];
	uint64_t cr0;

	svm_vmcb_controls(v);
	read_segment_selectors(sel);
	svm_seg_from_gdt(&v->es, sel[0]);
	svm_seg_from_gdt(&v->cs, sel[1]);
	svm_seg_from_gdt(&v->ss, sel[2]);
	svm_seg_from_gdt(&v->ds, sel[3]);
	__asm__ volatile("sgdt %0" : "=m"(dt));
	v->gdtr.limit = dt.limit;
	v->gdtr.base = dt.base;
	__asm__ volatile("sidt %0" : "=m"(dt));
	v->idtr.limit = dt.limit;
	v->idtr.base = dt.base;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	v->cr0 = cr0;
	v->cr2 = read_cr2();
	v->cr3 = read_cr3();
	v->cr4 = read_cr4();
	v->efer = rdmsr(MSR_EFER);
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->g_pat = rdmsr(MSR_PAT);
	v->rflags = read_rflags();
	v->rip = guest_rip;
	v->rsp = guest_rsp;
	v->rax = 0;
	v->cpl = 0;
	/* FS, GS, TR, LDTR and the syscall MSRs: the same for guest and host. */
	__asm__ volatile("vmsave" : : "a"(c->vmcb_pa) : "memory");
	__asm__ volatile("vmsave" : : "a"(c->host_area_pa) : "memory");
	vmm_host_first_entry(c->vcpu.cpu);
}

static void svm_fill_report(struct svm_cpu *c, struct vmm_report *r)
{
	struct vmcb *v = c->vmcb;

	memset(r, 0, sizeof(*r));
	r->cpu = c->vcpu.cpu;
	r->exit_code = v->exit_code;
	r->info1 = v->exit_info1;
	r->info2 = v->exit_info2;
	r->rip = v->rip;
	r->rsp = v->rsp;
	r->rflags = v->rflags;
	r->cr0 = v->cr0;
	r->cr3 = v->cr3;
	r->cr4 = v->cr4;
	memcpy(r->gpr, c->vcpu.gprs, sizeof(r->gpr));
	r->gpr[0] = v->rax;
	r->gpr[4] = v->rsp;
}

static void svm_vcpu_fill_report(struct vmm_vcpu *vcpu, struct vmm_report *r)
{
	svm_fill_report(svm_cpu_of(vcpu), r);
}

static struct vmm_vcpu *svm_vcpu_of(uint32_t cpu)
{
	return cpu < svm_nr_cpus && svm_cpus[cpu].vmcb ? &svm_cpus[cpu].vcpu : NULL;
}

/* The next VMRUN drops the guest's translations (this ASID's, where the CPU can). */
static void svm_flush_guest_tlb(struct vmm_vcpu *vcpu)
{
	svm_cpu_of(vcpu)->vmcb->tlb_control = svm_tlb_flush;
}

/* The state block of a core added at run time, once the layer took it. */
static int64_t svm_cpu_add(uint64_t cpu_apic, uint64_t pa)
{
	uint32_t cpu = (uint32_t)cpu_apic;
	void *block;
	int64_t rc;

	if (cpu >= svm_nr_cpus || svm_cpus[cpu].vmcb)
		return -EINVAL;
	rc = vmm_host_cpu_add(&svm_npt, cpu_apic, pa, &block);
	if (!rc)
		svm_cpu_lay_out(&svm_cpus[cpu], cpu, block);
	return rc;
}

/*
 * VMM_HC_CPU_START, on the asking core: the new core's guest starts in this
 * core's mode (segments, control registers, EFER, PAT, syscall MSRs: the
 * VMCB after its #VMEXIT and VMSAVE), at the kernel's entry with its
 * stack, tables and argument, interrupts off and no per-CPU base yet.
 */
static void svm_prepare_started(uint32_t cpu, const struct vmm_cpu_start *req, void *asking)
{
	const struct vmcb *from = ((struct svm_cpu *)asking)->vmcb;
	struct svm_cpu *c = &svm_cpus[cpu];
	struct vmcb *v = c->vmcb;

	memset(v, 0, PAGE_SIZE);
	svm_vmcb_controls(v);
	memcpy(&v->es, &from->es, sizeof(*v) - offsetof(struct vmcb, es));
	v->fs.base = 0;
	v->gs.base = 0;
	v->kernel_gs_base = 0;
	v->cr2 = 0;
	v->cr3 = req->cr3;
	v->rip = req->rip;
	v->rsp = req->rsp;
	v->rflags = 2;
	v->rax = 0;
	memset(c->vcpu.gprs, 0, sizeof(c->vcpu.gprs));
	c->vcpu.gprs[7] = req->rdi;
}

static int64_t svm_cpu_start(struct vmm_vcpu *asking, uint64_t cpu_apic, uint64_t gpa)
{
	uint32_t cpu = (uint32_t)cpu_apic;

	if (cpu >= svm_nr_cpus || !svm_cpus[cpu].vmcb)
		return -EINVAL;
	return vmm_host_cpu_start(cpu_apic, gpa, svm_cpus[cpu].host_rsp, svm_prepare_started,
				  svm_cpu_of(asking));
}

/* VMMCALL: the layer's calls (RAX in the VMCB); false if RAX names none. */
static bool svm_hypercall_exit(struct svm_cpu *c, struct vmcb *v)
{
	c->vcpu.gprs[0] = v->rax;
	if (!vmm_host_hypercall(&c->vcpu))
		return false;
	v->rax = c->vcpu.gprs[0];
	v->rip = svm_has_nrip ? v->next_rip : v->rip + 3;
	return true;
}

static void svm_dispatch_exit(struct svm_cpu *c);

/* Returns to the VMRUN loop, or ends the run through vmm_violation. */
void svm_handle_exit(struct svm_cpu *c)
{
	c->vcpu.exits++;
	c->vmcb->tlb_control = 0;
	svm_dispatch_exit(c);
	/* Another core took access away from the guest: drop what this one cached. */
	if (vmm_host_flush_due(c->vcpu.cpu))
		c->vmcb->tlb_control = svm_tlb_flush;
}

static void svm_dispatch_exit(struct svm_cpu *c)
{
	struct vmcb *v = c->vmcb;
	struct vmm_report r;
	uint64_t code = v->exit_code;

	switch (code) {
	case EXIT_VMMCALL:
		if (svm_hypercall_exit(c, v))
			return;
		break;
	case EXIT_NMI:
		c->vcpu.exits_by[VMM_EXIT_NMI]++;
		if (vmm_is_stopping())
			svm_park();	/* halted where the host's INIT still works */
		v->event_inj = 2 | (2U << 8) | (1U << 31);	/* hand the NMI to the kernel */
		return;
	case EXIT_MSR: {
		uint64_t val = (c->vcpu.gprs[2] << 32) | (uint32_t)v->rax;
		enum vmm_msr_action act = VMM_MSR_REFUSE;

		/* EFER as the guest sees it keeps SVME: the policy lets SCE and NXE change. */
		if (v->exit_info1 == 1)
			act = vmm_msr_write((uint32_t)c->vcpu.gprs[1], val, v->efer);
		if (act == VMM_MSR_DONE || act == VMM_MSR_SET_EFER) {
			c->vcpu.exits_by[act == VMM_MSR_DONE ? VMM_EXIT_APIC : VMM_EXIT_MSR]++;
			if (act == VMM_MSR_SET_EFER)
				v->efer = val;
			v->rip = svm_has_nrip ? v->next_rip : v->rip + 2;
			return;
		}
		svm_fill_report(c, &r);
		if (act == VMM_MSR_REFUSE_IPI)
			vmm_violation_apic(&r, APIC_REG_ICR_LOW, val);
		vmm_violation_msr(&r, v->exit_info1, c->vcpu.gprs[1], val);
	}
	case EXIT_NPF:
		svm_fill_report(c, &r);
		vmm_violation_nested(&r, (v->exit_info1 & 2) ? "write" :
				     (v->exit_info1 & 16) ? "fetch" : "read", v->exit_info2);
	case EXIT_SHUTDOWN:
		svm_fill_report(c, &r);
		vmm_violation_triple(&r);
	case EXIT_IOIO:
		svm_fill_report(c, &r);
		vmm_violation_io(&r, v->exit_info1 & 1, v->exit_info1 >> 16);
	case EXIT_INIT:
		if (vmm_init_is_reclaim())
			svm_park();
		svm_fill_report(c, &r);
		ksnprintf(r.what, sizeof(r.what), "an INIT signal arrived at enclave cpu %u",
			  c->vcpu.cpu);
		vmm_violation(VMM_FAULT_INIT, &r);
	default:
		svm_fill_report(c, &r);
		if (code >= EXIT_VMRUN && code <= EXIT_SKINIT) {
			ksnprintf(r.what, sizeof(r.what), "the kernel executed an SVM instruction "
				  "(exit %#lx)", code);
			vmm_violation(VMM_FAULT_VIRT_INSN, &r);
		}
		ksnprintf(r.what, sizeof(r.what), "unexpected exit %#lx", code);
		vmm_violation(VMM_FAULT_INVALID, &r);
	}
}

static void svm_park(void)
{
	/*
	 * GIF is clear after #VMEXIT and would hold INIT pending: set it, with
	 * interrupts off, and leave SVM so the host's INIT resets the core.
	 */
	__asm__ volatile("cli; stgi" ::: "memory");
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_SVME);
	vmm_halt();
}

static bool svm_cpu_enter(uint32_t cpu, uint64_t guest_rsp, uint64_t guest_rip)
{
	struct svm_cpu *c;

	/* No state: vmm_cpu_add refused the core, so it is not started. */
	if (cpu >= svm_nr_cpus || !svm_cpus[cpu].vmcb)
		return false;
	c = &svm_cpus[cpu];
	__asm__ volatile("cli");
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, c->hsave_pa);
	svm_launch(c, guest_rsp, guest_rip);
}

static void svm_cpu_run_started(uint32_t cpu)
{
	struct svm_cpu *c = &svm_cpus[cpu];

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, c->hsave_pa);
	/* Host FS, GS, TR and syscall MSRs: as INIT left them; the layer uses none. */
	__asm__ volatile("vmsave" : : "a"(c->host_area_pa) : "memory");
	vmm_host_first_entry(cpu);
	svm_run(c);
}

const struct vmm_backend vmm_svm_backend = {
	.name = "AMD SVM with nested paging",
	.host_page_code = COVE_GUARDED_NPT,
	.call_insn = VMM_CALL_VMMCALL,
	.exit_kinds = svm_exit_kinds,
	.nr_exit_kinds = ARRAY_SIZE(svm_exit_kinds),
	.nested = &svm_npt,
	.present = svm_present,
	.available = svm_available,
	.init = svm_init,
	.cpu_enter = svm_cpu_enter,
	.cpu_run_started = svm_cpu_run_started,
	.park = svm_park,
	.vcpu_of = svm_vcpu_of,
	.cpu_add = svm_cpu_add,
	.cpu_start = svm_cpu_start,
	.flush_guest_tlb = svm_flush_guest_tlb,
	.fill_report = svm_vcpu_fill_report,
};
