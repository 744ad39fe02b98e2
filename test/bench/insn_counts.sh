#!/bin/bash
# Guest instructions of co-kernel operations, counted by the QEMU TCG plugin
# test/bench/insn_plugin.c in one boot of Debian's Linux (4 vCPUs; Cove on
# 2-3), and the share of the partition a job gets. Used by
# scripts/bench-cokernel.sh (make bench-cokernel) and the co-kernel scenario
# insn_counts; test/boot/lib.sh and test/cokernel/lib.sh come first.
#
#   insn_counts_vm       boot, run INSN_CMDS; marks in $LOG.marks
#   insn_counts_report   print the table; set INSN_CREATE and INSN_RUN (the
#                        best of three rounds, instructions summed over all
#                        vCPUs) and INSN_SHARE (basis points of the
#                        partition left to a job: 9950 is 99.50%)
#
# Why a plugin and not -icount: QEMU 7.2's icount starves all vCPUs but one,
# and Linux cannot then bring up the two CPUs co-kernel mode needs.

INSN_PLUGIN="$BUILD/bench/insn_plugin.so"
INSN_MARK="$BUILD/bench/insn_mark"
INSN_ROUNDS=3

# Each run of insn_mark (E1, E2, ...) leaves two marks, its first two
# instructions; the first one counts. Between them:
#   E1 -> E2          a mark itself: its exit, the shell starting the next program
#   E2 -> E3          cove create, until it returns (it does once Cove is ready)
#   E3 -> E4          cove run, until the job's first instruction (E4 is the
#                     job, on an enclave core)
#   E5 .. E7, E8 .. E10   the same, after a destroy: rounds 2 and 3
#   E11               a job with the largest heap the figures allow; it prints
#                     "insn_mark: heap H stack S free F total T"
# Three rounds, because waiting lasts host time: in a busy-wait for another
# vCPU (stop_machine when Linux takes a core offline) a vCPU keeps executing
# until the other one's thread gets a host core. Noise only adds; the best
# round is the cost of the operation.
#
# The jobs' heap is cove run's default, given explicitly: the last one's is
# that plus what the third job left free, less one 2 MiB block (heaps come
# in 2 MiB pages) for what Cove needs to start a job: its page tables,
# kernel stack and argument buffer. One block more and exec runs out.
INSN_CMDS='
M=/data/insn_mark
$M; $M
for round in 1 2 3; do
	id=$(cove create --cpus 2-3 --mem 512M --image /data/cove.elf); $M
	cove run $id --heap 64M -- $M mem >/tmp/job; echo "RC job $?"
	[ $round = 3 ] && break
	cove destroy $id; $M
done
cat /tmp/job
read -r _ _ _ _ _ _ free _ </tmp/job
heap=$(( (free + 62 * 1048576) / 2097152 * 2097152 ))
cove run $id --heap $heap -- $M mem $heap; echo "RC biggest $?"
cove status $id --json
cove destroy $id; echo "RC destroy $?"
check_back
'

# nokaslr: with KASLR, Linux sometimes lands its own image in the movable
# gigabyte, and the module then offlines and onlines again block after block
# looking for 512 MiB it can have (some 45 million instructions more).
insn_counts_vm() {
	local f
	for f in "$INSN_PLUGIN" "$INSN_MARK"; do
		[ -f "$f" ] || { fail "missing $f (did it build?)"; return; }
	done
	rm -f "$LOG.marks"
	cokernel_vm --append nokaslr --plugin "$INSN_PLUGIN,out=$LOG.marks" \
		--add "$BUILD/linux/cove:/bin/cove" --add "$INSN_MARK:/data/insn_mark" -- "$INSN_CMDS"
}

