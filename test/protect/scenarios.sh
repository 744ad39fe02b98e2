#!/bin/bash
# Protection-layer scenarios (the fault-injection matrix). QEMU TCG's
# -cpu max has AMD SVM with nested paging: the layer runs there. Every
# injected fault must be contained with protect=on, and must do real harm
# with protect=off -- that is what shows the test is real.
# Bochs models an Intel CPU with VMX, EPT and x2APIC: the same matrix runs
# there against the VMX back end, in x2APIC mode (ICR writes intercepted
# through the MSR bitmap) and with nox2apic in xAPIC mode. In xAPIC mode
# (always, under QEMU TCG) the APIC page is read-only in the nested tables
# and the kernel writes its APIC through the layer, which checks each IPI.

INITRD="$BUILD/initramfs.cpio"

# Exit rows: "vmm: cpuN VM exits: T ( nmi A msr B apic C hypercall D other E )".
exit_row_re() {	# exit_row_re CPU-REGEX HYPERCALLS-REGEX
	echo "vmm: cpu$1 VM exits: [0-9]+ \\( nmi 0 msr 0 apic [0-9]+ hypercall $2 other 0 \\)"
}

# Under xAPIC the kernel's APIC writes (EOI, timer, IPIs) are the only exits,
# and there are few of them: nothing else may exit on any core.
few_apic_exits() {
	local n
	for n in $(grep -ao 'apic [0-9]*' "$LOG" | awk '{print $2}'); do
		[ "$n" -le 100 ] || fail "a core took $n APIC-write exits"
	done
}

scenario_protect_svm_guarded_boot() {
	boot --smp 4 --mem 1G --cmdline "selftest protect=require"
	expect_status 0
	expect_log "vmm: the kernel runs guarded"
	expect_log_re "vmm: nested tables map the partition with [0-9]+ x 1 GiB, [1-9][0-9]* x 2 MiB"
	# The layer's setup checks: no page of its own (its page tables, GDT and
	# IDT included) left in the guest's view; each core's SVM state its own.
	expect_log_re "vmm: the layer holds [1-9][0-9]* pages, none of them in the guest's view"
	expect_log "vmm: svm: 4 cores' state blocks (VMCB, host area, HSAVE, stack) lie apart"
	expect_no_log "vmm: svm: the core with APIC id"
	expect_no_log "entered the layer twice"
	expect_log "cove: 4/4 CPUs online"
	expect_selftests_pass
	# Boot, SMP bring-up, self-tests (timers, cross-calls): QEMU's APIC is
	# xAPIC, so those APIC writes go through the layer, and nothing else
	# exits. cpu0's one hypercall prints the table.
	expect_log "lapic: xAPIC mode"
	expect_log_re "$(exit_row_re 0 1)"
	for c in 1 2 3; do expect_log_re "$(exit_row_re $c 0)"; done
	few_apic_exits
}

# A compute job under protection: no exit but the kernel's own APIC writes.
scenario_protect_job_exits_only_apic() {
	boot --smp 4 --mem 1G --initrd "$INITRD" --cmdline "protect=require job=/bin/cg job.args=48"
	expect_status 0
	expect_log "cg: ok"
	# The last CPU's one hypercall prints this table.
	expect_log_re "$(exit_row_re '[0-3]' 1)"
	[ "$(grep -acE "$(exit_row_re '[0-3]' 0)" "$LOG")" = 3 ] ||
		fail "cores took exits other than APIC writes"
	few_apic_exits
}

contained() {	# contained "what the report says"
	expect_status 5
	expect_log "COVE PROTECTION FAULT on cpu 0: $1"
	expect_log "$2"
	expect_log_re "guest RIP ffffffff8[0-9a-f]+ RSP"
	expect_log "vmm: the enclave is stopped; nothing outside the partition was touched"
	expect_log "powering off (status 5: protection fault contained)"
}

scenario_protect_wild_write() {
	boot --smp 2 --mem 512M --cmdline "mem=256M protect=require fault_inject=wild_write"
	contained "nested page fault" "write at guest physical 0x10300000: outside the partition"
	expect_no_log "the write landed"
}

scenario_protect_off_wild_write_lands() {
	boot --smp 2 --mem 512M --cmdline "mem=256M protect=off fault_inject=wild_write"
	expect_status 0
	expect_log "now holds 0xbadc0ffee0ddf00d (memory outside the partition changed)"
}

scenario_protect_layer_write() {
	boot --smp 2 --mem 512M --cmdline "protect=require fault_inject=layer_write"
	contained "nested page fault" "inside the protection layer's memory"
	expect_no_log "the layer's memory was overwritten"
}

# The layer's code sits in the image beside the kernel's, but the nested
# tables leave it out: the kernel cannot rewrite its guard.
scenario_protect_layer_code() {
	boot --smp 2 --mem 512M --cmdline "protect=require fault_inject=layer_code"
	contained "nested page fault" "inside the protection layer's memory"
	expect_log "writing into the protection layer's code"
	expect_no_log "the layer's code was overwritten"
}

scenario_protect_off_layer_code_lands() {
	boot --smp 2 --mem 512M --cmdline "protect=off fault_inject=layer_code"
	expect_status 0	# nothing stops the write: the kernel carries on to its end
	expect_log_re "the layer's code was overwritten: it now holds 0xbadc0ffee0ddf00d"
}

scenario_protect_ipi_foreign() {
	boot --smp 2 --mem 512M --cmdline "cpus=1 protect=require fault_inject=ipi_foreign"
	contained "IPI outside the enclave" "aimed at APIC id 1, outside the enclave"
	expect_no_log "cpu1: online"
}

scenario_protect_off_ipi_foreign_takes_core() {
	boot --smp 2 --mem 512M --cmdline "cpus=1 protect=off fault_inject=ipi_foreign"
	expect_status 0
	expect_log "cpu1: online, APIC id 1"
	expect_log "the core with APIC id 1, not ours, now runs Cove"
}

scenario_protect_triple_fault() {
	boot --smp 2 --mem 256M --cmdline "protect=require fault_inject=triple_fault"
	contained "triple fault (shutdown)" "the kernel triple-faulted"
}

scenario_protect_off_triple_fault_resets() {
	boot --smp 2 --mem 256M --cmdline "protect=off fault_inject=triple_fault"
	expect_status 125	# QEMU saw the machine reset (-no-reboot): no status
	grep -q "without reporting a status" "$LOG.qemu" || fail "the machine did not reset"
}

scenario_protect_reset_port() {
	boot --smp 2 --mem 256M --cmdline "protect=require fault_inject=reset"
	contained "platform I/O" "write of I/O port 0xcf9"
}

scenario_protect_off_reset_port_resets() {
	boot --smp 2 --mem 256M --cmdline "protect=off fault_inject=reset"
	expect_status 125	# QEMU saw the machine reset (-no-reboot): no status
	expect_log "fault_inject: resetting the platform through port 0xcf9"
	grep -q "without reporting a status" "$LOG.qemu" || fail "the machine did not reset"
	expect_no_log "the reset did not happen"
}

scenario_protect_apic_base() {
	boot --smp 2 --mem 256M --cmdline "protect=require fault_inject=apic_base"
	contained "protected MSR write" "write of MSR 0x1b (value 0xfed00900)"
	expect_no_log "the APIC base is now"
}

scenario_protect_off_apic_base_moves() {
	boot --smp 2 --mem 256M --cmdline "protect=off fault_inject=apic_base"
	expect_status 0
	expect_log "the APIC base is now 0xfed00900 (was 0xfee00900)"
}

scenario_protect_vmrun() {
	boot --smp 2 --mem 256M --cmdline "protect=require fault_inject=vmrun"
	contained "virtualization instruction" "the kernel executed an SVM instruction (exit 0x80)"
}

scenario_protect_off_vmrun_crashes() {
	boot --smp 2 --mem 256M --cmdline "protect=off fault_inject=vmrun"
	expect_status 1
	expect_log "KERNEL FAULT on cpu 0: invalid opcode (vector 6)"
}

# Without SVM: protect=on falls back with a clear message, require refuses.
scenario_protect_no_svm_fallback() {
	boot --cpu qemu64,-svm --smp 2 --mem 256M --cmdline "selftest protect=on"
	expect_status 0
	expect_log "vmm: no protection: this CPU has no AMD SVM"
	expect_log "vmm: the kernel runs unguarded"
	expect_selftests_pass
}

scenario_protect_no_svm_require_refuses() {
	boot --cpu qemu64,-svm --smp 1 --mem 256M --cmdline "protect=require"
	expect_status 2
	expect_log "vmm: protect=require, but this CPU has no AMD SVM"
	expect_no_log "CPUs online"
}

# --- Intel VMX + EPT under Bochs ---

scenario_vmx_guarded_boot() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "selftest protect=require"
	expect_status 0
	expect_log "vmm: the kernel runs guarded by Intel VMX with EPT"
	expect_log "cove: 2/2 CPUs online"
	expect_selftests_pass
	expect_log "vmm: cpu1 VM exits: 0 "
}

scenario_vmx_wild_write() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "mem=128M protect=require fault_inject=wild_write"
	contained "nested page fault" "write at guest physical 0x8300000: outside the partition"
}

scenario_vmx_off_wild_write_lands() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "mem=128M protect=off fault_inject=wild_write"
	expect_status 0
	expect_log "(memory outside the partition changed)"
}

scenario_vmx_layer_write() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "protect=require fault_inject=layer_write"
	contained "nested page fault" "inside the protection layer's memory"
}

scenario_vmx_layer_code() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "protect=require fault_inject=layer_code"
	contained "nested page fault" "inside the protection layer's memory"
}

scenario_vmx_ipi_foreign() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "cpus=1 protect=require fault_inject=ipi_foreign"
	contained "IPI outside the enclave" "aimed at APIC id 1, outside the enclave"
	expect_no_log "cpu1: online"
}

scenario_vmx_xapic_guarded_boot() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "nox2apic selftest protect=require"
	expect_status 0
	expect_log "lapic: xAPIC mode"
	expect_log "vmm: the kernel runs guarded by Intel VMX with EPT"
	expect_log "cove: 2/2 CPUs online"
	expect_selftests_pass
}

scenario_vmx_xapic_ipi_foreign() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "nox2apic cpus=1 protect=require fault_inject=ipi_foreign"
	contained "IPI outside the enclave" "aimed at APIC id 1, outside the enclave"
	expect_no_log "cpu1: online"
}

scenario_vmx_off_ipi_foreign_takes_core() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "cpus=1 protect=off fault_inject=ipi_foreign"
	expect_status 0
	expect_log "cpu1: online, APIC id 1"
	expect_log "the core with APIC id 1, not ours, now runs Cove"
}

scenario_vmx_triple_fault() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "protect=require fault_inject=triple_fault"
	contained "triple fault (shutdown)" "the kernel triple-faulted"
}

scenario_vmx_reset_port() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "protect=require fault_inject=reset"
	contained "platform I/O" "write of I/O port 0xcf9"
}

scenario_vmx_apic_base() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "protect=require fault_inject=apic_base"
	contained "protected MSR write" "write of MSR 0x1b"
}

scenario_vmx_vmclear() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "protect=require fault_inject=vmrun"
	contained "virtualization instruction" "the kernel executed a VMX instruction"
}

scenario_vmx_off_vmclear_crashes() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "protect=off fault_inject=vmrun"
	expect_status 1
	expect_log "KERNEL FAULT on cpu 0: invalid opcode (vector 6)"
}

# MSR writes are denied by default: a machine-wide one (the MTRR default
# type) is refused and reported under both back ends; unguarded it lands.
msr_write_case() {	# qemu|bochs on|off
	local args=(--smp 2 --mem 256M)
	[ "$1" = bochs ] && args=(--emulator bochs --smp 2 --mem 256)
	if [ "$2" = on ]; then
		boot "${args[@]}" --cmdline "protect=require fault_inject=msr_write"
		contained "protected MSR write" "write of MSR 0x2ff"
		expect_log "(IA32_MTRR_DEF_TYPE: memory types)"
		expect_no_log "the MTRRs are off"
	else
		boot "${args[@]}" --cmdline "protect=off fault_inject=msr_write"
		expect_status 0
		expect_log "fault_inject: the MTRRs are off (IA32_MTRR_DEF_TYPE"
	fi
}
for _emu in qemu bochs; do
	for _mode in on off; do
		eval "scenario_msr_write_${_emu}_${_mode}() { msr_write_case $_emu $_mode; }"
	done
done
unset _emu _mode

# --- Partition changes: memory added at run time ---

partition_grows() {
	expect_status 0
	expect_log "partition: added [0x000010400000-0x0000183fffff] 131072 KiB; now 384 MiB"
	expect_log "cove: 2/2 CPUs online, 384 MiB in partition"
	# The self-tests take every free block, the new ones included: unmapped
	# in the nested tables, that would be a contained fault, not a pass.
	expect_selftests_pass
}

scenario_protect_partition_grows() {
	boot --smp 2 --mem 512M --cmdline "mem=256M partition_add=260M,128M protect=require selftest"
	partition_grows
}

scenario_vmx_partition_grows() {
	boot --emulator bochs --smp 2 --mem 512 --cmdline "mem=256M partition_add=260M,128M protect=require selftest"
	partition_grows
}

# --- Partition changes: memory removed at run time ---
# 128 MiB is added at 260M and then removed again once both CPUs are up; a
# write to it afterwards must be a contained fault, and with protect=off it
# lands (the kernel's own view no longer covers it, only the layer's did).
SHRINK="mem=256M partition_add=260M,128M partition_remove=260M,128M"

partition_shrinks() {
	expect_log "partition: added [0x000010400000-0x0000183fffff] 131072 KiB; now 384 MiB"
	expect_log "partition: removed [0x000010400000-0x0000183fffff] 131072 KiB; now 256 MiB"
}

scenario_protect_partition_shrinks() {
	boot --smp 2 --mem 512M --cmdline "$SHRINK protect=require selftest"
	expect_status 0
	partition_shrinks
	# The self-tests take every free block: a removed page handed out would fault.
	expect_selftests_pass
}

scenario_protect_removed_memory_unmapped() {
	boot --smp 2 --mem 512M --cmdline "$SHRINK protect=require fault_inject=wild_write fault_addr=300M"
	partition_shrinks
	contained "nested page fault" "write at guest physical 0x12c00000: outside the partition"
	expect_no_log "the write landed"
}

scenario_protect_off_removed_memory_written() {
	boot --smp 2 --mem 512M --cmdline "$SHRINK protect=off fault_inject=wild_write fault_addr=300M"
	expect_status 0
	partition_shrinks
	expect_log "physical 0x12c00000 now holds 0xbadc0ffee0ddf00d"
}

scenario_vmx_removed_memory_unmapped() {
	boot --emulator bochs --smp 2 --mem 512 --cmdline "$SHRINK protect=require fault_inject=wild_write fault_addr=300M"
	partition_shrinks
	contained "nested page fault" "write at guest physical 0x12c00000: outside the partition"
}

scenario_partition_remove_in_use_refused() {
	# The kernel image sits at 2 MiB; the first MiB or so is not RAM at all.
	boot --smp 2 --mem 256M --cmdline "protect=require partition_remove=2M,2M selftest"
	expect_status 0
	expect_log "partition: cannot remove [0x200000-0x3fffff]: the kernel holds part of it"
	expect_log "cove: 2/2 CPUs online, 255 MiB in partition"
	expect_selftests_pass
}

scenario_protect_grow_ungranted_refused() {
	boot --smp 2 --mem 512M --cmdline "protect=require fault_inject=grow_ungranted"
	expect_status 0
	expect_log "fault_inject: the protection layer refused ungranted memory"
}

