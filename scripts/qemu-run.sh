#!/bin/sh
# Boot a Cove ISO in QEMU with full emulation (TCG: never KVM, see
# ARCHITECTURE.md) and turn the kernel's exit status into ours.
#
#   qemu-run.sh --iso FILE [--smp N] [--mem SIZE] [--firmware bios|uefi]
#               [--log FILE] [--timeout SECONDS] [--gdb] [--icount] [--cpu MODEL]
#               [--plugin SO,ARGS] [--numa NODES] [--acpitable FILE]
#
# --acpitable adds FILE (a whole ACPI table, header included) to the ones
# the firmware has, as tests of the kernel's table parsing want.
#
# --numa splits the machine into NODES NUMA nodes (QEMU builds the SRAT):
# equal memory each, CPUs in equal consecutive blocks (node 0 gets the
# first), so --smp must be a multiple of NODES and --mem a size in M.
#
# --cpu picks the QEMU CPU model (default max: AMD SVM with nested paging
# under TCG, which the protection layer uses; qemu64 has no SVM).
#
# --icount makes guest time count instructions (-icount shift=0,sleep=off):
# a guest nanosecond is one instruction, the unit benchmarks report in.
#
# --plugin loads a TCG plugin (QEMU's -plugin syntax), e.g. the profiler
# scripts/insn-profile.sh builds.
#
# Exit status: the kernel's status (0 ok, 1 panic, 2 bad command line,
# 3 self-test failures), 124 on timeout, 125 if QEMU itself failed.
set -eu
. "$(dirname "$0")/boot-opts.sh"

usage() {
	echo "usage: qemu-run.sh --iso FILE [--smp N] [--mem SIZE] [--firmware bios|uefi]" \
	     "[--log FILE] [--timeout SECONDS] [--gdb] [--serial2 QEMU-CHARDEV]" >&2
	exit 125
}

iso=""
smp=1
mem=128M
firmware=bios
log=""
timeout=0
gdb=""
icount=""
cpu=max
plugin=""
serial2=""
numa=""
acpitable=""
boot_opts_parse "iso smp mem firmware log timeout gdb! icount! cpu plugin serial2 numa acpitable" "$@" ||
	{ echo "qemu-run: unknown option '$boot_opts_bad'" >&2; usage; }
[ -z "$gdb" ] || gdb="-s -S"
[ -z "$icount" ] || icount="-icount shift=0,sleep=off"
[ -z "$plugin" ] || plugin="-plugin $plugin"
# A second serial port (COM2), e.g. tcp:127.0.0.1:PORT,server=on,wait=off for Cove's gdb=com2.
[ -z "$serial2" ] || serial2="-serial $serial2"
[ -n "$iso" ] || usage
[ -f "$iso" ] || { echo "qemu-run: no such ISO: $iso" >&2; exit 125; }
case "$smp" in *[!0-9]*|"") echo "qemu-run: --smp needs a number, not '$smp'" >&2; exit 125 ;; esac

numa_args=""
if [ -n "$numa" ]; then
	case "$mem" in *M) ;; *)
		echo "qemu-run: --numa needs --mem in M, not '$mem'" >&2
		exit 125 ;;
	esac
	numa_args="$("$(dirname "$0")/numa-args.sh" "$numa" "$smp" "${mem%M}")" || exit 125
	# shellcheck disable=SC2086
	numa_args="$(echo $numa_args)"	# one line: the words never hold blanks
fi

[ -z "$acpitable" ] || acpitable="-acpitable file=$acpitable"

fw_args=""
vars=""
case "$firmware" in
bios) ;;
uefi)
	code=/usr/share/OVMF/OVMF_CODE_4M.fd
	[ -f "$code" ] || { echo "qemu-run: OVMF not installed ($code)" >&2; exit 125; }
	vars="$(mktemp)"
	cp /usr/share/OVMF/OVMF_VARS_4M.fd "$vars"
	fw_args="-drive if=pflash,format=raw,unit=0,readonly=on,file=$code"
	fw_args="$fw_args -drive if=pflash,format=raw,unit=1,file=$vars"
	;;
*) echo "qemu-run: --firmware must be bios or uefi, not '$firmware'" >&2; exit 125 ;;
esac

if [ -n "$log" ]; then
	serial="-serial file:$log"
else
	serial="-serial stdio"
fi
run_timeout=""
[ "$timeout" != 0 ] && run_timeout="timeout --foreground -k 5 $timeout"

set +e
# shellcheck disable=SC2086
$run_timeout qemu-system-x86_64 -accel tcg -machine q35 -cpu "$cpu" -smp "$smp" -m "$mem" \
	$fw_args -cdrom "$iso" -boot d -display none -monitor none $serial $serial2 -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=4 $gdb $icount $plugin $numa_args \
	$acpitable
rc=$?
set -e
[ -n "$vars" ] && rm -f "$vars"

# isa-debug-exit: QEMU exits with (status << 1) | 1.
if [ $rc -eq 124 ]; then
	echo "qemu-run: timed out after ${timeout}s" >&2
	exit 124
elif [ $((rc & 1)) -eq 1 ]; then
	exit $((rc >> 1))
elif [ $rc -eq 0 ]; then
	# Powered off through ACPI, or the guest reset (-no-reboot): no status.
	echo "qemu-run: the machine stopped without reporting a status" >&2
	exit 125
fi
echo "qemu-run: QEMU failed (exit $rc)" >&2
exit 125
