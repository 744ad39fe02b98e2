# SPDX-License-Identifier: GPL-2.0
# Cove: build, run and test. See README.md.
#
#   make                 build build/cove.elf and build/cove.iso
#   make run             boot in QEMU (SMP=, MEM=, FIRMWARE=bios|uefi, CMDLINE=, PROTECT=,
#                        EMU=qemu|bochs)
#   make debug           debug build, QEMU waits for gdb on :1234
#   make test            every test-* part; ends with "N passed, N failed"
#   make test-unit       host unit tests (ASan + UBSan)
#   make fuzz            libFuzzer harnesses, each run FUZZ_SECONDS (60); FUZZ=NAME for one
#   make test-boot       boot scenarios under QEMU TCG
#   make test-cokernel   the co-kernel loader module inside Debian's Linux under QEMU TCG
#   make bench           microbenchmarks, Cove beside Linux 6.1, then bench-cokernel
#   make bench-cokernel  guest instructions to create an enclave and start a job
#   make bench-baseline  one bench run's -icount figures become test/bench/baseline.txt

ARCH := x86_64
BUILD ?= build
CONFIGS ?= configs/defconfig
SMP ?= 4
MEM ?= 2G
FIRMWARE ?= bios
CMDLINE ?= selftest job=/bin/cg
PROTECT ?=
EMU ?= qemu
# PROTECT=on|off|require adds protect= to the command line.
FULL_CMDLINE := $(CMDLINE)$(if $(PROTECT), protect=$(PROTECT))


CC := gcc
LD := ld
NASM := nasm
OBJDIR := $(BUILD)/obj
GEN := $(BUILD)/include/generated
CONFIG_H := $(GEN)/config.h
OPTIMIZE := $(shell sed -n 's/^CONFIG_OPTIMIZE=//p' $(CONFIGS) | tail -n 1)

KERNEL_DIRS := init kernel kernel/lib kernel/fs kernel/syscalls kernel/job kernel/host kernel/offload \
	       kernel/debug mm drivers arch/$(ARCH)/boot arch/$(ARCH)/kernel arch/$(ARCH)/mm \
	       arch/$(ARCH)/debug
