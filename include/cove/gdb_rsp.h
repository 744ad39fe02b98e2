/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gdb's remote serial protocol, the parsing half (kernel/lib/gdb_rsp.c):
 * packets out of a byte stream, the commands our stubs know out of
 * packets, and the replies' encoding. No I/O: the servers do that, the
 * host proxy's (linux/tools/gdb_stub.c, a TCP peer) and bare mode's
 * (kernel/debug/jobdbg_uart.c, a serial line). Everything here reads bytes
 * from whoever is at the other end and is fuzzed (test/fuzz/fuzz_gdb_rsp.c).
 */
#ifndef COVE_GDB_RSP_H
#define COVE_GDB_RSP_H

#include <cove/types.h>

/* Largest packet body either way; what qSupported's PacketSize says (hex). */
#define RSP_PACKET_MAX 4096
#define RSP_PACKET_SIZE_HEX "1000"

/* What one byte of input completed. */
enum rsp_event {
	RSP_EV_NONE,		/* nothing yet */
	RSP_EV_PACKET,		/* a packet with a good checksum: r->body, r->len */
	RSP_EV_BAD_PACKET,	/* a packet with a bad checksum or too long: ask again ('-') */
	RSP_EV_INTERRUPT,	/* ^C outside a packet */
	RSP_EV_ACK,		/* '+' */
	RSP_EV_NAK,		/* '-': send the last packet again */
};

struct rsp_reader {
	int state;
	char body[RSP_PACKET_MAX + 1];	/* NUL-terminated when complete; escapes undone */
	size_t len;
	uint8_t sum;			/* of the bytes as sent */
	uint8_t want;			/* the checksum the packet gave */
	bool overflow, escape;
};

void rsp_reader_init(struct rsp_reader *r);
enum rsp_event rsp_feed(struct rsp_reader *r, uint8_t c);

enum rsp_kind {
	RSP_UNKNOWN,		/* answered with an empty packet: not supported */
	RSP_BAD,		/* known, but malformed: "E01" */
	RSP_HALT_REASON,	/* ? */
	RSP_READ_REGS,		/* g */
	RSP_WRITE_REGS,		/* G XX...: data */
	RSP_READ_MEM,		/* m addr,len */
	RSP_WRITE_MEM,		/* M addr,len:XX...: data */
	RSP_CONTINUE,		/* c, C sig: sig */
	RSP_STEP,		/* s, S sig: sig */
	RSP_SET_THREAD,		/* H op tid: op 'g' or 'c', tid (0 any, -1 all) */
	RSP_THREAD_ALIVE,	/* T tid */
	RSP_THREADS_FIRST,	/* qfThreadInfo */
	RSP_THREADS_NEXT,	/* qsThreadInfo */
	RSP_CURRENT_THREAD,	/* qC */
	RSP_SUPPORTED,		/* qSupported */
	RSP_ATTACHED,		/* qAttached */
	RSP_KILL,		/* k, vKill */
	RSP_DETACH,		/* D */
};

struct rsp_cmd {
	enum rsp_kind kind;
	uint64_t addr, len;
	int64_t tid;
	char op;
	int sig;		/* gdb's signal number, 0 none */
	bool has_sig;
	bool reply_ok;		/* vKill wants "OK"; k wants nothing */
	const uint8_t *data;	/* decoded bytes (G, M), in the caller's buffer */
	size_t data_len;
};

/*
 * Parse packet body (len bytes) into cmd. Hex data is decoded into bin
 * (cap bytes) that cmd->data then points into. Never fails: what is not
 * understood is RSP_UNKNOWN, what is malformed RSP_BAD.
 */
void rsp_parse(const char *body, size_t len, struct rsp_cmd *cmd, uint8_t *bin, size_t cap);

/*
 * Frame body (len bytes) as a packet, "$...#xx", escaping what must be,
 * into out (cap bytes). Its length, or 0 if it does not fit.
 */
size_t rsp_frame(const char *body, size_t len, char *out, size_t cap);
/* Bytes as hex, lower case, into out (2 * len + 1 bytes with the NUL). */
void rsp_hex(const uint8_t *in, size_t len, char *out);
/*
 * In hex (from rsp_hex of len bytes), bytes [start, end) become "xx":
 * registers the target does not give. Nothing past len is touched.
 */
void rsp_mark_unavailable(char *hex, size_t len, size_t start, size_t end);

/* Linux's signal numbers to gdb's and back; 0 for one the other has not. */
int rsp_sig_from_linux(int sig);
int rsp_sig_to_linux(int sig);

#endif /* COVE_GDB_RSP_H */
