// SPDX-License-Identifier: GPL-2.0
/*
 * gdb's remote protocol as `cove run --gdb` reads it (kernel/lib/gdb_rsp.c):
 * framing, checksums, escapes, the commands and their arguments, what is
 * refused, and the signal numbers gdb uses.
 */
#include <string.h>
#include <cove/gdb_rsp.h>
#include "unit.h"

static struct rsp_reader rd;
static uint8_t bin[4096];

/* Feed s; the last event. */
static enum rsp_event feed(const char *s, size_t n)
{
	enum rsp_event ev = RSP_EV_NONE;

	for (size_t i = 0; i < n; i++)
		ev = rsp_feed(&rd, (uint8_t)s[i]);
	return ev;
}

static enum rsp_event feed_str(const char *s)
{
	return feed(s, strlen(s));
}

static struct rsp_cmd parse(const char *s)
{
	struct rsp_cmd c;

	rsp_parse(s, strlen(s), &c, bin, sizeof(bin));
	return c;
}

TEST(rsp_packet_checksum)
{
	rsp_reader_init(&rd);
	CHECK_EQ(feed_str("$g#67"), RSP_EV_PACKET);
	CHECK(!strcmp(rd.body, "g"));
	CHECK_EQ(feed_str("$g#68"), RSP_EV_BAD_PACKET);
	CHECK_EQ(feed_str("$g#6x"), RSP_EV_BAD_PACKET);
	CHECK_EQ(feed_str("+"), RSP_EV_ACK);
	CHECK_EQ(feed_str("-"), RSP_EV_NAK);
	CHECK_EQ(feed_str("\x03"), RSP_EV_INTERRUPT);
	/* Noise between packets is skipped. */
	CHECK_EQ(feed_str("xyz$?#3f"), RSP_EV_PACKET);
	CHECK(!strcmp(rd.body, "?"));
}

TEST(rsp_packet_escape_and_overflow)
{
	char big[RSP_PACKET_MAX + 16];

	rsp_reader_init(&rd);
	/* "}\x03" is an escaped '#'; the checksum covers the bytes as sent. */
	CHECK_EQ(feed_str("$a}\x03#e1"), RSP_EV_PACKET);
	CHECK_EQ(rd.len, 2);
	CHECK(rd.body[0] == 'a' && rd.body[1] == '#');
	/* Too long: refused, nothing written past the buffer. */
	memset(big, 'a', sizeof(big));
	big[0] = '$';
	CHECK_EQ(feed(big, sizeof(big)), RSP_EV_NONE);
	CHECK_EQ(feed_str("#00"), RSP_EV_BAD_PACKET);
	CHECK_EQ(rd.len, RSP_PACKET_MAX);
}

TEST(rsp_frame_roundtrip)
{
	char out[64];
	size_t n = rsp_frame("a$b#c}d*", 8, out, sizeof(out));

	CHECK(n > 0);
	rsp_reader_init(&rd);
	CHECK_EQ(feed(out, n), RSP_EV_PACKET);
	CHECK(!strcmp(rd.body, "a$b#c}d*"));
	CHECK_EQ(rsp_frame("OK", 2, out, sizeof(out)), 6);
	CHECK(!memcmp(out, "$OK#9a", 6));
	CHECK_EQ(rsp_frame("OK", 2, out, 5), 0);
}

TEST(rsp_memory)
{
	struct rsp_cmd c = parse("m401000,40");

	CHECK_EQ(c.kind, RSP_READ_MEM);
	CHECK_EQ(c.addr, 0x401000);
	CHECK_EQ(c.len, 0x40);
	c = parse("M401000,2:cc90");
	CHECK_EQ(c.kind, RSP_WRITE_MEM);
	CHECK_EQ(c.data_len, 2);
	CHECK(c.data[0] == 0xcc && c.data[1] == 0x90);
	CHECK_EQ(parse("M401000,3:cc90").kind, RSP_BAD);	/* length disagrees */
	CHECK_EQ(parse("M401000,1:c").kind, RSP_BAD);
	CHECK_EQ(parse("M401000,1:zz").kind, RSP_BAD);
	CHECK_EQ(parse("m401000").kind, RSP_BAD);
	CHECK_EQ(parse("m,4").kind, RSP_BAD);
	CHECK_EQ(parse("m10000000000000000,4").kind, RSP_BAD);	/* 17 digits */
	CHECK_EQ(parse("m0,100000").kind, RSP_BAD);		/* longer than a packet */
	CHECK_EQ(parse("X401000,0:").kind, RSP_UNKNOWN);	/* gdb falls back to M */
	CHECK_EQ(parse("Z0,401000,1").kind, RSP_UNKNOWN);	/* ... and breaks through M */
}

TEST(rsp_registers)
{
	struct rsp_cmd c = parse("g");

	CHECK_EQ(c.kind, RSP_READ_REGS);
	c = parse("G0102");
	CHECK_EQ(c.kind, RSP_WRITE_REGS);
	CHECK_EQ(c.data_len, 2);
	CHECK_EQ(parse("G").kind, RSP_BAD);
	CHECK_EQ(parse("G012").kind, RSP_BAD);
	CHECK_EQ(parse("gx").kind, RSP_BAD);
	CHECK_EQ(parse("p10").kind, RSP_UNKNOWN);
}

