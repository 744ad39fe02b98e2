#!/bin/bash
# make bench: the microbenchmarks of user/ under Cove and under Debian's
# Linux 6.1, in the same emulated machine (QEMU TCG), with the same static
# binaries, side by side.
#
# One-core figures run with -icount shift=0: guest time counts instructions,
# so "ns" are instructions, independent of the host. Two-core figures
# (futex ping-pong, migration, shared-memory ping-pong between processes)
# cannot use -icount for Linux on QEMU 7.2 (its round-robin icount starves
# the second vCPU during Linux's CPU bring-up),
# so they are run without it and reported in TSC cycles of the emulator,
# which follow the host clock: indicative only.
set -u
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
user="$BUILD/user/glibc"

fail() {
	echo "bench: $*" >&2
	exit 1
}

make --no-print-directory -s "$BUILD/cove.elf" "$BUILD/initramfs.cpio" >/dev/null ||
	fail "the kernel or initramfs does not build"
scripts/install-linux-guest.sh >/dev/null || fail "cannot install the Linux guest packages"

cove_run() {	# cove_run NAME JOBFILE SMP [--icount] (EXTRA_CMDLINE in the environment)
	local name="$1" jobs="$2" smp="$3"
	shift 3
	scripts/mkinitramfs.sh "$out/$name.cpio" "$BUILD/user" "$jobs:/etc/jobs" &&
		scripts/mkiso.sh "$BUILD/cove.elf" "$out/$name.iso" "jobs=/etc/jobs ${EXTRA_CMDLINE:-}" \
			"$out/$name.cpio" &&
		scripts/qemu-run.sh --iso "$out/$name.iso" --smp "$smp" --mem 1G \
			--log "$out/$name.log" --timeout 600 "$@" ||
		fail "Cove run '$name' failed (log: $out/$name.log)"
	tr -d '\r' < "$out/$name.log" > "$out/$name.txt"
}

linux_run() {	# linux_run NAME SMP 'commands' [--icount]
	local name="$1" smp="$2" cmds="$3"
	shift 3
	scripts/linux-vm.sh --smp "$smp" --mem 1G --timeout 900 "$@" \
		--add "$user/bench_syscall" --add "$user/bench_thread" --add "$user/bench_noise" \
		--add "$user/bench_futex" --add "$user/bench_migrate" --add "$user/bench_process" \
		--add "$user/bench_shm" \
		--log "$out/$name.log" -- "$cmds" || fail "Linux run '$name' failed"
	tr -d '\r' < "$out/$name.log" > "$out/$name.txt"
}

# field FILE BENCH KEY: the value of KEY= on the "bench: BENCH" line
field() {
	grep -a "^bench: $2 " "$1" | head -n 1 | tr ' ' '\n' | sed -n "s/^$3=//p"
}

echo "bench: Cove, one core, -icount ..." >&2
cove_run cove1 test/bench/icount.jobs 1 --icount
echo "bench: Linux 6.1, one core, -icount ..." >&2
linux_run linux1 1 'a=$(grep LOC: /proc/interrupts | tr -s " " | cut -d" " -f2)
/data/bench_syscall 20000; /data/bench_thread 200; /data/bench_noise 400
b=$(grep LOC: /proc/interrupts | tr -s " " | cut -d" " -f2)
echo "linux-timer-interrupts $((b - a))"
/data/bench_process fork 100; /data/bench_process vfork 100; /data/bench_process pipe 1000' --icount
echo "bench: Cove, two cores ..." >&2
cove_run cove2 test/bench/smp.jobs 2
echo "bench: Linux 6.1, two cores ..." >&2
linux_run linux2 2 '/data/bench_futex 1000; /data/bench_migrate 500; /data/bench_process pipe 1000
/data/bench_shm 1000'

echo "bench: Cove, protection on and off, -icount ..." >&2
EXTRA_CMDLINE="protect=require" cove_run prot_on test/bench/protect.jobs 1 --icount
EXTRA_CMDLINE="protect=off" cove_run prot_off test/bench/protect.jobs 1 --icount

cove_noise=$(sed -n 's/^job 3: interrupts in user mode: cpu0 \([0-9]*\).*/\1/p' "$out/cove1.txt")
linux_noise=$(sed -n 's/^linux-timer-interrupts //p' "$out/linux1.txt")

