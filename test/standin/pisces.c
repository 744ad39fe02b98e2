// SPDX-License-Identifier: GPL-2.0
/*
 * pisces=1: the stand-in as a Pisces loader, byte for byte, with no Cove
 * extension. The partition as Pisces's setup_boot_params lays it out: the
 * block (struct pisces_boot_params, its launch code first) at the base,
 * the 64 KiB console ring (struct pisces_cons_ringbuf) on the next page,
 * then a page each for the control, long-call and XPMEM buffers (struct
 * pisces_xbuf), the image at the base's next 2 MiB, and the initrd 2 MiB
 * aligned after the image and 8 MiB for its .bss. The core starts in the
 * block's launch code, which loads %esi and jumps to the image's first
 * byte, as a Pisces host's trampoline does. READY is Pisces's flag bit;
 * the job goes as a Pisces LAUNCH_JOB, the end as a Pisces SHUTDOWN; each
 * answer is Pisces's status. There is no state word, host page or fault
 * report here: what Cove says arrives only on the console ring.
 */
#include "standin.h"
#include "x86.h"

#define P_RING_OFF 0x1000ULL
#define P_RING_SIZE 0x10000ULL		/* Pisces's 64 KiB ring */
#define P_CTL_OFF (P_RING_OFF + P_RING_SIZE)
#define P_LC_OFF (P_CTL_OFF + PAGE_SIZE)
#define P_XPMEM_OFF (P_LC_OFF + PAGE_SIZE)
#define P_KERNEL_OFF 0x200000ULL
#define P_LC_VECTOR 0xf4		/* ours, for a long call (none comes) */
#define P_LINE_MAX 160

/* The stub at the block's start: mov rsi, [rip + 41]; jmp [rip + 43] (to bytes 48, 56). */
static const uint8_t p_launch_code[] = {
	0x48, 0x8b, 0x35, 0x29, 0x00, 0x00, 0x00,
	0xff, 0x25, 0x2b, 0x00, 0x00, 0x00,
};

static struct pisces_boot_params *p_bp;
static struct pisces_cons_ringbuf *p_ring;
static struct pisces_xbuf *p_ctl;
static char p_line[P_LINE_MAX + 1];
static size_t p_line_len;
static bool p_job_done;

int pisces_fill(struct enclave *e, const char *cmdline, uint32_t tsc_khz,
		const struct range *initrd)
{
	struct pisces_boot_params *bp = (void *)e->base;
	/* What a Pisces loader reads: the flat file (build/cove.bin), .bss not in it. */
	uint64_t kernel_size = e->image_file_end - e->image_start;
	uint64_t initrd_off = ALIGN_UP(P_KERNEL_OFF + kernel_size + PISCES_BSS_PAD, 2 * MiB);
	struct pisces_xbuf *lc;
	size_t len = strlen(cmdline);

	if (e->image_start != P_KERNEL_OFF) {
		print("standin: pisces: the image links at %lx, not at the partition's second "
		      "2 MiB where Pisces puts it\n", e->image_start);
		return -1;
	}
	if (initrd_off + initrd->size > e->size || len >= sizeof(bp->cmd_line)) {
		print("standin: pisces: the partition cannot hold the image and initrd, or the "
		      "command line is too long\n");
		return -1;
	}
	/* image_load zeroed [base, base + image_end): as Pisces's memset. */
	memcpy(bp->launch_code_asm, p_launch_code, sizeof(p_launch_code));
	bp->launch_code_esi = e->base >> 12;
	bp->launch_code_target_addr = e->base + P_KERNEL_OFF;
	bp->magic = PISCES_MAGIC;
	bp->boot_params_size = sizeof(*bp);
	bp->cpu_id = e->apic_id;
	bp->apic_id = e->apic_id;
	bp->cpu_khz = tsc_khz;
	bp->trampoline_code_pa = TRAMP_PA;
	memcpy(bp->cmd_line, cmdline, len + 1);
	bp->kernel_addr = e->base + P_KERNEL_OFF;
	bp->kernel_size = kernel_size;
	if (initrd->size) {
		memcpy((void *)(e->base + initrd_off), (const void *)initrd->base, initrd->size);
		bp->initrd_addr = e->base + initrd_off;
		bp->initrd_size = initrd->size;
	}
	bp->console_ring_addr = e->base + P_RING_OFF;
	bp->console_ring_size = P_RING_SIZE;
	bp->control_buf_addr = e->base + P_CTL_OFF;
	bp->control_buf_size = PAGE_SIZE;
	bp->longcall_buf_addr = e->base + P_LC_OFF;
	bp->longcall_buf_size = PAGE_SIZE;
	bp->xpmem_buf_addr = e->base + P_XPMEM_OFF;
	bp->xpmem_buf_size = PAGE_SIZE;
	bp->base_mem_paddr = e->base;
	bp->base_mem_size = e->size;
	/* The long-call buffer is the host's to serve: it says where to ring. */
	lc = (void *)(e->base + P_LC_OFF);
	lc->host_apic = apic_self_id();
	lc->host_vector = P_LC_VECTOR;
	lc->total_size = PAGE_SIZE - PISCES_XBUF_HDR;
	lc->flags = PISCES_XBUF_READY;
	p_bp = bp;
	p_ring = (void *)(e->base + P_RING_OFF);
	p_ctl = (void *)(e->base + P_CTL_OFF);
	barrier();
	return 0;
}

