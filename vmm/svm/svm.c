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
#include <cove/vmm_layer.h>
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

/* The last exits of a core, for the report when the guest ran host state. */
#define SVM_RECENT_EXITS 8
struct svm_exit_rec {
	uint64_t code, rip;
};

/* Per CPU, in the layer's own memory: the guest cannot see or change it. */
struct svm_cpu {
	struct vmm_vcpu vcpu;	/* first: its gprs[] (RAX aside, in the VMCB) at 0 */
	uint64_t vmcb_pa;
	uint64_t host_area_pa;
	uint64_t host_rsp;
	struct vmcb *vmcb;
	uint64_t hsave_pa;
	uint64_t run_pa;	/* RAX of this core's last VMRUN (svm_run.asm) */
	bool claimed;		/* a core entered with this state (svm_cpu_claim) */
	struct svm_exit_rec recent[SVM_RECENT_EXITS];	/* by exit count, modulo */
};

_Static_assert(__builtin_offsetof(struct svm_cpu, vcpu.gprs) == 0, "svm_run.asm offsets");
_Static_assert(__builtin_offsetof(struct svm_cpu, vmcb_pa) == 192, "svm_run.asm offsets");
_Static_assert(__builtin_offsetof(struct svm_cpu, host_area_pa) == 200, "svm_run.asm offsets");
_Static_assert(__builtin_offsetof(struct svm_cpu, host_rsp) == 208, "svm_run.asm offsets");
_Static_assert(__builtin_offsetof(struct svm_cpu, run_pa) == 232, "svm_run.asm offsets");

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

static bool svm_apart(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
	return a + a_size <= b || b + b_size <= a;
}

/*
 * Each core's VMCB, host area, HSAVE page and stack must be its own and
 * apart from the shared bitmaps: a page two cores share lets one core's
 * VMRUN store its host state where the other loads its guest from.
 */