scenario_vmx_grow_ungranted_refused() {
	boot --emulator bochs --smp 2 --mem 256 --cmdline "protect=require fault_inject=grow_ungranted"
	expect_status 0
	expect_log "fault_inject: the protection layer refused ungranted memory"
}

scenario_partition_add_not_granted() {
	boot --smp 1 --mem 256M --cmdline "partition_add=1G,16M"
	expect_status 0
	expect_log "partition: cannot add [0x40000000-0x40ffffff]: not granted, or already ours"
}

# --- Co-kernel mode under Bochs: the VMX back end beside a host ---
# Linux takes too long to boot under Bochs, so the host here is the Pisces
# host stand-in (test/standin/): GRUB boots it with cove.elf as a module; it
# keeps CPU 0, loads Cove into a 256 MiB partition and starts it on CPU 1 the
# way linux/module/ does (with second=, a second core first, in the layer's
# entry), relays Cove's console ring ("enclave: " lines), watches the state
# word and the host page's fault report, takes the cores back with INIT and
# ends with its own verdict ("standin: powering off
# (status N: ...)", 0 when what its expect= asked for was seen). aim=watch
# points Cove's wild write (fault_addr=) at a page of the stand-in's memory.

STANDIN_ELF="$BUILD/standin.elf"
# Built here, once, before the scenarios run in parallel.
STANDIN_BUILD_ERROR=""
make --no-print-directory -s "$STANDIN_ELF" >"$BUILD/test/standin-build.log" 2>&1 ||
	STANDIN_BUILD_ERROR="the stand-in does not build: $(tail -n 3 "$BUILD/test/standin-build.log" | tr '\n' ' ')"

# boot_standin "stand-in options" "Cove command line" [MODULE] [INITRD]
# STANDIN_SMP (default 2) is Bochs' CPU count: each CPU slows every run, so
# only scenarios that give the enclave a second core (second=) ask for 3.
# STANDIN_RESETS=1 lets the machine boot again after a reset (bochs-run.sh
# --resets), for the stand-in to notice it. INITRD is GRUB's second module: Cove's initramfs and the host's files a
# job= of the stand-in finds its program in.
boot_standin() {
	local iso="$BUILD/test/$SCENARIO.iso"
	if [ -n "$STANDIN_BUILD_ERROR" ]; then
		fail "$STANDIN_BUILD_ERROR"
		return
	fi
	if ! scripts/mkiso-standin.sh "$STANDIN_ELF" "${3:-$ELF}" "$iso" "$1" "$2" ${4:+"$4"} \
		2>"$LOG.mkiso"; then
		fail "could not build the ISO: $(cat "$LOG.mkiso")"
		return
	fi
	if [ "${STANDIN_EMULATOR:-bochs}" = qemu ]; then
		scripts/qemu-run.sh --iso "$iso" --smp "${STANDIN_SMP:-2}" --mem 512M --log "$LOG" \
			--timeout 180 --cpu max 2>"$LOG.qemu"
	else
		scripts/bochs-run.sh --iso "$iso" --smp "${STANDIN_SMP:-2}" --mem 512 --log "$LOG" \
			--timeout 180 ${STANDIN_RESETS:+--resets} 2>"$LOG.qemu"
	fi
	# shellcheck disable=SC2034 # read by expect_status (test/boot/lib.sh)
	STATUS=$?
	rm -f "$iso"
}

# What every run that started Cove must show: co-kernel mode, the core back.
standin_cokernel_ran() {
	expect_log "enclave: boot: co-kernel mode, loaded by a Pisces loader"
	expect_log_re "standin: took the core with APIC ID 1 back"
}

scenario_vmx_cokernel_standin_boot() {
	boot_standin "expect=ready" "protect=require"
	expect_status 0
	standin_cokernel_ran
	expect_log "enclave: vmm: the kernel runs guarded by Intel VMX with EPT"
	expect_log "enclave: cove: 1/1 CPUs online, 256 MiB in partition"
	expect_log "enclave: cove: enclave 1 ready for jobs from the host"
	expect_log "standin: enclave state STOPPED, exit status 0; host page: guarded 2, fault_seq 0"
	expect_log "standin: host alive, watched memory intact"
}

