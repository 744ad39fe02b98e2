#!/bin/sh
# Turn `nm -n` output of a kernel link into the .ksyms section (GNU as
# syntax): the text symbols, sorted, so panics can name functions.
#   gen-ksyms.sh kernel.elf > ksyms.S
set -eu
elf="$1"
nm -n --defined-only "$elf" | awk '
	BEGIN { n = 0 }
	# Only the higher-half image: the 32-bit boot stub never reports faults.
	$2 ~ /^[tTwW]$/ && $1 ~ /^ffffffff8/ && $3 !~ /^\./ && $3 !~ /^__(text|rodata|data|bss|kernel)_/ {
		addr[n] = $1; name[n] = $3; n++
	}
	$3 == "__text_end" { text_end = $1 }
	END {
		print "\t.section .note.GNU-stack, \"\", @progbits"
		print "\t.section .ksyms, \"a\""
		print "\t.balign 8"
		print "\t.globl __ksyms_blob"
		print "__ksyms_blob:"
		printf "\t.quad %d\n", n
		printf "\t.quad 0x%s\n", (text_end == "" ? "0" : text_end)
		for (i = 0; i < n; i++)
			printf "\t.quad 0x%s\n", addr[i]
		off = 0
		for (i = 0; i < n; i++) {
			printf "\t.long %d\n", off
			off += length(name[i]) + 1
		}
		for (i = 0; i < n; i++)
			printf "\t.asciz \"%s\"\n", name[i]
	}'
