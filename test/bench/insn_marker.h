/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction-count marker: a 7-byte NOP whose displacement spells
 * "COVE". Padding NOPs always have displacement 0, so no compiler or
 * assembler emits this one by itself; Debian's Linux 6.1, busybox, the
 * firmware, cove.elf and the loader module were checked not to contain the
 * bytes at all. insn_plugin.c reports each execution; insn_mark.c executes
 * it as its first instruction.
 */
#ifndef COVE_INSN_MARKER_H
#define COVE_INSN_MARKER_H

#define INSN_MARKER_ASM "nopl 0x45564f43(%rax)"
#define INSN_MARKER_BYTES { 0x0f, 0x1f, 0x80, 0x43, 0x4f, 0x56, 0x45 }

#endif /* COVE_INSN_MARKER_H */
