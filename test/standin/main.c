// SPDX-License-Identifier: GPL-2.0
/*
 * The stand-in's run: read what GRUB gave, place and load Cove the way the
 * Linux module does, start its cores, serve it (and the one job it was asked
 * to launch), take the cores back, and end with one verdict line
 * bochs-run.sh turns into the exit status.
 * Its options: options.c.
 */
#include <arch/platform.h>

#include "standin.h"
#include "x86.h"

#define START_TIMEOUT_MS 10000	/* the module's COVE_LAUNCH_TIMEOUT_MS */

/* What the run showed, for the verdict. */
struct outcome {
	enum serve_end end;
	bool second_arrived;		/* the second core reached the layer's entry */
	bool started;			/* the boot core reached Cove's entry */
	bool ready;			/* READY was reached */
	bool launched;			/* Cove accepted the job */
	bool panicked;			/* state PANIC */
	bool stopped_clean;		/* STOPPED with status 0 after our shutdown */
	bool fault;
	bool hung;			/* the heartbeat watch gave up on it */
	bool intact;
	bool core_back;
	bool second_back;
	uint64_t changed_at, changed_to;
};

static struct boot_facts facts;
static struct enclave enclave;
static char cove_cmdline[PISCES_CMDLINE_MAX + 64];
static char report[COVE_REPORT_MAX + 1];
static char job_line[JOB_MAX];

static void __noreturn power_off(int status, const char *why)
{
	static const char *const names[] = {
		[STANDIN_OK] = "expected outcome seen", [STANDIN_WRONG] = "unexpected outcome",
		[STANDIN_BAD_INPUT] = "bad input", [STANDIN_TIMEOUT] = "timeout",
	};

	print("standin: powering off (status %d: %s%s%s)\n", status, names[status],
	      why ? ": " : "", why ? why : "");
	platform_emulator_exit(status);
	halt_forever();
}

static void put_hex(char *dst, uint64_t v)
{
	int n = 0;
	char tmp[17];

	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	*dst++ = '0';
	*dst++ = 'x';
	while (n)
		*dst++ = tmp[--n];
	*dst = '\0';
}

/* Cove's command line: the module's string, plus where to aim if asked. */
static int compose_cmdline(const struct options *o)
{
	size_t len = strlen(facts.module_cmdline);

	if (len >= PISCES_CMDLINE_MAX) {
		print("standin: Cove's command line (the module string) is %lu bytes; at most %u\n",
		      (uint64_t)len, PISCES_CMDLINE_MAX - 1);
		return -1;
	}
	memcpy(cove_cmdline, facts.module_cmdline, len + 1);
	if (o->aim_watch) {
		if (strstr(cove_cmdline, "fault_addr=")) {
			print("standin: aim=watch, but Cove's command line names fault_addr= already\n");
			return -1;
		}
		memcpy(cove_cmdline + len, len ? " fault_addr=" : "fault_addr=", len ? 13 : 12);
		put_hex(cove_cmdline + strlen(cove_cmdline), watch_target());
	}
	return 0;
}

static bool in_ram(uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < facts.nr_ram; i++) {
		if (base >= facts.ram[i].base &&
		    base + size <= facts.ram[i].base + facts.ram[i].size)
			return true;
	}
	return false;
}

/* Everything about the input that can be wrong, each with its own message. */
static void check_inputs(struct options *o)
{
	if (parse_options(facts.cmdline, o))
		power_off(STANDIN_BAD_INPUT, "bad stand-in command line");
	if (facts.nr_modules != 1 && facts.nr_modules != 2) {
		print("standin: GRUB gave %u modules; cove.elf and at most an initrd are wanted\n",
		      facts.nr_modules);
		power_off(STANDIN_BAD_INPUT, "no Cove image");
	}
	if (facts.nr_modules == 2 && (!facts.initrd.size || !in_ram(facts.initrd.base,
								     facts.initrd.size))) {
		print("standin: the initrd module (%lx+%lx) is empty or not in RAM\n",
		      facts.initrd.base, facts.initrd.size);
		power_off(STANDIN_BAD_INPUT, "bad initrd");
	}
	if (!facts.nr_ram)
		power_off(STANDIN_BAD_INPUT, "no memory map from the loader");
	if (!in_ram(TRAMP_PA, PAGE_SIZE)) {
		print("standin: the trampoline page %lx is not RAM on this machine\n", TRAMP_PA);
		power_off(STANDIN_BAD_INPUT, "no trampoline page");
	}
	if (tramp_check())
		power_off(STANDIN_BAD_INPUT, "trampoline mismatch");
	if (o->core == apic_self_id()) {
		print("standin: core=%lu is the stand-in's own core\n", o->core);
		power_off(STANDIN_BAD_INPUT, "bad core");
	}
	if (o->second == apic_self_id()) {
		print("standin: second=%lu is the stand-in's own core\n", o->second);
		power_off(STANDIN_BAD_INPUT, "bad second core");
	}
	if (image_check((const void *)facts.module.base, facts.module.size, &enclave))
		power_off(STANDIN_BAD_INPUT, "not a Cove image");
	if (compose_cmdline(o))
		power_off(STANDIN_BAD_INPUT, "bad Cove command line");
	if (job_compose(job_line, sizeof(job_line), o->job)) {
		print("standin: the job line with @watch filled in is longer than %u bytes\n",
		      JOB_MAX - 1);
		power_off(STANDIN_BAD_INPUT, "bad job line");
	}
	if (o->job[0] && facts.nr_modules != 2)
		print("standin: job= without an initrd module: the host has no files to give\n");
}

static void print_report(void)
{
	const char *p = report;

	memcpy(report, (const void *)enclave.host->fault_report, COVE_REPORT_MAX);
	report[COVE_REPORT_MAX] = '\0';
	print("standin: fault report %u from the protection layer (host page):\n",
	      enclave.host->fault_seq);
	while (*p) {
		const char *nl = p;

		while (*nl && *nl != '\n')
			nl++;
		print("standin: | ");
		print_raw(p, (size_t)(nl - p));
		print("\n");
		p = *nl ? nl + 1 : nl;
	}
}

/*
 * READY: launch the job, if asked for, as `cove run` does through the
 * module; serve it until it says it ended (or the enclave ends first).
 */
static enum serve_end run_job(const struct options *o, struct outcome *out, uint64_t deadline)
{
	struct enclave *e = &enclave;
	int rc;

	print("standin: launching job %u: %s\n", JOB_ID, job_line);
	rc = ctl_send(e, COVE_CTL_LAUNCH, JOB_ID, job_line, (uint32_t)strlen(job_line), 10000);
	if (rc < 0) {
		print("standin: Cove refused the launch (%d)\n", rc);
		return serve_until(e, tsc_deadline(1000), WANT_JOB_EXIT);
	}
	out->launched = true;
	return serve_until(e, deadline, WANT_JOB_EXIT);
}

/* Serve until the run has ended one way or another; fill what was seen. */
static void run_enclave(const struct options *o, struct outcome *out)
{
	struct enclave *e = &enclave;
	uint64_t deadline = tsc_deadline(o->timeout_s * 1000);
	uint32_t st;

	e->hang_ms = o->hang_ms;
	out->end = serve_until(e, deadline, WANT_READY);
	if (out->end == END_READY) {
		out->ready = true;
		if (o->job[0])
			out->end = run_job(o, out, deadline);
	}
	/* Not when hung: as the module, no shutdown is asked of a kernel that cannot answer. */
	if (out->end == END_READY || out->end == END_JOB_EXIT) {
		print("standin: the enclave is READY; asking it to shut down\n");
		if (ctl_send(e, COVE_CTL_SHUTDOWN, 0, NULL, 0, 5000) == 0)
			out->end = serve_until(e, tsc_deadline(5000), WANT_STOP);
		else
			out->end = END_TIMEOUT;
	}
	out->hung = e->hung;
	serve_drain(e, 1000);
	st = __atomic_load_n(&e->bp->tail.state, __ATOMIC_ACQUIRE);
	print("standin: enclave state %s, exit status %u; host page: guarded %u, fault_seq %u\n",
	      state_name(st), e->bp->tail.exit_status, e->host->guarded, e->host->fault_seq);
	out->fault = e->host->fault_seq != 0;
	out->stopped_clean = st == COVE_STATE_STOPPED && e->bp->tail.exit_status == 0;
	out->panicked = st == COVE_STATE_PANIC;
	if (o->job[0])
		print("standin: job %u: %s, %s; %u long calls answered\n", JOB_ID,
		      out->launched ? "launched" : "not launched",
		      job_seen.exited ? "exited" : "no exit seen", job_seen.calls);
	if (out->end == END_BROKEN)
		print("standin: the enclave broke the channel protocol: %s\n", e->broken);
	if (out->fault)
		print_report();
	if (out->end == END_TIMEOUT)
		print("standin: the enclave reached no end within %lu s (state %s)\n",
		      o->timeout_s, state_name(st));
}

/* Whether this run showed what was asked for; why not, if not. */
static const char *judge(const struct options *o, const struct outcome *out)
{
	if (o->second != NO_CORE && !out->second_arrived)
		return "the second core never reached the protection layer's entry";
	if (!out->started)
		return "the enclave's core never reached Cove's entry";
	if (!out->core_back)
		return "the enclave's core did not come back to the host";
	if (o->second != NO_CORE && !out->second_back)
		return "the enclave's second core did not come back to the host";
	if (o->job[0] && !out->launched)
		return "the job was not launched";
	switch (o->expect) {
	case EXPECT_CONTAINED:
		if (!out->fault)
			return "no fault was reported";
		return out->intact ? NULL : "a fault was reported, yet the watched memory changed";
	case EXPECT_CHANGED:
		if (out->fault)
			return "a fault was reported: the write was contained";
		return out->intact ? "the watched memory did not change" : NULL;
	case EXPECT_READY:
		if (out->fault)
			return "a fault was reported";
		if (o->job[0] && !job_seen.exited)
			return "the job did not run to its end";
		if (!out->ready || !out->stopped_clean)
			return "the enclave did not reach READY and stop cleanly";
		return out->intact ? NULL : "the watched memory changed";
	case EXPECT_RESET:
		return "the machine was not reset";
	case EXPECT_HUNG:
		if (out->fault)
			return "a fault was reported";
		if (!out->hung)
			return "the enclave was not found hung";
		return out->intact ? NULL : "the watched memory changed";
	case EXPECT_PANIC:
		if (out->fault)
			return "a fault was reported";
		if (!out->panicked)
			return "the kernel did not end in PANIC";
		return out->intact ? NULL : "the watched memory changed";
	}
	return "unknown expectation";
}

/*
 * The rings the stand-in's core took, and the layer's own count of what it
 * let out and dropped (zero unguarded: no layer counts). Read once each:
 * the layer may still be writing them.
 */
static void print_rings(void)
{
	uint32_t rings = __atomic_load_n(&enclave.host->doorbell_rings, __ATOMIC_RELAXED);
	uint32_t dropped = __atomic_load_n(&enclave.host->doorbell_dropped, __ATOMIC_RELAXED);

	print("standin: the host's core took %u doorbell rings; host page: doorbell_rings %u, "
	      "doorbell_dropped %u\n", doorbell_count(), rings, dropped);
}

/*
 * As the module starts every core but the boot core: into the protection
 * layer's entry, where it only says it arrived and waits until the layer
 * releases it, so it must be there before the kernel asks for it. One
 * that never arrives is stopped again.
 */
