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
	cokernel_vm --timeout 900 "${CLI_ADDS[@]}" "${adds[@]}" -- "MPI_CMDLINE='${MPI_CMDLINE:-}' MPI_CPUS='${MPI_CPUS:-2-3}'$MPI_PRELUDE"'
id=$(cove create --cpus ${MPI_CPUS:-2-3} --mem 512M --owner hpc --image /data/cove.elf --cmdline "$MPI_CMDLINE"); echo "CREATED $id"
su hpc -s /bin/sh -c "cd /tmp; mpiexec.hydra -n 2 /data/mpi/mpich/ring 3 4096 > host.out 2>&1; echo RC host \$?; cat host.out;
	timeout -s INT 60 mpiexec.hydra -verbose -n 2 cove run $id -- /data/mpi/mpich/ring 3 4096 > job.out 2>&1 < /dev/null;
	echo RC job \$?; sed \"s/^/JOB /\" job.out"
cove console $id > /tmp/console.txt; grep -E "strace: .* (read|write|close|dup2|dup3|fcntl)\(0x[68]," /tmp/console.txt | head -80; tail -n 60 /tmp/console.txt
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "RC job 0"
	expect_all_back
}
