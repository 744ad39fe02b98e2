; SPDX-License-Identifier: GPL-2.0
; The vDSO shared object (arch/x86_64/vdso), embedded so kernel/vdso.c can
; copy it into the pages every job maps.
section .rodata
global vdso_blob
global vdso_blob_end
align 16
vdso_blob:
	incbin "vdso.so"
vdso_blob_end:
