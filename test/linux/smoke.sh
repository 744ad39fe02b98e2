#!/bin/bash
# Self-check for scripts/linux-vm.sh: boot the stock Linux guest under QEMU TCG
# with 2 CPUs, run `uname -r; nproc; echo ok`, and check that it reports the
# booted kernel's release and the CPU count.
#
#   test/linux/smoke.sh [--icount] [--smp N] [--kernel PATH] [--timeout S]
#
# Prints one verdict line, "PASS linux-smoke: ..." or "FAIL linux-smoke: ...",
# with the wall time from starting linux-vm.sh until QEMU exited (initramfs
# build + boot + commands + power-off). With --icount it also prints the guest
# clock: under `-icount shift=0` one instruction is one nanosecond of guest
# time, and idle time is skipped ahead (sleep=off), so the guest's busy time
# (uptime less idle, from /proc/uptime, 10 ms resolution) is its instruction
# count since the clock started; with one CPU that is exact to that resolution.
#
# QEMU < 8.1 (Debian 12 has 7.2) can't run icount with more than one vCPU (see
# linux-vm.sh), so --icount there defaults to --smp 1 and says so.
#
# Exit status: 0 pass, 1 fail (including a guest that timed out or never
# printed its marker), 2 usage error.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
vm="$here/../../scripts/linux-vm.sh"

bad_usage() {
	echo "smoke.sh: $* (usage: smoke.sh [--icount] [--smp N] [--kernel PATH] [--timeout S])" >&2
	exit 2
}

icount=0
smp=""
kernel=""
timeout=600
while [ $# -gt 0 ]; do
	case "$1" in
	--icount) icount=1; shift ;;
	--smp) [ $# -ge 2 ] || bad_usage "--smp needs an argument"; smp="$2"; shift 2 ;;
	--kernel) [ $# -ge 2 ] || bad_usage "--kernel needs an argument"; kernel="$2"; shift 2 ;;
	--timeout) [ $# -ge 2 ] || bad_usage "--timeout needs an argument"; timeout="$2"; shift 2 ;;
	*) bad_usage "unknown argument '$1'" ;;
	esac
done

fail() {
	echo "FAIL linux-smoke: $*"
	exit 1
}

note=""
if [ -z "$smp" ]; then
	smp=2
	if [ "$icount" = 1 ]; then
		q="${LINUX_VM_QEMU:-qemu-system-x86_64}"
		ver="$("$q" --version 2>/dev/null | head -n 1 | sed -n 's/.*version \([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1 \2/p')"
		read -r vmaj vmin <<<"${ver:-0 0}"
		if [ "$vmaj" -lt 8 ] || { [ "$vmaj" = 8 ] && [ "$vmin" -lt 1 ]; }; then
			smp=1
			note=" (QEMU ${vmaj}.${vmin} can't run icount SMP)"
		fi
	fi
fi
case "$smp" in ''|*[!0-9]*|0) bad_usage "--smp needs a positive number, not '$smp'" ;; esac

if [ -z "$kernel" ]; then
	kernel="$(printf '%s\n' /boot/vmlinuz-* | sort -V | tail -n 1)"
	[ -f "$kernel" ] || fail "no /boot/vmlinuz-* (run scripts/install-linux-guest.sh as root)"
fi
[ -r "$kernel" ] || fail "can't read the kernel $kernel"

# The release the guest should report, from the bzImage header (the 16-bit
# field at 0x20e points, less 0x200, at "6.1.0-56-amd64 (builder) #1 ...").
off="$(od -A n -t u2 -j $((0x20e)) -N 2 "$kernel" | tr -d ' ')"
release="$(dd if="$kernel" bs=1 skip=$((off + 0x200)) count=128 2>/dev/null |
	tr '\0' '\n' | head -n 1 | cut -d ' ' -f 1)"
if [ -z "$release" ]; then
	release="$(basename "$kernel")"; release="${release#vmlinuz-}"
fi

log="$(mktemp "${TMPDIR:-/tmp}/linux-smoke.XXXXXX")"
trap 'rm -f "$log"' EXIT
args=(--kernel "$kernel" --smp "$smp" --timeout "$timeout" --log "$log")
[ "$icount" = 1 ] && args+=(--icount)

start="$(date +%s.%N)"
# shellcheck disable=SC2016 # $(cat ...) is for the guest's shell
"$vm" "${args[@]}" -- 'uname -r; nproc; echo ok; echo "UPTIME $(cat /proc/uptime)"'
rc=$?
end="$(date +%s.%N)"
wall="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"

out="$(tr -d '\r' <"$log")"
show_log() {	# the end of the console, to see what went wrong
	echo "--- last console lines ($kernel, --smp $smp):" >&2
	printf '%s\n' "$out" | tail -n 20 >&2
}
case "$rc" in
0) ;;
124) show_log; fail "timed out after ${timeout}s" ;;
*) show_log; fail "linux-vm.sh exited $rc after ${wall}s" ;;
esac
printf '%s\n' "$out" | grep -qx "$release" ||
	{ show_log; fail "the guest did not print its release $release"; }
printf '%s\n' "$out" | grep -qx "$smp" ||
	{ show_log; fail "the guest did not report $smp CPUs (nproc)"; }
printf '%s\n' "$out" | grep -qx ok || { show_log; fail "no 'ok' from the guest"; }

guest=""
read -r up idle <<<"$(printf '%s\n' "$out" | sed -n 's/^UPTIME //p' | tail -n 1)"
if [ "$icount" = 1 ] && [ -n "${up:-}" ]; then
	guest="$(awk -v u="$up" -v i="$idle" -v n="$smp" 'BEGIN {
		if (n == 1)
			printf ", guest clock %.2f s, busy %.2f s = ~%.2fe9 instructions", u, u - i, u - i
		else
			printf ", guest clock %.2f s (= instructions of all CPUs + skipped idle, 1 ns each)", u
	}')"
fi
cpus="$smp CPUs"; [ "$smp" = 1 ] && cpus="1 CPU"
echo "PASS linux-smoke: $release, $cpus$note, ${wall}s wall to power-off$guest"
