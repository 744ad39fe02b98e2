#!/bin/bash
# The fault matrix's VMX column in co-kernel mode: each kind of
# test/cokernel/fault_matrix.sh (same names) run as a job the host stand-in
# launches (its job= option) in a Cove booted with fault_inject=on_request,
# under Bochs with protection on and, where the stand-in can show the harm,
# with it off. The stand-in serves the job's long calls; its program comes
# from the initrd module (the host's files, and Cove's initramfs). One Bochs
# boot per cell: the table decides how many.
#
# Fields, split on '|':
#   kind   the matrix's name for it
#   job    the job line (@watch: a word of the stand-in's watched page)
#   on     guarded: "EXPECT REGEX" -- the stand-in's expect= (its verdict
#          must be "seen") and a line the log must show (the fault report
#          as the stand-in read it from the host page: "standin: | ...")
#   off    unguarded, the harm: "EXPECT REGEX" as above, or
#          same     the same as guarded (the kernel or the host contains it)
#          n/a:WHY  not run here, and why
STANDIN_MATRIX=(
"wild_write|/bin/kfault wild_write @watch|contained ^standin: .   write at guest physical 0x[0-9a-f]+: outside the partition|changed ^standin: watched memory CHANGED: [0-9a-f]+ now holds badc0ffee0ddf00d"
"layer_write|/bin/kfault layer_write|contained ^standin: .   .*inside the protection layer's memory|n/a:no layer runs, so there is none to hit"
"triple_fault|/bin/kfault triple_fault|contained ^standin: .   the kernel triple-faulted|n/a:the emulated machine resets under the stand-in (bare mode shows the reset)"
"reset|/bin/kfault reset|contained ^standin: .   write of I/O port 0xcf9|n/a:the emulated machine resets under the stand-in (bare mode shows the reset)"
"apic_base|/bin/kfault apic_base|contained ^standin: .   write of MSR 0x1b|ready ^enclave: fault_inject: the APIC base is now 0xfed00[0-9a-f]00"
"msr_write|/bin/kfault msr_write|contained ^standin: .   write of MSR 0x2ff|ready ^enclave: fault_inject: the MTRRs are off"
"pci_config|/bin/kfault pci_config|contained ^standin: .   write of I/O port 0xcf8|ready ^enclave: fault_inject: the platform's PCI configuration answered: device 00:00.0 is [0-9a-f]{4}:[0-9a-f]{4}"
"vmrun|/bin/kfault vmrun|contained ^standin: .   the kernel executed a VMX instruction|panic ^enclave: KERNEL FAULT on cpu 0: invalid opcode \(vector 6\)"
"ipi_foreign|/bin/kfault ipi_foreign|contained ^standin: .   .*aimed at APIC id 2, outside the enclave|n/a:INIT and SIPI would take a core from under the host; bare mode shows a core taken (vmx_off_ipi_foreign_takes_core)"
"nmi_foreign|/bin/kfault nmi_foreign|contained ^standin: .   .*aimed at APIC id 0, outside the enclave|ready ^standin: the host's core took 1 NMI it did not ask for"
"panic|/bin/kfault panic|panic ^enclave: .*fault_inject: a kernel panic on request|same"
"segv_job|/bin/fault segv|ready ^standin: job exited with status 139 \(killed by signal 11\)|same"
)

# The host's files: only the two programs the table runs (musl builds, small:
# GRUB loads the module through Bochs' BIOS, and the stand-in copies it).
STANDIN_FILES="$BUILD/test/standin-files.cpio"
standin_files_build() {
	local stage
	stage="$(mktemp -d)" || return 1
	mkdir -p "$stage/bin" &&
		cp "$BUILD/user/musl/kfault" "$BUILD/user/musl/fault" "$stage/bin/" &&
		(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$STANDIN_FILES.tmp" &&
		mv "$STANDIN_FILES.tmp" "$STANDIN_FILES"
	local rc=$?
	rm -rf "$stage"
	return $rc
}
mkdir -p "$BUILD/test"
standin_files_build 2>"$BUILD/test/standin-files.log" ||
	STANDIN_BUILD_ERROR="${STANDIN_BUILD_ERROR:-no files for the jobs of the stand-in: $(head -c 200 "$BUILD/test/standin-files.log")}"

standin_matrix_field() {	# ROW N: the Nth field (1-based)
	local fields
	IFS='|' read -r -a fields <<<"$1"
	printf '%s\n' "${fields[$2 - 1]}"
}

# One cell: KIND on|off JOB "EXPECT REGEX".
standin_matrix_cell() {
	local kind=$1 mode=$2 job=$3 expect re protect=require
	read -r expect re <<<"$4"
	[ "$mode" = off ] && protect=off
	boot_standin "expect=$expect job=$job" "protect=$protect fault_inject=on_request" "" \
		"$STANDIN_FILES"
	expect_status 0
	standin_cokernel_ran
	expect_log "standin: expected '$expect': seen"
	expect_log_re "^standin: launching job 1: ${job%% *} "
	expect_log_re "$re"
	[ "$expect" = changed ] || expect_log "standin: host alive, watched memory intact"
	if [ "$mode" = on ]; then
		expect_log "enclave: vmm: the kernel runs guarded by Intel VMX with EPT"
		[ "$expect" = contained ] &&
			expect_log_re "^standin: enclave state PANIC, exit status 5; host page: guarded 2, fault_seq 1"
	else
		expect_log "enclave: vmm: the kernel runs unguarded"
		expect_log_re "host page: guarded 0, fault_seq 0"
	fi
	[ "$expect" = ready ] && expect_log "standin: enclave state STOPPED, exit status 0"
	[ "$kind" = nmi_foreign ] && [ "$mode" = on ] && expect_no_log "NMI it did not ask for"
}

for _row in "${STANDIN_MATRIX[@]}"; do
	_kind=$(standin_matrix_field "$_row" 1)
	_job=$(standin_matrix_field "$_row" 2)
	_on=$(standin_matrix_field "$_row" 3)
	_off=$(standin_matrix_field "$_row" 4)
	[ "$_off" = same ] && _off=$_on
	eval "scenario_vmx_cokernel_standin_matrix_${_kind}_on() {
		standin_matrix_cell $_kind on $(printf '%q' "$_job") $(printf '%q' "$_on"); }"
	case "$_off" in
	n/a:*) ;;
	*) eval "scenario_vmx_cokernel_standin_matrix_${_kind}_off() {
		standin_matrix_cell $_kind off $(printf '%q' "$_job") $(printf '%q' "$_off"); }" ;;
	esac
done
unset _row _kind _job _on _off
