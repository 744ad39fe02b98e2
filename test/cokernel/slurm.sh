#!/bin/bash
# Two-node scenarios (test/cokernel/twonode.sh): the virtual link, then
# Slurm across the two nodes with an enclave per node made by the prolog in
# linux/slurm/.

# shellcheck source=test/cokernel/twonode.sh
. test/cokernel/twonode.sh

# The link: each node reaches the other (ping, a TCP exchange) and nothing
# else; each has an enclave of its own beside it, which runs a job and goes.
scenario_twonode_link() {
	twonode_vm --timeout 400 --add "$BUILD/linux/cove:/bin/cove" -- '
twonode_wait_peer || exit 1
ip route | sed "s/^/ROUTE /"
twonode_send node2 7000 "node1 says hi"; echo "RC nc $?"
id=$(cove create --cpus 1-2 --mem 256M --image /data/cove.elf); echo "CREATED $id"
cove run $id -- /bin/busybox echo job on node1; echo "RC job $?"
cove destroy $id; echo "RC destroy $?"
twonode_bye
check_back
' '
twonode_wait_peer || exit 1
nc -l -p 7000 < /dev/null | sed "s/^/GOT /"
id=$(cove create --cpus 1-2 --mem 256M --image /data/cove.elf); echo "CREATED $id"
cove run $id -- /bin/busybox echo job on node2; echo "RC job $?"
cove destroy $id; echo "RC destroy $?"
twonode_wait_bye
check_back
'
	expect_status 0
	[ "$STATUS2" = 0 ] || fail "node 2 ended with status $STATUS2"
	expect_log "TWONODE node1 up on eth0: 10.17.0.1/24"
	expect_log "TWONODE node2 reachable"
	expect_log "RC nc 0"
	expect_log "job on node1"
	expect_log "RC destroy 0"
	# The link's subnet and nothing else: no default route off the node.
	expect_no_log "ROUTE default"
	expect_all_back
	on_node2 expect_log "TWONODE node2 up on eth0: 10.17.0.2/24"
	on_node2 expect_log "GOT node1 says hi"
	on_node2 expect_log "job on node2"
	on_node2 expect_log "TWONODE bye"
	on_node2 expect_all_back
}

# --- Slurm ------------------------------------------------------------------
# Debian's slurm-wlm and munge on both nodes, started by hand (no systemd in
# the initramfs): slurmctld on node1, slurmd and munged (one key) on both,
# Cove's prolog, epilog and task prolog from linux/slurm/ installed as an
# administrator would, and user hpc (uid 1000) submitting.
SLURM_BINS=(/usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/slurmstepd /usr/sbin/munged
	    /usr/bin/sbatch /usr/bin/srun /usr/bin/scontrol /usr/bin/squeue /usr/bin/sinfo
	    /usr/bin/munge /usr/bin/mpiexec.hydra /usr/bin/hydra_pmi_proxy)
SLURM_PLUGIN_DIR=/usr/lib/x86_64-linux-gnu/slurm-wlm

# slurm_files DIR: the key, slurm.conf and /etc/cove/slurm.conf both nodes get.
slurm_files() {
	local dir="$1"
	mkdir -p "$dir" || return 1
	head -c 1024 /dev/urandom >"$dir/munge.key" && chmod 400 "$dir/munge.key" || return 1
	{
		cat <<'CONF'
ClusterName=cove
SlurmctldHost=node1
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
SlurmdTimeout=300
MessageTimeout=60
KillWait=10
CONF
		# The shipped snippet, but for its example nodes.
		grep -v -E '^(NodeName|PartitionName)=' linux/slurm/slurm.conf.snippet
		echo "NodeName=node[1-2] CPUs=2 RealMemory=512 Feature=cove State=UNKNOWN"
		echo "PartitionName=cove Nodes=node[1-2] Default=YES OverSubscribe=EXCLUSIVE MaxTime=INFINITE State=UP"
	} >"$dir/slurm.conf"
	# slurmd 22.05 will not start without a cgroup plugin, even with
	# proctrack/pgid; without systemd, cgroup v2 must not ask it for a scope.
	printf 'CgroupPlugin=cgroup/v2\nIgnoreSystemd=yes\n' >"$dir/cgroup.conf"
	cat >"$dir/cove.conf" <<'CONF'
COVE_CPUS=1-2
COVE_IMAGE=/data/cove.elf
COVE_CMDLINE=fault_inject=on_request
CONF
}

# slurm_adds ARRAY: --add options for the Slurm and munge programs, their
# libraries and plugins' (Debian's slurmd and friends are symlinks to
# *-wlm: the file itself goes in under both names).
slurm_adds() {
	local -n out="$1"
	local b real=()
	for b in "${SLURM_BINS[@]}"; do
		real+=("$(readlink -f "$b")")
		[ -L "$b" ] && out+=(--add "$(readlink -f "$b"):$b")
	done
	mapfile -t -O "${#out[@]}" out < <(debian_adds "${real[@]}" "$SLURM_PLUGIN_DIR"/{auth_munge,cred_munge,cgroup_v2,mpi_pmi2}.so)
}

# The rings in enclaves run --nonblocking: two ranks of one enclave that
# wait on each other through blocking host calls hang (a waiting call keeps
# its long-call slot and the enclave's four slots are taken in turn; see
# user/tcp_ring.c). Linux runs the same ring blocking; the lines must match.
# Both nodes: accounts, configuration, munged and slurmd.
SLURM_SETUP='
echo "root:x:0:0::/root:/bin/sh" >> /etc/passwd; echo "root:x:0:" >> /etc/group
echo "hpc:x:1000:1000::/home/hpc:/bin/sh" >> /etc/passwd; echo "hpc:x:1000:" >> /etc/group
printf "passwd: files\ngroup: files\nhosts: files\n" > /etc/nsswitch.conf
mkdir -p /etc/slurm /etc/cove /etc/munge /var/lib/munge /var/log/munge /run/munge \
	/var/spool/slurmd /var/spool/slurmctld /var/log/slurm /home/hpc
chmod 700 /etc/munge /var/lib/munge /var/log/munge; chmod 755 /run/munge; chmod 1777 /tmp
mount -t tmpfs -o mode=1777 shm /dev/shm
chown 1000:1000 /home/hpc
cp /data/slurm/slurm.conf /data/slurm/cgroup.conf /etc/slurm/
mount -t cgroup2 none /sys/fs/cgroup && mkdir -p /sys/fs/cgroup/system.slice
cp /data/slurm/cove.conf /etc/cove/slurm.conf
cp /data/slurm/munge.key /etc/munge/munge.key; chmod 400 /etc/munge/munge.key
munged || { echo "MUNGED FAILED"; cat /var/log/munge/munged.log; exit 97; }
slurm_logs() { for f in /var/log/slurm/*.log /var/log/cove/slurm.log; do
	[ -f $f ] && sed "s|^|LOG ${f##*/} |" $f; done; }
'
SLURMD_START='
slurmd || { echo "SLURMD FAILED"; slurm_logs; exit 97; }
'

scenario_slurm_jobs() {
	local dir="$BUILD/test/$SCENARIO.files" adds=()
	slurm_files "$dir" || { fail "cannot write $dir"; return; }
	slurm_adds adds
	mapfile -t -O "${#adds[@]}" adds < <({ mpi_adds mpich; mpi_adds openmpi; } |
		awk 'NR % 2 == 1 { opt = $0; next } !seen[$0]++ { print opt; print }')
	# The plugin directory first: the libraries' --add would create it.
	twonode_vm --timeout 900 --add "$SLURM_PLUGIN_DIR:$SLURM_PLUGIN_DIR" "${adds[@]}" \
		--add "$dir:/data/slurm" --add "linux/slurm:/usr/lib/cove/slurm" \
		--add "$BUILD/linux/cove:/bin/cove" --add "$BUILD/user/glibc/tcp_ring:/data/tcp_ring" \
		--add "$BUILD/user/glibc/kfault:/data/kfault" -- "$SLURM_SETUP"'
twonode_wait_peer || exit 1
slurmctld || { echo "SLURMCTLD FAILED"; slurm_logs; exit 97; }
'"$SLURMD_START"'
for i in $(seq 180); do
	[ "$(sinfo -h -N -o "%N %t" | grep -c idle)" = 2 ] && break
	sleep 1
done
sinfo -N | sed "s/^/SINFO /"
cat > /home/hpc/ring.sh <<"JOB"
#!/bin/sh
#SBATCH -N 2 --ntasks-per-node=2 --constraint=cove --mem=512M -t 10 -o /home/hpc/ring.%j.out
A="10.17.0.1 10.17.0.1 10.17.0.2 10.17.0.2"
echo "batch COVE_ENCLAVE=$COVE_ENCLAVE"
srun sh -c "echo task \$SLURM_PROCID on \$(hostname) COVE_ENCLAVE=\$COVE_ENCLAVE" | sort
J=$SLURM_JOB_ID
T="timeout 150"
$T srun /data/tcp_ring 7100 $A | sort > linux-srun.$J
echo "linux srun done"
$T srun /bin/cove run auto -n 1 -- /data/tcp_ring --nonblocking 7200 $A | sort > cove-srun.$J
echo "cove srun rc $?"
$T mpiexec.hydra -n 4 /data/tcp_ring 7300 $A | sort > linux-mpiexec.$J
echo "linux mpiexec done"
$T mpiexec.hydra -n 4 /bin/cove run auto -- /data/tcp_ring --nonblocking 7400 $A | sort > cove-mpiexec.$J
echo "cove mpiexec rc $?"
# The MPICH ring of user/mpi through both launchers on plain Linux, and
# through Hydra in the enclaves of both nodes, in the first job only: its
# result line comes, but MPI_Finalize of ranks on two nodes mostly never
# returns here, so each run is cut short: MPICH 4.0.2 waits in a PMI
# barrier (no UCX progress) once its own endpoints are flushed, and a TCP
# flush of UCX 1.13 needs the peer to answer, so a rank still flushing
# toward one already in the barrier waits for ever (README, MPI jobs). No
# UCX or MPICH setting avoids it. So each run ends as soon as its result
# line is written (S s at most): cut_after S FILE COMMAND...
cut_after() {
	s=$1 f=$2; shift 2
	timeout "$s" "$@" > "$f" 2>&1 &
	p=$!
	while kill -0 $p 2>/dev/null && ! grep -q "^ring: ranks=" "$f"; do sleep 1; done
	sleep 1; kill $p 2>/dev/null; wait $p
}
if [ "$1" = mpi ]; then
	export UCX_TLS=tcp,self
	cut_after 45 mpi-mpiexec.$J mpiexec.hydra -n 4 /data/mpi/mpich/ring 3 4096
	cut_after 45 mpi-srun.$J srun --mpi=pmi2 /data/mpi/mpich/ring 3 4096
	cut_after 120 mpi-cove.$J mpiexec.hydra -n 4 /bin/cove run auto -- /data/mpi/mpich/ring 3 4096
	grep "^ring: ranks=" mpi-mpiexec.$J | sed "s/^/mpi: /"
	a=$(grep "^ring: ranks=" mpi-mpiexec.$J); b=$(grep "^ring: ranks=" mpi-srun.$J)
	c=$(grep "^ring: ranks=" mpi-cove.$J)
	[ -n "$a" ] && [ "$a" = "$b" ] && echo "SAME mpi result from srun --mpi=pmi2 and mpiexec"
	[ -n "$a" ] && [ "$a" = "$c" ] && echo "SAME mpi result in the enclaves of both nodes"
	[ -n "$c" ] || { sed "s/^/mpi cove: /" mpi-cove.$J | head -n 20
		cove console $COVE_ENCLAVE | tail -n 60 | sed "s/^/mpi console: /"; }
	# Open MPI ranks in the enclaves of both nodes, started by srun through
	# PMIx, 2 per node: shared memory inside each enclave, TCP through
	# offload between the nodes; the same on plain Linux.
	unset UCX_TLS
	export OMPI_MCA_btl_tcp_if_include=10.17.0.0/24 OMPI_MCA_oob_tcp_if_include=10.17.0.0/24
	timeout 120 srun --mpi=pmix /data/mpi/openmpi/ring 3 4096 > ompi-linux.$J 2>&1
	echo "ompi linux rc $?"
	timeout 240 srun --mpi=pmix /bin/cove run auto -n 1 -- /data/mpi/openmpi/ring 3 4096 \
		> ompi-cove.$J 2>&1
	echo "ompi cove rc $?"
	sed "s/^/ompi linux: /" ompi-linux.$J; sed "s/^/ompi cove: /" ompi-cove.$J
	sort ompi-linux.$J > ompi-linux.s; sort ompi-cove.$J > ompi-cove.s
	cmp -s ompi-linux.s ompi-cove.s && echo "SAME ompi ring in enclaves as on Linux"
fi
sed "s/^/linux: /" linux-srun.$J
for f in cove-srun linux-mpiexec cove-mpiexec; do
	if cmp -s linux-srun.$J $f.$J; then
		echo "SAME $f as linux-srun ($(wc -l < $f.$J) lines)"
	else
		echo "DIFF $f"; diff linux-srun.$J $f.$J
	fi
done
JOB
cat > /home/hpc/fault.sh <<"JOB"
#!/bin/sh
#SBATCH -N 2 --ntasks-per-node=1 --constraint=cove --mem=256M -t 5 -o /home/hpc/fault.%j.out
srun sh -c "if [ \$SLURM_NODEID = 1 ]; then exec cove run auto -n 1 -- /data/kfault wild_write; \
	else exec cove run auto -n 1 -- /bin/busybox echo rank \$SLURM_PROCID fine; fi"
JOB
chown -R 1000:1000 /home/hpc
submit() {	# submit SCRIPT [ARG]: as hpc, waiting for the end; prints the output
	timeout 700 su hpc -s /bin/sh -c "cd /home/hpc && PATH=/bin:/usr/bin sbatch --parsable --wait $1 $2" > /tmp/jid
	echo "SBATCH $1 rc $?"
	squeue | sed "s/^/SQUEUE /"
	jid=$(cat /tmp/jid)
	sed "s/^/OUT $1 /" /home/hpc/${1%.sh}.$jid.out
	# The job is done once the epilog ran on both nodes (no longer COMPLETING).
	for i in $(seq 60); do squeue -h | grep -q . || break; sleep 1; done
	scontrol show job $jid | grep -o "JobState=[A-Z]* Reason=[^ ]*\|ExitCode=[0-9:]*" | \
		tr "\n" " " | sed "s/^/JOB $1 /"; echo
	echo "ENCLAVES after $1: $(cove status --json | grep -c "\"id\"")"
}
submit ring.sh mpi
submit fault.sh
submit ring.sh
# An enclave the epilog cannot destroy: node1 drained with the reason; the
# administrator destroys it by hand and resumes the node.
cat > /data/cove-nodestroy <<"WRAP"
#!/bin/sh
[ "$1" = destroy ] && { echo "cove destroy: refused by the test" >&2; exit 1; }
exec /bin/cove "$@"
WRAP
chmod 755 /data/cove-nodestroy
cp /etc/cove/slurm.conf /tmp/cove.conf
printf "COVE_BIN=/data/cove-nodestroy\nCOVE_CLEAN_TIMEOUT=3\n" >> /etc/cove/slurm.conf
cat > /home/hpc/one.sh <<"JOB"
#!/bin/sh
#SBATCH -N 1 -w node1 --constraint=cove --mem=128M -t 5 -o /home/hpc/one.%j.out
srun cove run auto -n 1 -- /bin/busybox echo one job
JOB
chown 1000:1000 /home/hpc/one.sh
submit one.sh
scontrol show node node1 | grep -o "State=[A-Z+]*\|Reason=.*" | sed "s/^/DRAINED /"
cp /tmp/cove.conf /etc/cove/slurm.conf
ls /run/cove/slurm/ | sed "s/^/LEFT /"
cove destroy $(cut -d" " -f1 /run/cove/slurm/job-*); echo "RC hand destroy $?"
rm -f /run/cove/slurm/job-*
scontrol update nodename=node1 state=resume; echo "RC resume $?"
for i in $(seq 60); do
	[ "$(sinfo -h -N -o "%N %t" | grep -c " idle$")" = 2 ] && break
	sleep 1
done
sinfo -N -h -o "%N %t %E" | sed "s/^/NODE /"
grep -h "rank 0 (pid" /var/log/cove/job-*.console | sed "s/^/CONSOLE /"
slurm_logs | grep -E "LOG slurm.log|error" | head -50
twonode_bye
check_back
' "$SLURM_SETUP$SLURMD_START"'
twonode_wait_bye
echo "ENCLAVES node2 $(cove status --json | grep -c "\"id\"")"
slurm_logs | grep -E "LOG slurm.log|error" | head -30
grep -h "rank 0 (pid" /var/log/cove/job-*.console | sed "s/^/CONSOLE /"
check_back
'
	expect_status 0
	[ "$STATUS2" = 0 ] || fail "node 2 ended with status $STATUS2"
	expect_log_re "SINFO node1 +1 +cove\\* +idle"
	expect_log_re "SINFO node2 +1 +cove\\* +idle"
	expect_log "SBATCH ring.sh rc 0"
	expect_log_re "OUT ring.sh task 3 on node2 COVE_ENCLAVE=[0-9]"
	expect_log_re "OUT ring.sh linux: tcp_ring: token [0-9a-f]+ after 4 rounds"
	expect_log "OUT ring.sh cove srun rc 0"
	expect_log "OUT ring.sh cove mpiexec rc 0"
	local f
	for f in cove-srun linux-mpiexec cove-mpiexec; do
		expect_log "OUT ring.sh SAME $f as linux-srun (5 lines)"
	done
	expect_log_re "OUT ring.sh mpi: ring: ranks=4 laps=3 bytes=4096 token=[0-9a-f]+ payload=[0-9a-f]+"
	expect_log "OUT ring.sh SAME mpi result from srun --mpi=pmi2 and mpiexec"
	expect_log "OUT ring.sh SAME mpi result in the enclaves of both nodes"
	expect_log "OUT ring.sh ompi linux rc 0"
	expect_log "OUT ring.sh ompi cove rc 0"
	expect_log_re "OUT ring.sh ompi cove: ring: ranks=4 laps=3 bytes=4096 token=[0-9a-f]+ payload=[0-9a-f]+"
	expect_log "OUT ring.sh SAME ompi ring in enclaves as on Linux"
	expect_log "JOB ring.sh JobState=COMPLETED Reason=None ExitCode=0:0"
	expect_log_re "SBATCH fault.sh rc [1-9]"
	expect_log "OUT fault.sh rank 0 fine"
	expect_log "OUT fault.sh cove run: enclave 1 failed while job 1 ran"
	expect_log_re "JOB fault.sh JobState=FAILED Reason=NonZeroExitCode ExitCode=1:0"
	[ "$(grep -ac '^JOB ring.sh JobState=COMPLETED' "$LOG")" = 2 ] ||
		fail "the ring job did not complete again after the fault"
	expect_no_log "ENCLAVES after ring.sh: 1"
	expect_log "ENCLAVES after fault.sh: 0"
	expect_log "OUT one.sh one job"
	expect_log_re "DRAINED State=IDLE\+DRAIN"
	expect_log_re "DRAINED Reason=cove: enclave [0-9]+ of job [0-9]+: cove destroy failed: cove destroy: refused by the test"
	expect_log_re "LEFT job-[0-9]+"
	expect_log "RC hand destroy 0"
	expect_log "RC resume 0"
	expect_log_re "NODE node1 idle none"
	expect_log_re "NODE node2 idle none"
	expect_all_back
	# Each ring job ran two tcp_ring ranks in each node's enclave under srun
	# and two under mpiexec; the epilogs kept the consoles that say so.
	local n
	for n in "$LOG" "$LOG.node2"; do
		[ "$(grep -ac "^CONSOLE job [0-9]*: rank 0 (pid [0-9]*, tcp_ring): exited with status 0" "$n")" -ge 8 ] ||
			fail "$(basename "$n"): fewer than 8 tcp_ring ranks ended well in its enclaves"
	done
	on_node2 expect_log "ENCLAVES node2 0"
	on_node2 expect_all_back
}

# Inter-node ping-pong over the link, one rank per node: Linux to Linux,
# then enclave to enclave (every socket call offloaded to the rank's cove
# run), 8-byte latency and 64 KiB bandwidth. Prints "BENCH" rows with the
# ratio; checks both ran. Host time under TCG: the ratio is what counts.
scenario_twonode_pingpong() {
	twonode_vm --timeout 500 --add "$BUILD/linux/cove:/bin/cove" \
		--add "$BUILD/user/glibc/tcp_ring:/data/tcp_ring" -- '
twonode_wait_peer || exit 1
id=$(cove create --cpus 1-2 --mem 256M --image /data/cove.elf); echo "CREATED $id"
A="10.17.0.1 10.17.0.2"
SLURM_PROCID=0 /data/tcp_ring --pingpong 7500 $A 300 | sed "s/^/LINUX /"
SLURM_PROCID=0 cove run $id -n 1 -- /data/tcp_ring --pingpong 7600 $A 300 | sed "s/^/COVE /"
echo "RC cove $?"
cove destroy $id
twonode_bye
check_back
' '
twonode_wait_peer || exit 1
id=$(cove create --cpus 1-2 --mem 256M --image /data/cove.elf); echo "CREATED $id"
A="10.17.0.1 10.17.0.2"
SLURM_PROCID=1 /data/tcp_ring --pingpong 7500 $A 300; echo "RC linux $?"
SLURM_PROCID=1 cove run $id -n 1 -- /data/tcp_ring --pingpong 7600 $A 300; echo "RC cove $?"
cove destroy $id
twonode_wait_bye
check_back
'
	expect_status 0
	[ "$STATUS2" = 0 ] || fail "node 2 ended with status $STATUS2"
	expect_log "RC cove 0"
	on_node2 expect_log "RC linux 0"
	on_node2 expect_log "RC cove 0"
	local l c
	l=$(grep -a "^LINUX tcp_pingpong:" "$LOG" | tr -d '\r')
	c=$(grep -a "^COVE tcp_pingpong:" "$LOG" | tr -d '\r')
	if [ -z "$l" ] || [ -z "$c" ]; then
		fail "no ping-pong figures (linux '$l', cove '$c')"
		return
	fi
	awk -v l="$l" -v c="$c" 'function f(s, k) { match(s, k "=[0-9]+"); return substr(s, RSTART + length(k) + 1, RLENGTH - length(k) - 1) }
		BEGIN {
			printf "BENCH inter-node TCP latency (8 B, us)   Linux %8.1f  Cove %8.1f  Cove/Linux %.2f\n",
				f(l, "latency_ns") / 1000, f(c, "latency_ns") / 1000, f(c, "latency_ns") / f(l, "latency_ns")
			printf "BENCH inter-node TCP bandwidth (64 KiB, MB/s) Linux %6d  Cove %8d  Cove/Linux %.2f\n",
				f(l, "bandwidth_mbs"), f(c, "bandwidth_mbs"), f(c, "bandwidth_mbs") / (f(l, "bandwidth_mbs") ? f(l, "bandwidth_mbs") : 1)
		}' >>"$LOG"
	expect_all_back
	on_node2 expect_all_back
}
