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
	debian_adds "${bins[@]}" "$MPI_DIR/$flavour/ring" |
		awk -v dir="$MPI_DIR/" 'NR % 2 == 1 { opt = $0; next }
			index($0, dir) != 1 { print opt; print }'
	for f in ring allreduce cg_mpi pingpong; do
		printf '%s\n' --add "$MPI_DIR/$flavour/$f:/data/mpi/$flavour/$f"
	done
	# UCX opens its transports at run time; ldd cannot see them.
	if [ "$flavour" = mpich ]; then
		for f in /usr/lib/x86_64-linux-gnu/ucx/libuct_cma.so.0; do
			printf '%s\n' --add "$(readlink -f "$f"):$f"
		done
	fi
}

# MPI_CMDLINE (environment): extra Cove options for the enclaves, e.g. strace.
MPI_PRELUDE='
echo "hpc:x:1000:1000::/tmp:/bin/sh" >> /etc/passwd; echo "hpc:x:1000:" >> /etc/group
chmod 1777 /tmp
echo "127.0.0.1 localhost $(hostname)" > /etc/hosts
mkdir -p /dev/shm && mount -t tmpfs -o mode=1777 shm /dev/shm
'

scenario_mpi_mpich_probe() {
	local adds=()
	mapfile -t adds < <(mpi_adds mpich)
	cokernel_vm --timeout 900 "${CLI_ADDS[@]}" "${adds[@]}" -- "MPI_CMDLINE='${MPI_CMDLINE:-}' MPI_CPUS='${MPI_CPUS:-2-3}' MPI_WAIT='${MPI_WAIT:-400}'$MPI_PRELUDE"'
id=$(cove create --cpus ${MPI_CPUS:-2-3} --mem 512M --owner hpc --image /data/cove.elf --cmdline "$MPI_CMDLINE"); echo "CREATED $id"
su hpc -s /bin/sh -c "cd /tmp; time mpiexec.hydra -n 2 /data/mpi/mpich/ring 3 4096 > host.out 2>&1; echo RC host \$?; cat host.out;
	time timeout -s INT ${MPI_WAIT:-400} mpiexec.hydra -n 2 cove run $id -- /data/mpi/mpich/ring 3 4096 > job.out 2>&1 < /dev/null;
	echo RC job \$?; sed \"s/^/JOB /\" job.out"
cove console $id > /tmp/console.txt; grep -E "shm|mmap|/proc/|/dev/|ftruncate|fault|unlink|mprotect" /tmp/console.txt | grep -v "0x22) =|0x32) =" | tail -n 120; tail -n 30 /tmp/console.txt
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "RC job 0"
	expect_all_back
}

# The programs of user/mpi/ under one flavour's launcher (LAUNCH: the
# command before the program), in /tmp/OUT.NAME, with "RC NAME STATUS".
# Rank lines are sorted and bench lines left out: what may differ between
# two correct runs.
mpi_programs() {	# mpi_programs LAUNCH FLAVOUR OUT
	local l=$1 f=$2 o=$3
	cat <<SH
for p in "ring 3 65536" "allreduce 20000 5" "cg_mpi 64 1000"; do
	set -- \$p; n=\$1; shift
	$l /data/mpi/$f/\$n "\$@" > /tmp/$o.\$n.raw 2>&1 < /dev/null; echo "RC $o.\$n \$?"
	grep -v "^bench:" /tmp/$o.\$n.raw | sort > /tmp/$o.\$n
done
$l /data/mpi/$f/ring 2 4096 1 3 > /tmp/$o.exit.raw 2>&1 < /dev/null; echo "RC $o.exit \$?"
SH
}

# MPICH's mpiexec (Hydra) starts 4 ranks, each a `cove run` on a core of
# its own in the enclave (4 of the guest's 5 CPUs): ring, allreduce and the
# distributed CG print what the same binaries print under mpiexec on
# Linux; a rank's exit status comes back through mpiexec as on Linux; and
# SIGTERM to mpiexec ends every rank, after which the enclave runs the
# next job at once.
scenario_mpi_mpich() {
	local adds=() p
	mapfile -t adds < <(mpi_adds mpich)
	cokernel_vm --smp 5 --timeout 1500 "${CLI_ADDS[@]}" "${adds[@]}" -- "$MPI_PRELUDE"'
id=$(cove create --cpus 1-4 --mem 768M --owner hpc --image /data/cove.elf); echo "CREATED $id"
cat > /tmp/mpi.sh <<EOS
export OMP_NUM_THREADS=1
'"$(mpi_programs "mpiexec.hydra -n 4" mpich host)"'
'"$(mpi_programs "timeout -s INT 600 mpiexec.hydra -n 4 cove run $id --" mpich job)"'
for n in ring allreduce cg_mpi; do sed "s/^/JOB \$n /" /tmp/job.\$n.raw; cmp /tmp/host.\$n /tmp/job.\$n && echo "SAME \$n"; done
grep -q "ring: ok" /tmp/host.exit.raw; echo "EXITOK host \$?"; grep -q "ring: ok" /tmp/job.exit.raw; echo "EXITOK job \$?"
mpiexec.hydra -n 4 cove run $id -- /data/mpi/mpich/ring 100000 65536 > /tmp/term.out 2>&1 &
sleep 20; kill -TERM \$!; wait \$!; echo "RC term \$?"
timeout 300 cove run $id -- /bin/busybox echo next job ran; echo "RC next \$?"
EOS
chmod 755 /tmp/mpi.sh; su hpc -s /bin/sh -c /tmp/mpi.sh
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	for p in ring allreduce cg_mpi; do
		expect_log "RC host.$p 0"
		expect_log "RC job.$p 0"
		expect_log "SAME $p"
	done
	expect_log "JOB ring ring: ok"
	expect_log "JOB allreduce allreduce: ok"
	expect_log "JOB cg_mpi cg_mpi: ok"
	# Rank 1 exits 3 before MPI_Finalize: mpiexec fails the same way on both.
	local hx jx
	hx=$(grep -a -m1 "^RC host.exit " "$LOG" | tr -d '\r' | cut -d' ' -f3)
	jx=$(grep -a -m1 "^RC job.exit " "$LOG" | tr -d '\r' | cut -d' ' -f3)
	[ -n "$hx" ] && [ "$hx" != 0 ] && [ "$hx" = "$jx" ] ||
		fail "a rank's exit 3: mpiexec gave $hx on Linux, $jx with Cove"
	expect_log_re "RC term (143|15|1|255)"
	expect_log "next job ran"
	expect_log "RC next 0"
	expect_log "RC destroy 0"
	expect_all_back
}
