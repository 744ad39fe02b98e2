; SPDX-License-Identifier: GPL-2.0
; The trampoline's bytes (trampoline.asm, a flat binary) inside the stand-in.
section .rodata
global tramp_blob, tramp_blob_end
tramp_blob:
	incbin "standin_tramp.bin"
tramp_blob_end:
