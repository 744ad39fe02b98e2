#!/bin/bash
# Boot scenarios: each boots Cove under QEMU TCG and checks its serial log.
# Add one by writing a scenario_NAME function; the runner finds it.

scenario_smp1_128m_bios() {
	boot --smp 1 --mem 128M --cmdline "selftest"
	expect_status 0
	expect_log "cove: 1/1 CPUs online"
	expect_partition_mib 120 128
	expect_log "boot: bare mode, loaded by GRUB"
	expect_memory_accounting
	expect_selftests_pass
	expect_log "cove: powering off (status 0: done)"
}

scenario_smp4_2g_bios() {
	boot --smp 4 --mem 2G --cmdline "selftest"
	expect_status 0
	expect_log "cove: 4/4 CPUs online"
	expect_partition_mib 2000 2048
	for c in 1 2 3; do expect_log "cpu$c: online, APIC id $c"; done
	expect_log_re "cpu0 +APIC id 0 +online \(boot\)"
	expect_log "lapic: xAPIC mode"
	expect_memory_accounting
	expect_selftests_pass
}

scenario_smp4_2g_uefi() {
	boot --smp 4 --mem 2G --firmware uefi --cmdline "selftest"
	expect_status 0
	expect_log "(UEFI)"
	expect_log "cove: 4/4 CPUs online"
	expect_partition_mib 1950 2048
	expect_memory_accounting
	expect_selftests_pass
}

# Memory above 4 GiB is only reachable once the kernel's own tables are up;
# 1 GiB blocks exist only in a partition this large.
scenario_smp2_6g_highmem() {
	boot --smp 2 --mem 6G --cmdline "selftest"
	expect_status 0
	expect_log "cove: 2/2 CPUs online"
	expect_partition_mib 6000 6144
	expect_log_re "\[0x0001000000+-"
	expect_log_re "free blocks: [0-9]+ of 2 MiB or larger, [1-9][0-9]* of 1 GiB"
	expect_log_re "direct map uses [1-9][0-9]* x 1 GiB"
	expect_memory_accounting
	expect_selftests_pass
}

scenario_cmdline_mem_limit() {
	boot --smp 2 --mem 2G --cmdline "selftest mem=512M"
	expect_status 0
	expect_log "cove: 2/2 CPUs online, 512 MiB in partition"
	expect_log "mem: partition 524288 KiB"
	expect_selftests_pass
}

scenario_cmdline_cpus_limit() {
	boot --smp 4 --mem 256M --cmdline "selftest cpus=2"
	expect_status 0
	expect_log "cove: 2/2 CPUs online"
	expect_log "cpu1: online"
	expect_no_log "cpu2: online"
	expect_selftests_pass
}

scenario_cmdline_more_than_present() {
	boot --smp 2 --mem 256M --cmdline "cpus=8 mem=64G frobnicate=1"
	expect_status 0
	expect_log "cpus=8 asks for more than the 2 CPUs present; using 2"
	expect_log "asks for more than the"
	expect_log 'ignoring unknown option "frobnicate"'
	expect_log "cove: 2/2 CPUs online"
}

scenario_cmdline_bad_values() {
	boot --smp 1 --mem 128M --cmdline "mem=abc cpus=0 panic_test=explode"
	expect_status 2
	expect_log "cmdline: mem=abc: not a size"
	expect_log "cmdline: cpus=0: must be between 1 and 256"
	expect_log "cmdline: panic_test=explode: unknown value"
	expect_log "cove: not starting with a bad command line"
	expect_log "powering off (status 2: bad command line)"
	expect_no_log "KERNEL"
}

scenario_cmdline_mem_too_small() {
	boot --smp 1 --mem 128M --cmdline "mem=4M"
	expect_status 2
	expect_log "mem=4096K is too small"
	expect_log_re "use at least mem=[0-9]+M"
	expect_no_log "KERNEL"
}

fault_common() {
	expect_status 1
	expect_log "panic_test: faulting on purpose"
	expect_log_re "RIP: 0008:ffffffff8[0-9a-f]{7} <$1(\\.[a-z0-9.]+)?\+0x[0-9a-f]+/0x[0-9a-f]+>"
	expect_log_re "RAX: [0-9a-f]{16} RBX: [0-9a-f]{16}"
	expect_log "CR0: "
	expect_log "Backtrace:"
	expect_log_re "#[0-9] +\[<ffffffff8[0-9a-f]+>\] panic_test_dispatch\+0x"
	expect_log_re "#[0-9] +\[<ffffffff8[0-9a-f]+>\] kernel_main\+0x"
	expect_log "powering off (status 1: kernel panic)"
}

scenario_fault_pagefault_bios() {
	boot --smp 2 --mem 128M --cmdline "panic_test=pagefault"
	expect_log "KERNEL FAULT on cpu 0: page fault (vector 14)"
	expect_log "page fault at address 00000000dead0000: page not present, write, kernel mode"
	expect_log "CR2: 00000000dead0000"
	fault_common panic_test_pagefault
}

scenario_fault_pagefault_uefi() {
	boot --smp 2 --mem 256M --firmware uefi --cmdline "panic_test=pagefault"
	expect_log "KERNEL FAULT on cpu 0: page fault (vector 14)"
	expect_log "CR2: 00000000dead0000"
	fault_common panic_test_pagefault
}

scenario_fault_gp() {
	boot --smp 1 --mem 128M --cmdline "panic_test=gp"
	expect_log "KERNEL FAULT on cpu 0: general protection fault (vector 13)"
	fault_common panic_test_gp
}

