// SPDX-License-Identifier: GPL-2.0
/*
 * Time and cores: the TSC rate (the Pisces block must carry it; Cove never
 * touches the PIT in co-kernel mode), the boot core's local APIC, and
 * starting a core at a 64-bit entry the way the module does (cove_cpu.c):
 * INIT, 10 ms, SIPI, 200 us, SIPI into our trampoline page.
 */
#include "standin.h"
#include "x86.h"

#define APIC_BASE_X2APIC (1ULL << 10)
#define APIC_ID 0x20
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_ICR_LOW 0x300
#define APIC_ICR_HIGH 0x310
#define ICR_PENDING (1U << 12)
#define ICR_ASSERT (1U << 14)
#define ICR_LEVEL (1U << 15)
#define ICR_NMI 0x400
#define ICR_INIT 0x500
#define ICR_STARTUP 0x600

#define PIT_HZ 1193182
#define CALIBRATE_MS 10

/* Where trampoline.asm keeps its parameters. */
struct tramp_params {
	uint32_t org, cr3, pfn, pad;
	uint64_t entry;
} __attribute__((packed));
#define TRAMP_PARAMS_OFF 8

static uint64_t apic_mmio;	/* 0 in x2APIC mode: the registers are MSRs */
static uint32_t tsc_khz;

/* PIT channel 2 counts CALIBRATE_MS down (gate through port 0x61) while the TSC runs. */
uint32_t tsc_calibrate(void)
{
	uint32_t latch = PIT_HZ * CALIBRATE_MS / 1000;
	uint64_t t0, t1, spins = 0;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);
	outb(0x43, 0xb0);		/* channel 2, lo/hi byte, mode 0 */
	outb(0x42, latch & 0xff);
	outb(0x42, latch >> 8);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20)) {
		if (++spins > 100000000) {
			print("standin: the PIT never counted down; cannot measure the TSC\n");
			return 0;
		}
	}
	t1 = rdtsc();
	tsc_khz = (uint32_t)((t1 - t0) / CALIBRATE_MS);
	return tsc_khz;
}

void delay_us(uint64_t us)
{
	uint64_t end = rdtsc() + us * tsc_khz / 1000;

	while (rdtsc() < end)
		cpu_relax();
}

uint64_t tsc_deadline(uint64_t ms)
{
	return rdtsc() + ms * tsc_khz;
}

bool tsc_passed(uint64_t deadline)
{
	return rdtsc() >= deadline;
}

uint64_t tsc_ms_since(uint64_t t0)
{
	return tsc_khz ? (rdtsc() - t0) / tsc_khz : 0;
}

static void apic_write(uint32_t reg, uint32_t v)
{
	if (apic_mmio)
		mmio_write32(apic_mmio + reg, v);
	else
		__asm__ volatile("wrmsr" : : "c"(0x800 + (reg >> 4)), "a"(v), "d"(0));
}

static uint32_t apic_read(uint32_t reg)
{
	return apic_mmio ? mmio_read32(apic_mmio + reg) : (uint32_t)rdmsr(0x800 + (reg >> 4));
}

void apic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	apic_mmio = (base & APIC_BASE_X2APIC) ? 0 : (base & ~0xfffULL) & 0xffffffffffULL;
	apic_write(APIC_SVR, apic_read(APIC_SVR) | 0x100 | 0xff);	/* enabled, spurious 0xff */
}

/* Interrupt context: the end of the one interrupt being served. */
void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

uint32_t apic_self_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return apic_mmio ? id >> 24 : id;
}

static void apic_icr(uint32_t low, uint32_t apic_id)
{
	if (apic_mmio) {
		while (mmio_read32(apic_mmio + APIC_ICR_LOW) & ICR_PENDING)
			cpu_relax();
		mmio_write32(apic_mmio + APIC_ICR_HIGH, apic_id << 24);
		mmio_write32(apic_mmio + APIC_ICR_LOW, low);
		while (mmio_read32(apic_mmio + APIC_ICR_LOW) & ICR_PENDING)
			cpu_relax();
	} else {
		__asm__ volatile("wrmsr" : : "c"(0x830), "a"(low), "d"(apic_id));
	}
}

void apic_send_init(uint32_t apic_id)
{
	apic_icr(ICR_LEVEL | ICR_ASSERT | ICR_INIT, apic_id);
	apic_icr(ICR_LEVEL | ICR_INIT, apic_id);
}

void apic_send_fixed(uint32_t apic_id, uint8_t vector)
{
	apic_icr(ICR_ASSERT | vector, apic_id);
}

void apic_send_nmi(uint32_t apic_id)
{
	apic_icr(ICR_ASSERT | ICR_NMI, apic_id);
}

/* The core runs entry in 64-bit mode on cr3, %esi = arg_pfn, no stack. */
void core_start(uint32_t apic_id, uint64_t cr3, uint32_t arg_pfn, uint64_t entry)
{
	uint8_t *page = (uint8_t *)TRAMP_PA;
	struct tramp_params *p = (void *)(page + TRAMP_PARAMS_OFF);

	memcpy(page, tramp_blob, (size_t)(tramp_blob_end - tramp_blob));
	p->cr3 = (uint32_t)cr3;
	p->pfn = arg_pfn;
	p->entry = entry;
	barrier();
	apic_send_init(apic_id);
	delay_us(10000);
	apic_icr(ICR_STARTUP | (uint32_t)(TRAMP_PA >> 12), apic_id);
	delay_us(200);
	apic_icr(ICR_STARTUP | (uint32_t)(TRAMP_PA >> 12), apic_id);
}

/*
 * Stop the core (the first INIT may only make the protection layer leave
 * VMX operation, hence two) and prove it is ours again: started at
 * core_home, it must write its APIC ID there.
 */
bool core_take_back(uint32_t apic_id, uint64_t cr3)
{
	uint64_t deadline;

	for (int round = 0; round < 2; round++) {
		apic_send_init(apic_id);
		delay_us(10000);
	}
	core_home_apic = 0;
	core_start(apic_id, cr3, apic_id, (uint64_t)core_home);
	deadline = tsc_deadline(1000);
	while (core_home_apic != apic_id + 1) {
		if (tsc_passed(deadline))
			return false;
		cpu_relax();
	}
	return true;
}

/* The blob was assembled for TRAMP_PA: check, so a mismatch is a message, not a hang. */
int tramp_check(void)
{
	const struct tramp_params *p = (const void *)(tramp_blob + TRAMP_PARAMS_OFF);

	if ((uint64_t)(tramp_blob_end - tramp_blob) > PAGE_SIZE || p->org != TRAMP_PA) {
		print("standin: the trampoline was built for %x, not %lx, or is over a page\n",
		      p->org, TRAMP_PA);
		return -1;
	}
	return 0;
}
