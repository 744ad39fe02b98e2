#!/bin/bash
# MPI jobs in an enclave through the stock launchers: Debian's MPICH (Hydra's
# mpiexec) and Open MPI (mpirun) start one `cove run` per rank, each rank on
# its own core of the enclave; every result line is compared with the same
# binary under the same launcher on the Linux host.

MPI_DIR="$BUILD/user/mpi"

# --add options for one MPI flavour's launcher, helpers, plugins and our
# programs (at /data/mpi/FLAVOUR/), with every library they load.
mpi_adds() {
	local flavour=$1 bins=() f
	case "$flavour" in
	mpich) bins=(/usr/bin/mpiexec.hydra /usr/bin/hydra_pmi_proxy) ;;
	openmpi) bins=(/usr/bin/orterun /usr/bin/orted) ;;
	esac
	# The programs' own libraries come with them, the programs go to /data.
	debian_adds "${bins[@]}" "$MPI_DIR/$flavour/ring" "$MPI_DIR/$flavour/cg_mpi" |
		awk -v dir="$MPI_DIR/" 'NR % 2 == 1 { opt = $0; next }
			index($0, dir) != 1 { print opt; print }'
	for f in ring allreduce cg_mpi pingpong; do
		printf '%s\n' --add "$MPI_DIR/$flavour/$f:/data/mpi/$flavour/$f"
	done
	# Open MPI and PMIx open their components at run time, and read their
	# help texts and parameter files: the packages' files, with what the
	# components load (ldd cannot see them from the programs).
	if [ "$flavour" = openmpi ]; then
		dpkg -L libopenmpi3 libpmix2 openmpi-common openmpi-bin |
			while read -r f; do
				[ -f "$f" ] && case "$f" in */doc/*|*/man/*|*/lintian/*) ;; *) echo "$f" ;; esac
			done | sort -u > "$LOG.ompi"
		# Slurm's PMIx plugin (srun --mpi=pmix) opens the library by this name.
		echo /usr/lib/x86_64-linux-gnu/pmix2/lib/libpmix.so >> "$LOG.ompi"
		while read -r f; do printf '%s\n' --add "$(readlink -f "$f"):$f"; done < "$LOG.ompi"
		# shellcheck disable=SC2046
		debian_adds $(grep '\.so' "$LOG.ompi") | awk 'NR % 2 == 1 { opt = $0; next }
			$0 ~ /:\/usr\/lib\/x86_64-linux-gnu\/(openmpi|pmix2)\// { next } { print opt; print }'
	fi
	# UCX opens its transports at run time; ldd cannot see them.
	if [ "$flavour" = mpich ]; then
		for f in /usr/lib/x86_64-linux-gnu/ucx/libuct_cma.so.0; do
			printf '%s\n' --add "$(readlink -f "$f"):$f"
		done
	fi
}

# MPI_CMDLINE (environment): extra Cove options for the enclaves, e.g. strace;
# MPI_ENV: NAME=VALUE words exported to both runs (e.g. an MCA verbosity).
MPI_PRELUDE='
echo "hpc:x:1000:1000::/tmp:/bin/sh" >> /etc/passwd; echo "hpc:x:1000:" >> /etc/group
chmod 1777 /tmp
echo "127.0.0.1 localhost $(hostname)" > /etc/hosts
mkdir -p /dev/shm && mount -t tmpfs -o mode=1777 shm /dev/shm
ip link set lo up
'


# mpi_job FLAVOUR RANKS CPUS 'PROG ARGS;...' SMP: the flavour's stock
# launcher (MPICH: Hydra's mpiexec; Open MPI: mpirun) starts RANKS ranks,
# each a `cove run` on a core of its own among the enclave's CPUS; each
# program prints what the same binary prints under the same launcher on
# Linux in the same guest, with the same status. OpenMP threads are fixed
# so that the two runs are alike (a rank has one core in the enclave).
mpi_job() {
	local flavour=$1 ranks=$2 cpus=$3 progs=$4 smp=$5 adds=() launch
	case "$flavour" in
	mpich) launch="mpiexec.hydra -n $ranks" ;;
	openmpi) launch="orterun --mca plm isolated --oversubscribe -n $ranks" ;;
	esac
	mapfile -t adds < <(mpi_adds "$flavour" |
		awk 'NR % 2 == 1 { opt = $0; next } !seen[$0]++ { print opt; print }')
	cokernel_vm --smp "$smp" --mem 3G --timeout 1500 "${CLI_ADDS[@]}" "${adds[@]}" -- \
		"MPI_CONSOLE_LINES=${MPI_CONSOLE_LINES:-30}; MPI_CMDLINE='${MPI_CMDLINE:-}'; MPI_ENV='${MPI_ENV:-}'; PROGS='$progs';
MPI_INTERRUPT='${MPI_INTERRUPT:-}'; LAUNCH='$launch'; FLAVOUR=$flavour; RANKS=$ranks
$MPI_PRELUDE"'
id=$(cove create --cpus '"$cpus"' --mem 768M --owner hpc --image /data/cove.elf --cmdline "$MPI_CMDLINE")
echo "CREATED $id"
printf "id=%s; progs=\"%s\"; launch=\"%s\"; fl=%s; MPI_ENV=\"%s\"; MPI_INTERRUPT=%s; ranks=%s\n" \
	$id "$PROGS" "$LAUNCH" $FLAVOUR "$MPI_ENV" "$MPI_INTERRUPT" $RANKS > /tmp/mpi.sh
cat >> /tmp/mpi.sh <<"EOS"
export OMP_NUM_THREADS=1 $MPI_ENV
echo "$progs" | tr ";" "\n" | while read -r n args; do
	[ -n "$n" ] || continue
	$launch /data/mpi/$fl/$n $args > /tmp/host.$n.raw 2>&1 < /dev/null
	echo "RC host.$n $?"
	timeout -s INT 600 $launch cove run $id -- /data/mpi/$fl/$n $args \
		> /tmp/job.$n.raw 2>&1 < /dev/null; echo "RC job.$n $?"
	for o in host job; do grep -v "^bench:" /tmp/$o.$n.raw | sort > /tmp/$o.$n; done
	sed "s/^/JOB $n /" /tmp/job.$n.raw; cmp /tmp/host.$n /tmp/job.$n && echo "SAME $n"
done
# Ctrl-C: the launcher passes SIGINT to each rank (here each `cove run`) and
# ends as it does on Linux; the cores of every rank are free again at once, so
# a new job of as many ranks starts. The Ctrl-C comes once every rank is past
# MPI_Init (its first line is out) and a few seconds into the ring. A fixed
# delay raced the launch on a loaded machine: the Linux run once ended 0.
interrupt() {	# interrupt WHO CMD...: Ctrl-C to CMD while its ring runs
	local who=$1 p w n=0
	shift
	"$@" > /tmp/$who.int 2>&1 < /dev/null &
	p=$!
	while [ "$(grep -c "^ring: rank" /tmp/$who.int)" -lt "$ranks" ] && [ $n -lt 300 ]; do
		sleep 1; n=$((n + 1))
	done
	echo "INT $who: ranks up after ${n}s"
	sleep 3; kill -INT $p
	(sleep 90; kill -KILL $p 2>/dev/null) & w=$!
	wait $p; echo "RC $who.int $?"
	kill $w 2>/dev/null
}
if [ -n "$MPI_INTERRUPT" ]; then
	interrupt host $launch /data/mpi/$fl/ring 1000000 4096
	interrupt job $launch cove run $id -- /data/mpi/$fl/ring 1000000 4096
	sed "s/^/INT /" /tmp/job.int | grep -v "^INT ring: rank" | head -n 5
	grep -h "internal error" /tmp/job.int /tmp/job.*.raw | sed "s/^/CRASH /"
	$launch cove run $id -- /data/mpi/$fl/ring 1 64 > /tmp/job.after 2>&1 < /dev/null
	echo "RC job.after $?"
	# Counted once the next job has run: it took the cores of every rank,
	# so each has finished dying. A rank told dead early ends its launcher
	# at once, and its own end line may come after mpiexec returns.
	echo "INT RANKS DIED OF SIGINT $(cove console $id | grep -c "): killed by signal 2 (SIGINT)")"
fi
EOS
chmod 755 /tmp/mpi.sh; su hpc -s /bin/sh -c /tmp/mpi.sh
# A failed enclave: its fault report (as root) says where each core was.
cove status $id 2>&1 | sed "s/^/STATUS /"
cove console $id | grep -E "^(job|error|ring|allreduce|cg_mpi|fatal|kernel|strace)" | tail -n ${MPI_CONSOLE_LINES:-30}
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	local n
	for n in $(echo "$progs" | tr ';' '\n' | awk '{ print $1 }'); do
		expect_log "RC host.$n 0"
		expect_log "RC job.$n 0"
		expect_log "SAME $n"
		expect_log "JOB $n $n: ok"
	done
	if [ -n "${MPI_INTERRUPT:-}" ]; then
		local h j
		h=$(grep -a "^RC host.int " "$LOG" | tr -d '\r')
		j=$(grep -a "^RC job.int " "$LOG" | tr -d '\r')
		h=${h#RC host.int }
		j=${j#RC job.int }
		# Every rank dies of the Ctrl-C, and the launcher ends as on Linux
		# (2). Or 11 = 2 | 9: Hydra SIGKILLs what is left once one rank is
		# gone, and under TCG a `cove run` (one host vCPU for all four)
		# may still be on its way out then, its rank dead of SIGINT already;
		# the OR of the statuses it collects is then 11 (README, MPI).
		[ -n "$h" ] && { [ "$h" = "$j" ] || { [ "$h" = 2 ] && [ "$j" = 11 ]; }; } ||
			fail "after Ctrl-C the launcher ended with '$j' in the enclave, '$h' on Linux"
		expect_log "INT RANKS DIED OF SIGINT $ranks"
		expect_log "RC job.after 0"
	fi
	expect_no_log "cove: internal error"
	expect_log "RC destroy 0"
	expect_all_back
}

# 4 ranks on 4 cores of the enclave, the enclave's boot core among them:
# the ring, the collectives and the distributed CG (MPI + OpenMP).
scenario_mpi_mpich() {
	MPI_INTERRUPT=1 mpi_job mpich 4 1-4 "ring 3 65536;allreduce 5000 3;cg_mpi 64 2000" 5
}

# Open MPI's mpirun: each rank's environment (about 2 KiB of OMPI_MCA_* and
# PMIX_* variables) comes whole from its `cove run`, which also steers PMIx
# away from its store in host shared memory (a rank would print a PMIx
# error, and the outputs would differ).
scenario_mpi_openmpi() {
	mpi_job openmpi 2 1-2 "ring 3 65536;allreduce 5000 3" 3
}