row() {	# row LABEL UNIT COVE LINUX [TARGET]
	local ratio="-"
	if [ -n "$3" ] && [ -n "$4" ] && awk "BEGIN { exit !($4 > 0) }"; then
		ratio=$(awk "BEGIN { printf \"%.2f\", $3 / $4 }")
	fi
	printf '%-28s %-26s %14s %14s %8s  %s\n' "$1" "$2" "${3:--}" "${4:--}" "$ratio" "${5:-}"
}

printf '%-28s %-26s %14s %14s %8s  %s\n' benchmark unit Cove "Linux 6.1" Cove/Linux target
row "null syscall (getppid)" "instructions per call" \
	"$(field "$out/cove1.txt" syscall_getppid per_iter_ns)" \
	"$(field "$out/linux1.txt" syscall_getppid per_iter_ns)" "<= 0.25"
row "thread create + join" "instructions" \
	"$(field "$out/cove1.txt" pthread_create_join per_iter_ns)" \
	"$(field "$out/linux1.txt" pthread_create_join per_iter_ns)"
row "fork + exit + wait" "instructions, 1 MiB heap" \
	"$(field "$out/cove1.txt" fork_exit_wait per_iter_ns)" \
	"$(field "$out/linux1.txt" fork_exit_wait per_iter_ns)" "<= 1.0"
row "vfork + exit + wait" "instructions" \
	"$(field "$out/cove1.txt" vfork_exit_wait per_iter_ns)" \
	"$(field "$out/linux1.txt" vfork_exit_wait per_iter_ns)"
row "pipe ping-pong (1 core)" "instructions per round trip" \
	"$(field "$out/cove1.txt" pipe_pingpong per_iter_ns)" \
	"$(field "$out/linux1.txt" pipe_pingpong per_iter_ns)" "<= 1.0"
row "noise quantum, median" "instructions" \
	"$(field "$out/cove1.txt" noise_quantum median)" \
	"$(field "$out/linux1.txt" noise_quantum median)"
row "noise quantum, max" "instructions" \
	"$(field "$out/cove1.txt" noise_quantum max)" \
	"$(field "$out/linux1.txt" noise_quantum max)"
row "interrupts on the app core" "during the noise probe" "$cove_noise" "$linux_noise" "Cove: 0"
row "futex ping-pong (2 cores)" "TSC cycles, no icount" \
	"$(field "$out/cove2.txt" futex_pingpong per_iter_cycles)" \
	"$(field "$out/linux2.txt" futex_pingpong per_iter_cycles)"
row "migration round trip" "TSC cycles, no icount" \
	"$(field "$out/cove2.txt" migrate_roundtrip per_iter_cycles)" \
	"$(field "$out/linux2.txt" migrate_roundtrip per_iter_cycles)" "<= 0.3"
row "pipe ping-pong (2 cores)" "TSC cycles, no icount" \
	"$(field "$out/cove2.txt" pipe_pingpong per_iter_cycles)" \
	"$(field "$out/linux2.txt" pipe_pingpong per_iter_cycles)" "<= 1.0"
row "shm ping-pong (2 processes)" "TSC cycles, no icount" \
	"$(field "$out/cove2.txt" shm_pingpong per_iter_cycles)" \
	"$(field "$out/linux2.txt" shm_pingpong per_iter_cycles)" "<= 0.5"
row "shm futex ping-pong (2 proc)" "TSC cycles, no icount" \
	"$(field "$out/cove2.txt" shm_futex_pingpong per_iter_cycles)" \
	"$(field "$out/linux2.txt" shm_futex_pingpong per_iter_cycles)"

overhead() {	# overhead BENCH: percent more instructions with protection on
	local on off
	on=$(field "$out/prot_on.txt" "$1" ns)
	off=$(field "$out/prot_off.txt" "$1" ns)
	[ -n "$on" ] && [ -n "$off" ] || { echo "-"; return; }
	awk "BEGIN { printf \"%+.3f%%\", ($on - $off) * 100 / $off }"
}

echo
printf '%-28s %14s %14s %10s\n' "protection overhead" "on (instr.)" "off (instr.)" "on vs off"
for b in cg stream_triad; do
	printf '%-28s %14s %14s %10s\n' "$b" "$(field "$out/prot_on.txt" $b ns)" \
		"$(field "$out/prot_off.txt" $b ns)" "$(overhead $b)"
done
grep -h "VM exits" "$out/prot_on.txt" | sed 's/^/  /'
