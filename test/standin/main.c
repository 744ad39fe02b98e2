// SPDX-License-Identifier: GPL-2.0
/*
 * The stand-in's run: read what GRUB gave, place and load Cove the way the
 * Linux module does, start its core, serve it, take the core back, and end
 * with one verdict line bochs-run.sh turns into the exit status.
 *
 * Options (the stand-in's multiboot2 command line):
 *   expect=ready|contained|changed   what the run must show (default ready)
 *       ready      the enclave reaches READY, shuts down on request, and the
 *                  watched page is untouched
 *       contained  the protection layer reports a fault in the host page and
 *                  the watched page is untouched
 *       changed    no fault is reported and the watched page was written
 *                  (the proof that a contained write would have done harm)
 *   aim=watch        append fault_addr=<a word of the watched page> to Cove's
 *                    command line (its fault_inject=wild_write target)
 *   mem=SIZE         partition size (256M), K/M/G suffix
 *   core=APICID      the enclave's core (1)
 *   timeout=SECONDS  emulated seconds the enclave gets to reach an end (60)
 */
#include "standin.h"
#include "x86.h"

#define BOCHS_SHUTDOWN_PORT 0x8900
#define START_TIMEOUT_MS 10000	/* the module's COVE_LAUNCH_TIMEOUT_MS */

enum expect { EXPECT_READY, EXPECT_CONTAINED, EXPECT_CHANGED };
static const char *const expect_names[] = { "ready", "contained", "changed" };

struct options {
	enum expect expect;
	bool aim_watch;
	uint64_t mem;
	uint64_t core;
	uint64_t timeout_s;
};

/* What the run showed, for the verdict. */
struct outcome {
	enum serve_end end;
	bool started;			/* the core reached Cove's entry */
	bool ready;			/* READY was reached */
	bool stopped_clean;		/* STOPPED with status 0 after our shutdown */
	bool fault;
	bool intact;
	bool core_back;
	uint64_t changed_at, changed_to;
};

static struct boot_facts facts;
static struct enclave enclave;
static char cove_cmdline[PISCES_CMDLINE_MAX + 64];
static char report[COVE_REPORT_MAX + 1];

static void __noreturn power_off(int status, const char *why)
{
	static const char *const names[] = {
		[STANDIN_OK] = "expected outcome seen", [STANDIN_WRONG] = "unexpected outcome",
		[STANDIN_BAD_INPUT] = "bad input", [STANDIN_TIMEOUT] = "timeout",
	};

	print("standin: powering off (status %d: %s%s%s)\n", status, names[status],
	      why ? ": " : "", why ? why : "");
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	halt_forever();
}

