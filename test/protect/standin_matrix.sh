#!/bin/bash
# The fault matrix's VMX column in co-kernel mode: each kind of
# test/cokernel/fault_matrix.sh (same names) run as a job the host stand-in
# launches (its job= option) in a Cove booted with fault_inject=on_request,
# under Bochs with protection on and, where the stand-in can show the harm,
# with it off. The stand-in serves the job's long calls; its program comes
# from the initrd module (the host's files, and Cove's initramfs). One Bochs
# boot per cell: the table decides how many.
#
# The table (and the README's copy of it): standin_matrix_table.sh.
# shellcheck source=test/protect/standin_matrix_table.sh
. test/protect/standin_matrix_table.sh

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
if ! standin_files_build 2>"$BUILD/test/standin-files.log" && [ -z "$STANDIN_BUILD_ERROR" ]; then
	STANDIN_BUILD_ERROR="no files for the jobs of the stand-in:"
	STANDIN_BUILD_ERROR+=" $(head -c 200 "$BUILD/test/standin-files.log")"
fi

# A hung enclave is found by the stand-in's heartbeat watch: half of it in
# silence and the stand-in rings, all of it and the enclave is hung.
STANDIN_HANG_MS=2000
# Rings an unguarded storm must have cost the stand-in's core, at least.
STANDIN_STORM_RINGS=100

# The count in the stand-in's line "the host's core took N doorbell rings; host
# page: doorbell_rings R, doorbell_dropped D": FIELD took|dropped.
standin_rings() {
	grep -a "^standin: the host's core took [0-9]* doorbell rings" "$LOG" | tail -n 1 |
		sed -E "s/.*took ([0-9]+) doorbell rings.*doorbell_dropped ([0-9]+).*/\1 \2/" |
		awk -v f="$1" '{ print f == "took" ? $1 : $2 }'
}

# One cell: KIND on|off JOB "EXPECT REGEX".
standin_matrix_cell() {
	local kind=$1 mode=$2 job=$3 expect re protect=require opts n
	read -r expect re <<<"$4"
	[ "$mode" = off ] && protect=off
	opts="expect=$expect"
	[ "$expect" = hung ] && opts+=" hang=$STANDIN_HANG_MS"
	boot_standin "$opts job=$job" "protect=$protect fault_inject=on_request" "" \
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
	if [ "$kind" = doorbell_storm ]; then
		if [ "$mode" = on ]; then
			n=$(standin_rings dropped)
			[ "${n:-0}" -ge 1024 ] ||
				fail "the layer dropped ${n:-no} rings, fewer than a storm's 1024"
		else
			n=$(standin_rings took)
			[ "${n:-0}" -ge "$STANDIN_STORM_RINGS" ] ||
				fail "the stand-in's core took ${n:-no} rings, fewer than $STANDIN_STORM_RINGS"
		fi
	fi
}

# The host did not survive: the stand-in, booted again by the firmware,
# found the mark it leaves in CMOS while the enclave runs.
standin_matrix_reset_cell() {	# KIND JOB
	STANDIN_RESETS=1 boot_standin "expect=reset job=$2" "protect=off fault_inject=on_request" \
		"" "$STANDIN_FILES"
	expect_status 0
	expect_log "enclave: vmm: the kernel runs unguarded"
	expect_log_re "^standin: launching job 1: $2"
	expect_no_log "standin: took the core with APIC ID 1 back"
	expect_log "standin: the machine was reset while the enclave ran: the host did not survive it"
	[ "$(grep -ac "standin: Pisces host stand-in" "$LOG")" = 2 ] ||
		fail "$1: the stand-in did not boot exactly twice"
}

for _row in "${STANDIN_MATRIX[@]}"; do
	_kind=$(matrix_field "$_row" 1)
	_job=$(matrix_field "$_row" 2)
	_on=$(matrix_field "$_row" 3)
	_off=$(matrix_field "$_row" 4)
	[ "$_off" = same ] && _off=$_on
	# The storm unguarded: the job rings to its end, the rings reach the host.
	[ "$_off" = @rings ] && _off="ready ^enclave: fault_inject: rang the host's doorbell [0-9]+ times"
	eval "scenario_vmx_cokernel_standin_matrix_${_kind}_on() {
		standin_matrix_cell $_kind on $(printf '%q' "$_job") $(printf '%q' "$_on"); }"
	case "$_off" in
	n/a:*|@host:*) ;;
	@reset) eval "scenario_vmx_cokernel_standin_matrix_${_kind}_off() {
		standin_matrix_reset_cell $_kind $(printf '%q' "$_job"); }" ;;
	*) eval "scenario_vmx_cokernel_standin_matrix_${_kind}_off() {
		standin_matrix_cell $_kind off $(printf '%q' "$_job") $(printf '%q' "$_off"); }" ;;
	esac
done
unset _row _kind _job _on _off
