// SPDX-License-Identifier: GPL-2.0
/*
 * The stand-in's own command line (its multiboot2 string). Every word must
 * be an option below with a good value; anything else is named and the run
 * ends with status 2 before Cove is touched.
 *
 *   expect=ready|contained|changed|panic|reset|hung   what the run must show (ready)
 *       ready      the enclave reaches READY, runs the job to its end if
 *                  job= names one, shuts down on request, and the watched
 *                  page is untouched
 *       contained  the protection layer reports a fault in the host page and
 *                  the watched page is untouched
 *       changed    no fault is reported and the watched page was written
 *                  (the proof that a contained write would have done harm)
 *       panic      the kernel ends in PANIC without a fault report (a bug the
 *                  kernel caught itself) and the watched page is untouched
 *       reset      the whole machine resets while the enclave runs (the harm
 *                  of an unguarded triple fault or reset port): GRUB boots
 *                  the stand-in again, which finds its CMOS mark (reset.c)
 *                  and ends the run
 *       hung       the heartbeat watch (hang=) declared the enclave hung: no
 *                  fault reported, the watched page untouched
 *   aim=watch        append fault_addr=<a word of the watched page> to Cove's
 *                    command line (its fault_inject=wild_write target)
 *   mem=SIZE         partition size (256M), K/M/G suffix
 *   core=APICID      the enclave's boot core (1)
 *   second=APICID    give the enclave a second core (none by default): it is
 *                    started first, in the protection layer's entry
 *                    (cpu_entry_phys), and the boot core only once it said
 *                    it arrived, as the module starts every core but the
 *                    boot core; the machine needs a CPU with that APIC ID
 *   timeout=SECONDS  emulated seconds the enclave gets to reach an end (60)
 *   hang=MS          watch the heartbeat once Cove is READY, as the module
 *                    does (its hang_ms): silent for MS / 2, Cove is rung;
 *                    silent for MS, the enclave is hung (0, the default:
 *                    never, so no other run gets rings it did not ask for)
 *   pisces=1         be a plain Pisces loader (pisces.c): Pisces's block and
 *                    buffers exactly, no Cove extension, Cove entered at the
 *                    block's launch code; READY is Pisces's flag, job= goes
 *                    as a Pisces LAUNCH_JOB (PATH ARGS, the program from
 *                    Cove's initramfs, its output on the console ring), the
 *                    end as a Pisces SHUTDOWN. Only expect=ready, no second=
 *   job=LINE...      once Cove is READY, launch LINE as job 1 (COVE_CTL_LAUNCH,
 *                    jobs= syntax: [key=value ...] /path args) and serve its
 *                    long calls (jobs.c) until it exits; then shut Cove down.
 *                    The rest of the command line is the job line, so job=
 *                    comes last; each "@watch" in it becomes the address of
 *                    a word of the watched page (e.g. kfault's target). Cove
 *                    reads a host job's program from the host: the stand-in
 *                    serves it from GRUB's second module, a cpio archive
 *                    (files.c), which it also gives Cove as its initramfs.
 *                    (kfault's request for a fault is refused unless Cove's
 *                    command line has fault_inject=on_request.)
 */
#include "standin.h"

const char *const expect_names[] = { "ready", "contained", "changed", "panic", "reset", "hung" };

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
		print("standin: expect= takes ready, contained, changed, panic, reset or hung\n");
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
	if (word_is(w, klen, "second")) {
		/* APIC ID 0 is the stand-in's own CPU (the boot CPU GRUB left us on). */
		if (parse_number(v, vlen, false, &o->second) || !o->second || o->second > 0xfe) {
			print("standin: second= takes an APIC ID (1..254)\n");
			o->second = NO_CORE;
			return -1;
		}
		return 0;
	}
	if (word_is(w, klen, "hang")) {
		if (parse_number(v, vlen, false, &o->hang_ms) || o->hang_ms > 600000) {
			print("standin: hang= takes milliseconds (0..600000; 0: never)\n");
			return -1;
		}
		return 0;
	}
	if (word_is(w, klen, "pisces")) {
		if (!word_is(v, vlen, "1")) {
			print("standin: pisces= takes 1 (be a plain Pisces loader)\n");
			return -1;
		}
		o->pisces = true;
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

static int parse_job(struct options *o, const char *line)
{
	size_t len = strlen(line);

	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (!len || len >= sizeof(o->job)) {
		print("standin: job= takes a job line of 1..%lu characters (it has %lu)\n",
		      (uint64_t)sizeof(o->job) - 1, (uint64_t)len);
		return -1;
	}
	memcpy(o->job, line, len);
	o->job[len] = '\0';
	return 0;
}

/* Words separated by blanks; each must be an option we know; job= ends them. */
int parse_options(const char *cmdline, struct options *o)
{
	static char word[128];
	int errors = 0;

	*o = (struct options){ .expect = EXPECT_READY, .mem = 256 * MiB, .core = 1,
			       .second = NO_CORE, .timeout_s = 60 };
	for (const char *p = cmdline; *p;) {
		size_t len = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		/* The job line has blanks of its own: it is all the rest. */
		if (!strncmp(p, "job=", 4)) {
			errors += parse_job(o, p + 4) ? 1 : 0;
			break;
		}
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
	if (o->pisces && (o->second != NO_CORE || o->expect != EXPECT_READY || o->hang_ms ||
			  o->aim_watch)) {
		print("standin: pisces=1 runs the boot core alone and expects ready (no second=, "
		      "hang=, aim=)\n");
		errors++;
	}
	/* Only now: core= may come after second=. */
	if (o->second == o->core) {
		print("standin: second=%lu is the enclave's boot core (core=) already\n", o->second);
		errors++;
	}
	return errors;
}