static int svm_check_blocks(void)
{
	uint64_t block = PAGE_SIZE << VMM_CPU_STATE_ORDER;
	uint64_t cpus_pa = vmm_v2p(svm_cpus);
	uint64_t cpus_size = PAGE_SIZE << vmm_order_for(svm_nr_cpus * sizeof(*svm_cpus));
	uint32_t n = 0;

	for (uint32_t i = 0; i < svm_nr_cpus; i++) {
		const struct svm_cpu *c = &svm_cpus[i];

		if (!c->vmcb)
			continue;
		n++;
		if (c->host_area_pa != c->vmcb_pa + PAGE_SIZE || c->hsave_pa != c->vmcb_pa +
		    2 * PAGE_SIZE || vmm_v2p((void *)c->host_rsp) != c->vmcb_pa + block ||
		    !svm_apart(c->vmcb_pa, block, cpus_pa, cpus_size) ||
		    !svm_apart(c->vmcb_pa, block, svm_iopm_pa, 3 * PAGE_SIZE) ||
		    !svm_apart(c->vmcb_pa, block, svm_msrpm_pa, 2 * PAGE_SIZE))
			goto bad;
		for (uint32_t j = 0; j < i; j++) {
			if (svm_cpus[j].vmcb && !svm_apart(c->vmcb_pa, block,
							    svm_cpus[j].vmcb_pa, block))
				goto bad;
		}
		continue;
bad:
		vmm_log("vmm: svm: the state block of cpu %u at %#lx is not its own", i, c->vmcb_pa);
		return -EFAULT;
	}
	vmm_log("vmm: svm: %u cores' state blocks (VMCB, host area, HSAVE, stack) lie apart", n);
	return 0;
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
	rc = svm_check_blocks();
	if (rc)
		return rc;
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

/* Which core's state block holds pa, or -1. */
static int svm_block_owner(uint64_t pa)
{
	for (uint32_t i = 0; i < svm_nr_cpus; i++) {
		if (svm_cpus[i].vmcb && pa >= svm_cpus[i].vmcb_pa &&
		    pa - svm_cpus[i].vmcb_pa < (PAGE_SIZE << VMM_CPU_STATE_ORDER))
			return (int)i;
	}
	return -1;
}

/*
 * The guest ran with host state (the layer's own code, or a VMRUN of
 * another page than the core's VMCB): before the report, say which core's
 * state block every address this core's world switch uses belongs to, so
 * a mix-up of blocks, slots or HSAVE pages shows in the log (bare mode).
 */
static void svm_log_state_blocks(struct svm_cpu *c)
{
	const struct vmcb *hs = vmm_p2v(c->hsave_pa);
	uint64_t msr_hsave = rdmsr(MSR_VM_HSAVE_PA), rsp = c->vmcb->rsp;
	uint64_t off = (uint64_t)((uintptr_t)c - (uintptr_t)svm_cpus);
	uint64_t rsp_pa = rsp >= DIRECT_MAP_BASE ? rsp - DIRECT_MAP_BASE : rsp;

	vmm_log("vmm: svm: cpu %u, APIC id %u (its slot's %u): context at byte %lu of %u slots "
		"of %lu", c->vcpu.cpu, vmm_self_apic_id(), vmm_slot_apic_id(c->vcpu.cpu), off,
		svm_nr_cpus, (uint64_t)sizeof(*c));
	vmm_log("vmm: svm: VMCB %#lx, last VMRUN ran %#lx, host area %#lx, HSAVE %#lx, "
		"VM_HSAVE_PA reads %#lx", c->vmcb_pa, c->run_pa, c->host_area_pa, c->hsave_pa,
		msr_hsave);
	vmm_log("vmm: svm: owners (cpu): VMCB %d, VMRUN %d, HSAVE %d, VM_HSAVE_PA %d, "
		"guest RSP %d; HSAVE holds RIP %#lx RSP %#lx (QEMU's layout)",
		svm_block_owner(c->vmcb_pa), svm_block_owner(c->run_pa),
		svm_block_owner(c->hsave_pa), svm_block_owner(msr_hsave), svm_block_owner(rsp_pa),
		hs->rip, hs->rsp);
	for (uint32_t i = 0; i < MIN(svm_nr_cpus, 8U); i++)
		vmm_log("vmm: svm: cpu %u block %#lx, stack top %#lx", i, svm_cpus[i].vmcb_pa,
			svm_cpus[i].host_rsp);
	for (uint64_t n = c->vcpu.exits >= SVM_RECENT_EXITS ? c->vcpu.exits - SVM_RECENT_EXITS + 1 :
	     1; n <= c->vcpu.exits; n++) {
		const struct svm_exit_rec *e = &c->recent[n % SVM_RECENT_EXITS];

		vmm_log("vmm: svm: exit %lu: code %#lx at RIP %#lx", n, e->code, e->rip);
	}
}

static bool svm_rip_in_layer(uint64_t rip)
{
	return rip >= (uint64_t)__vmm_start && rip < (uint64_t)__vmm_end;
}

static void svm_dispatch_exit(struct svm_cpu *c);

/* Returns to the VMRUN loop, or ends the run through vmm_violation. */
void svm_handle_exit(struct svm_cpu *c)
{
	struct svm_exit_rec *rec;
	struct vmm_report r;

	c->vcpu.exits++;
	rec = &c->recent[c->vcpu.exits % SVM_RECENT_EXITS];
	rec->code = c->vmcb->exit_code;
	rec->rip = c->vmcb->rip;
	/* The world switch ran another page than this core's VMCB: the guest had host state. */
	if (c->run_pa != c->vmcb_pa) {
		svm_log_state_blocks(c);
		svm_fill_report(c, &r);
		ksnprintf(r.what, sizeof(r.what), "cpu %u ran VMCB %#lx, not its own %#lx",
			  c->vcpu.cpu, c->run_pa, c->vmcb_pa);
		vmm_violation(VMM_FAULT_INVALID, &r);
	}
	/*
	 * The guest cannot run the layer's text (the nested tables leave it
	 * out: that is a nested page fault, reported as one). Any other exit
	 * saying the guest is there means the VMCB holds host state: say so
	 * at the first such exit, with its exit code.
	 */
	if (c->vmcb->exit_code != EXIT_NPF && svm_rip_in_layer(c->vmcb->rip)) {
		svm_log_state_blocks(c);
		svm_fill_report(c, &r);
		ksnprintf(r.what, sizeof(r.what), "exit %#lx with the guest at the layer's own RIP: "
			  "the VMCB holds host state", c->vmcb->exit_code);
		vmm_violation(VMM_FAULT_INVALID, &r);
	}
	c->vmcb->tlb_control = 0;
	svm_dispatch_exit(c);
	/* Another core took access away from the guest: drop what this one cached. */
	if (vmm_host_flush_due(c->vcpu.cpu))
		c->vmcb->tlb_control = svm_tlb_flush;
}

/*
 * An intercepted NMI is not consumed by its #VMEXIT: it stays pending
 * while GIF is clear (AMD APM vol. 2, NMI intercept and GIF), and QEMU
 * keeps it the same way (the exit is taken before the NMI is cleared).
 * Left pending, the next VMRUN sets GIF, the NMI is intercepted again
 * before the guest runs one instruction, and the injected copy never gets
 * to the kernel. So the host takes it itself: GIF open for one instruction
 * boundary, interrupts still off, the layer's NMI gate (host_entry.asm)
 * returns at once. Then the kernel gets its own.
 */
static void svm_take_nmi(void)
{
	__asm__ volatile("stgi; clgi" ::: "memory");
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
		svm_take_nmi();
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
		if (svm_rip_in_layer(v->rip))
			svm_log_state_blocks(c);
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

/* This core's APIC ID from CPUID: the xAPIC page is not in the kernel's direct map. */
static uint32_t svm_own_apic_id(void)
{
	uint32_t a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 0xb) {
		cpuid(0xb, 0, &a, &b, &c, &d);
		if (b)
			return d;
	}
	cpuid(1, 0, &a, &b, &c, &d);
	return b >> 24;
}

/*
 * A core takes its slot's state once, and only the core the slot was
 * given to: two cores on one block would share a VMCB, an HSAVE page and
 * a stack. The HSAVE address must read back as written.
 */
static bool svm_cpu_claim(struct svm_cpu *c)
{
	uint32_t apic_id = svm_own_apic_id(), expect = vmm_slot_apic_id(c->vcpu.cpu);

	if (apic_id != expect) {
		vmm_log("vmm: svm: the core with APIC id %u asked for cpu %u's state, which is "
			"APIC id %u's", apic_id, c->vcpu.cpu, expect);
		return false;
	}
	if (__atomic_exchange_n(&c->claimed, true, __ATOMIC_ACQ_REL)) {
		vmm_log("vmm: svm: cpu %u entered the layer twice", c->vcpu.cpu);
		return false;
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, c->hsave_pa);
	if (rdmsr(MSR_VM_HSAVE_PA) != c->hsave_pa) {
		vmm_log("vmm: svm: cpu %u: VM_HSAVE_PA reads %#lx, not %#lx", c->vcpu.cpu,
			rdmsr(MSR_VM_HSAVE_PA), c->hsave_pa);
		return false;
	}
	return true;
}

static bool svm_cpu_enter(uint32_t cpu, uint64_t guest_rsp, uint64_t guest_rip)
{
	struct svm_cpu *c;

	/* No state: vmm_cpu_add refused the core, so it is not started. */
	if (cpu >= svm_nr_cpus || !svm_cpus[cpu].vmcb)
		return false;
	c = &svm_cpus[cpu];
	__asm__ volatile("cli");
	if (!svm_cpu_claim(c))
		return false;
	svm_launch(c, guest_rsp, guest_rip);
}

static void svm_cpu_run_started(uint32_t cpu)
{
	struct svm_cpu *c = &svm_cpus[cpu];

	/* vmm_host_cpu_start checked the slot is this core's and not yet started. */
	c->claimed = true;
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
