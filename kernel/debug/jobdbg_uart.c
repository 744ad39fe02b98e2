// SPDX-License-Identifier: GPL-2.0
/*
 * Bare mode's debugger (boot option gdb=com2): gdb's remote protocol on
 * the second serial port, served by the agent of the stopped process
 * itself (jobdbg.c), with the same parser as the host proxy's server
 * (cove/gdb_rsp.h). One process at a time has the line: the first that
 * asks (job option gdb=1) until it ends.
 *
 * gdb connects whenever it likes (`target remote` to the emulator's
 * socket for the port): the process waits at its first stop until gdb
 * asks. A ^C from gdb while the process runs is not seen (nobody reads
 * the line then); gdb hears of the process's end.
 */
#include <cove/debug_abi.h>
#include <cove/errno.h>
#include <cove/gdb_rsp.h>
#include <cove/jobdbg.h>
#include <cove/jobdbg_uart.h>
#include <cove/kprintf.h>
#include <cove/kvsnprintf.h>
#include <cove/sched.h>
#include <cove/serial16550.h>
#include <cove/signal.h>
#include <cove/spinlock.h>
#include <cove/string.h>
#include <cove/task.h>
#include <cove/timer.h>
#include <arch/dbg_regs.h>
#include "jobdbg_internal.h"

#define JOBDBG_UART_POLL_NS (200 * 1000ULL)
#define JOBDBG_UART_BUF 4096

/* Set once by options_parse on the boot CPU (0: no line); read-only afterwards. */
static uint16_t uart_port;
/* The process that has the line; under uart_lock. */
static spinlock_t uart_lock = SPINLOCK_INIT;
static struct process *uart_owner;
static bool uart_ready;			/* the UART is set up; under uart_lock */
/*
 * The session's state and buffers: the owner's agent's alone (one agent
 * per process at a time), and its end's (jobdbg_process_exit).
 */
static struct rsp_reader uart_rd;
static struct rsp_cmd uart_cmd;
static uint8_t uart_bin[JOBDBG_UART_BUF], uart_out[JOBDBG_UART_BUF];
static char uart_text[RSP_PACKET_MAX + 1];
static char uart_frame[2 * RSP_PACKET_MAX + 8];
static size_t uart_frame_len;
static int64_t uart_tid_g, uart_tid_c;
static bool uart_waiting;		/* gdb resumed us and waits for a stop reply */
static bool uart_killed;		/* gdb killed it: no end to report */
static int uart_stop_sig;
static uint32_t uart_stop_tid;

void jobdbg_set_uart(uint16_t port)
{
	uart_port = port;
}

bool jobdbg_uart_claim(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&uart_lock);
	bool ok = uart_port && !uart_owner;

	if (ok && !uart_ready) {
		uart_ready = serial16550_raw_init(uart_port);
		ok = uart_ready;
	}
	if (ok) {
		uart_owner = p;
		uart_waiting = false;
		uart_killed = false;
		rsp_reader_init(&uart_rd);
	}
	spin_unlock_irqrestore(&uart_lock, flags);
	return ok;
}

static void uart_send(const char *body, size_t len)
{
	uart_frame_len = rsp_frame(body, len, uart_frame, sizeof(uart_frame));
	serial16550_raw_write(uart_port, uart_frame, uart_frame_len);
}

static void uart_send_str(const char *s)
{
	uart_send(s, strlen(s));
}

static void uart_error(int64_t err)
{
	char r[8];

	ksnprintf(r, sizeof(r), "E%02x", (unsigned int)(err < 0 ? -err : err) & 0xff);
	uart_send_str(r);
}

static void uart_stop_reply(void)
{
	char r[48];
	int sig = rsp_sig_from_linux(uart_stop_sig);

	ksnprintf(r, sizeof(r), "T%02xthread:%x;", sig ? sig : 5, uart_stop_tid);
	uart_send_str(r);
}