scenario_vmx_cokernel_standin_wild_write() {
	local target
	boot_standin "expect=contained aim=watch" "protect=require fault_inject=wild_write"
	expect_status 0
	standin_cokernel_ran
	expect_log "enclave: vmm: the kernel runs guarded by Intel VMX with EPT"
	target=$(tr -d '\r' <"$LOG" | sed -n 's/^standin: watched page .* fault_addr=\(0x[0-9a-f]*\).*/\1/p')
	[ -n "$target" ] || fail "the stand-in did not aim the write at its watched page"
	expect_log "enclave: fault_inject: writing 0xbadc0ffee0ddf00d to physical $target"
	# The report as the host read it from its host page, not the console.
	expect_log "standin: | COVE PROTECTION FAULT on cpu 0: nested page fault"
	expect_log "standin: |   write at guest physical $target: outside the partition"
	expect_log "standin: enclave state PANIC, exit status 5; host page: guarded 2, fault_seq 1"
	expect_log "standin: host alive, watched memory intact"
	expect_no_log "the write landed"
}

# The same write with protect=off lands in the host's memory: the test is real.
scenario_vmx_cokernel_standin_off_wild_write_lands() {
	local target
	boot_standin "expect=changed aim=watch" "protect=off fault_inject=wild_write"
	expect_status 0
	standin_cokernel_ran
	expect_log "enclave: vmm: the kernel runs unguarded"
	target=$(tr -d '\r' <"$LOG" | sed -n 's/^standin: watched page .* fault_addr=\(0x\)\([0-9a-f]*\).*/\2/p')
	[ -n "$target" ] || fail "the stand-in did not aim the write at its watched page"
	expect_log "standin: watched memory CHANGED: $target now holds badc0ffee0ddf00d"
	expect_log "fault_seq 0"
}

# The stand-in refuses what is not a Cove image, and says so.
scenario_vmx_cokernel_standin_refuses_non_cove_image() {
	boot_standin "expect=ready" "protect=require" "$STANDIN_ELF"
	expect_status 2
	expect_log "standin: the module has no Cove image header (not a Cove image)"
	expect_no_log "enclave:"
}

# --- Booted by a plain Pisces loader (issue 18) ---
# With pisces=1 the stand-in writes exactly Pisces's block and buffers
# (include/cove/pisces_abi.h) and no Cove extension, enters Cove through the
# block's launch code, waits for Pisces's initialized flag, sends a Pisces
# LAUNCH_JOB on the control buffer and, once the job's end is on the
# console ring, a Pisces SHUTDOWN; each answer must be Pisces's status 0.
# The job's program comes from Cove's initramfs (GRUB's second module).
STANDIN_PISCES_FILES="$BUILD/test/standin-pisces.cpio"
standin_pisces_files() {
	local stage
	stage="$(mktemp -d)" || return 1
	mkdir -p "$stage/bin" && cp "$BUILD/user/musl/hello" "$stage/bin/" &&
		(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) \
			>"$STANDIN_PISCES_FILES.tmp" &&
		mv "$STANDIN_PISCES_FILES.tmp" "$STANDIN_PISCES_FILES"
	local rc=$?
	rm -rf "$stage"
	return $rc
}
mkdir -p "$BUILD/test"
if ! standin_pisces_files 2>"$BUILD/test/standin-pisces.log" && [ -z "$STANDIN_BUILD_ERROR" ]; then
	STANDIN_BUILD_ERROR="no initramfs for the Pisces stand-in: $(head -c 200 "$BUILD/test/standin-pisces.log")"
fi