static void p_line_flush(void)
{
	p_line[p_line_len] = '\0';
	print("enclave: %s\n", p_line);
	if (strstr(p_line, "job 1: done, status "))
		p_job_done = true;
	p_line_len = 0;
}

/* The host's side of Pisces's ring: take what is there under its lock. */
static void p_relay(void)
{
	uint64_t size = P_RING_SIZE - PISCES_CONS_HDR;

	while (__atomic_exchange_n((volatile uint8_t *)&p_ring->lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	/* Our own size, never the enclave's word for it: indices are bounded first. */
	while (p_ring->cur_len && p_ring->cur_len <= size && p_ring->read_idx < size) {
		char c = (char)p_ring->buf[p_ring->read_idx];

		p_ring->read_idx = (p_ring->read_idx + 1) % size;
		p_ring->cur_len--;
		if (c == '\n') {
			p_line_flush();
			continue;
		}
		if (c == '\r')
			continue;
		p_line[p_line_len++] = (c >= 32 && c < 127) ? c : '.';
		if (p_line_len == P_LINE_MAX)
			p_line_flush();
	}
	__atomic_store_n(&p_ring->lock, 0, __ATOMIC_RELEASE);
}

static uint64_t p_flags(void)
{
	return __atomic_load_n(&p_ctl->flags, __ATOMIC_ACQUIRE);
}

/*
 * Pisces's sync send on the control buffer, one chunk: returns the answer's
 * status, or -1 (no answer in time: the enclave gets no second chance).
 */
static int64_t p_send(const void *msg, uint32_t len, uint64_t timeout_ms)
{
	uint64_t deadline = tsc_deadline(timeout_ms);
	struct pisces_resp resp = { .status = PISCES_STATUS_ERR };
	uint32_t total, vector, cpu;

	while ((p_flags() & (PISCES_XBUF_READY | PISCES_XBUF_PENDING)) != PISCES_XBUF_READY) {
		if (tsc_passed(deadline)) {
			print("standin: pisces: the control buffer never became ready\n");
			return -1;
		}
		p_relay();
		cpu_relax();
	}
	total = __atomic_load_n(&p_ctl->total_size, __ATOMIC_RELAXED);
	if (len > total || total > PAGE_SIZE - PISCES_XBUF_HDR) {
		print("standin: pisces: a %u-byte command does not fit the %u bytes offered\n",
		      len, total);
		return -1;
	}
	__atomic_store_n(&p_ctl->flags, PISCES_XBUF_READY | PISCES_XBUF_PENDING,
			 __ATOMIC_SEQ_CST);
	p_ctl->data_len = len;
	memcpy(p_ctl->data, msg, len);
	__atomic_fetch_or(&p_ctl->flags, PISCES_XBUF_STAGED, __ATOMIC_SEQ_CST);
	vector = p_ctl->enclave_vector;
	cpu = p_ctl->enclave_cpu;
	if (vector >= 0x20 && vector <= 0xfe)
		apic_send_fixed(cpu, (uint8_t)vector);
	while (!(p_flags() & PISCES_XBUF_COMPLETE)) {
		if (tsc_passed(deadline)) {
			print("standin: pisces: no answer in %lu ms\n", timeout_ms);
			return -1;
		}
		p_relay();
		cpu_relax();
	}
	if ((p_flags() & PISCES_XBUF_STAGED) && p_ctl->data_len >= PISCES_MSG_HDR) {
		memcpy(&resp, p_ctl->data, PISCES_MSG_HDR);
		__atomic_fetch_and(&p_ctl->flags, ~PISCES_XBUF_STAGED, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&p_ctl->flags, PISCES_XBUF_READY, __ATOMIC_SEQ_CST);
	return (int64_t)resp.status;
}

/* Relay until cond() or the deadline; true if cond() came. */
static bool p_wait(bool (*cond)(void), uint64_t deadline)
{
	while (!cond()) {
		if (tsc_passed(deadline))
			return false;
		p_relay();
		cpu_relax();
	}
	p_relay();
	return true;
}

static bool p_up(void)
{
	return __atomic_load_n(&p_bp->flags, __ATOMIC_ACQUIRE) & PISCES_FLAG_INITIALIZED;
}

static bool p_down(void)
{
	return !p_up();
}

static bool p_job_ended(void)
{
	return p_job_done;
}

/* "PATH ARGS..." as Pisces's job description. */
static void p_job_spec(struct pisces_job_spec *s, const char *line)
{
	const char *sp = line;

	memset(s, 0, sizeof(*s));
	while (*sp && *sp != ' ')
		sp++;
	memcpy(s->name, "standin", 8);
	memcpy(s->exe_path, line, MIN((size_t)(sp - line), sizeof(s->exe_path) - 1));
	while (*sp == ' ')
		sp++;
	memcpy(s->argv, sp, MIN(strlen(sp), sizeof(s->argv) - 1));
	s->num_ranks = 1;
}

bool pisces_start(struct enclave *e)
{
	print("standin: pisces: starting the core with APIC ID %u at the block's launch code "
	      "(%lx), which enters the image's first byte (%lx)\n", e->apic_id, e->base,
	      p_bp->kernel_addr);
	core_start(e->apic_id, (uint64_t)standin_pml4, 0, e->base);
	return true;
}

const char *pisces_serve(const struct options *o, const char *job)
{
	uint64_t deadline = tsc_deadline(o->timeout_s * 1000);
	int64_t status;

	if (!p_wait(p_up, deadline))
		return "the enclave never set Pisces's initialized flag";
	print("standin: pisces: the enclave is up (flags %lx)\n", p_bp->flags);
	if (job[0]) {
		struct pisces_cmd_launch_job lj;

		lj.hdr.cmd = PISCES_CMD_LAUNCH_JOB;
		lj.hdr.data_len = sizeof(lj.spec);
		p_job_spec(&lj.spec, job);
		print("standin: pisces: LAUNCH_JOB %s %s\n", lj.spec.exe_path, lj.spec.argv);
		status = p_send(&lj, sizeof(lj), 10000);
		print("standin: pisces: LAUNCH_JOB answered status %ld\n", status);
		if (status)
			return "the job was not launched";
		if (!p_wait(p_job_ended, deadline))
			return "the job did not run to its end";
	}
	{
		struct pisces_cmd sd = { .cmd = PISCES_CMD_SHUTDOWN, .data_len = 0 };

		status = p_send(&sd, sizeof(sd), 5000);
		print("standin: pisces: SHUTDOWN answered status %ld\n", status);
		if (status)
			return "the shutdown was refused";
	}
	if (!p_wait(p_down, tsc_deadline(5000)))
		return "the enclave did not go down after SHUTDOWN";
	print("standin: pisces: the enclave cleared its initialized flag\n");
	p_wait(p_job_ended, tsc_deadline(200));	/* the rest of the log */
	return NULL;
}
