# libFuzzer harnesses (test/fuzz/fuzz_*.c), one per parser of untrusted
# input, built with clang's fuzzer, ASan and UBSan. Seeds live in
# test/fuzz/corpus/NAME/; what a run adds goes to $(BUILD)/fuzz/corpus/NAME/.
#   make fuzz                            build, then run each FUZZ_SECONDS (60)
#   make fuzz FUZZ_SECONDS=600 FUZZ=cpio  one harness, longer
#   test/run.sh fuzz                     each for a few seconds, PASS/FAIL
FUZZ_CC ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ ?=
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	       -fno-omit-frame-pointer -Iinclude -Iarch/$(ARCH)/include -Itest/fuzz

FUZZ_TARGETS += job_parse
FUZZ_SRCS_job_parse := test/fuzz/fuzz_job_parse.c kernel/job/job_parse.c kernel/lib/kvsnprintf.c

FUZZ_TARGETS += pisces_parse
FUZZ_SRCS_pisces_parse := test/fuzz/fuzz_pisces_parse.c arch/x86_64/boot/pisces_parse.c \
	kernel/boot_info.c kernel/lib/host_grants.c kernel/lib/pisces_job.c kernel/lib/kvsnprintf.c \
	kernel/lib/numa_layout.c

FUZZ_TARGETS += exec_script
FUZZ_SRCS_exec_script := test/fuzz/fuzz_exec_script.c kernel/exec_script.c

FUZZ_TARGETS += cpio
FUZZ_SRCS_cpio := test/fuzz/fuzz_cpio.c kernel/fs/cpio.c kernel/fs/ramfs.c

FUZZ_TARGETS += elf
FUZZ_SRCS_elf := test/fuzz/fuzz_elf.c kernel/elf_load.c

FUZZ_TARGETS += options
FUZZ_SRCS_options := test/fuzz/fuzz_options.c init/options.c kernel/cmdline.c \
	kernel/lib/kvsnprintf.c

FUZZ_TARGETS += cli_parse
FUZZ_SRCS_cli_parse := test/fuzz/fuzz_cli_parse.c linux/tools/cli_parse.c kernel/job/job_parse.c \
	kernel/cmdline.c kernel/lib/kvsnprintf.c

# The gdb server's packets (cove run --gdb), from whoever connects.
FUZZ_TARGETS += gdb_rsp
FUZZ_SRCS_gdb_rsp := test/fuzz/fuzz_gdb_rsp.c kernel/lib/gdb_rsp.c include/cove/gdb_rsp.h

# args.c ends a misuse with exit(): wrapped, so the harness gets control back.
FUZZ_TARGETS += cli_args
FUZZ_SRCS_cli_args := test/fuzz/fuzz_cli_args.c linux/tools/args.c linux/tools/cli_parse.c
FUZZ_CFLAGS_cli_args := -Wl,--wrap=exit

# The loader module's image parsing, in user space (cove_image_user.h).
FUZZ_TARGETS += cove_image
FUZZ_SRCS_cove_image := test/fuzz/fuzz_cove_image.c linux/module/cove_image.c \
	linux/module/cove_image.h test/fuzz/cove_image_user.h
FUZZ_CFLAGS_cove_image := -Ilinux/module

# The module's reads of enclave-written memory, in user space (kshim/).
FUZZ_TARGETS += cove_shared
# The harness includes cove_shared.c itself, in place of cove.h.
FUZZ_SRCS_cove_shared := test/fuzz/fuzz_cove_shared.c test/fuzz/kshim/linux/bitops.h \
	test/fuzz/kshim/linux/kernel.h
FUZZ_CFLAGS_cove_shared := -Itest/fuzz/kshim -Wno-address-of-packed-member
$(BUILD)/fuzz/cove_shared: linux/module/cove_shared.c

# The module's walk of enclave-written page tables (offload's mirror).
FUZZ_TARGETS += cove_ptwalk
FUZZ_SRCS_cove_ptwalk := test/fuzz/fuzz_cove_ptwalk.c
$(BUILD)/fuzz/cove_ptwalk: linux/module/cove_ptwalk.c linux/module/cove_ptwalk.h

# The module's parse of an enclave's XEMEM export (its physical ranges).
FUZZ_TARGETS += cove_xemem
FUZZ_SRCS_cove_xemem := test/fuzz/fuzz_cove_xemem.c test/fuzz/cove_xemem_user.h
$(BUILD)/fuzz/cove_xemem: linux/module/cove_xemem_parse.c linux/module/cove_xemem_parse.h

# The module's check of a job's usage report (what its ranks used).
FUZZ_TARGETS += cove_usage
FUZZ_SRCS_cove_usage := test/fuzz/fuzz_cove_usage.c test/fuzz/cove_usage_user.h
$(BUILD)/fuzz/cove_usage: linux/module/cove_usage_check.c linux/module/cove_usage_check.h

# Firmware NUMA tables (SRAT, SLIT) and the layout built from them.
FUZZ_TARGETS += acpi_numa
FUZZ_SRCS_acpi_numa := test/fuzz/fuzz_acpi_numa.c drivers/acpi_numa.c drivers/acpi_tables.c \
	kernel/lib/numa_layout.c

FUZZ_BINS = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%)
.PHONY: fuzz fuzz-bins test-fuzz
fuzz-bins: $(FUZZ_BINS)
define fuzz_rule
$(BUILD)/fuzz/$(1): $$(FUZZ_SRCS_$(1)) test/fuzz/fuzz.h test/fuzz/fuzz.mk \
		    $$(wildcard include/cove/*.h) | deps
	@mkdir -p $(BUILD)/fuzz
	@echo "  FUZZCC  $$@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $$(FUZZ_CFLAGS_$(1)) -o $$@ $$(filter %.c,$$(FUZZ_SRCS_$(1)))
endef

fuzz: fuzz-bins
	@for t in $(or $(FUZZ),$(FUZZ_TARGETS)); do \
		test/fuzz/fuzz.sh "$(BUILD)/fuzz/$$t" $(FUZZ_SECONDS) || exit 1; \
	done

test-fuzz: deps
	@test/run.sh fuzz
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))