# BACKEND: what the layer must say it runs on.
standin_pisces_run() {
	boot_standin "pisces=1 job=/bin/hello from pisces" "protect=require" "" \
		"$STANDIN_PISCES_FILES"
	expect_status 0
	expect_log "enclave: boot: co-kernel mode, loaded by a Pisces loader"
	expect_no_log "loaded by a Pisces loader (cove.ko)"
	expect_log "enclave: vmm: the kernel runs guarded by $1"
	# Where the stand-in puts it follows the image's size: only that it is there, one page.
	expect_log_re "enclave:   held at entry: XPMEM buffer +\[0x[0-9a-f]+-0x[0-9a-f]+\] +4 KiB"
	expect_log "standin: pisces: the enclave is up (flags 1)"
	expect_log "enclave: host: Pisces LAUNCH_JOB standin: ranks=1 /bin/hello from pisces"
	expect_log "standin: pisces: LAUNCH_JOB answered status 0"
	expect_log "enclave: hello from musl pid 1 argc 3 envc 4"
	expect_log "enclave: hello: argv[2]=pisces"
	expect_log "enclave: job 1: done, status 0"
	expect_log "standin: pisces: SHUTDOWN answered status 0"
	expect_log "enclave: cove: stopping the enclave (status 0: done)"
	expect_log "standin: pisces: the enclave cleared its initialized flag"
	expect_log_re "standin: took the core with APIC ID 1 back"
	expect_log "standin: expected 'ready': seen"
}

scenario_vmx_cokernel_standin_pisces() {
	standin_pisces_run "Intel VMX with EPT"
}

# The same stand-in under QEMU's AMD model: the SVM back end.
scenario_svm_cokernel_standin_pisces() {
	STANDIN_EMULATOR=qemu standin_pisces_run "AMD SVM with nested paging"
}

# A hung enclave behind the SVM layer still shows where it is stuck. The
# stand-in, as the module does, sends the boot core an NMI when it finds the
# enclave hung; the layer intercepts it. The CPU keeps an intercepted NMI
# pending until the host sets GIF, so unless the layer takes it itself every
# VMRUN exits for it again and the kernel never runs the NMI it injects.
scenario_svm_cokernel_standin_hang_nmi() {
	STANDIN_EMULATOR=qemu boot_standin "expect=hung hang=2000 job=/bin/kfault hang" \
		"protect=require fault_inject=on_request" "" "$STANDIN_FILES"
	expect_status 0
	standin_cokernel_ran
	expect_log "enclave: vmm: the kernel runs guarded by AMD SVM with nested paging"
	expect_log "standin: expected 'hung': seen"
	expect_log "standin: sending an NMI to the boot core (APIC ID 1)"
	expect_log "enclave: NMI on cpu 0: stopped where it was"
	expect_log_re "enclave: RIP: .*<fault_(hang|spin)\+"
	expect_log "standin: host alive, watched memory intact"
}

# The fault matrix's VMX co-kernel column, as jobs the stand-in launches.
# shellcheck source=test/protect/standin_matrix.sh
. test/protect/standin_matrix.sh

# The heartbeat watch does not take a healthy kernel for a hung one: rung
# after half of hang= in silence, Cove's boot core answers, and the job
# runs to its end as without the watch. hang=100 is short enough that the
# job's start, which zeroes the job's memory, is a silence the watch rings
# into: the boot core must take the ring while it zeroes (it did not while
# mm/aspace.c zeroed with interrupts off, and this run said "hung").
scenario_vmx_cokernel_standin_hang_watch_answered() {
	boot_standin "expect=ready hang=100 job=/bin/fault segv" "protect=require" "" \
		"$STANDIN_FILES"
	expect_status 0
	standin_cokernel_ran
	expect_log "standin: expected 'ready': seen"
	expect_log_re "^standin: no heartbeat for [0-9]+ ms: ringing the enclave's doorbell"
	expect_no_log "standin: hung:"
	expect_log "standin: job exited with status 139 (killed by signal 11)"
}

# --- A second enclave core, started in the protection layer's entry ---
# With second=2 the stand-in starts APIC ID 2 at the image's cpu_entry_phys
# first, waits until it says it arrived, and only then starts the boot core
# (the module's order). Cove's boot CPU then asks the layer to start it: on
# VMX, as the layer's guest from its first instruction (vmx_cpu_run_started).