# The protection layer: everything in vmm/, linked on its own (vmm_layer.o,
# below) with private copies of the library code it needs. The kernel's side
# of it (setup, hypercalls) is arch/$(ARCH)/kernel/vmm_*.
LAYER_SRCS := $(wildcard vmm/*.c vmm/*.asm vmm/*/*.c vmm/*/*.asm)
LAYER_LIB := kernel/lib/string.c kernel/lib/kvsnprintf.c kernel/lib/ranges.c \
	     kernel/lib/host_grants.c drivers/serial16550_out.c arch/$(ARCH)/mm/pgtable.c
LAYER_OBJS := $(patsubst %,$(OBJDIR)/%.o,$(basename $(LAYER_SRCS) $(LAYER_LIB)))
LAYER_OBJ := $(OBJDIR)/vmm/vmm_layer.o
KERNEL_C := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c))
KERNEL_ASM := arch/$(ARCH)/boot/head.asm arch/$(ARCH)/boot/pisces_head.asm arch/$(ARCH)/boot/trampoline_blob.asm \
	      $(wildcard arch/$(ARCH)/kernel/*.asm)
KERNEL_OBJS := $(KERNEL_C:%.c=$(OBJDIR)/%.o) $(KERNEL_ASM:%.asm=$(OBJDIR)/%.o) $(LAYER_OBJ)

CFLAGS := -std=gnu11 $(OPTIMIZE) -g -Wall -Wextra -Werror -Wno-unused-parameter \
	  -ffreestanding -fno-stack-protector -fno-pic -fno-pie -mno-red-zone \
	  -mcmodel=kernel -mno-mmx -mno-sse -mno-sse2 -mno-avx -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	  -fno-optimize-sibling-calls \
	  -fno-asynchronous-unwind-tables -fno-common -fno-strict-aliasing \
	  -Iinclude -Iarch/$(ARCH)/include -I$(BUILD)/include -MMD -MP
LDFLAGS := -n -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
	   -T arch/$(ARCH)/kernel.ld

ELF := $(BUILD)/cove.elf
ISO := $(BUILD)/cove.iso
INITRAMFS := $(BUILD)/initramfs.cpio
USER_OUT := $(abspath $(BUILD)/user)

.PHONY: all iso run debug clean deps test test-unit test-boot test-abi test-bench test-protect bench \
	bench-cokernel bench-baseline test-cokernel cokernel guest-deps
all: $(ELF) $(ISO) $(BUILD)/cove.bin
iso: $(ISO)

# Installs only what is missing (dpkg is asked, apt only when needed).
deps:
	@scripts/install-deps.sh

$(CONFIG_H): $(CONFIGS) scripts/genconfig.sh | deps
	@scripts/genconfig.sh $@ $(CONFIGS)

# Objects depend on the flags too: changing CFLAGS must rebuild everything.
CFLAGS_STAMP := $(BUILD)/cflags.txt
$(shell mkdir -p $(BUILD); printf '%s\n' "$(CFLAGS)" | cmp -s - $(CFLAGS_STAMP) || \
	printf '%s\n' "$(CFLAGS)" > $(CFLAGS_STAMP))

$(OBJDIR)/%.o: %.c $(CONFIG_H) $(CFLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/trampoline.bin: arch/$(ARCH)/boot/trampoline.asm | deps
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f bin -o $@ $<

$(OBJDIR)/arch/$(ARCH)/boot/trampoline_blob.o: $(BUILD)/trampoline.bin

# The vDSO every job maps: a shared object of its own, user-mode code, built
# position-independent and embedded whole (arch/$(ARCH)/kernel/vdso_blob.asm).
# It must need no relocation (nothing in it is ever relocated) and fit the
# room its layout gives it (VDSO_TEXT_MAX in cove/vdso_data.h).
VDSO_SO := $(BUILD)/vdso.so
VDSO_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -fPIC -ffreestanding -fno-stack-protector \
	       -fasynchronous-unwind-tables -mno-red-zone -Iinclude
VDSO_LDFLAGS := -nostdlib -shared -Wl,-T,arch/$(ARCH)/vdso/vdso.lds -Wl,--hash-style=both \
		-Wl,-soname=linux-vdso.so.1 -Wl,--build-id=none -Wl,-z,noexecstack \
		-Wl,--eh-frame-hdr -Wl,-z,max-page-size=4096
$(VDSO_SO): arch/$(ARCH)/vdso/vdso.c arch/$(ARCH)/vdso/vdso.lds include/cove/vdso_data.h \
	    include/cove/types.h | deps
	@mkdir -p $(BUILD)/vdso
	@echo "  VDSO    $@"
	@$(CC) $(VDSO_CFLAGS) -c $< -o $(BUILD)/vdso/vdso.o
	@$(CC) $(VDSO_LDFLAGS) $(BUILD)/vdso/vdso.o -o $@.tmp
	@readelf -r $@.tmp | grep -q "no relocations" || \
		{ echo "error: the vDSO needs relocations; it is never relocated" >&2; exit 1; }
	@[ "$$(stat -c %s $@.tmp)" -le 16384 ] || \
		{ echo "error: the vDSO outgrew VDSO_TEXT_MAX (16 KiB)" >&2; exit 1; }
	@mv $@.tmp $@
$(OBJDIR)/arch/$(ARCH)/kernel/vdso_blob.o: $(VDSO_SO)
# One list of the offsets C and assembly share: the NASM copy is made from the header.
$(BUILD)/asm_offsets.inc: arch/$(ARCH)/include/arch/asm_offsets.h | deps
	@mkdir -p $(dir $@)
	@sed -n 's/^#define \([A-Z0-9_]*\) \(.*\)$$/%define \1 \2/p' $< > $@.tmp && mv $@.tmp $@
$(OBJDIR)/arch/$(ARCH)/kernel/syscall_entry.o: $(BUILD)/asm_offsets.inc
$(OBJDIR)/%.o: %.asm arch/$(ARCH)/kernel/frame.inc vmm/guest_regs.inc | deps
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -I$(BUILD)/ -I$(dir $<) -Ivmm/ -Iarch/$(ARCH)/include/arch/ -o $@ $<

# The layer may reference nothing of the kernel: once a core is guarded,
# kernel code and data are the guest's to rewrite. Only the linker script's
# section bounds stay undefined; every symbol but the entry points the kernel
# calls (and the co-kernel core entry its image header names) becomes local, so its copies of memset & co. clash with nothing.
LAYER_EXPORTS := vmm_layer_init vmm_layer_cpu_enter vmm_layer_cpu_release vmm_ap_entry
$(LAYER_OBJ): $(LAYER_OBJS)
	@echo "  LD -r   $@"
	@$(LD) -r -z noexecstack -o $@.all $(LAYER_OBJS)
	@undef="$$(nm -u $@.all | awk '{ print $$2 }' | grep -vxE '__vmm_(start|data_start|end)')"; \
	if [ -n "$$undef" ]; then \
		echo "error: the protection layer reaches into the kernel:" $$undef >&2; exit 1; \
	fi
	@objcopy $(addprefix --keep-global-symbol=,$(LAYER_EXPORTS)) $@.all $@

# Two links: the first (empty symbol table) tells where functions are, the
# second embeds that table. .ksyms sits after all code and data, so the text
# addresses cannot move between the two; the check below proves it.
$(BUILD)/ksyms-empty.S:
	@mkdir -p $(BUILD)
	@printf '\t.section .note.GNU-stack, "", @progbits\n\t.section .ksyms, "a"\n\t.balign 8\n\t.globl __ksyms_blob\n__ksyms_blob:\n\t.quad 0, 0\n' > $@

$(BUILD)/%.o: $(BUILD)/%.S
	@$(CC) -c $< -o $@

$(BUILD)/cove.pass1.elf: $(KERNEL_OBJS) $(BUILD)/ksyms-empty.o arch/$(ARCH)/kernel.ld
	@echo "  LD      $@"
	@$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms-empty.o

$(BUILD)/ksyms.S: $(BUILD)/cove.pass1.elf scripts/gen-ksyms.sh
	@scripts/gen-ksyms.sh $< > $@

$(ELF): $(KERNEL_OBJS) $(BUILD)/ksyms.o arch/$(ARCH)/kernel.ld
	@echo "  LD      $@"
	@$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms.o
	@nm -n $(BUILD)/cove.pass1.elf | grep -i ' t ' > $(BUILD)/text1.sym
	@nm -n $@ | grep -i ' t ' > $(BUILD)/text2.sym
	@cmp -s $(BUILD)/text1.sym $(BUILD)/text2.sym || \
		{ echo "error: text moved between the two links; symbols would lie" >&2; rm -f $@; exit 1; }

# What a Pisces loader copies to the partition's second 2 MiB and enters at
# its first byte (the jump in pisces_head.asm): the image from its link
# address 0x200000 on, as one flat file (.bss excluded, as Pisces expects).
$(BUILD)/cove.bin: $(ELF)
	@echo "  OBJCOPY $@"
	@objcopy -O binary $< $@

# The ISO carries the command line in grub.cfg: rebuild it when that changes.
CMDLINE_STAMP := $(BUILD)/cmdline.txt
$(shell mkdir -p $(BUILD); printf '%s\n' "$(FULL_CMDLINE)" | cmp -s - $(CMDLINE_STAMP) || \
	printf '%s\n' "$(FULL_CMDLINE)" > $(CMDLINE_STAMP))

# The programs jobs run (user/), built static with glibc and musl. The stamp
# keeps the initramfs from being rebuilt when nothing in user/ changed.
USER_STAMP := $(USER_OUT)/.built
.PHONY: user
user: $(USER_STAMP)
$(USER_STAMP): $(wildcard user/*.c user/*.h) include/cove/fault_kinds.h user/Makefile | deps
	@$(MAKE) --no-print-directory -s -C user O=$(USER_OUT)
	@touch $@

# MPI programs (user/mpi/), dynamically linked by each MPI's own mpicc.
MPI_STAMP := $(USER_OUT)/mpi/.built
.PHONY: mpi
mpi: $(MPI_STAMP)
$(MPI_STAMP): $(wildcard user/mpi/*.c) user/mpi/Makefile | deps
	@$(MAKE) --no-print-directory -s -C user/mpi O=$(USER_OUT)/mpi
	@touch $@

$(INITRAMFS): $(USER_STAMP) scripts/mkinitramfs.sh $(wildcard test/abi/*.jobs)
	@echo "  CPIO    $@"
	@scripts/mkinitramfs.sh $@ $(USER_OUT)

$(ISO): $(ELF) $(INITRAMFS) scripts/mkiso.sh $(CMDLINE_STAMP)
	@echo "  ISO     $@"
	@scripts/mkiso.sh $(ELF) $@ "$(FULL_CMDLINE)" $(INITRAMFS)

# EMU=bochs boots the same ISO in Bochs (Intel model, x2APIC; BIOS only).
# Cove as a co-kernel under Debian's Linux 6.1 in QEMU: an enclave, the CG
# job in it as an ordinary user, then a shell if a terminal is attached.
.PHONY: run-cokernel
run-cokernel:
	@scripts/run-cokernel.sh

run: $(ISO)
	@if [ "$(EMU)" = bochs ]; then \
		scripts/bochs-run.sh --iso $(ISO) --smp $(SMP) --timeout 1800 --mem \
			$$(echo $(MEM) | awk '/G$$/ { print $$0 * 1024; next } { print $$0 + 0 }'); \
	else \
		scripts/qemu-run.sh --iso $(ISO) --smp $(SMP) --mem $(MEM) --firmware $(FIRMWARE); \
	fi

debug:
	@$(MAKE) --no-print-directory BUILD=build-debug \
		CONFIGS="configs/defconfig configs/debug.config" build-debug/cove.iso
	@echo "QEMU waits for gdb: gdb build-debug/cove.elf -ex 'target remote :1234'"
	@scripts/qemu-run.sh --iso build-debug/cove.iso --smp $(SMP) --mem $(MEM) \
		--firmware $(FIRMWARE) --gdb

test: deps guest-deps
	@test/run.sh all

test-unit: deps
	@test/run.sh unit

test-boot: deps
	@test/run.sh boot

test-abi: deps
	@test/run.sh abi

test-bench: deps
	@test/run.sh bench

test-protect: deps
	@test/run.sh protect

test-cokernel: deps guest-deps
	@test/run.sh cokernel
# Unmodified programs in an enclave through offload (part of test-cokernel).
.PHONY: test-apps
test-apps: deps guest-deps
	@test/run.sh cokernel apps_

# Microbenchmarks under Cove and under Debian's Linux 6.1, side by side, then
# the co-kernel figures (guest instructions to create an enclave and to start
# a job, the partition's share left to a job).
bench: deps guest-deps
	@scripts/bench.sh
	@scripts/bench-cokernel.sh

bench-cokernel: deps guest-deps
	@scripts/bench-cokernel.sh

# One bench run's -icount figures become test/bench/baseline.txt (commit it saying why).
bench-baseline: deps guest-deps
	@scripts/bench.sh --update-baseline

# The host CLI for co-kernel enclaves (linux/tools/), one static binary.
CLI_SRCS := $(wildcard linux/tools/*.c linux/tools/*.h) linux/tools/Makefile \
	    arch/$(ARCH)/include/arch/syscall_list.h \
	    linux/module/cove_uapi.h include/cove/pisces_abi.h include/cove/debug_abi.h \
	    include/cove/gdb_rsp.h kernel/lib/gdb_rsp.c
.PHONY: cli
cli: $(BUILD)/linux/cove
$(BUILD)/linux/cove: $(CLI_SRCS)
	@$(MAKE) --no-print-directory -C linux/tools BUILD=$(abspath $(BUILD))
$(BUILD)/linux/cove-mock: $(CLI_SRCS) $(wildcard linux/tools/test/*.c)
	@$(MAKE) --no-print-directory -C linux/tools BUILD=$(abspath $(BUILD)) mock

# The co-kernel loader (linux/module/), built against the headers of the
# kernel scripts/linux-vm.sh boots (the newest /boot/vmlinuz-*), and its test
# driver (static: it runs in the guest's busybox initramfs).
guest-deps:
	@scripts/install-linux-guest.sh
COKERNEL_KREL := $(shell printf '%s\n' /boot/vmlinuz-* | sort -V | tail -n 1 | sed 's|.*/vmlinuz-||')
COKERNEL_KDIR ?= /usr/src/linux-headers-$(COKERNEL_KREL)
COKERNEL_SRCS := $(wildcard linux/module/*.c linux/module/*.h linux/module/*.S) \
		 linux/module/Kbuild linux/module/Makefile include/cove/pisces_abi.h \
		 include/cove/debug_abi.h
# Guest instruction counts (test/bench/insn_*): a QEMU TCG plugin, built for
# the host's QEMU, and the static marker program whose first instruction it
# reports, run both by Linux and as a Cove job.
INSN_PLUGIN := $(BUILD)/bench/insn_plugin.so
INSN_MARK := $(BUILD)/bench/insn_mark
cokernel: $(BUILD)/cokernel/cove.ko $(BUILD)/cokernel/covectl $(BUILD)/cokernel/memwatch \
	  $(BUILD)/linux/cove $(USER_STAMP) $(MPI_STAMP) $(INSN_PLUGIN) $(INSN_MARK)
$(INSN_PLUGIN): test/bench/insn_plugin.c test/bench/qemu_plugin_abi.h test/bench/insn_marker.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) -shared -fPIC -O2 -fvisibility=hidden -pthread -Wall -Wextra -Werror -o $@ $<
# No C library: nothing may run before the marker at _start.
$(INSN_MARK): test/bench/insn_mark.c test/bench/insn_marker.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) -static -nostdlib -fno-pie -no-pie -O2 -ffreestanding -fno-builtin \
		-fno-stack-protector -fno-asynchronous-unwind-tables -Wall -Wextra -Werror \
		-z noexecstack -Wl,--build-id=none -o $@ $<
$(BUILD)/cokernel/memwatch: test/cokernel/memwatch.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) -static -O2 -Wall -Wextra -Werror -o $@ $<
$(BUILD)/cokernel/cove.ko: $(COKERNEL_SRCS)
	@mkdir -p $(dir $@)
	@echo "  KMOD    $@ (Linux $(COKERNEL_KREL))"
	@$(MAKE) --no-print-directory -C linux/module KDIR=$(COKERNEL_KDIR) W=1 \
		>$(BUILD)/cokernel/build.log 2>&1 || { cat $(BUILD)/cokernel/build.log; exit 1; }
	@if grep -q 'warning:' $(BUILD)/cokernel/build.log; then \
		cat $(BUILD)/cokernel/build.log; echo "error: the module builds with warnings" >&2; exit 1; fi
	@cp linux/module/cove.ko $@
$(BUILD)/cokernel/covectl: linux/module/test/covectl.c linux/module/cove_uapi.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(MAKE) --no-print-directory -s -C linux/module/test O=$(abspath $(BUILD)/cokernel)

# Host unit tests: pure-logic sources built for Linux with sanitizers.
include $(wildcard test/unit/*.mk)
UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined \
	       -fno-sanitize-recover=all -fno-omit-frame-pointer -Iinclude \
	       -Iarch/$(ARCH)/include -Itest/unit
UNIT_BINS := $(UNIT_TESTS:%=$(BUILD)/unit/%)
.PHONY: unit-bins
unit-bins: $(UNIT_BINS)
define unit_rule
$(BUILD)/unit/$(1): test/unit/unit_main.c $$(UNIT_SRCS_$(1)) $$(wildcard include/cove/*.h)
	@mkdir -p $(BUILD)/unit
	@echo "  HOSTCC  $$@"
	@$(CC) $(UNIT_CFLAGS) $$(UNIT_CFLAGS_$(1)) -o $$@ test/unit/unit_main.c $$(UNIT_SRCS_$(1))
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

# libFuzzer harnesses of every parser of untrusted input (make fuzz).
include test/fuzz/fuzz.mk

clean:
	rm -rf build build-debug

# The layer's objects too: without their dependencies a header change left
# the layer built against the old layout (a boot_info it read wrongly).
-include $(KERNEL_OBJS:.o=.d) $(LAYER_OBJS:.o=.d)

# ---- The Pisces host stand-in (test/standin/) --------------------------------
# A bare-metal program GRUB boots with build/cove.elf as its module; it loads
# Cove in co-kernel mode the way linux/module/ does, so the VMX back end's
# co-kernel path runs under Bochs, where Linux is too slow to boot.
#   make standin       build/standin.elf and build/standin.iso
#   make run-standin   boot that ISO in Bochs (STANDIN_OPTS=, STANDIN_COVE=,
#                      STANDIN_SMP=3 for second=2, STANDIN_INITRD=FILE for a
#                      job= to find its program)
STANDIN_OPTS ?= expect=ready
STANDIN_COVE ?= protect=require
STANDIN_SMP ?= 2
STANDIN_INITRD ?=
STANDIN_DIR := test/standin
STANDIN_OUT := $(BUILD)/standin
STANDIN_ELF := $(BUILD)/standin.elf
STANDIN_ISO := $(BUILD)/standin.iso
STANDIN_C := $(wildcard $(STANDIN_DIR)/*.c)
# Pure kernel code the stand-in links a copy of, built with its flags.
STANDIN_LIB := kernel/lib/string.c kernel/lib/kvsnprintf.c drivers/serial16550_out.c
STANDIN_OBJS := $(STANDIN_C:$(STANDIN_DIR)/%.c=$(STANDIN_OUT)/%.o) \
		$(STANDIN_LIB:%.c=$(STANDIN_OUT)/lib/%.o) \
		$(STANDIN_OUT)/head.o $(STANDIN_OUT)/tramp_blob.o
# The kernel's flags, but linked low (identity-mapped at 1 MiB) and with
# only the kernel's stand-alone headers (no generated configuration).
STANDIN_CFLAGS := $(filter-out -mcmodel=kernel -I%,$(CFLAGS)) -mcmodel=small -Iinclude \
		  -Iarch/$(ARCH)/include -I$(STANDIN_DIR)

.PHONY: standin run-standin
standin: $(STANDIN_ELF) $(STANDIN_ISO)

$(STANDIN_OUT)/%.o: $(STANDIN_DIR)/%.c $(CFLAGS_STAMP) | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(STANDIN_CFLAGS) -c $< -o $@
$(STANDIN_OUT)/lib/%.o: %.c $(CFLAGS_STAMP) | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(STANDIN_CFLAGS) -c $< -o $@
$(STANDIN_OUT)/standin_tramp.bin: $(STANDIN_DIR)/trampoline.asm | deps
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f bin -o $@ $<
$(STANDIN_OUT)/tramp_blob.o: $(STANDIN_DIR)/tramp_blob.asm $(STANDIN_OUT)/standin_tramp.bin
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -I$(STANDIN_OUT)/ -o $@ $<
$(STANDIN_OUT)/head.o: $(STANDIN_DIR)/head.asm | deps
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -o $@ $<
$(STANDIN_ELF): $(STANDIN_OBJS) $(STANDIN_DIR)/standin.ld
	@echo "  LD      $@"
	@$(LD) -n -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
		-T $(STANDIN_DIR)/standin.ld -o $@ $(STANDIN_OBJS)

STANDIN_STAMP := $(BUILD)/standin-cmdline.txt
$(shell mkdir -p $(BUILD); printf '%s\n%s\n%s\n' "$(STANDIN_OPTS)" "$(STANDIN_COVE)" \
	"$(STANDIN_INITRD)" | cmp -s - $(STANDIN_STAMP) || printf '%s\n%s\n%s\n' \
	"$(STANDIN_OPTS)" "$(STANDIN_COVE)" "$(STANDIN_INITRD)" > $(STANDIN_STAMP))
$(STANDIN_ISO): $(STANDIN_ELF) $(ELF) scripts/mkiso-standin.sh $(STANDIN_STAMP) $(STANDIN_INITRD)
	@echo "  ISO     $@"
	@scripts/mkiso-standin.sh $(STANDIN_ELF) $(ELF) $@ "$(STANDIN_OPTS)" "$(STANDIN_COVE)" \
		$(STANDIN_INITRD)

run-standin: $(STANDIN_ISO)
	@scripts/bochs-run.sh --iso $(STANDIN_ISO) --smp $(STANDIN_SMP) --mem 512 --timeout 600

-include $(STANDIN_OBJS:.o=.d)
# ---- end of the Pisces host stand-in ----------------------------------------