static bool start_second(struct enclave *e)
{
	uint64_t deadline;

	print("standin: starting the core with APIC ID %u in the protection layer's entry\n",
	      e->second_apic_id);
	core_start(e->second_apic_id, (uint64_t)standin_pml4, (uint32_t)(e->base >> 12),
		   e->base + e->cpu_entry);
	deadline = tsc_deadline(START_TIMEOUT_MS);
	while (__atomic_load_n(&e->bp->tail.cpus[1].arrived, __ATOMIC_ACQUIRE) != 1) {
		if (tsc_passed(deadline)) {
			print("standin: the core with APIC ID %u did not reach the protection "
			      "layer's entry in %u ms\n", e->second_apic_id, START_TIMEOUT_MS);
			apic_send_init(e->second_apic_id);
			return false;
		}
		cpu_relax();
	}
	print("standin: the core with APIC ID %u arrived in the protection layer's entry\n",
	      e->second_apic_id);
	return true;
}

/* As the module: the boot core says it left the trampoline by moving the state. */
static bool start_boot_core(struct enclave *e)
{
	uint64_t deadline;

	print("standin: starting the enclave on the core with APIC ID %u\n", e->apic_id);
	core_start(e->apic_id, (uint64_t)standin_pml4, (uint32_t)(e->base >> 12),
		   e->base + e->entry);
	deadline = tsc_deadline(START_TIMEOUT_MS);
	while (__atomic_load_n(&e->bp->tail.state, __ATOMIC_ACQUIRE) < COVE_STATE_BOOTING) {
		if (tsc_passed(deadline)) {
			print("standin: the core with APIC ID %u did not reach Cove's entry in %u ms\n",
			      e->apic_id, START_TIMEOUT_MS);
			return false;
		}
		cpu_relax();
	}
	return true;
}

static bool take_back(uint32_t apic_id)
{
	bool back = core_take_back(apic_id, (uint64_t)standin_pml4);

	if (back)
		print("standin: took the core with APIC ID %u back (INIT; it runs the host's code "
		      "again)\n", apic_id);
	else
		print("standin: the core with APIC ID %u did not come back after INIT and SIPI\n",
		      apic_id);
	return back;
}

/* pisces=1: load, start and serve Cove as a plain Pisces loader would. */
static void __noreturn pisces_main(const struct options *o, uint32_t khz)
{
	const char *why;
	bool back;

	if (pisces_fill(&enclave, cove_cmdline, khz, &facts.initrd))
		power_off(STANDIN_BAD_INPUT, "the image does not fit the partition");
	print("standin: pisces: partition %lu MiB at %lx, the block and buffers as Pisces lays "
	      "them out, no Cove extension; Cove's command line: %s\n", enclave.size >> 20,
	      enclave.base, cove_cmdline);
	reset_mark_set();
	pisces_start(&enclave);
	why = pisces_serve(o, job_line);
	back = take_back(enclave.apic_id);
	reset_mark_clear();
	if (!watch_intact(&(uint64_t){ 0 }, &(uint64_t){ 0 }))
		why = why ? why : "the watched memory changed";
	if (!back)
		why = why ? why : "the enclave's core did not come back to the host";
	if (!why) {
		print("standin: expected 'ready': seen\n");
		power_off(STANDIN_OK, "ready");
	}
	print("standin: expected 'ready': %s\n", why);
	power_off(STANDIN_WRONG, why);
}