# Both cores came back to the host after the run.
standin_both_cores_back() {
	standin_cokernel_ran
	expect_log "standin: the core with APIC ID 2 arrived in the protection layer's entry"
	expect_log_re "standin: took the core with APIC ID 2 back"
}

scenario_vmx_cokernel_standin_two_cores() {
	STANDIN_SMP=3 boot_standin "second=2 expect=ready" "protect=require"
	expect_status 0
	standin_both_cores_back
	expect_log "enclave: vmm: the kernel runs guarded by Intel VMX with EPT"
	expect_log "enclave: smp: the protection layer started cpu1 (APIC id 2) as its guest"
	expect_log "enclave: cpu1: online, APIC id 2, guarded"
	expect_log "enclave: cove: 2/2 CPUs online, 256 MiB in partition"
	expect_log "enclave: cove: enclave 1 ready for jobs from the host"
	expect_log "standin: enclave state STOPPED, exit status 0; host page: guarded 2, fault_seq 0"
	expect_log "standin: host alive, watched memory intact"
}

# The started core's very first kernel step is a wild write at the host's
# watched page: it already runs as the layer's guest, so EPT stops it.
scenario_vmx_cokernel_standin_ap_early_write() {
	local target
	STANDIN_SMP=3 boot_standin "second=2 expect=contained aim=watch" \
		"protect=require fault_inject=ap_early_write"
	expect_status 0
	standin_both_cores_back
	target=$(tr -d '\r' <"$LOG" | sed -n 's/^standin: watched page .* fault_addr=\(0x[0-9a-f]*\).*/\1/p')
	[ -n "$target" ] || fail "the stand-in did not aim the write at its watched page"
	expect_log "enclave: smp: the protection layer started cpu1 (APIC id 2) as its guest"
	expect_log "enclave: fault_inject: cpu1 writes outside the partition before anything else (as the layer's guest)"
	expect_log "enclave: fault_inject: writing 0xbadc0ffee0ddf00d to physical $target"
	expect_log "standin: | COVE PROTECTION FAULT on cpu 1: nested page fault"
	expect_log "standin: |   write at guest physical $target: outside the partition"
	expect_log "standin: enclave state PANIC, exit status 5; host page: guarded 2, fault_seq 1"
	expect_log "standin: host alive, watched memory intact"
	expect_no_log "the write landed"
}

# With protect=off the layer lets the core straight into the kernel and the
# same first step lands in the host's memory.
scenario_vmx_cokernel_standin_off_ap_early_write_lands() {
	local target
	STANDIN_SMP=3 boot_standin "second=2 expect=changed aim=watch" \
		"protect=off fault_inject=ap_early_write"
	expect_status 0
	standin_both_cores_back
	expect_log "enclave: vmm: the kernel runs unguarded"
	expect_log "enclave: fault_inject: cpu1 writes outside the partition before anything else"
	expect_no_log "as the layer's guest"
	expect_log "enclave: cpu1: online, APIC id 2"
	target=$(tr -d '\r' <"$LOG" | sed -n 's/^standin: watched page .* fault_addr=\(0x\)\([0-9a-f]*\).*/\2/p')
	[ -n "$target" ] || fail "the stand-in did not aim the write at its watched page"
	expect_log "standin: watched memory CHANGED: $target now holds badc0ffee0ddf00d"
	expect_log "fault_seq 0"
}

# second= is checked like every other option: a bad APIC ID or the boot
# core again is named, and nothing is started (status 2).
scenario_vmx_cokernel_standin_refuses_bad_second() {
	boot_standin "second=0 core=1 second=1" "protect=require"
	expect_status 2
	expect_log "standin: second= takes an APIC ID (1..254)"
	expect_log "standin: second=1 is the enclave's boot core (core=) already"
	expect_log "standin: powering off (status 2: bad input: bad stand-in command line)"
	expect_no_log "enclave:"
}
