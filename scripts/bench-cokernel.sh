#!/bin/bash
# make bench-cokernel: in one boot of Debian's Linux 6.1 under QEMU TCG
# (4 vCPUs, Cove on 2-3, protection on), the guest instructions from
# `cove create` to a ready enclave and from `cove run` to the job's first
# instruction, counted by the TCG plugin test/bench/insn_plugin.c, and the
# share of the 512 MiB partition a job gets. See test/bench/insn_counts.sh.
#
# Counts are exact for what ran, but busy-wait loops (idle polling, waits
# for the host's 1 ms long-call poll) last host time, not a number of
# instructions, so figures move a little between runs; the spin-wait
# column is the part spent in them.
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD="${BUILD:-build}"
export BUILD

make --no-print-directory -s "$BUILD/cove.elf" cokernel >/dev/null ||
	{ echo "bench-cokernel: the kernel, module or tools do not build" >&2; exit 1; }
mkdir -p "$BUILD/test"
# shellcheck source=test/boot/lib.sh
. test/boot/lib.sh
# shellcheck source=test/cokernel/lib.sh
. test/cokernel/lib.sh
# shellcheck source=test/bench/insn_counts.sh
. test/bench/insn_counts.sh
LOG="$BUILD/test/bench-cokernel.log"

echo "bench: Cove beside Linux 6.1, instructions counted by a TCG plugin ..." >&2
insn_counts_vm
expect_status 0
insn_counts_report
if [ -n "$FAILED" ]; then
	echo "bench-cokernel: $FAILED (log: $LOG)" >&2
	exit 1
fi