/* gdb's next packet into uart_cmd; false if the process was killed meanwhile. */
static bool uart_next_packet(struct process *p)
{
	for (;;) {
		int c = serial16550_raw_getc(uart_port);

		if (c < 0) {
			if (p->kill_signal)
				return false;
			sched_sleep_until(time_now_ns() + JOBDBG_UART_POLL_NS);
			continue;
		}
		switch (rsp_feed(&uart_rd, (uint8_t)c)) {
		case RSP_EV_PACKET:
			serial16550_raw_write(uart_port, "+", 1);
			rsp_parse(uart_rd.body, uart_rd.len, &uart_cmd, uart_bin, sizeof(uart_bin));
			return true;
		case RSP_EV_BAD_PACKET:
			serial16550_raw_write(uart_port, "-", 1);
			break;
		case RSP_EV_NAK:
			serial16550_raw_write(uart_port, uart_frame, uart_frame_len);
			break;
		default:
			break;
		}
	}
}

static uint64_t uart_thread_arg(int64_t tid)
{
	return tid > 0 ? (uint64_t)tid : 0;
}

static int64_t uart_exec(struct task *me, struct trap_frame *f, uint64_t op, uint64_t a1,
			 uint64_t a2, const void *data, uint32_t len, uint32_t *out_len,
			 bool *resumed)
{
	struct jobdbg_req rq = { .op = op, .a1 = a1, .a2 = a2, .data = data, .len = len };

	return jobdbg_exec(me, f, &rq, uart_out, sizeof(uart_out), out_len, resumed);
}

static void uart_read_mem(struct task *me, struct trap_frame *f, const struct rsp_cmd *c)
{
	uint64_t len = MIN(c->len, (uint64_t)RSP_PACKET_MAX / 2), done = 0;
	uint8_t *mem = uart_bin;	/* free again: the packet is parsed */

	while (done < len) {
		uint32_t chunk = (uint32_t)MIN(len - done, (uint64_t)COVE_DBG_MEM_MAX), n;
		bool resumed;

		if (uart_exec(me, f, COVE_DBG_READ, c->addr + done, chunk, NULL, 0, &n,
			      &resumed) < 0)
			break;	/* what came before is the answer, as gdb reads up to a hole */
		memcpy(mem + done, uart_out, n);
		done += n;
	}
	if (!done && len) {
		uart_error(-EFAULT);
		return;
	}
	rsp_hex(mem, done, uart_text);
	uart_send_str(uart_text);
}

static void uart_threads(struct task *me, struct trap_frame *f, int64_t alive)
{
	uint32_t n, tids[COVE_DBG_THREADS_MAX];
	bool resumed;
	int64_t r = uart_exec(me, f, COVE_DBG_THREADS, 0, 0, NULL, 0, &n, &resumed);
	size_t o = 0;

	r = r < 0 ? 0 : MIN((uint64_t)r, (uint64_t)COVE_DBG_THREADS_MAX);
	memcpy(tids, uart_out, (size_t)r * sizeof(tids[0]));
	if (alive) {
		for (int64_t i = 0; i < r; i++)
			if (tids[i] == alive) {
				uart_send_str("OK");
				return;
			}
		uart_error(-ESRCH);
		return;
	}
	uart_text[o++] = r ? 'm' : 'l';
	for (int64_t i = 0; i < r; i++)
		o += (size_t)ksnprintf(uart_text + o, sizeof(uart_text) - o, "%s%x", i ? "," : "",
				       tids[i]);
	uart_send(uart_text, o);
}