insn_counts_report() {
	local out line heap stack free total
	INSN_CREATE="" INSN_RUN="" INSN_SHARE=""
	if [ ! -s "$LOG.marks" ]; then
		fail "no marks in $LOG.marks (did the plugin load?)"
		return
	fi
	out=$(awk -v rounds="$INSN_ROUNDS" '
	# One row: what ran from the first mark of run a to that of run b.
	function row(name, a, b,   j, d, sum, spin, cove, cols) {
		a = 2 * a - 1
		b = 2 * b - 1
		sum = spin = cove = 0
		cols = ""
		for (j = 0; j < nv; j++) {
			d = cnt[b, j] - cnt[a, j]
			sum += d
			spin += spn[b, j] - spn[a, j]
			if (j >= 2)	# the enclave'"'"'s cores, once Linux gave them up
				cove += d
			cols = cols sprintf(" %10d", d)
		}
		printf "%-36s %10d %7.1f %10d %10d%s\n", name, sum, sum / 1e6, spin, cove, cols
		# Busy-waits last host time, not work: left out of what is compared.
		return sum - spin
	}
	$1 == "insn-mark" {
		n++
		vcpu[n] = $4
		for (i = 8; $i != "spin"; i++)
			cnt[n, i - 8] = $i
		nv = i - 8
		for (j = 0; j < nv; j++)
			spn[n, j] = $(i + 1 + j)
	}
	END {
		runs = 2 + 3 * rounds
		if (n != 2 * runs) {
			print "error expected " 2 * runs " marks (" runs " runs of insn_mark), got " n + 0
			exit
		}
		# A run'"'"'s two marks are one instruction apart on one vCPU, or
		# the counting is off.
		for (p = 1; p < n; p += 2) {
			if (vcpu[p + 1] != vcpu[p] || cnt[p + 1, vcpu[p]] - cnt[p, vcpu[p]] != 1) {
				print "error marks " p " and " p + 1 " are not one instruction apart"
				exit
			}
		}
		for (r = 0; r <= rounds; r++) {
			e = r < rounds ? 4 + 3 * r : runs
			if (vcpu[2 * e - 1] < 2) {
				print "error job " r + 1 " (insn_mark run " e ") started on a Linux vCPU"
				exit
			}
		}
		hdr = sprintf("%-36s %10s %7s %10s %10s", "guest instructions", "all vCPUs",
			      "ms-eq.", "spin-wait", "vCPUs 2-3")
		for (j = 0; j < nv; j++)
			hdr = hdr sprintf(" %10s", "vCPU " j)
		print hdr
		row("a mark itself (baseline)", 1, 2)
		for (r = 0; r < rounds; r++) {
			s = row("cove create -> ready, round " r + 1, 2 + 3 * r, 3 + 3 * r)
			if (!r || s < create)
				create = s
		}
		for (r = 0; r < rounds; r++) {
			s = row("cove run -> job starts, round " r + 1, 3 + 3 * r, 4 + 3 * r)
			if (!r || s < run)
				run = s
		}
		printf "best of %d, spin-waits left out: cove create %.1f ms-eq., cove run %.1f " \
		       "ms-eq. (1 instruction = 1 ns, as -icount shift=0 counts)\n", rounds,
		       create / 1e6, run / 1e6
		print "value create " create
		print "value run " run
	}' "$LOG.marks")
	line=$(grep '^error ' <<<"$out")
	if [ -n "$line" ]; then
		fail "${line#error }"
		return
	fi
	grep -v '^value ' <<<"$out"
	INSN_CREATE=$(sed -n 's/^value create //p' <<<"$out")
	INSN_RUN=$(sed -n 's/^value run //p' <<<"$out")

	# The biggest job's line: heap H stack S free F total T, in bytes.
	line=$(grep -a '^insn_mark: heap [1-9]' "$LOG" | tr -d '\r' | tail -n 1)
	if [ -z "$line" ]; then
		fail "no memory figures from the job with the biggest heap"
		return
	fi
	read -r _ _ heap _ stack _ free _ total <<<"$line"
	INSN_SHARE=$(( (heap + stack + free) * 10000 / total ))
	awk -v h="$heap" -v s="$stack" -v f="$free" -v t="$total" -v bp="$INSN_SHARE" 'BEGIN {
		printf "memory left to a job: heap %.1f MiB + stack %.1f MiB + %.1f MiB still free",
		       h / 1048576, s / 1048576, f / 1048576
		printf " = %d.%02d%% of the %.0f MiB partition\n", bp / 100, bp % 100, t / 1048576
	}'
}
