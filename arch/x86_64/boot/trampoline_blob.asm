; SPDX-License-Identifier: GPL-2.0
; The assembled SMP trampoline, embedded so smp_start.c can copy it low.
section .rodata
global trampoline_blob
global trampoline_blob_end
align 16
trampoline_blob:
	incbin "trampoline.bin"
trampoline_blob_end:
