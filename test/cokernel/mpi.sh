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


# MPICH's mpiexec (Hydra) starts 2 ranks, each a `cove run` on a core of
# its own in the enclave: ring and allreduce print what the same binaries
# print under mpiexec on Linux in the same guest, with the same statuses.
# (4 ranks on 4 cores, the boot core among them, hang the enclave's boot
# core for now: issue 17's note.)
scenario_mpi_mpich() {
	local adds=() p
	mapfile -t adds < <(mpi_adds mpich)
	cokernel_vm --timeout 900 "${CLI_ADDS[@]}" "${adds[@]}" -- \
		"MPI_CMDLINE='${MPI_CMDLINE:-}'$MPI_PRELUDE"'
id=$(cove create --cpus 2-3 --mem 512M --owner hpc --image /data/cove.elf --cmdline "$MPI_CMDLINE")
echo "CREATED $id"
echo "id=$id" > /tmp/mpi.sh
cat >> /tmp/mpi.sh <<"EOS"
for p in "ring 3 65536" "allreduce 5000 3"; do
	set -- $p; n=$1; shift
	mpiexec.hydra -n 2 /data/mpi/mpich/$n "$@" > /tmp/host.$n.raw 2>&1 < /dev/null; echo "RC host.$n $?"
	timeout -s INT 300 mpiexec.hydra -n 2 cove run $id -- /data/mpi/mpich/$n "$@" \
		> /tmp/job.$n.raw 2>&1 < /dev/null; echo "RC job.$n $?"
	for o in host job; do sort /tmp/$o.$n.raw > /tmp/$o.$n; done
	sed "s/^/JOB $n /" /tmp/job.$n.raw; cmp /tmp/host.$n /tmp/job.$n && echo "SAME $n"
done
EOS
chmod 755 /tmp/mpi.sh; su hpc -s /bin/sh -c /tmp/mpi.sh
cove console $id | grep -E "^(job|error|ring|allreduce)" | tail -n 20
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	for p in ring allreduce; do
		expect_log "RC host.$p 0"
		expect_log "RC job.$p 0"
		expect_log "SAME $p"
	done
	expect_log "JOB ring ring: ok"
	expect_log "JOB allreduce allreduce: ok"
	expect_log "RC destroy 0"
	expect_all_back
}