scenario_fault_ud_divide() {
	boot --smp 1 --mem 128M --cmdline "panic_test=ud"
	expect_log "KERNEL FAULT on cpu 0: invalid opcode (vector 6)"
	fault_common panic_test_ud
	boot --smp 1 --mem 128M --cmdline "panic_test=divide"
	expect_log "KERNEL FAULT on cpu 0: divide error (vector 0)"
	fault_common panic_test_divide
}

scenario_panic_smp() {
	boot --smp 4 --mem 256M --cmdline "panic_test=panic"
	expect_status 1
	expect_log "KERNEL PANIC on cpu 0: panic_test: deliberate panic"
	expect_log_re "#[0-9] +\[<ffffffff8[0-9a-f]+>\] panic\+0x"
	expect_log_re "#[0-9] +\[<ffffffff8[0-9a-f]+>\] panic_test_dispatch\+0x"
	expect_log_re "#[0-9] +\[<ffffffff8[0-9a-f]+>\] kernel_main\+0x"
	expect_log "powering off (status 1: kernel panic)"
}

# What a real node does at the end: ACPI S5 through the FADT's PM1 control
# registers and the DSDT's \_S5_ values. QEMU then exits without a status.
scenario_poweroff_acpi() {
	boot --smp 2 --mem 128M --cmdline "poweroff=acpi" --timeout 120
	expect_status 125
	grep -q "stopped without reporting a status" "$LOG.qemu" ||
		fail "QEMU did not power off through ACPI ($(cat "$LOG.qemu"))"
	expect_log "cove: powering off (status 0: done)"
}

# Bochs models an Intel CPU with x2APIC (QEMU TCG has none): the LAPIC's MSR
# mode, x2APIC IPIs for SMP start and cross-calls, and the Bochs exit port.
scenario_bochs_x2apic_smp2() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "selftest"
	expect_status 0
	expect_log "lapic: x2APIC mode"
	expect_log "vmm: the kernel runs guarded by Intel VMX with EPT"
	expect_log "cove: 2/2 CPUs online"
	expect_memory_accounting
	expect_selftests_pass
}

scenario_bochs_fault() {
	boot --emulator bochs --smp 2 --mem 128 --cmdline "panic_test=pagefault"
	expect_log "KERNEL FAULT on cpu 0: page fault (vector 14)"
	fault_common panic_test_pagefault
}

# Runaway recursion hits the guard page; the fault cannot be delivered on the
# dead stack, so the double-fault handler reports it from its own stack.
scenario_fault_stack_overflow() {
	boot --smp 2 --mem 128M --cmdline "panic_test=stackoverflow"
	expect_status 1
	expect_log "KERNEL FAULT on cpu 0: double fault (vector 8)"
	expect_log "kernel stack overflow: the stack ran into its guard page"
	expect_log_re "#[0-9] +\[<ffffffff8[0-9a-f]+>\] panic_test_recurse(\.[a-z0-9.]+)?\+0x"
	expect_log_re "\.\.\. the same frame [0-9]+ more times"
	expect_log "powering off (status 1: kernel panic)"
}

# The debug configuration: allocator checked after every free, freed heap
# objects poisoned. Its self-tests must pass as well.
scenario_debug_config() {
	boot --elf "$BUILD/debug/cove.elf" --smp 2 --mem 256M --cmdline "selftest"
	expect_status 0
	expect_log "cove: 2/2 CPUs online"
	expect_selftests_pass
}

# loglevel= filters the console only: warnings still print, information does
# not, and the self-tests (which read the ring) still find every message.
scenario_cmdline_loglevel() {
	boot --smp 2 --mem 128M --cmdline "loglevel=4 selftest frobnicate=1"
	expect_status 0
	expect_log 'ignoring unknown option "frobnicate"'
	expect_no_log "partition: 2 CPUs"
	expect_no_log "CPUs online"
	expect_no_log "selftest:"
}

# NUMA (issue 19): with two emulated nodes the kernel's own self-tests
# (allocator, address spaces, fork) pass on per-node allocators, and the
# boot report shows both nodes.
scenario_numa_two_nodes_selftests() {
	boot --smp 2 --mem 512M --numa 2 --cmdline "selftest"
	expect_status 0
	expect_log "numa: 2 nodes"
	expect_log_re "node1: cpus 1, [0-9]+ MiB"
	expect_log "cove: 2/2 CPUs online, 511 MiB in partition"
	expect_selftests_pass
}

# A firmware SRAT whose two nodes claim the same memory: one console line,
# one node, and the boot goes on as without tables.
scenario_numa_bad_srat_one_node() {
	local srat="$BUILD/test/$SCENARIO.srat"
	python3 - "$srat" <<'PY'
import struct, sys
def mem(pxm, base, size):
    return struct.pack('<BBIHQQIIQ', 1, 40, pxm, 0, base, size, 0, 1, 0)
body = struct.pack('<IQ', 1, 0) + mem(0, 0, 256 << 20) + mem(1, 128 << 20, 128 << 20)
t = bytearray(b'SRAT' + struct.pack('<IB', 36 + len(body), 3) + b'\0' + b'COVE  ' +
              b'BADSRAT ' + struct.pack('<III', 1, 0, 0) + body)
t[9] = (-sum(t)) & 0xff
open(sys.argv[1], 'wb').write(t)
PY
	boot --smp 2 --mem 256M --acpitable "$srat" --cmdline "selftest"
	rm -f "$srat"
	expect_status 0
	expect_log "acpi: SRAT unusable (-22); one NUMA node"
	expect_no_log "numa: 2 nodes"
	expect_selftests_pass
}
