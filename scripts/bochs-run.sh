#!/bin/sh
# Boot a Cove ISO in Bochs (full emulation; an Intel model with x2APIC, and
# later VMX + EPT) and turn the kernel's exit status into ours.
#
#   bochs-run.sh --iso FILE [--smp N] [--mem MiB] [--log FILE] [--timeout S]
#                [--model NAME] [--resets]
#
# A reset of the machine (triple fault, reset port) stops Bochs' built-in
# debugger, which then finds no more commands and quits: the run ends with
# no status. With --resets the machine boots again instead, as real
# hardware does, for a test whose program notices that it was reset.
#
# Bochs cannot pass an exit code out, so the status is read from the
# kernel's last serial line ("powering off (status N: ...)"). Exit status as
# for qemu-run.sh: the kernel's, 124 on timeout, 125 if nothing was reported.
set -eu
. "$(dirname "$0")/boot-opts.sh"

usage() {
	echo "usage: bochs-run.sh --iso FILE [--smp N] [--mem MiB] [--log FILE]" \
	     "[--timeout S] [--model NAME] [--resets]" >&2
	exit 125
}

iso=""
smp=1
mem=256
log=""
timeout=300
model=corei7_haswell_4770
resets=""
boot_opts_parse "iso smp mem log timeout model resets!" "$@" ||
	{ echo "bochs-run: unknown option '$boot_opts_bad'" >&2; usage; }
[ -f "$iso" ] || { echo "bochs-run: no such ISO: '$iso'" >&2; exit 125; }
case "$smp$mem" in *[!0-9]*) echo "bochs-run: --smp and --mem take numbers (mem in MiB)" >&2; exit 125 ;; esac

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
show=""
if [ -z "$log" ]; then
	log="$dir/serial.log"
	show=1		# no log file asked for: the console goes to our output
fi
: >"$log"
cat >"$dir/bochsrc" <<RC
megs: $mem
cpu: model=$model, count=$smp, ips=50000000
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0-master: type=cdrom, path=$(realpath "$iso"), status=inserted
boot: cdrom
display_library: rfb, options="timeout=0"
speaker: enabled=0
sound: driver=dummy
com1: enabled=1, mode=file, dev=$(realpath "$log")
port_e9_hack: enabled=1
log: $dir/bochs.log
clock: sync=none, time0=local
RC
# Debian's Bochs has its debugger built in: "c" makes it run unattended.
# It stops again at a reset; a few more let the machine boot that often.
if [ -n "$resets" ]; then
	printf 'c\nc\nc\nc\n' >"$dir/cmds"
else
	echo c >"$dir/cmds"
fi

if [ -n "$show" ]; then
	tail -n +1 -f "$log" &
	tailer=$!
fi
set +e
timeout -k 5 "$timeout" bochs -q -f "$dir/bochsrc" -rc "$dir/cmds" </dev/null >"$dir/out" 2>&1
rc=$?
set -e
if [ -n "$show" ]; then
	sleep 0.5
	kill "$tailer" 2>/dev/null || true
fi
if [ $rc -eq 124 ]; then
	echo "bochs-run: timed out after ${timeout}s" >&2
	exit 124
fi
status=$(tr -d '\r' <"$log" | sed -n 's/.*powering off (status \([0-9]*\):.*/\1/p' | tail -n 1)
if [ -z "$status" ]; then
	echo "bochs-run: the kernel reported no status (bochs exit $rc); see below" >&2
	grep -E '>>PANIC<<|\[CPU[0-9]+ *\] .*(triple|shutdown)' "$dir/bochs.log" | tail -n 5 >&2
	exit 125
fi
exit "$status"
