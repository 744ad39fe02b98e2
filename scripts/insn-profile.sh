#!/bin/bash
# Where a Cove job's guest instructions go, by kernel function: boots Cove
# on one core under -icount with the TCG plugin test/bench/insn_profile.c,
# runs the jobs of JOBFILE (the jobs= format), and prints the functions
# that executed the most instructions (user code shows as "user", the
# firmware and boot loader below 1 MiB as "firmware").
#
#   scripts/insn-profile.sh JOBFILE [TOP=30]
set -eu
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build}"
jobs="${1:?usage: scripts/insn-profile.sh JOBFILE [TOP]}"
top="${2:-30}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
[ -n "${KEEP:-}" ] && trap - EXIT && echo "insn-profile: files in $out" >&2

make --no-print-directory -s "$BUILD/cove.elf" "$BUILD/initramfs.cpio" >/dev/null
gcc -shared -fPIC -O2 -fvisibility=hidden -Wall -Wextra -Werror \
	-o "$out/insn_profile.so" test/bench/insn_profile.c
scripts/mkinitramfs.sh "$out/p.cpio" "$BUILD/user" "$jobs:/etc/jobs"
scripts/mkiso.sh "$BUILD/cove.elf" "$out/p.iso" "jobs=/etc/jobs" "$out/p.cpio"
scripts/qemu-run.sh --iso "$out/p.iso" --smp 1 --mem 1G --icount --timeout 900 \
	--log "$out/serial.log" --plugin "$out/insn_profile.so,out=$out/blocks" ||
	echo "insn-profile: Cove exited non-zero (log kept below)" >&2
grep -a "^bench:\|FAIL" "$out/serial.log" || true
# Fold block addresses into the function holding them: sorted symbols, then
# each sorted address takes the last symbol at or below it.
nm -n "$BUILD/cove.elf" | awk '$2 ~ /^[tTwW]$/ { print $1, $3 }' > "$out/syms"
sort -k1,1 "$out/blocks" | awk -v syms="$out/syms" '
	BEGIN { while ((getline l < syms) > 0) { split(l, w, " "); a[n] = w[1]; s[n++] = w[2] } }
	function lookup(pc,   lo, hi, mid) {
		if (pc < "0000000000100000") return "firmware"
		if (substr(pc, 1, 4) != "ffff") return "user"
		lo = 0; hi = n - 1
		while (lo < hi) { mid = int((lo + hi + 1) / 2); if (a[mid] <= pc) lo = mid; else hi = mid - 1 }
		return s[lo]
	}
	{ pc = sprintf("%016s", $1); gsub(/ /, "0", pc); sum[lookup(pc)] += $2; total += $2 }
	END { for (k in sum) printf "%14d %6.2f%% %s\n", sum[k], 100 * sum[k] / total, k }' |
	sort -rn | head -n "$top"