/* One packet; true with *sig when it resumed the process. */
static bool uart_handle(struct task *me, struct trap_frame *f, const struct rsp_cmd *c, int *sig)
{
	bool resumed = false;
	uint32_t n;
	int64_t r;
	char s[48];

	switch (c->kind) {
	case RSP_HALT_REASON:
		uart_stop_reply();
		break;
	case RSP_READ_REGS:
		r = uart_exec(me, f, COVE_DBG_REGS, uart_thread_arg(uart_tid_g), 0, NULL, 0, &n,
			      &resumed);
		if (r < 0) {
			uart_error(r);
			break;
		}
		rsp_hex(uart_out, n, uart_text);
		rsp_mark_unavailable(uart_text, n, DBG_REGS_GAP_START, DBG_REGS_GAP_END);
		uart_send_str(uart_text);
		break;
	case RSP_WRITE_REGS:
		r = uart_exec(me, f, COVE_DBG_SET_REGS, uart_thread_arg(uart_tid_g), 0, c->data,
			      (uint32_t)c->data_len, &n, &resumed);
		r < 0 ? uart_error(r) : uart_send_str("OK");
		break;
	case RSP_READ_MEM:
		uart_read_mem(me, f, c);
		break;
	case RSP_WRITE_MEM:
		r = 0;
		for (size_t done = 0; done < c->data_len && r >= 0; done += COVE_DBG_MEM_MAX)
			r = uart_exec(me, f, COVE_DBG_WRITE, c->addr + done, 0, c->data + done,
				      (uint32_t)MIN(c->data_len - done, (size_t)COVE_DBG_MEM_MAX),
				      &n, &resumed);
		r < 0 ? uart_error(r) : uart_send_str("OK");
		break;
	case RSP_CONTINUE:
	case RSP_STEP:
		*sig = (int)uart_exec(me, f, c->kind == RSP_STEP ? COVE_DBG_STEP : COVE_DBG_CONT,
				      c->has_sig ? (uint64_t)rsp_sig_to_linux(c->sig) : 0,
				      c->kind == RSP_STEP ? uart_thread_arg(uart_tid_c) : 0, NULL,
				      0, &n, &resumed);
		if (!resumed)
			uart_error(-ESRCH);
		uart_waiting = resumed;
		return resumed;
	case RSP_SET_THREAD:
		*(c->op == 'g' ? &uart_tid_g : &uart_tid_c) = c->tid;
		uart_send_str("OK");
		break;
	case RSP_THREAD_ALIVE:
		uart_threads(me, f, c->tid);
		break;
	case RSP_THREADS_FIRST:
		uart_threads(me, f, 0);
		break;
	case RSP_THREADS_NEXT:
		uart_send_str("l");
		break;
	case RSP_CURRENT_THREAD:
		ksnprintf(s, sizeof(s), "QC%x", uart_stop_tid);
		uart_send_str(s);
		break;
	case RSP_SUPPORTED:
		uart_send_str("PacketSize=" RSP_PACKET_SIZE_HEX);
		break;
	case RSP_ATTACHED:
		uart_send_str("0");	/* started for gdb: gdb kills it on quit */
		break;
	case RSP_KILL:
		if (c->reply_ok)
			uart_send_str("OK");
		uart_killed = true;
		uart_exec(me, f, COVE_DBG_KILL, 0, 0, NULL, 0, &n, &resumed);
		break;
	case RSP_DETACH:
		uart_send_str("OK");
		*sig = (int)uart_exec(me, f, COVE_DBG_DETACH, 0, 0, NULL, 0, &n, &resumed);
		return true;
	case RSP_BAD:
		uart_send_str("E01");
		break;
	default:
		uart_send_str("");
		break;
	}
	return false;
}

int jobdbg_uart_session(struct task *me, struct trap_frame *f, int sig)
{
	struct process *p = me->proc;
	int pass = 0;
	bool resumed;
	uint32_t n;

	uart_stop_sig = sig;
	uart_stop_tid = me->tid;
	uart_tid_g = 0;
	if (uart_waiting) {
		uart_waiting = false;
		uart_stop_reply();
	}
	for (;;) {
		if (!uart_next_packet(p)) {
			/* Killed while stopped: let it go its way. */
			uart_exec(me, f, COVE_DBG_DETACH, 0, 0, NULL, 0, &n, &resumed);
			return 0;
		}
		if (uart_handle(me, f, &uart_cmd, &pass))
			return pass;
	}
}

void jobdbg_process_exit(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&uart_lock);
	bool mine = uart_owner == p;

	if (mine)
		uart_owner = NULL;
	spin_unlock_irqrestore(&uart_lock, flags);
	if (!mine || !uart_waiting || uart_killed || !p->dbg_on)
		return;
	/* gdb resumed it and waits: the end is its stop reply. */
	if (p->term_signal)
		ksnprintf(uart_text, sizeof(uart_text), "X%02x",
			  rsp_sig_from_linux(p->term_signal) & 0xff);
	else
		ksnprintf(uart_text, sizeof(uart_text), "W%02x", p->exit_code & 0xff);
	uart_waiting = false;
	uart_send_str(uart_text);
}