/* Decimal or 0x-hex digits, an optional K/M/G (if sizes), nothing after. */
static int parse_number(const char *s, size_t len, bool size, uint64_t *out)
{
	unsigned int base = 10, shift = 0;
	uint64_t v = 0;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return -1;
	for (; i < len; i++) {
		char c = s[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	if (size && i + 1 == len) {
		char c = s[i];

		shift = (c == 'K' || c == 'k') ? 10 : (c == 'M' || c == 'm') ? 20 :
			(c == 'G' || c == 'g') ? 30 : 0;
		if (shift)
			i++;
	}
	if (i != len || v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

static bool word_is(const char *w, size_t len, const char *name)
{
	return strlen(name) == len && !strncmp(w, name, len);
}

static int parse_option(struct options *o, const char *w, size_t len)
{
	const char *eq = w;
	size_t klen, vlen;
	const char *v;

	while (eq < w + len && *eq != '=')
		eq++;
	klen = (size_t)(eq - w);
	v = eq + 1;
	vlen = eq < w + len ? len - klen - 1 : 0;
	if (eq == w + len) {
		print("standin: option '%s' needs a value (NAME=VALUE)\n", w);
		return -1;
	}
	if (word_is(w, klen, "expect")) {
		for (unsigned int i = 0; i < ARRAY_SIZE(expect_names); i++) {
			if (word_is(v, vlen, expect_names[i])) {
				o->expect = (enum expect)i;
				return 0;
			}
		}
		print("standin: expect= takes ready, contained or changed\n");
		return -1;
	}
	if (word_is(w, klen, "aim")) {
		if (!word_is(v, vlen, "watch")) {
			print("standin: aim= takes watch (the stand-in's watched page)\n");
			return -1;
		}
		o->aim_watch = true;
		return 0;
	}
	if (word_is(w, klen, "mem")) {
		if (parse_number(v, vlen, true, &o->mem) || !o->mem || o->mem % (2 * MiB)) {
			print("standin: mem= takes a size in whole 2 MiB (e.g. 256M)\n");
			return -1;
		}
		return 0;
	}
	if (word_is(w, klen, "core")) {
		if (parse_number(v, vlen, false, &o->core) || o->core > 0xfe) {
			print("standin: core= takes an APIC ID (0..254)\n");
			return -1;
		}
		return 0;
	}
	if (word_is(w, klen, "timeout")) {
		if (parse_number(v, vlen, false, &o->timeout_s) || !o->timeout_s ||
		    o->timeout_s > 3600) {
			print("standin: timeout= takes seconds (1..3600)\n");
			return -1;
		}
		return 0;
	}
	print("standin: unknown option '");
	print_raw(w, len);
	print("'\n");
	return -1;
}

/* Words separated by blanks; each must be an option we know. */
static int parse_options(const char *cmdline, struct options *o)
{
	static char word[128];
	int errors = 0;

	*o = (struct options){ .expect = EXPECT_READY, .mem = 256 * MiB, .core = 1,
			       .timeout_s = 60 };
	for (const char *p = cmdline; *p;) {
		size_t len = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		while (p[len] && p[len] != ' ' && p[len] != '\t')
			len++;
		if (!len)
			break;
		if (len >= sizeof(word)) {
			print("standin: an option of %lu characters is too long\n", (uint64_t)len);
			errors++;
		} else {
			memcpy(word, p, len);
			word[len] = '\0';
			errors += parse_option(o, word, len) ? 1 : 0;
		}
		p += len;
	}
	return errors;
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
	if (facts.nr_modules != 1) {
		print("standin: GRUB gave %u modules; exactly one is wanted: cove.elf\n",
		      facts.nr_modules);
		power_off(STANDIN_BAD_INPUT, "no Cove image");
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
	if (image_check((const void *)facts.module.base, facts.module.size, &enclave))
		power_off(STANDIN_BAD_INPUT, "not a Cove image");
	if (compose_cmdline(o))
		power_off(STANDIN_BAD_INPUT, "bad Cove command line");
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

/* Serve until the run has ended one way or another; fill what was seen. */
static void run_enclave(const struct options *o, struct outcome *out)
{
	struct enclave *e = &enclave;
	uint64_t deadline = tsc_deadline(o->timeout_s * 1000);
	uint32_t st;

	out->end = serve_until(e, deadline, true);
	if (out->end == END_READY) {
		out->ready = true;
		print("standin: the enclave is READY; asking it to shut down\n");
		if (ctl_send(e, COVE_CTL_SHUTDOWN, 5000) == 0)
			out->end = serve_until(e, tsc_deadline(5000), false);
		else
			out->end = END_TIMEOUT;
	}
	serve_drain(e, 1000);
	st = __atomic_load_n(&e->bp->tail.state, __ATOMIC_ACQUIRE);
	print("standin: enclave state %s, exit status %u; host page: guarded %u, fault_seq %u\n",
	      state_name(st), e->bp->tail.exit_status, e->host->guarded, e->host->fault_seq);
	out->fault = e->host->fault_seq != 0;
	out->stopped_clean = st == COVE_STATE_STOPPED && e->bp->tail.exit_status == 0;
	if (out->fault)
		print_report();
	if (out->end == END_TIMEOUT)
		print("standin: the enclave reached no end within %lu s (state %s)\n",
		      o->timeout_s, state_name(st));
}

/* Whether this run showed what was asked for; why not, if not. */
static const char *judge(const struct options *o, const struct outcome *out)
{
	if (!out->started)
		return "the enclave's core never reached Cove's entry";
	if (!out->core_back)
		return "the enclave's core did not come back to the host";
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
		if (!out->ready || !out->stopped_clean)
			return "the enclave did not reach READY and stop cleanly";
		return out->intact ? NULL : "the watched memory changed";
	}
	return "unknown expectation";
}

void standin_main(uint32_t magic, uint64_t info)
{
	struct options opt;
	struct outcome out = { 0 };
	struct range keep[4];
	uint32_t khz;
	uint64_t deadline;
	const char *why;

	serial_init();
	print("standin: Pisces host stand-in; CPU 0 stays the host's\n");
	if (mb2_read(magic, info, &facts))
		power_off(STANDIN_BAD_INPUT, "no multiboot2 information");
	apic_init();
	print("standin: options: %s\n", facts.cmdline[0] ? facts.cmdline : "(none)");
	check_inputs(&opt);
	khz = tsc_calibrate();
	if (!khz)
		power_off(STANDIN_BAD_INPUT, "no TSC rate");
	watch_arm();

	/* The partition must not cover anything the stand-in still uses. */
	keep[0] = (struct range){ 0, MiB };	/* BIOS data, the trampoline page */
	keep[1] = (struct range){ (uint64_t)__image_start,
				  (uint64_t)(__image_end - __image_start) };
	keep[2] = facts.module;
	keep[3] = facts.mbi;
	enclave.apic_id = (uint32_t)opt.core;
	if (enclave_place(&facts, &enclave, opt.mem, keep, ARRAY_SIZE(keep)))
		power_off(STANDIN_BAD_INPUT, "no room for the partition");
	image_load((const void *)facts.module.base, &enclave);
	if (enclave_fill(&enclave, cove_cmdline, khz, (uint64_t)standin_pml4))
		power_off(STANDIN_BAD_INPUT, "the image does not fit the partition");
	print("standin: partition %lu MiB at %lx; Cove image %lx-%lx; TSC %u kHz\n",
	      enclave.size >> 20, enclave.base, enclave.base + enclave.image_start,
	      enclave.base + enclave.image_end, khz);
	print("standin: watched page at %lx; Cove's command line: %s\n",
	      ALIGN_DOWN(watch_target(), PAGE_SIZE), cove_cmdline);
	print("standin: starting the enclave on the core with APIC ID %u\n", enclave.apic_id);

	core_start(enclave.apic_id, (uint64_t)standin_pml4, (uint32_t)(enclave.base >> 12),
		   enclave.base + enclave.entry);
	/* As the module: the boot core says it left the trampoline by moving the state. */
	deadline = tsc_deadline(START_TIMEOUT_MS);
	out.started = true;
	while (__atomic_load_n(&enclave.bp->tail.state, __ATOMIC_ACQUIRE) < COVE_STATE_BOOTING) {
		if (tsc_passed(deadline)) {
			print("standin: the core with APIC ID %u did not reach Cove's entry in %u ms\n",
			      enclave.apic_id, START_TIMEOUT_MS);
			out.started = false;
			out.end = END_TIMEOUT;
			break;
		}
		cpu_relax();
	}
	if (out.started)
		run_enclave(&opt, &out);

	out.core_back = core_take_back(enclave.apic_id, (uint64_t)standin_pml4);
	if (out.core_back)
		print("standin: took the core with APIC ID %u back (INIT; it runs the host's code "
		      "again)\n", enclave.apic_id);
	else
		print("standin: the core with APIC ID %u did not come back after INIT and SIPI\n",
		      enclave.apic_id);
	out.intact = watch_intact(&out.changed_at, &out.changed_to);
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