TEST(rsp_resume)
{
	struct rsp_cmd c = parse("c");

	CHECK_EQ(c.kind, RSP_CONTINUE);
	CHECK(!c.has_sig);
	c = parse("C0b");
	CHECK_EQ(c.kind, RSP_CONTINUE);
	CHECK(c.has_sig && c.sig == 11);
	c = parse("S05");
	CHECK_EQ(c.kind, RSP_STEP);
	CHECK_EQ(c.sig, 5);
	CHECK_EQ(parse("s").kind, RSP_STEP);
	CHECK_EQ(parse("C").kind, RSP_BAD);
	CHECK_EQ(parse("C100").kind, RSP_BAD);
	CHECK_EQ(parse("c401000").kind, RSP_BAD);	/* resume at an address: refused */
	CHECK_EQ(parse("vCont?").kind, RSP_UNKNOWN);
}

TEST(rsp_threads)
{
	struct rsp_cmd c = parse("Hg1a");

	CHECK_EQ(c.kind, RSP_SET_THREAD);
	CHECK_EQ(c.op, 'g');
	CHECK_EQ(c.tid, 0x1a);
	c = parse("Hc-1");
	CHECK_EQ(c.kind, RSP_SET_THREAD);
	CHECK_EQ(c.tid, -1);
	CHECK_EQ(parse("Hg0").tid, 0);
	CHECK_EQ(parse("Hx1").kind, RSP_BAD);
	CHECK_EQ(parse("Hg").kind, RSP_BAD);
	CHECK_EQ(parse("Hg-2").kind, RSP_BAD);
	CHECK_EQ(parse("Hg100000000").kind, RSP_BAD);
	c = parse("T1a");
	CHECK_EQ(c.kind, RSP_THREAD_ALIVE);
	CHECK_EQ(c.tid, 0x1a);
	CHECK_EQ(parse("T0").kind, RSP_BAD);
	CHECK_EQ(parse("qfThreadInfo").kind, RSP_THREADS_FIRST);
	CHECK_EQ(parse("qsThreadInfo").kind, RSP_THREADS_NEXT);
	CHECK_EQ(parse("qC").kind, RSP_CURRENT_THREAD);
	CHECK_EQ(parse("qCRC:1,2").kind, RSP_UNKNOWN);
}

TEST(rsp_session)
{
	CHECK_EQ(parse("qSupported:multiprocess+;swbreak+").kind, RSP_SUPPORTED);
	CHECK_EQ(parse("qAttached").kind, RSP_ATTACHED);
	CHECK_EQ(parse("qAttached:1").kind, RSP_ATTACHED);
	CHECK_EQ(parse("?").kind, RSP_HALT_REASON);
	CHECK_EQ(parse("k").kind, RSP_KILL);
	CHECK(!parse("k").reply_ok);
	CHECK_EQ(parse("vKill;2a").kind, RSP_KILL);
	CHECK(parse("vKill;2a").reply_ok);
	CHECK_EQ(parse("D").kind, RSP_DETACH);
	CHECK_EQ(parse("D;2a").kind, RSP_DETACH);
	CHECK_EQ(parse("Dx").kind, RSP_BAD);
	CHECK_EQ(parse("vMustReplyEmpty").kind, RSP_UNKNOWN);
	CHECK_EQ(parse("").kind, RSP_UNKNOWN);
}

TEST(rsp_unavailable)
{
	uint8_t b[4] = { 0x12, 0x34, 0x56, 0x78 };
	char hex[9];

	rsp_hex(b, 4, hex);
	CHECK(!strcmp(hex, "12345678"));
	rsp_mark_unavailable(hex, 4, 1, 3);
	CHECK(!strcmp(hex, "12xxxx78"));
	rsp_mark_unavailable(hex, 4, 3, 10);	/* clipped to what there is */
	CHECK(!strcmp(hex, "12xxxxxx"));
	rsp_mark_unavailable(hex, 4, 5, 8);
	CHECK(!strcmp(hex, "12xxxxxx"));
}

TEST(rsp_signals)
{
	CHECK_EQ(rsp_sig_from_linux(11), 11);	/* SIGSEGV */
	CHECK_EQ(rsp_sig_from_linux(7), 10);	/* SIGBUS */
	CHECK_EQ(rsp_sig_from_linux(10), 30);	/* SIGUSR1 */
	CHECK_EQ(rsp_sig_from_linux(17), 20);	/* SIGCHLD */
	CHECK_EQ(rsp_sig_from_linux(0), 0);
	CHECK_EQ(rsp_sig_from_linux(40), 0);
	CHECK_EQ(rsp_sig_to_linux(10), 7);
	CHECK_EQ(rsp_sig_to_linux(5), 5);
	CHECK_EQ(rsp_sig_to_linux(0), 0);
	CHECK_EQ(rsp_sig_to_linux(200), 0);
}
