#!/bin/bash
# Helpers for boot scenarios: boot an ISO in QEMU, then check the serial log.
# A scenario is a function that calls `boot` once and then any number of
# expect_* checks; the first failed check is the scenario's verdict.

# Set by the runner for each scenario.
SCENARIO=""
LOG=""
STATUS=""
FAILED=""
BUILD="${BUILD:-build}"
ELF="$BUILD/cove.elf"
# The option parser the launchers share (run from the repository's top).
. scripts/boot-opts.sh

fail() {
	[ -n "$FAILED" ] || FAILED="$*"
}

# boot [--smp N] [--mem SIZE] [--firmware bios|uefi] [--cmdline "..."] [--timeout S]
#      [--emulator qemu|bochs]   (bochs: BIOS only, --mem in MiB)
#      [--elf KERNEL]            (default: $ELF)
#      [--initrd CPIO]           (the job initramfs: $BUILD/initramfs.cpio)
#      [--serial2 CHARDEV]       (QEMU: a second serial port, COM2)
boot() {
	local smp=1 mem=128M firmware=bios cmdline="" timeout=180 emulator=qemu elf="$ELF"
	local initrd="" cpu=max serial2="" numa="" acpitable=""
	local opts="cpu initrd elf emulator smp mem firmware cmdline timeout serial2 numa acpitable"
	if ! boot_opts_parse "$opts" "$@"; then
		fail "boot: bad option $boot_opts_bad"
		return
	fi
	local iso="$BUILD/test/$SCENARIO.iso"
	if [ ! -f "$elf" ]; then
		fail "no kernel at $elf (did it build?)"
		return
	fi
	if ! scripts/mkiso.sh "$elf" "$iso" "$cmdline" $initrd 2>"$LOG.mkiso"; then
		fail "could not build the ISO: $(cat "$LOG.mkiso")"
		return
	fi
	if [ "$emulator" = bochs ]; then
		scripts/bochs-run.sh --iso "$iso" --smp "$smp" --mem "$mem" --log "$LOG" \
			--timeout "$timeout" 2>"$LOG.qemu"
	else
		scripts/qemu-run.sh --iso "$iso" --smp "$smp" --mem "$mem" --firmware "$firmware" \
			--log "$LOG" --timeout "$timeout" --cpu "$cpu" ${numa:+--numa "$numa"} \
			${acpitable:+--acpitable "$acpitable"} ${serial2:+--serial2 "$serial2"} \
			2>"$LOG.qemu"
	fi
	STATUS=$?
	rm -f "$iso"
}

expect_status() {
	[ "$STATUS" = "$1" ] || fail "exit status $STATUS, expected $1 ($(cat "$LOG.qemu" 2>/dev/null))"
}

# Fixed-string match anywhere in the serial log.
expect_log() {
	grep -aqF -- "$1" "$LOG" || fail "log lacks: $1"
}

expect_no_log() {
	! grep -aqF -- "$1" "$LOG" || fail "log has unexpected: $1"
}

# Extended regex match.
expect_log_re() {
	grep -aqE -- "$1" "$LOG" || fail "log lacks a line matching: $1"
}

# The summary line's memory size lies in [lo, hi] MiB.
expect_partition_mib() {
	local mib
	mib=$(sed -n 's/.*CPUs online, \([0-9]*\) MiB in partition.*/\1/p' "$LOG" | tr -d '\r')
	if [ -z "$mib" ] || [ "$mib" -lt "$1" ] || [ "$mib" -gt "$2" ]; then
		fail "partition is '${mib}' MiB, expected $1..$2"
	fi
}

# Memory accounting: partition = held + free exactly, the firmware map equals
# the partition when nothing restricts it, and the kernel image the kernel
# says it holds is exactly the size of the ELF image (first to last byte).
expect_memory_accounting() {
	local line part held free fw fwpart img_log img_elf start end
	line=$(grep -a "mem: partition .* = kernel holds" "$LOG" | tr -d '\r')
	part=$(echo "$line" | sed -n 's/.*partition \([0-9]*\) KiB = .*/\1/p')
	held=$(echo "$line" | sed -n 's/.*holds \([0-9]*\) KiB.*/\1/p')
	free=$(echo "$line" | sed -n 's/.*free \([0-9]*\) KiB.*/\1/p')
	if [ -z "$part" ] || [ -z "$held" ] || [ -z "$free" ]; then
		fail "no memory accounting line"
		return
	fi
	# Each number is rounded down to KiB on its own; pages make them exact.
	[ $((held + free)) -eq "$part" ] || fail "held $held + free $free != partition $part KiB"

	line=$(grep -a "mem: firmware map" "$LOG" | tr -d '\r')
	fw=$(echo "$line" | sed -n 's/.*map \([0-9]*\) KiB usable.*/\1/p')
	fwpart=$(echo "$line" | sed -n 's/.*partition \([0-9]*\) KiB.*/\1/p')
	[ -n "$fw" ] && [ "$fw" = "$fwpart" ] || fail "firmware map $fw KiB != partition $fwpart KiB"

	start=$(nm "$ELF" | awk '$3 == "__kernel_phys_start" { print $1 }')
	end=$(nm "$ELF" | awk '$3 == "__kernel_end" { print $1 }')
	img_elf=$(( (0x$end - 0xffffffff80000000 - 0x$start) / 1024 ))
	img_log=$(grep -a "held at entry: kernel image" "$LOG" | tr -d '\r' | awk '{ print $(NF-1) }')
	[ "$img_log" = "$img_elf" ] || fail "kernel image held $img_log KiB, ELF says $img_elf KiB"
	# The kernel holds its image, boot data and small tables: a few MiB at most.
	[ "$held" -ge "$img_elf" ] && [ "$held" -lt $((img_elf + 8192)) ] ||
		fail "kernel holds $held KiB, implausible for a $img_elf KiB image"
}

expect_selftests_pass() {
	expect_log_re "selftest: [1-9][0-9]* passed, 0 failed"
	expect_no_log "FAIL"
}

# The output job N printed: the lines between its "job N: ..." header and the
# "job N: rank 0 ..." line that reports its end, but for the kernel's own
# warnings that come between (e.g. a process refused memory, mm/pmem_refused.c).
job_output() {
	tr -d '\r' < "$LOG" | awk -v n="$1" '
		index($0, "job " n ": rank ") == 1 { on = 0 }
		on && index($0, "warning: ") != 1 { print }
		index($0, "job " n ": ") == 1 && !seen { on = 1; seen = 1 }'
}

# Job N's exit line must say exactly this (e.g. "exited with status 0").
expect_job_end() {
	tr -d '\r' < "$LOG" | grep -qE "^(error: )?job $1: rank 0 \(pid [0-9]+, [^)]*\): $2\$" ||
		fail "job $1 did not end with: $2"
}