void standin_main(uint32_t magic, uint64_t info)
{
	struct options opt;
	struct outcome out = { 0 };
	struct range keep[4];
	uint32_t khz;
	const char *why;

	serial_init();
	print("standin: Pisces host stand-in; CPU 0 stays the host's\n");
	if (mb2_read(magic, info, &facts))
		power_off(STANDIN_BAD_INPUT, "no multiboot2 information");
	apic_init();
	print("standin: options: %s\n", facts.cmdline[0] ? facts.cmdline : "(none)");
	check_inputs(&opt);
	if (reset_mark_take()) {
		print("standin: the machine was reset while the enclave ran: the host did not "
		      "survive it\n");
		if (opt.expect == EXPECT_RESET) {
			print("standin: expected 'reset': seen\n");
			power_off(STANDIN_OK, "reset");
		}
		power_off(STANDIN_WRONG, "the machine was reset under the host");
	}
	khz = tsc_calibrate();
	if (!khz)
		power_off(STANDIN_BAD_INPUT, "no TSC rate");
	watch_arm();
	nmi_watch_arm();

	/* The partition must not cover anything the stand-in still uses. */
	keep[0] = (struct range){ 0, MiB };	/* BIOS data, the trampoline page */
	keep[1] = (struct range){ (uint64_t)__image_start,
				  (uint64_t)(__image_end - __image_start) };
	keep[2] = facts.module;
	keep[3] = facts.initrd;		/* copied into the partition, so not under it */
	enclave.apic_id = (uint32_t)opt.core;
	enclave.has_second = opt.second != NO_CORE;
	enclave.second_apic_id = enclave.has_second ? (uint32_t)opt.second : 0;
	if (enclave_place(&facts, &enclave, opt.mem, keep, ARRAY_SIZE(keep)))
		power_off(STANDIN_BAD_INPUT, "no room for the partition");
	image_load((const void *)facts.module.base, &enclave);
	if (opt.pisces)
		pisces_main(&opt, khz);
	if (enclave_fill(&enclave, cove_cmdline, khz, (uint64_t)standin_pml4, &facts.initrd))
		power_off(STANDIN_BAD_INPUT, "the image does not fit the partition");
	doorbell_arm(enclave.host);
	print("standin: partition %lu MiB at %lx; Cove image %lx-%lx; TSC %u kHz\n",
	      enclave.size >> 20, enclave.base, enclave.base + enclave.image_start,
	      enclave.base + enclave.image_end, khz);
	print("standin: watched page at %lx; Cove's command line: %s\n",
	      ALIGN_DOWN(watch_target(), PAGE_SIZE), cove_cmdline);
	if (facts.initrd.size) {
		print("standin: initrd of %lu KiB at %lx; its files are the host's too\n",
		      facts.initrd.size >> 10, enclave.bp->pisces.initrd_addr);
		files_init(&facts.initrd);
	}

	/* From the first core started until every core is back. */
	reset_mark_set();
	if (enclave.has_second)
		out.second_arrived = start_second(&enclave);
	if (!enclave.has_second || out.second_arrived)
		out.started = start_boot_core(&enclave);
	if (out.started)
		run_enclave(&opt, &out);
	else
		out.end = END_TIMEOUT;

	doorbell_disarm();
	print_rings();
	out.core_back = take_back(enclave.apic_id);
	if (enclave.has_second)
		out.second_back = take_back(enclave.second_apic_id);
	reset_mark_clear();
	out.intact = watch_intact(&out.changed_at, &out.changed_to);
	if (nmi_count())
		print("standin: the host's core took %u NMI%s it did not ask for\n", nmi_count(),
		      nmi_count() == 1 ? "" : "s");
	if (out.intact)
		print("standin: host alive, watched memory intact\n");
	else
		print("standin: watched memory CHANGED: %lx now holds %016lx\n", out.changed_at,
		      out.changed_to);

	why = judge(&opt, &out);
	if (!why) {
		print("standin: expected '%s': seen\n", expect_names[opt.expect]);
		power_off(STANDIN_OK, expect_names[opt.expect]);
	}
	print("standin: expected '%s': %s\n", expect_names[opt.expect], why);
	power_off(out.end == END_TIMEOUT ? STANDIN_TIMEOUT : STANDIN_WRONG, why);
}
