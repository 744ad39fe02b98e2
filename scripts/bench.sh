#!/bin/bash
# make bench: the microbenchmarks of user/ under Cove and under Debian's
# Linux 6.1, in the same emulated machine (QEMU TCG), with the same static
# binaries, side by side.
#
# One-core figures run with -icount shift=0: guest time counts instructions,
# so "ns" are instructions, independent of the host. Two-core figures
# (futex ping-pong, migration, ping-pong between processes) cannot use
# -icount for Linux on QEMU 7.2 (its round-robin icount starves the second
# vCPU during Linux's CPU bring-up). They are counted instead by the TCG
# plugin test/bench/insn_plugin.c: each benchmark brackets its loop with
# the marker (user/common.h: insn_mark), and the figure is what both vCPUs
# executed in between, less their busy-wait loops (PAUSE), per round trip:
# the work of a cross-core wake-up, kernel and user, whatever the host's
# load. A halted vCPU executes nothing. Their TSC cycles are shown too, as
# information: they follow the host clock.
#
#   bench.sh                    the table, then its verdict (scripts/bench-gate.sh):
#                               exits 1 if an -icount figure regressed past its
#                               tolerance against test/bench/baseline.txt
#   bench.sh --update-baseline  the table, then this run's -icount figures
#                               become the baseline (a deliberate change: commit
#                               it saying why)
set -u
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build}"
BASELINE="${BENCH_BASELINE:-test/bench/baseline.txt}"
gate_mode=judge
case "${1:-}" in
--update-baseline) gate_mode=--update ;;
"") ;;
*) echo "usage: scripts/bench.sh [--update-baseline]" >&2; exit 2 ;;
esac
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
user="$BUILD/user/glibc"

fail() {
	echo "bench: $*" >&2
	exit 1
}

plugin="$BUILD/bench/insn_plugin.so"
make --no-print-directory -s "$BUILD/cove.elf" "$BUILD/initramfs.cpio" "$plugin" >/dev/null ||
	fail "the kernel, initramfs or instruction-count plugin does not build"
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
echo "bench: Cove, two cores, instructions counted by a TCG plugin ..." >&2
cove_run cove2 test/bench/smp.jobs 2 --plugin "$plugin,out=$out/cove2.marks"
echo "bench: Linux 6.1, two cores, instructions counted by a TCG plugin ..." >&2
linux_run linux2 2 '/data/bench_futex 1000; /data/bench_migrate 500; /data/bench_process pipe 1000
/data/bench_shm 1000' --plugin "$plugin,out=$out/linux2.marks"

echo "bench: Cove, protection on and off, -icount ..." >&2
EXTRA_CMDLINE="protect=require" cove_run prot_on test/bench/protect.jobs 1 --icount
EXTRA_CMDLINE="protect=off" cove_run prot_off test/bench/protect.jobs 1 --icount
echo "bench: Cove, four cores, protection on (VM exits per core) ..." >&2
EXTRA_CMDLINE="protect=require" cove_run prot_smp test/bench/protect_smp.jobs 4

cove_noise=$(sed -n 's/^job 3: interrupts in user mode: cpu0 \([0-9]*\).*/\1/p' "$out/cove1.txt")
linux_noise=$(sed -n 's/^linux-timer-interrupts //p' "$out/linux1.txt")

# marked_work RUN K: instructions both vCPUs executed between the K-th pair
# of markers of RUN (futex, migration, pipe, shm futex: the order of
# smp.jobs and of linux2's commands), less busy-waiting, per iteration.
marked_work() {
	local marks="$out/$1.marks" iters name
	name=$(echo futex_pingpong migrate_roundtrip pipe_pingpong shm_futex_pingpong | cut -d' ' -f"$2")
	iters=$(field "$out/$1.txt" "$name" iters)
	[ -s "$marks" ] && [ -n "$iters" ] || return 0
	[ "$(grep -c '^insn-mark ' "$marks")" = 8 ] || return 0
	grep '^insn-mark ' "$marks" | sed -n "$((2 * $2 - 1)),$((2 * $2))p" | awk -v iters="$iters" '
	{
		work = 0
		for (i = 1; i <= NF && $i != "insns"; i++)
			;
		for (i++; i <= NF && $i != "spin"; i++)
			work += $i
		for (i++; i <= NF; i++)
			work -= $i
		w[NR] = work
	}
	END { if (NR == 2) printf "%.1f\n", (w[2] - w[1]) / iters }'
}

row() {	# row LABEL UNIT COVE LINUX [TARGET]; also a line of $out/rows.tsv for the gate
	local ratio="-"
	if [ -n "$3" ] && [ -n "$4" ] && awk "BEGIN { exit !($4 > 0) }"; then
		ratio=$(awk "BEGIN { printf \"%.2f\", $3 / $4 }")
	fi
	printf '%-28s %-26s %14s %14s %8s  %s\n' "$1" "$2" "${3:--}" "${4:--}" "$ratio" "${5:-}"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "${3:--}" "${4:--}" "$ratio" "${5:-}" \
		>> "$out/rows.tsv"
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
row "futex ping-pong (2 cores)" "instr./round trip, 2 vCPUs" \
	"$(marked_work cove2 1)" "$(marked_work linux2 1)" "<= 0.5"
row "migration round trip" "instr./round trip, 2 vCPUs" \
	"$(marked_work cove2 2)" "$(marked_work linux2 2)" "<= 0.3"
row "pipe ping-pong (2 cores)" "instr./round trip, 2 vCPUs" \
	"$(marked_work cove2 3)" "$(marked_work linux2 3)" "<= 1.0"
row "shm futex ping-pong (2 proc)" "instr./round trip, 2 vCPUs" \
	"$(marked_work cove2 4)" "$(marked_work linux2 4)"
row "futex ping-pong, host time" "TSC cycles, no icount" \
	"$(field "$out/cove2.txt" futex_pingpong per_iter_cycles)" \
	"$(field "$out/linux2.txt" futex_pingpong per_iter_cycles)"
row "migration, host time" "TSC cycles, no icount" \
	"$(field "$out/cove2.txt" migrate_roundtrip per_iter_cycles)" \
	"$(field "$out/linux2.txt" migrate_roundtrip per_iter_cycles)"
row "pipe ping-pong, host time" "TSC cycles, no icount" \
	"$(field "$out/cove2.txt" pipe_pingpong per_iter_cycles)" \
	"$(field "$out/linux2.txt" pipe_pingpong per_iter_cycles)"
row "shm ping-pong, host time" "TSC cycles, no icount" \
	"$(field "$out/cove2.txt" shm_pingpong per_iter_cycles)" \
	"$(field "$out/linux2.txt" shm_pingpong per_iter_cycles)" "<= 0.5"
row "shm futex, host time" "TSC cycles, no icount" \
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
	for p in on off; do
		v=$(field "$out/prot_$p.txt" $b ns)
		printf '%s\t%s\t%s\t-\t-\t\n' "$b, protection $p" "instructions" "${v:--}" \
			>> "$out/rows.tsv"
	done
done
grep -h "VM exits" "$out/prot_on.txt" | sed 's/^/  /'
# Exits are counted from boot to power-off (APIC setup, the job's launch
# and end included); the interrupts its threads took in user mode beside.
echo "4-thread OpenMP CG, protection on, 4 cores (xAPIC):"
grep -h "VM exits\|^job 1: interrupts in user mode" "$out/prot_smp.txt" | sed 's/^/  /'

scripts/bench-gate.sh "$out/rows.tsv" "$BASELINE" "$gate_mode"
