#!/bin/bash
# Co-kernel scenarios: the loader module (linux/module) inside Debian's
# Linux 6.1 under QEMU TCG (-cpu max: AMD SVM, xAPIC), 4 CPUs, 2 GiB,
# movablecore=1G so memory blocks can be offlined. Each scenario boots one
# guest; see test/cokernel/lib.sh.

# shellcheck source=test/cokernel/lib.sh
. test/cokernel/lib.sh
# shellcheck source=test/cokernel/fault_matrix.sh
. test/cokernel/fault_matrix.sh
# shellcheck source=test/cokernel/slurm.sh
. test/cokernel/slurm.sh

# Minutes each on 2 cores: started first (test/run.sh).
# shellcheck disable=SC2034
SCENARIOS_FIRST="slurm_jobs mpi_mpich cli_hundred_cycles mpi_openmpi apps_gdb"

scenario_module_loads() {
	cokernel_vm -- '
ls -l /dev/cove
ls /sys/kernel/cove && echo "SYSFS ok"
rmmod cove && echo "RMMOD ok"
[ -e /dev/cove ] || echo "DEVICE gone"
'
	expect_status 0
	local abi
	abi=$(awk '$2 == "COVE_UAPI_VERSION" { print $3 }' linux/module/cove_uapi.h)
	expect_log "cove: loader ready (/dev/cove, ABI $abi, memory block 128 MiB)"
	# Everyone may open it; each request checks its own right (cove_owner.c).
	expect_log_re "^crw-rw-rw- +1 0 +0 +10, +[0-9]+ .* /dev/cove"
	expect_log "SYSFS ok"
	expect_log "RMMOD ok"
	expect_log "DEVICE gone"
}

# Every refusal: one line in the kernel log naming why, a distinct errno,
# and nothing taken from Linux. Owners that name no one and unknown owner
# flags are refused before anything is looked up; an ordinary user (nobody)
# is refused every root-only request, may still list, and meets ENOENT and
# ENOTTY like anyone.
scenario_misuse_errors() {
	cokernel_vm -- '
C=/data/covectl
echo "nobody:x:65534:65534::/:/bin/sh" >> /etc/passwd
nobody() { su -s /bin/sh nobody -c "$*" | sed "s/^/NOBODY /"; }
$C badioctl
$C create -c 0 -m 256M -i /data/cove.elf
$C create -c 9 -m 256M -i /data/cove.elf
echo 0 > /sys/devices/system/cpu/cpu3/online
$C create -c 3 -m 256M -i /data/cove.elf
echo 1 > /sys/devices/system/cpu/cpu3/online
$C create -c 2 -m 100M -i /data/cove.elf
$C create -c 2 -m 256M -i /data/cove.ko
$C create -c 2 -m 256M -i /data/covectl
$C create -c 2 -m 4G -i /data/cove.elf
$C create -c 2 -m 256M -p maybe -i /data/cove.elf
$C status 5
$C destroy 7
$C console 3
$C create -c 2 -m 256M -u 4294967295 -i /data/cove.elf
$C chown 1 -u 4294967295
$C chown 1 -g 4294967295
$C chown 1 -f 4 -u 0
$C chown 5 -u 1000
nobody $C badioctl
nobody $C create -c 2 -m 256M -i /data/cove.elf
nobody $C destroy 7
nobody $C chown 7 -u 65534
nobody $C add 7 -m 128M
nobody $C remove 7 -m 128M
nobody $C status 5
nobody $C console 3
check_back
'
	expect_status 0
	expect_log "cove: owner uid 4294967295 is no user"
	expect_log "cove: owner gid 4294967295 is no group"
	expect_log "cove: owner flags 0x5 (pad 0x0): unknown bits"
	[ "$(grep -ac 'covectl: chown: .*(errno EINVAL)' "$LOG")" = 3 ] ||
		fail "expected 3 EINVAL refusals of chown"
	expect_errno chown ENOENT
	expect_log_re "NOBODY covectl: ioctl 99: .* \\(errno ENOTTY\\)"
	expect_log_re "NOBODY covectl: create: .* \\(errno EPERM\\)"
	expect_log_re "NOBODY covectl: destroy: .* \\(errno EPERM\\)"
	expect_log_re "NOBODY covectl: chown: .* \\(errno EPERM\\)"
	expect_log_re "NOBODY covectl: add: .* \\(errno EPERM\\)"
	expect_log_re "NOBODY covectl: remove: .* \\(errno EPERM\\)"
	expect_log_re "NOBODY covectl: status: .* \\(errno ENOENT\\)"
	expect_log_re "NOBODY covectl: console: .* \\(errno ENOENT\\)"
	expect_log "cove: create refused to uid 65534: root only"
	expect_log "cove 7: destroy refused to uid 65534: root only"
	expect_log "cove 7: chown refused to uid 65534: root only"
	expect_errno "ioctl 99" ENOTTY
	expect_log "cove: unknown ioctl"
	expect_log "cove: CPU 0 stays with Linux"
	expect_log "cove: CPU 9 does not exist"
	expect_log "cove: CPU 3 is offline"
	expect_log "cove: memory size 0x6400000 is not a non-zero multiple of the 128 MiB block"
	expect_log "cove: image: bad program headers"
	expect_log "cove: image: no Cove image header"
	expect_log "cove: no 4096 MiB of offlinable memory"
	expect_log "cove: unknown protect mode 99"
	expect_log "cove: no enclave 7"
	expect_log "cove: no enclave 7"
	expect_log "cove: no enclave 3"
	[ "$(grep -ac 'covectl: create: .*(errno EINVAL)' "$LOG")" = 6 ] ||
		fail "expected 6 EINVAL refusals of create"
	[ "$(grep -ac 'covectl: create: .*(errno ENOEXEC)' "$LOG")" = 2 ] ||
		fail "expected 2 ENOEXEC refusals of create"
	expect_errno create ENOMEM
	expect_errno status ENOENT
	expect_errno destroy ENOENT
	expect_errno console ENOENT
	# Some 30 commands (a fork and exec each, su for nobody's) cost Linux
	# 250-500 KiB each in its caches: 10-16 MiB in all, measured. What a
	# refusal could lose is a whole memory block (128 MiB) or a core.
	expect_all_back 65536
}

# A failure after cores and memory changed hands puts everything back: an
# over-long command line is only found out when the block is written.
scenario_offline_online_roundtrip() {
	cokernel_vm -- '
long=$(head -c 1020 /dev/zero | tr "\0" x)
for i in 1 2 3; do
	/data/covectl create -c 2,3 -m 512M -p require -l "$long" -i /data/cove.elf
	cat /sys/devices/system/cpu/online
done
check_back
'
	expect_status 0
	[ "$(grep -ac 'cove: command line longer than 1023 bytes' "$LOG")" = 3 ] ||
		fail "expected the command line refused 3 times"
	[ "$(grep -ac 'smpboot: CPU 3 is now offline' "$LOG")" = 3 ] ||
		fail "CPU 3 was not taken 3 times"
	expect_all_back
}

# Boot Cove on two cores, look at it every way, destroy it: Linux has every
# core and every byte back.
scenario_boot_status_destroy() {
	cokernel_vm -- '
/data/covectl create -c 2,3 -m 256M -i /data/cove.elf
/data/covectl status 1
for f in state cpus mem guarded report; do echo "SYSFS $f: $(cat /sys/kernel/cove/1/$f)"; done
echo "ONLINE $(cat /sys/devices/system/cpu/online)"
/data/covectl console 1
/data/covectl create -c 3 -m 128M -i /data/cove.elf
/data/covectl destroy 1
check_back
'
	expect_status 0
	expect_log "id 1"
	expect_log "state ready"
	expect_log "cpus 2 3"
	expect_log_re "^mem 0x[0-9a-f]+ 0x10000000"
	expect_log "SYSFS state: ready"
	expect_log "SYSFS cpus: 2,3"
	expect_log "ONLINE 0-1"
	expect_log "boot: co-kernel mode, loaded by a Pisces loader"
	expect_log "cove: enclave 1 ready for jobs from the host"
	expect_log "cove: CPU 3 already belongs to an enclave"
	expect_errno create EBUSY
	expect_log_re "cove 1: destroyed; cores and memory are Linux's again"
	expect_all_back
}

# Cove asked for its protection layer: it runs guarded by SVM (QEMU -cpu
# max); with protect=off it does not.
scenario_protect_modes() {
	cokernel_vm -- '
/data/covectl create -c 2 -m 256M -p require -i /data/cove.elf
echo "GUARDED-REQUIRE $(cat /sys/kernel/cove/1/guarded)"
/data/covectl create -c 3 -m 256M -p off -i /data/cove.elf
echo "GUARDED-OFF $(cat /sys/kernel/cove/2/guarded)"
/data/covectl destroy 1
/data/covectl destroy 2
check_back
'
	expect_status 0
	expect_log "GUARDED-REQUIRE svm"
	expect_log "GUARDED-OFF no"
	expect_all_back
}

# A boot that does not finish in time: -ETIMEDOUT, the enclave kept as
# failed (status and console say why), then destroyed cleanly.
scenario_boot_timeout_kept() {
	cokernel_vm -- '
/data/covectl create -c 2,3 -m 256M -t 1 -i /data/cove.elf
/data/covectl status 1
/data/covectl destroy 1
check_back
'
	expect_status 0
	expect_log "id 1 (kept for inspection)"
	expect_errno create ETIMEDOUT
	expect_log "state failed"
	expect_log_re "report boot timeout: Cove reached state [0-9] of 2 within 1 ms"
	expect_all_back
}

# Create and destroy, three times over, with a different size each time.
scenario_create_destroy_loop() {
	cokernel_vm -- '
for m in 128M 512M 256M; do
	/data/covectl create -c 1-3 -m $m -i /data/cove.elf
	/data/covectl destroy 1
	check_back
done
'
	expect_status 0
	[ "$(grep -ac '^id 1' "$LOG")" = 3 ] || fail "not 3 enclaves created"
	[ "$(grep -ac 'cove 1: destroyed' "$LOG")" = 3 ] || fail "not 3 enclaves destroyed"
	local line
	while read -r line; do
		read -r _ _ b a _ cb ca <<<"$line"
		[ "$cb" = "$ca" ] && [ "$a" -ge $((b - 16384)) ] || fail "not all back: $line"
	done < <(grep -a '^BACK memfree' "$LOG" | tr -d '\r')
}

# The Linux guest every scenario here boots (scripts/linux-vm.sh) checks
# itself: it reports the booted kernel's release and its CPU count.
scenario_linux_vm_smoke() {
	test/linux/smoke.sh --timeout 300 >"$LOG" 2>&1
	local rc=$?
	[ "$rc" = 0 ] || fail "test/linux/smoke.sh exited with status $rc"
	expect_log "PASS linux-smoke"
}

# Unloading the module destroys every enclave.
scenario_unload_destroys() {
	cokernel_vm -- '
/data/covectl create -c 2 -m 256M -i /data/cove.elf
/data/covectl create -c 3 -m 128M -i /data/cove.elf
rmmod cove && echo "RMMOD ok"
check_back
'
	expect_status 0
	expect_log "RMMOD ok"
	expect_log "cove 1: destroyed"
	expect_log "cove 2: destroyed"
	expect_all_back
}

# A job launched from the host runs in Cove: its program, output and exit
# status travel through the long-call channel; a missing program is one
# line and exit status 127.
scenario_job_long_calls() {
	cokernel_vm --add "$BUILD/user/glibc/hello:/data/hello" -- '
/data/covectl create -c 2,3 -m 256M -i /data/cove.elf
/data/covectl run 1 "/data/hello a b"
/data/covectl run 1 "/data/nosuch"
/data/covectl status 1
/data/covectl destroy 1
check_back
'
	expect_status 0
	expect_log "hello from glibc"
	expect_log "hello: argv[2]=b"
	expect_log "job 1 exit 0"
	expect_log "cove: cannot start the job: /data/nosuch: no such file on the host"
	expect_log "job 2 exit 32512"
	expect_log "jobs 0"
	expect_all_back
}

# Grow a running enclave by a memory range and a core; the boot range can't
# be taken back; whatever Cove holds at destroy goes back to Linux.
scenario_add_mem_and_cpu() {
	cokernel_vm -- '
/data/covectl create -c 2,3 -m 256M -i /data/cove.elf
/data/covectl add 1 -m 128M
/data/covectl add 1 -c 1
/data/covectl status 1
echo "ONLINE $(cat /sys/devices/system/cpu/online)"
/data/covectl remove 1 -b $(sed -n 1p /sys/kernel/cove/1/mem | cut -d " " -f 1)
/data/covectl remove 1 -m 128M && echo "REMOVED"
/data/covectl destroy 1
check_back
'
	expect_status 0
	expect_log_re "cove 1: added 128 MiB at 0x[0-9a-f]+"
	expect_log "cpus 1 2 3"
	expect_log_re "^mem 0x[0-9a-f]+ 0x8000000"
	expect_log "ONLINE 0"
	expect_log "the boot range stays"
	expect_errno remove EINVAL
	# Nothing ran there: Cove gives the added range back, the layer confirms.
	expect_log "REMOVED"
	expect_log_re "cove 1: gave 128 MiB at 0x[0-9a-f]+ back to Linux"
	expect_no_log "covectl: remove: Device or resource busy"
	expect_all_back
}

# The scenarios below drive the real CLI (linux/tools/cove) the way a user
# does; programs come from the Linux side's own filesystem.
CLI_ADDS=(--add "$BUILD/linux/cove:/bin/cove" --add "$BUILD/user/glibc/cg:/data/cg"
	  --add "$BUILD/user/glibc/kfault:/data/kfault" --add "$BUILD/cokernel/memwatch:/data/memwatch"
	  --add "$BUILD/user/glibc/fault:/data/fault")

# Busybox applets and the OpenMP CG mini-app run in an enclave on cores 2-3
# while Linux checksums a file over and over on cores 0-1; outputs, exit
# statuses and Linux's checksums are all checked.
scenario_cli_jobs_beside_linux() {
	cokernel_vm --timeout 400 "${CLI_ADDS[@]}" -- '
dd if=/dev/urandom of=/tmp/blob bs=1M count=16 2>/dev/null
want=$(md5sum /tmp/blob | cut -d" " -f1)
( n=0; bad=0; while [ ! -e /tmp/stop ]; do
	[ "$(md5sum /tmp/blob | cut -d" " -f1)" = "$want" ] || bad=$((bad + 1)); n=$((n + 1))
  done; echo "LINUX checksums $n bad $bad" ) &
loop=$!
id=$(cove create --cpus 2-3 --mem 512M --image /data/cove.elf); echo "CREATED $id"
cove run $id -- /bin/busybox echo hello from busybox; echo "RC echo $?"
cove run $id -- /bin/busybox seq 3 5; echo "RC seq $?"
cove run $id -- /bin/busybox expr 6 "*" 7; echo "RC expr $?"
cove run $id -- /bin/busybox false; echo "RC false $?"
cove run $id -- /data/cg; echo "RC cg $?"
cove run $id -- /no/such/program; echo "RC missing $?"
cove status $id --json
touch /tmp/stop; wait $loop
cove destroy $id; echo "RC destroy $?"
rm -f /tmp/blob	# tmpfs: 16 MiB of MemFree, as much as check_back tolerates
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	expect_log "hello from busybox"
	expect_log "RC echo 0"
	expect_log_re "^5"
	expect_log "RC seq 0"
	expect_log_re "^42"
	expect_log "RC false 1"
	expect_log "cg: ok"
	expect_log "RC cg 0"
	expect_log "cove run: /no/such/program: No such file or directory"
	expect_log "RC missing 1"
	expect_no_log "no long call"
	expect_log_re '"state": *"ready"'
	expect_log_re "LINUX checksums [1-9][0-9]* bad 0"
	expect_log "RC destroy 0"
	expect_all_back
}

# A job's own files are the host's: inputs read and outputs written where
# `cove run` was started (relative paths) or by absolute host path, through
# the long-call channel; /proc stays the enclave's, never the host's.
scenario_cli_job_host_files() {
	cokernel_vm --timeout 400 "${CLI_ADDS[@]}" -- '
mkdir -p /tmp/work && cd /tmp/work
dd if=/dev/urandom of=in.bin bs=1K count=300 2>/dev/null
printf "alpha\nbeta\ngamma\n" > words.txt
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf); echo "CREATED $id"
echo "HOST MD5 $(md5sum in.bin | cut -d" " -f1)"
cove run $id -- /bin/busybox md5sum in.bin | sed "s/^/JOB MD5 /"; echo "RC md5 $?"
cove run $id -- /bin/busybox wc -l /tmp/work/words.txt; echo "RC wc $?"
cove run $id -- /bin/busybox stat -c "STAT %s %F" in.bin; echo "RC stat $?"
cove run $id -- /bin/busybox cp in.bin out.bin; echo "RC cp $?"
cmp in.bin out.bin; echo "RC cmp $?"
echo "through stdin" | cove run $id -- /bin/busybox tee tee.txt >/dev/null; echo "RC tee $?"
echo "TEE FILE $(cat tee.txt)"
cove run $id -- /bin/busybox cat /tmp/work/no-such-input; echo "RC missing $?"
cove run $id -- /bin/busybox cp in.bin /no/such/dir/out; echo "RC nodir $?"
cove run $id -- /bin/busybox cat /proc/version > proc.txt; echo "RC proc $?"
sed "s/^/JOB PROC /" proc.txt
cove run $id -- /bin/busybox cat /sys/devices/system/cpu/online > online.txt; echo "RC sys $?"
sed "s/^/JOB SYS /" online.txt
mkdir -p subdir && echo "in the subdirectory" > subdir/note.txt
cove run $id -- /bin/busybox pwd | sed "s/^/JOB PWD /"; echo "RC pwd $?"
cove run $id -- /bin/busybox sh -c "cd subdir && pwd -P && read l < note.txt && echo \$l && cd .. && pwd -P && cd /nowhere" 2>&1 | sed "s/^/JOB CD /"
awk "/cove-doorbell/ { n = 0; for (i = 2; \$i ~ /^[0-9]+\$/; i++) n += \$i; print \"DOORBELL RINGS \" n }" /proc/interrupts
# The job has the rights of its user on the host, no more and no less: a root
# job may read what root may (apps_debian_binaries checks an ordinary user).
echo "only for root" > rootonly && chmod 600 rootonly && ln -s rootonly rootlink
cove run $id -- /bin/busybox cat rootlink; echo "RC rootlink $?"
stat -c "SYSFS MODE %n %a" /sys/kernel/cove/$id/mem /sys/kernel/cove/$id/report /sys/kernel/cove/$id/state
cove status $id --json | grep -o "\"state\": *\"[a-z]*\""
cove destroy $id; echo "RC destroy $?"
# The same through polling alone, the fallback when there is no doorbell.
rmmod cove && insmod /data/cove.ko doorbell=0 || echo "RELOAD FAILED"
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf)
cove run $id -- /bin/busybox md5sum in.bin | sed "s/^/POLLED MD5 /"; echo "RC polled $?"
cove destroy $id
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	expect_no_log "RELOAD FAILED"
	expect_log "cove: no doorbell (doorbell=0); long calls are polled"
	local want
	want=$(grep -m1 -aoE "HOST MD5 [0-9a-f]{32}" "$LOG" | cut -d" " -f3)
	[ -n "$want" ] || fail "the host did not print its checksum"
	expect_log "JOB MD5 $want  in.bin"
	expect_log "POLLED MD5 $want  in.bin"
	expect_log "RC polled 0"
	expect_log "RC md5 0"
	expect_log "3 /tmp/work/words.txt"
	expect_log "RC wc 0"
	expect_log "STAT 307200 regular file"
	expect_log "RC stat 0"
	expect_log "RC cp 0"
	expect_log "RC cmp 0"
	expect_log "RC tee 0"
	expect_log "TEE FILE through stdin"
	expect_log_re "cat: can.t open ./tmp/work/no-such-input.: No such file or directory"
	expect_log "RC missing 1"
	expect_log_re "cp: can.t create ./no/such/dir/out.: No such file or directory"
	expect_log "RC nodir 1"
	# /proc and /sys are the enclave's own: its version and its two CPUs,
	# never the host's.
	expect_log "JOB PROC Cove version 0.1.0"
	expect_no_log "JOB PROC Linux"
	expect_log "RC proc 0"
	expect_log "JOB SYS 0-1"
	expect_log "RC sys 0"
	# The job stands where cove run was started, and may move on the host.
	expect_log "JOB PWD /tmp/work"
	expect_log "RC pwd 0"
	expect_log "only for root"
	expect_log "RC rootlink 0"
	# Physical addresses and fault reports are root's only.
	expect_log "SYSFS MODE /sys/kernel/cove/1/mem 400"
	expect_log "SYSFS MODE /sys/kernel/cove/1/report 400"
	expect_log "SYSFS MODE /sys/kernel/cove/1/state 444"
	expect_log "JOB CD /tmp/work/subdir"
	expect_log "JOB CD in the subdirectory"
	expect_log_re "JOB CD /tmp/work[[:space:]]*$"
	expect_log_re "can.t cd to /nowhere"
	# Every long call above rang Linux's doorbell interrupt (through the
	# protection layer, which lets exactly that IPI out).
	expect_log_re "cove: doorbell is irq [0-9]+, vector 0x[0-9a-f]+ on APIC ID 0"
	expect_log_re "DOORBELL RINGS [1-9][0-9]*"
	expect_log_re '"state": *"ready"'
	expect_log "RC destroy 0"
	expect_all_back
}

# While an enclave owns a core and memory blocks, Linux may not take them
# back behind the module's back: onlining the core (directly or through SMT
# control) and onlining a block both fail with a line naming the enclave,
# the enclave keeps running jobs, and destroy still returns everything.
scenario_cli_fenced_resources() {
	cokernel_vm --timeout 400 "${CLI_ADDS[@]}" -- '
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf)
echo 1 > /sys/devices/system/cpu/cpu3/online; echo "ONLINE cpu3 $?"
bs=$(( 0x$(cat /sys/devices/system/memory/block_size_bytes) ))
base=$(head -n 1 /sys/kernel/cove/$id/mem | cut -d" " -f1)
blk=$(( base / bs ))
echo online > /sys/devices/system/memory/memory$blk/state; echo "ONLINE block $?"
echo "STATE block $(cat /sys/devices/system/memory/memory$blk/state)"
echo online_movable > /sys/devices/system/memory/memory$((blk + 1))/state; echo "MOVABLE block $?"
echo "CPUS $(cat /sys/devices/system/cpu/online)"
cove run $id -- /bin/busybox echo still running; echo "RC job $?"
cove destroy $id; echo "RC destroy $?"
echo 0 > /sys/devices/system/cpu/cpu3/online && echo 1 > /sys/devices/system/cpu/cpu3/online
echo "AFTER cpu3 $?"
check_back
'
	expect_status 0
	expect_log "ONLINE cpu3 1"
	expect_log "cove: CPU 3 belongs to enclave 1; Linux may not online it until the enclave is destroyed"
	expect_log "ONLINE block 1"
	expect_log "MOVABLE block 1"
	expect_log "STATE block offline"
	expect_log_re "cove: memory 0x[0-9a-f]+\\+0x8000000 belongs to enclave 1; Linux may not online it until the enclave is destroyed"
	expect_log "CPUS 0-1"
	expect_log "still running"
	expect_log "RC job 0"
	expect_log "RC destroy 0"
	expect_log "AFTER cpu3 0"
	expect_all_back
}

# A kernel that stops answering is found out: every core spins with
# interrupts off (fault_inject hang), the heartbeat stands still though the
# host rings, and after hang_ms the enclave is hung, its job's cove run ends
# non-zero, and cove restart boots it again as it was created. A boot core
# busy with a job for longer than hang_ms is not hung: it answers the probe.
# A create whose boot never ends does not hold up another create. The
# host's NMI shows where the stuck core is, unguarded and behind the
# protection layer (which must pass the NMI on to the kernel).
scenario_cli_hang_restart() {
	cokernel_vm --timeout 500 "${CLI_ADDS[@]}" \
		--add "$BUILD/user/glibc/bench_noise:/data/bench_noise" -- '
echo 1000 > /sys/module/cove/parameters/hang_ms
# Unguarded: the NMI that makes a stuck core show where it is reaches Cove
# directly; the guarded hang at the end goes through the layer.
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf \
	--cmdline "fault_inject=on_request protect=off")
t0=$(date +%s)
cove run $id --cpus 0 -- /data/bench_noise 8000 200000 > /dev/null; echo "RC busy $?"
echo "BUSY took $(( $(date +%s) - t0 )) s"
echo "STATE busy $(cat /sys/kernel/cove/$id/state)"
cove run $id -- /data/kfault hang; echo "RC hang $?"
cove status $id --json | sed "s/^/STATUS hang /"
cove restart $id; echo "RC restart $?"
cove status $id --json | sed "s/^/STATUS restarted /"
cove run $id -- /bin/busybox echo alive after restart; echo "RC job $?"
cove destroy $id
(cove create --cpus 2 --mem 128M --image /data/cove.elf --cmdline fault_inject=hang \
	--timeout 20 > /dev/null 2>&1; echo "RC slow $?") &
sleep 3
t0=$(date +%s)
id2=$(cove create --cpus 3 --mem 128M --image /data/cove.elf); echo "RC fast $?"
cove status | sed "s/^/LIST /"
echo "FAST took $(( $(date +%s) - t0 )) s"
wait
cove destroy $id2
id3=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf --protect require \
	--cmdline fault_inject=on_request)
echo "GUARDED id $id3"
cove run $id3 -- /data/kfault hang; echo "RC guarded hang $?"
cove status $id3 --json | sed "s/^/STATUS guarded /"
cove destroy $id3
check_back
'
	expect_status 0
	expect_log "RC busy 0"
	expect_log "STATE busy ready"
	local line secs
	line=$(grep -a '^BUSY took' "$LOG" | tr -d '\r' | tail -n 1)
	read -r _ _ secs _ <<<"$line"
	[ -n "$secs" ] && [ "$secs" -ge 2 ] ||
		fail "the busy job took ${secs:-no} s, not the 2 s (twice hang_ms) that would show anything"
	expect_log "RC hang 1"
	expect_log_re "STATUS hang .*\"state\": *\"hung\".*\"report\": \"hung: the kernel did not answer the host's doorbell for [0-9]+ ms"
	# The host's NMI made the stuck core say where it was: in the injected spin,
	# with the system call that asked for it below.
	expect_log_re "cove [0-9]+: \| NMI on cpu [0-9]+: stopped where it was"
	expect_log_re "cove [0-9]+: \| RIP: .*<fault_hang\+"
	expect_log_re "cove [0-9]+: \|   #[0-9]+ .*sys_cove_fault_inject"
	# Every other core reports too (the stuck one may be any): the hang
	# spins cpu 1 in a cross-CPU call, whose vector stays in service.
	expect_log_re "cove [0-9]+: \| cpu 1 was here when stopped:"
	expect_log_re "cove [0-9]+: \|   #0 .*\] fault_spin\+"
	expect_log_re "cove [0-9]+: \| LAPIC: in service: 0xf0; pending"
	expect_log "RC restart 0"
	expect_log "restarting on the same cores and memory"
	expect_log_re "STATUS restarted .*\"state\": *\"ready\".*\"cpu_list\": \"2-3\".*\"report\": \"\""
	expect_log "alive after restart"
	expect_log "RC job 0"
	expect_log "RC fast 0"
	expect_log_re "LIST 1 +booting"
	expect_log_re "LIST 2 +ready"
	line=$(grep -a '^FAST took' "$LOG" | tr -d '\r' | tail -n 1)
	read -r _ _ secs _ <<<"$line"
	[ -n "$secs" ] && [ "$secs" -le 8 ] ||
		fail "a create beside a booting one took ${secs:-?} s: it waited for the other's boot"
	expect_log "RC slow 1"
	# The guarded enclave may reuse the first one's id: only what follows its mark counts.
	local gid guarded
	gid=$(sed -n 's/^GUARDED id \([0-9]*\).*/\1/p' "$LOG" | tr -d '\r' | head -n 1)
	guarded=$(tr -d '\r' < "$LOG" | sed -n '/^GUARDED id/,$p')
	expect_log "RC guarded hang 1"
	expect_log_re "STATUS guarded .*\"state\": *\"hung\".*\"guarded\": *\"svm\""
	grep -qE "cove ${gid:-none}: \| NMI on cpu [0-9]+: stopped where it was" <<<"$guarded" ||
		fail "the guarded enclave's console shows no NMI dump"
	grep -qE "cove ${gid:-none}: \| RIP: .*<fault_hang\+" <<<"$guarded" ||
		fail "the guarded enclave's NMI dump does not name fault_hang"
	# The kernel's stop NMI to its other core goes through the layer as well.
	grep -qE "cove ${gid:-none}: \| cpu 1 was here when stopped:" <<<"$guarded" ||
		fail "the guarded enclave's other core did not report"
	expect_all_back
}

# A core the host adds waits in the protection layer's entry and becomes
# the layer's guest before it runs a single kernel instruction. The kernel
# (fault_inject=ap_early_write) makes the new core's first step a write into
# a page memwatch holds on the host: guarded, it is trapped and reported;
# with protection off the same write lands.
scenario_cli_added_core_starts_guarded() {
	cokernel_vm --timeout 400 "${CLI_ADDS[@]}" -- '
early() {	# early PROTECT
	rm -f /tmp/addr /tmp/go
	/data/memwatch /tmp/addr /tmp/go & mw=$!
	while [ ! -s /tmp/addr ]; do sleep 0.1; done
	id=$(cove create --cpus 2 --mem 256M --image /data/cove.elf --protect $1 \
		--cmdline "fault_inject=ap_early_write fault_addr=$(cat /tmp/addr)")
	echo "RC create $1 $?"
	cove add $id --cpus 3; echo "RC add $1 $?"
	touch /tmp/go; wait $mw; echo "MEMWATCH $1 $?"
	cove status $id | grep -q failed && echo "FAILED $1"
	cove console $id | grep -E "fault_inject|as its guest|online, APIC" | sed "s/^/CONSOLE $1 /"
	cove destroy $id
}
early on
early off
check_back
'
	expect_status 0
	expect_log "RC create on 0"
	expect_log_re "RC add on [1-9]"
	expect_log "MEMWATCH on 0"
	expect_log "FAILED on"
	expect_log "CONSOLE on fault_inject: cpu1 writes outside the partition before anything else (as the layer's guest)"
	expect_log "write at guest physical"
	expect_log "RC create off 0"
	expect_log "RC add off 0"
	expect_log "memwatch: CHANGED: 1 words"
	expect_log "MEMWATCH off 3"
	expect_no_log "FAILED off"
	expect_log "CONSOLE off cpu1: online, APIC id 3"
	expect_all_back
}

# The median free memory of BACK lines FROM to TO of the log.
back_median() {
	grep -a '^BACK memfree' "$LOG" | tr -d '\r' | sed -n "$1,$2p" | awk '{ print $4 }' |
		sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# A hundred create -> run -> destroy cycles, and before every ninth one a
# cycle whose job injects a fault (each kind once, guarded): after every
# cycle each CPU is online again and the free memory is back (memfree,
# Linux's per-CPU free lists counted). Tolerances: 16 MiB against the
# baseline for each cycle, and 1 MiB between the medians of cycles 6-50 and
# 51-100, so a leak of 24 KiB a cycle or more shows. Readings mostly stay
# within 1.5 MiB of each other, but one run in four here dipped 7.5 MiB for
# two cycles and came back; the medians differed by 100-140 KiB.
scenario_cli_hundred_cycles() {
	cokernel_vm --timeout 1500 "${CLI_ADDS[@]}" -- '
echo 1000 > /sys/module/cove/parameters/hang_ms
back_now() {	# check_back without its settling second: 100 of those add up
	echo "BACK memfree $BASE_MEM $(memfree) cpus $BASE_CPUS $(cat /sys/devices/system/cpu/online)"
}
set -- wild_write layer_write triple_fault reset apic_base vmrun nmi_foreign chan_scribble \
	lc_flood doorbell_storm hang
for i in $(seq 1 100); do
	if [ $((i % 9)) = 1 ] && [ $# -gt 0 ]; then
		id=$(cove create --cpus 2-3 --mem 128M --image /data/cove.elf --protect require \
			--cmdline fault_inject=on_request) || echo "CREATE FAILED before $i"
		if [ "$1" = lc_flood ]; then
			sleep 3 | cove run $id -- /data/kfault $1 >/dev/null 2>&1
		else
			cove run $id -- /data/kfault $1 >/dev/null 2>&1
		fi
		echo "FAULT $1 $? $(cat /sys/kernel/cove/$id/state)"
		cove destroy $id || echo "DESTROY FAILED after $1"
		shift
	fi
	id=$(cove create --cpus 2-3 --mem 128M --image /data/cove.elf) || echo "CREATE FAILED $i"
	cove run $id -- /bin/busybox echo round $i || echo "RUN FAILED $i"
	cove destroy $id || echo "DESTROY FAILED $i"
	back_now
done
'
	expect_status 0
	expect_no_log "FAILED"
	expect_log "round 100"
	local k
	for k in wild_write layer_write triple_fault reset apic_base vmrun nmi_foreign \
		 chan_scribble lc_flood doorbell_storm; do
		expect_log "FAULT $k 1 failed"
	done
	expect_log "FAULT hang 1 hung"
	local bad drift
	bad=$(grep -a '^BACK memfree' "$LOG" | tr -d '\r' |
	      awk '{ if ($4 < $3 - 16384 || $6 != $7) n++ } END { print n + 0 }')
	[ "$(grep -ac '^BACK memfree' "$LOG")" = 100 ] || fail "expected 100 BACK lines"
	[ "$bad" = 0 ] || fail "$bad cycles did not give every core and byte back"
	local early late
	early=$(back_median 6 50)
	late=$(back_median 51 100)
	drift=$(( ${early:-0} - ${late:-0} ))
	[ -n "$early" ] && [ -n "$late" ] && [ "$drift" -le 1024 ] ||
		fail "free memory's median drifted down ${drift} KiB from cycles 6-50 to 51-100"
}

# Two enclaves at once, each with its own core and memory; one grows by a
# core and memory while it runs, gives the memory back, and still runs jobs.
scenario_cli_two_enclaves_and_growth() {
	cokernel_vm --timeout 400 "${CLI_ADDS[@]}" -- '
a=$(cove create --cpus 2 --mem 256M --image /data/cove.elf)
b=$(cove create --cpus 3 --mem 256M --image /data/cove.elf)
cove status
cove run $a -- /bin/busybox echo in enclave $a; echo "RC a $?"
cove run $b -- /bin/busybox echo in enclave $b; echo "RC b $?"
cove destroy $b
cove add $a --cpus 3 --mem 128M; echo "RC add $?"
cove run $a -- /data/cg; echo "RC cg $?"
cove remove $a --mem 128M; echo "RC remove $?"
cove status $a
cove run $a -- /data/cg; echo "RC cg after remove $?"
cove console $a | grep -E "online, APIC|partition: (added|removed)|unguarded|as its guest"
cove destroy $a
check_back
'
	expect_status 0
	expect_log "in enclave 1"
	expect_log "in enclave 2"
	expect_log "RC a 0"
	expect_log "RC b 0"
	expect_log "RC add 0"
	expect_log "cg threads=2"
	expect_log "RC cg 0"
	# The core added at run time was started by the protection layer, as its guest.
	expect_log "smp: the protection layer started cpu1 (APIC id 3) as its guest"
	expect_log "cpu1: online, APIC id 3, guarded"
	expect_no_log "unguarded"
	expect_log_re "partition: added \\[.*\\] 131072 KiB; now 384 MiB"
	expect_log_re "partition: removed \\[.*\\] 131072 KiB; now 256 MiB"
	expect_log "RC remove 0"
	expect_log_re "^1 +ready +2-3 +256M"
	expect_log "RC cg after remove 0"
	expect_all_back
}

# A partition above 4 GiB (the module takes memory from the top): Cove's
# entry tables, direct map and the layer's nested tables all reach it.
scenario_cli_partition_above_4g() {
	cokernel_vm --mem 6G --append movablecore=2G --timeout 400 "${CLI_ADDS[@]}" -- '
id=$(cove create --cpus 2-3 --mem 512M --image /data/cove.elf)
cove status $id
cove run $id -- /data/cg; echo "RC cg $?"
cove add $id --mem 128M; echo "RC add $?"
cove remove $id --mem 128M; echo "RC remove $?"
cove console $id | grep -E "^partition|guarded by"
cove destroy $id
check_back
'
	expect_status 0
	expect_log_re "^1 +ready +2-3 +512M \\(0x1[0-9a-f]{8}-"
	expect_log "RC cg 0"
	expect_log "RC add 0"
	expect_log "RC remove 0"
	expect_log "vmm: the kernel runs guarded by AMD SVM with nested paging"
	expect_log_re "partition: removed \\[0x0001[0-9a-f]{8}-"
	expect_all_back
}

# Misuse of the CLI: one clear message and a non-zero status each, and
# Linux keeps every core and byte.
scenario_cli_misuse() {
	cokernel_vm "${CLI_ADDS[@]}" -- '
cove create --cpus 0 --mem 256M --image /data/cove.elf; echo "RC cpu0 $?"
cove create --cpus 2 --mem 64G --image /data/cove.elf; echo "RC toomuch $?"
cove create --cpus 2 --mem 256M --image /data/cg; echo "RC notcove $?"
cove create --cpus 2 --mem 256M --image /nonexistent; echo "RC noimage $?"
cove create --cpus x --mem 256M; echo "RC badlist $?"
cove create --frobnicate; echo "RC badflag $?"
cove run 7 -- /bin/true; echo "RC noenclave $?"
cove destroy 7; echo "RC destroy7 $?"
cove status; echo "RC status $?"
check_back
'
	expect_status 0
	expect_log_re "RC cpu0 [12]"
	expect_log "RC toomuch 1"
	expect_log "is not a Cove image"
	expect_log "RC notcove 1"
	expect_log "RC noimage 1"
	expect_log "RC badlist 2"
	expect_log "RC badflag 2"
	expect_log "no enclave 7"
	expect_log "RC noenclave 1"
	expect_log "RC destroy7 1"
	expect_log "no enclaves"
	expect_log "RC status 0"
	expect_all_back
}

# Jobs run by ordinary users. Root creates an enclave owned by alice (as a
# batch system's prolog would): alice runs jobs there, and the files they
# write on the host are hers; bob is told it is alice's; alice may list and
# read the console, but not destroy, grow, shrink, restart, hand on or
# create (one line each). Handed to group hpc, carol (a member) may use it
# and alice no longer; handed to bob, bob may. Root still does everything,
# its jobs with root's rights; a restart keeps the owner; an enclave made
# through the ABI 1 struct (an older CLI) has no owner, so is root's only.
scenario_cli_ordinary_user() {
	cokernel_vm --timeout 500 "${CLI_ADDS[@]}" -- '
printf "%s\n" root:x:0:0:root:/root:/bin/sh alice:x:1000:1000::/tmp/alice:/bin/sh \
	bob:x:1001:1001::/tmp/bob:/bin/sh carol:x:1002:1002::/tmp/carol:/bin/sh >> /etc/passwd
printf "%s\n" root:x:0: alice:x:1000: bob:x:1001: carol:x:1002: hpc:x:2000:carol >> /etc/group
for u in alice bob carol; do mkdir -p /tmp/$u; chown $u:$u /tmp/$u; done
as() { u=$1; shift; su -s /bin/sh $u -c "cd /tmp/$u && $*" 2>&1 | sed "s/^/$(echo $u | tr a-z A-Z) /"; }
ls -l /dev/cove
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf --owner alice); echo "CREATED $id"
echo "SYSFS OWNER $(cat /sys/kernel/cove/$id/owner)"
as alice "echo from alice | cove run $id -- /bin/busybox tee out.txt; echo RC run \$?"
echo "FILE alice $(ls -ln /tmp/alice/out.txt | awk "{ print \$3, \$4 }") $(cat /tmp/alice/out.txt)"
as alice "cove status; echo RC status \$?"
as alice "cove status $id --json; echo RC json \$?"
as alice "cove console $id | grep -c \"ready for jobs\"; echo RC console \$?"
as bob "cove run $id -- /bin/busybox echo bob got in; echo RC run \$?"
as bob "cove console $id; echo RC console \$?"
as bob "cove status $id | sed -n 2p"
as alice "cove destroy $id; echo RC destroy \$?"
as alice "cove add $id --mem 128M; echo RC add \$?"
as alice "cove remove $id --mem 128M; echo RC remove \$?"
as alice "cove restart $id; echo RC restart \$?"
as alice "cove chown $id bob; echo RC chown \$?"
as alice "cove create --cpus 1 --mem 128M --image /data/cove.elf; echo RC create \$?"
cove chown $id :hpc; echo "RC chown hpc $?"
as carol "echo from carol | cove run $id -- /bin/busybox tee out.txt; echo RC run \$?"
echo "FILE carol $(ls -ln /tmp/carol/out.txt | awk "{ print \$3, \$4 }") $(cat /tmp/carol/out.txt)"
as alice "cove run $id -- /bin/busybox echo alice got in; echo RC run2 \$?"
mkfifo -m 666 /tmp/carol/in
as carol "cove run $id -- /bin/busybox sh -c \"echo up > started.txt; read x; echo carol late\" < in; echo RC revoked \$?" &
exec 3> /tmp/carol/in
n=0; while [ ! -s /tmp/carol/started.txt ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
cove chown $id bob; echo "RC chown bob $?"
echo go >&3; exec 3>&-
wait
n=0; until cove status $id --json | grep -q "\"jobs_running\": 0" || [ $n -ge 200 ]; do sleep 0.1; n=$((n + 1)); done
as bob "echo from bob | cove run $id -- /bin/busybox tee out.txt; echo RC run2 \$?"
echo "FILE bob $(ls -ln /tmp/bob/out.txt | awk "{ print \$3, \$4 }") $(cat /tmp/bob/out.txt)"
as bob "cove status; echo RC status \$?"
cd /tmp/bob && echo from root | cove run $id -- /bin/busybox tee root.txt; echo "RC root run $?"
echo "FILE root $(ls -ln /tmp/bob/root.txt | awk "{ print \$3, \$4 }")"
cd /
cove console $id > /dev/null; echo "RC root console $?"
cove status $id | sed -n 2p | sed "s/^/ROOT STATUS /"
cove add $id --mem 128M; echo "RC root add $?"
cove remove $id --mem 128M; echo "RC root remove $?"
cove restart $id; echo "RC root restart $?"
echo "SYSFS OWNER restarted $(cat /sys/kernel/cove/$id/owner)"
as bob "cove run $id -- /bin/busybox echo bob after restart; echo RC run3 \$?"
/data/covectl create -1 -c 1 -m 128M -i /data/cove.elf
/data/covectl status 2 -1 | grep tail
/data/covectl status 2 | grep "^owner"
as bob "cove run 2 -- /bin/busybox echo bob in 2; echo RC run4 \$?"
cove chown --none $id; echo "RC chown none $?"
as bob "cove run $id -- /bin/busybox echo bob again; echo RC run5 \$?"
cove status | sed "s/^/ROOT LIST /"
cove destroy 2; cove destroy $id; echo "RC root destroy $?"
check_back
'
	expect_status 0
	expect_log_re "^crw-rw-rw- .* /dev/cove"
	expect_log "CREATED 1"
	expect_log "SYSFS OWNER 1000 -"
	# alice: her job, her files; the list and the console, not the addresses.
	expect_log "ALICE RC run 0"
	expect_log "FILE alice 1000 1000 from alice"
	expect_log_re "^ALICE 1 +ready +2-3 +256M +svm +0 +[0-9]+ +alice"
	expect_log "ALICE RC status 0"
	expect_log_re '^ALICE .*"memory": \[\{"base": null, "size": 268435456\}\].*"owner": "alice", "owner_uid": 1000, "owner_gid": null.*"redacted": true'
	expect_log "ALICE RC json 0"
	expect_log_re "^ALICE [1-9][[:space:]]*$"
	expect_log "ALICE RC console 0"
	# bob: one clear line and status 1; the module says who was refused.
	expect_log "BOB cove run: enclave 1 belongs to alice; you are bob"
	expect_no_log "bob got in"
	expect_log "BOB RC run 1"
	expect_log "BOB cove console: enclave 1 belongs to alice; you are bob"
	expect_log "BOB RC console 1"
	expect_log_re "^BOB 1 +ready +2-3 +256M +svm .* alice"
	expect_log "cove 1: launch refused to uid 1001: it belongs to uid 1000 gid -1"
	expect_log "cove 1: console refused to uid 1001: it belongs to uid 1000 gid -1"
	# The owner does not get root's verbs: one line each.
	expect_log "ALICE cove destroy: only root may destroy an enclave; you are alice"
	expect_log "ALICE RC destroy 1"
	expect_log "ALICE cove add: only root may give an enclave CPUs or memory; you are alice"
	expect_log "ALICE RC add 1"
	expect_log "ALICE cove remove: only root may take memory back from an enclave; you are alice"
	expect_log "ALICE RC remove 1"
	expect_log "ALICE cove restart: only root may restart an enclave; you are alice"
	expect_log "ALICE RC restart 1"
	expect_log "ALICE cove chown: only root may change an enclave's owner; you are alice"
	expect_log "ALICE RC chown 1"
	expect_log "ALICE cove create: only root may create an enclave; you are alice"
	expect_log "ALICE RC create 1"
	expect_log "cove 1: destroy refused to uid 1000: root only"
	expect_log "cove: create refused to uid 1000: root only"
	# A group: its member may, alice no longer.
	expect_log "RC chown hpc 0"
	expect_log "cove 1: now belongs to uid -1 gid 2000"
	expect_log "CAROL RC run 0"
	expect_log "FILE carol 1002 1002 from carol"
	expect_log "ALICE cove run: enclave 1 belongs to group hpc; you are alice"
	expect_log "ALICE RC run2 1"
	expect_no_log "alice got in"
	# Handed to bob, at once: carol's cove run, serving a job that waits for
	# its input, loses the enclave as soon as the input comes.
	expect_log "RC chown bob 0"
	expect_log "CAROL cove run: enclave 1 belongs to bob; you are carol"
	expect_log "CAROL RC revoked 1"
	expect_log "cove 1: long-call reply refused to uid 1002: it belongs to uid 1001 gid -1"
	expect_no_log "carol late"
	expect_log "BOB RC run2 0"
	expect_log "FILE bob 1001 1001 from bob"
	expect_log_re "^BOB 1 +ready +2-3 +256M +svm +0 +[0-9]+ +bob"
	expect_log "BOB RC status 0"
	# Root: everything, its job as root (the caller), addresses in its status.
	expect_log "RC root run 0"
	expect_log "FILE root 0 0"
	expect_log "RC root console 0"
	expect_log_re "^ROOT STATUS 1 +ready +2-3 +256M \\(0x[0-9a-f]+-0x[0-9a-f]+\\) .* bob"
	expect_log "RC root add 0"
	expect_log "RC root remove 0"
	expect_log "RC root restart 0"
	expect_log "SYSFS OWNER restarted 1001 -"
	expect_log "bob after restart"
	expect_log "BOB RC run3 0"
	# The ABI 1 struct: accepted, nothing written past it, no owner.
	expect_log "id 2"
	expect_log "tail untouched"
	expect_log "owner flags 0 uid 0 gid 0"
	expect_log "BOB cove run: enclave 2 has no owner: only root may use it; you are bob"
	expect_log "BOB RC run4 1"
	expect_log "RC chown none 0"
	expect_log "BOB cove run: enclave 1 has no owner: only root may use it; you are bob"
	expect_log "BOB RC run5 1"
	expect_log_re "^ROOT LIST 1 +ready .* -[[:space:]]*$"
	expect_log "RC root destroy 0"
	expect_all_back
}

# The module's dkms.conf, run through dkms itself (no VM): the tree
# scripts/dkms-tree.sh lays out builds against the guest kernel's headers.
scenario_dkms_build() {
	local tmp rel
	tmp="$(realpath -m "$BUILD/test/dkms")"	# dkms links to it: absolute
	rel="$(printf '%s\n' /boot/vmlinuz-* | sort -V | tail -n 1 | sed 's|.*/vmlinuz-||')"
	rm -rf "$tmp"
	mkdir -p "$tmp/tree"
	{
		scripts/dkms-tree.sh "$tmp/src/cove-1" &&
		dkms --dkmstree "$tmp/tree" --sourcetree "$tmp/src" add -m cove -v 1 &&
		dkms --dkmstree "$tmp/tree" --sourcetree "$tmp/src" build -m cove -v 1 -k "$rel"
		echo "DKMS rc $?"
		ko="$(find "$tmp/tree/cove/1/$rel" -name 'cove.ko*' | head -n 1)"
		echo "VERMAGIC $(modinfo -F vermagic "$ko" 2>&1)"
		[ -n "$ko" ] || cat "$tmp/tree/cove/1/build/make.log"
	} >"$LOG" 2>&1
	expect_log "DKMS rc 0"
	expect_log "VERMAGIC $rel "
}

# Guest instructions from `cove create` to a ready enclave and from `cove
# run` to the job's first instruction, counted by the TCG plugin
# test/bench/insn_plugin.c (README "Benchmarks"): the best of three rounds
# of each must stay under 50 ms-equivalent, 50 million instructions summed
# over all vCPUs, busy-waits left out (they last host time: with the host
# busy they swung one round from 7 to 18 million). A job must get more than
# 99% of its 512 MiB partition.
# The table is left in $LOG.table.
scenario_insn_counts() {
	# shellcheck source=test/bench/insn_counts.sh
	. test/bench/insn_counts.sh
	insn_counts_vm
	expect_status 0
	[ "$(grep -ac '^RC job 0' "$LOG")" = 3 ] || fail "not 3 jobs ran to the end"
	expect_log "RC biggest 0"
	expect_log_re '"memory_total": 536870912,'
	expect_log "RC destroy 0"
	expect_all_back
	insn_counts_report >"$LOG.table"
	local what n
	for what in "create $INSN_CREATE" "run $INSN_RUN"; do
		read -r what n <<<"$what"
		if [ -z "$n" ] || [ "$n" -le 0 ]; then
			fail "no instruction count for cove $what"
		elif [ "$n" -gt 50000000 ]; then
			fail "cove $what took $n instructions, over 50 ms-equivalent (see $LOG.table)"
		fi
	done
	[ "${INSN_SHARE:-0}" -gt 9900 ] ||
		fail "a job gets ${INSN_SHARE:-no} basis points of its partition, not over 99%"
}

# Syscall offload: a job's calls that Cove does not serve itself are made
# by its `cove run` on the host, with the job's memory mirrored at the same
# addresses. The probe (user/offload_probe.c) lists a host directory, makes
# and renames files there, uses a host pipe between two threads, and serves
# a TCP echo that a host process talks to; busybox lists a host directory.
# user/discard.c: bytes the proxy wrote into job memory (a host file's) are
# zeroed by MADV_DONTNEED like any others (the module marks the page dirty).
scenario_apps_offload() {
	cokernel_vm --timeout 400 "${CLI_ADDS[@]}" \
		--add "$BUILD/user/glibc/offload_probe:/data/offload_probe" \
		--add "$BUILD/user/musl/offload_probe:/data/offload_probe_musl" \
		--add "$BUILD/user/glibc/sigtest:/data/sigtest" \
		--add "$BUILD/user/glibc/discard:/data/discard" \
		--add "$BUILD/user/glibc/mapshared:/data/mapshared" \
		--add "$BUILD/user/musl/mapshared:/data/mapshared_musl" \
		--add "$BUILD/user/glibc/fsnames:/data/fsnames" \
		--add "$BUILD/user/musl/perftest:/data/perftest" -- '
ifconfig lo 127.0.0.1 up
mkdir -p /tmp/o1 /tmp/o2 /tmp/list && cd /tmp
for f in zeta alpha mid; do echo $f > /tmp/list/$f; done
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf); echo "CREATED $id"
echo "HOST uname $(uname -s) $(uname -n)"
cove run $id -- /data/offload_probe /tmp/o1 7777 > /tmp/probe.out 2>&1 &
probe=$!
for i in $(seq 1 100); do grep -q "offload: listening" /tmp/probe.out && break; sleep 0.2; done
echo "hello over tcp" | nc 127.0.0.1 7777 | sed "s/^/HOST GOT /"
wait $probe; echo "RC probe $?"
sed "s/^/GLIBC /" /tmp/probe.out
cove run $id -- /data/offload_probe_musl /tmp/o2 > /tmp/musl.out 2>&1; echo "RC musl $?"
sed "s/^/MUSL /" /tmp/musl.out
echo "HOST LS $(ls /tmp/o1 | tr "\n" " ")"
cove run $id -- /bin/busybox ls /tmp/list | tr "\n" " " | sed "s/^/JOB LS /"; echo
cove run $id -- /data/sigtest > /tmp/sig.out 2>&1; echo "RC sigtest $?"; tail -n 3 /tmp/sig.out
cove run $id -- /data/sigtest segv-default; echo "RC segv $?"
# Bytes the host proxy reads from a host file into never-written memory.
cove run $id -- /data/discard /data/discard > /tmp/discard.out 2>&1; echo "RC discard $?"
sed "s/^/DISCARD /" /tmp/discard.out
# Counters are the enclave'"'"'s descriptors among the host'"'"'s numbers.
cove run $id -- /data/perftest > /tmp/perf.out 2>&1; echo "RC perftest $?"
sed "s/^/PERF /" /tmp/perf.out
# Shared writable mappings of host files: written back, line for line as on Linux.
for m in mapshared mapshared_musl; do
	mkdir -p /tmp/$m.host /tmp/$m.job
	/data/$m /tmp/$m.host > /tmp/$m.host.out 2>&1; echo "RC host $m $?"
	cove run $id -- /data/$m /tmp/$m.job > /tmp/$m.job.out 2>&1; echo "RC job $m $?"
	sed "s/^/JOB $m /" /tmp/$m.job.out; cmp /tmp/$m.host.out /tmp/$m.job.out && echo "SAME $m"
done
# Names on the host go there whole; one on the host and one in /dev/shm is EXDEV.
mkdir -p /tmp/fsn.host /tmp/fsn.job
/data/fsnames /tmp/fsn.host > /tmp/fsn.host.out 2>&1; echo "RC host fsnames $?"
cove run $id -- /data/fsnames /tmp/fsn.job > /tmp/fsn.job.out 2>&1; echo "RC job fsnames $?"
sed "s/^/JOB fsnames /" /tmp/fsn.job.out; cmp /tmp/fsn.host.out /tmp/fsn.job.out && echo "SAME fsnames"
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	expect_log "RC discard 0"
	expect_log "DISCARD discard: file ok"
	expect_log "DISCARD discard: ok 7 checks"
	expect_log "RC perftest 0"
	expect_log "PERF perftest: ok 7 checks"
	local m
	for m in mapshared mapshared_musl; do
		expect_log "RC host $m 0"
		expect_log "RC job $m 0"
		expect_log "JOB $m mapshared: ok 6 checks"
		expect_log "SAME $m"
	done
	expect_log "RC job fsnames 0"
	expect_log "JOB fsnames fsnames: ok 4 checks"
	expect_log "SAME fsnames"
	expect_log "RC probe 0"
	expect_log "RC musl 0"
	local host_uname
	host_uname=$(grep -a -m1 "^HOST uname " "$LOG" | tr -d '\r' | cut -d" " -f3-)
	[ -n "$host_uname" ] || fail "the host did not print its uname"
	local lib
	for lib in GLIBC MUSL; do
		expect_log "$lib offload: uname ok $host_uname"
		expect_log "$lib offload: ids uid 0 euid 0 gid 0"
		expect_log "$lib offload: listing b.txt link sub"
		expect_log "$lib offload: rename ok"
		expect_log "$lib offload: nonblock ok"
		expect_log "$lib offload: eintr ok"
		expect_log "$lib offload: restart ok"
		expect_log "$lib offload: pipe ok 'through a host pipe'"
		expect_log "$lib offload: badfd ok"
		expect_log "$lib offload: readonly ok EFAULT into read-only, inaccessible and code pages"
		expect_log "$lib offload: fdspace ok enclave 1 host 1"
		expect_log "$lib offload: proccpus ok 2"
		expect_log "$lib offload: hostread ok"
		expect_log "$lib offload: procfd ok lists both kinds"
		expect_log_re "$lib offload: fdlink ok /tmp/o[12]/b.txt"
		expect_log "$lib offload: dup2host ok"
		expect_log "$lib offload: all ok"
	done
	expect_log "GLIBC offload: echo ok 15 bytes"
	expect_log "HOST GOT HELLO OVER TCP"
	expect_log "HOST LS b.txt"
	expect_log "JOB LS alpha mid zeta"
	# Signal handlers (SA_SIGINFO, si_addr, timers, alternate stacks ...) in a
	# job whose other calls go to the host; and a default action's status.
	expect_log_re "sigtest: ok [0-9]+ checks"
	expect_log "RC sigtest 0"
	expect_log "RC segv 139"
	expect_log "RC destroy 0"
	expect_all_back
}

# Debian's own dynamically linked programs, unmodified, in an enclave, run
# by an ordinary user (hpc, who owns the enclave): the interpreter from the
# host, its libraries opened and mapped through offload, each output
# compared with the same command run by Linux as the same user. Then the
# tools of test/cokernel/tools/cmds.txt, each line run by Linux and as a
# job (both in a directory $W of their own): bash and perl scripts, make
# -j2, xargs -P, tar with gzip, bc, timeout, xz and zstd with two threads
# (blocks of 64 KiB), SQLite in WAL mode (a shared mapping of its index),
# flock, split, and /bin/sh, a link to busybox run by that name. Then the
# bad inputs: a missing interpreter, a missing library, a 32-bit library,
# each one clear message and a non-zero status, the enclave still serving.
APPS_BINS=(/usr/bin/ls /usr/bin/sort /usr/bin/sha256sum /usr/bin/du /usr/bin/find /usr/bin/mawk
	   /usr/bin/grep /usr/bin/tar /usr/bin/gzip /usr/bin/id
	   /usr/bin/bash /usr/bin/perl /usr/bin/make /usr/bin/xargs /usr/bin/bc /usr/bin/timeout
	   /usr/bin/sleep /usr/bin/nproc /usr/bin/xz /usr/bin/zstd /usr/bin/sqlite3 /usr/bin/flock
	   /usr/bin/split /usr/bin/md5sum /usr/bin/echo)
APPS_TOOLS=$(sed -n 's/|.*//p' test/cokernel/tools/cmds.txt)
scenario_apps_debian_binaries() {
	local adds=()
	mapfile -t adds < <(debian_adds "${APPS_BINS[@]}")
	cokernel_vm --timeout 600 "${CLI_ADDS[@]}" "${adds[@]}" \
		--add "$BUILD/user/dynamic/glibc/dlopen_test:/data/dlopen_test" \
		--add "$BUILD/user/dynamic/lib/libcovetest.so:/lib/cove/libcovetest.so" \
		--add "$BUILD/user/dynamic/bad/no-interp:/data/bad/no-interp" \
		--add "$BUILD/user/dynamic/bad/missing-lib:/data/bad/missing-lib" \
		--add "$BUILD/user/dynamic/bad/badarch-lib:/data/bad/badarch-lib" \
		--add "$BUILD/user/dynamic/lib/libcovebadarch.so:/lib/cove/libcovebadarch.so" \
		--add "test/cokernel/tools:/data/tools" -- '
echo "hpc:x:1000:1000::/tmp:/bin/sh" >> /etc/passwd; echo "hpc:x:1000:" >> /etc/group
mkdir -p /tmp/tree/a/b /tmp/tree/c && cd /tmp/tree
for i in 3 1 2; do seq $i 7 60 > a/n$i.txt; done
printf "pear\napple\nfig\napple\n" > c/fruit.txt
echo nested > a/b/deep.txt
ln -s a/n1.txt link
touch -d "2020-01-02 03:04:05" a/n1.txt a/n2.txt a/n3.txt c/fruit.txt a/b/deep.txt a/b a c .
chown -R 1000:1000 /tmp/tree
mkdir -p /tmp/w && chown 1000:1000 /tmp/w
id=$(cove create --cpus 2-3 --mem 512M --owner hpc --image /data/cove.elf); echo "CREATED $id"
cat > /tmp/apps.sh <<"APPS"
cd /tmp/tree
compare() {	# compare NAME CMD...: the same command by Linux and by an enclave job
	name=$1; shift
	"$@" > /tmp/w/host.$name 2>&1; hrc=$?
	cove run 1 -- "$@" > /tmp/w/job.$name 2>&1; jrc=$?
	if cmp -s /tmp/w/host.$name /tmp/w/job.$name && [ $hrc = $jrc ]; then
		echo "SAME $name rc $jrc lines $(wc -l < /tmp/w/job.$name)"
	else
		echo "DIFF $name host rc $hrc job rc $jrc"; diff /tmp/w/host.$name /tmp/w/job.$name | head -20
	fi
}
compare id /usr/bin/id
compare ls /usr/bin/ls -l --time-style=long-iso a c
compare lsR /usr/bin/ls -R /tmp/tree
compare sort /usr/bin/sort -n a/n1.txt a/n2.txt a/n3.txt
compare sortu /usr/bin/sort -u c/fruit.txt
compare sha /usr/bin/sha256sum a/n1.txt c/fruit.txt a/b/deep.txt
compare du /usr/bin/du -a --apparent-size /tmp/tree
compare find /usr/bin/find /tmp/tree -name "*.txt"
compare findall /usr/bin/find . -type f
compare awk /usr/bin/mawk "{ s += \$1 } END { print s, NR }" a/n2.txt
compare grep /usr/bin/grep -rn apple c
compare grepmiss /usr/bin/grep -q nothing c/fruit.txt
compare gzipc /usr/bin/gzip -c c/fruit.txt
compare shadow /usr/bin/sha256sum /etc/shadow /root
while IFS="|" read -r name cmd; do
	export W=/tmp/w/h.$name; mkdir -p $W; eval "$cmd" > /tmp/w/host.$name 2>&1; hrc=$?
	export W=/tmp/w/j.$name; mkdir -p $W
	eval "cove run 1 -- $cmd" > /tmp/w/job.$name 2>&1 < /dev/null; jrc=$?
	if cmp -s /tmp/w/host.$name /tmp/w/job.$name && [ $hrc = $jrc ]; then
		echo "SAME $name rc $jrc lines $(wc -l < /tmp/w/job.$name)"
	else
		echo "DIFF $name host rc $hrc job rc $jrc"; diff /tmp/w/host.$name /tmp/w/job.$name | head -20
	fi
done < /data/tools/cmds.txt
cove run 1 -- /usr/bin/tar cf /tmp/w/job.tar a c; echo "RC tar c $?"
mkdir -p /tmp/w/untar && cd /tmp/w/untar && cove run 1 -- /usr/bin/tar xf /tmp/w/job.tar; echo "RC tar x $?"
diff -r /tmp/tree/a a && diff -r /tmp/tree/c c && echo "SAME untar"
ls -ln /tmp/w/job.tar | awk "{ print \"TAR OWNER\", \$3, \$4 }"
cd /tmp/tree
cove run 1 -- /data/dlopen_test > /tmp/w/dl.out 2>&1; echo "RC dlopen $?"; sed "s/^/DL /" /tmp/w/dl.out
cove run 1 -- /usr/bin/ls /no/such/dir; echo "RC lsmissing $?"
cove run 1 -- /data/bad/no-interp; echo "RC nointerp $?"
cove run 1 -- /data/bad/missing-lib; echo "RC missinglib $?"
cove run 1 -- /data/bad/badarch-lib; echo "RC badarch $?"
cove run 1 -- /usr/bin/ls -d /tmp; echo "RC after $?"
APPS
echo "secret" > /etc/shadow; chmod 600 /etc/shadow
su hpc -s /bin/sh -c "sh /tmp/apps.sh"
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	local name
	for name in id ls lsR sort sortu sha du find findall awk grep grepmiss gzipc shadow \
		    $APPS_TOOLS; do
		expect_log_re "^SAME $name rc"
	done
	expect_log "SAME timeout rc 124 lines 0"
	expect_log "SAME sqlite rc 0 lines 2"
	expect_log "SAME id rc 0 lines 1"
	expect_log "SAME shadow rc 1 lines 2"
	expect_log "RC tar c 0"
	expect_log "RC tar x 0"
	expect_log "SAME untar"
	expect_log "TAR OWNER 1000 1000"
	expect_log "RC dlopen 0"
	expect_log_re "^DL .*ok"
	expect_log_re "ls: cannot access '/no/such/dir': No such file or directory"
	expect_log "RC lsmissing 2"
	expect_log_re "/data/bad/no-interp: interpreter /lib/ld-cove-missing.so.2: no such file on the host"
	expect_log "RC nointerp 127"
	expect_log_re "missing-lib: error while loading shared libraries: libcovemissing.so: cannot open shared object file"
	expect_log "RC missinglib 127"
	expect_log_re "badarch-lib: error while loading shared libraries: libcovebadarch.so: wrong ELF class: ELFCLASS32"
	expect_log "RC badarch 127"
	expect_log "RC after 0"
	expect_log "RC destroy 0"
	expect_all_back
}

# Processes in a job with a host proxy: each forked process gets a proxy
# of its own, forked on the host from its parent's (so host descriptors,
# cwd, umask and ids are inherited as Linux does), exec closes the host's
# close-on-exec descriptors, and every proxy ends with its process. As an
# ordinary user (hpc): busybox sh scripts (test/cokernel/proxy_sh.lines:
# pipelines, $(...), & and wait, xargs, redirections to host files, a
# subshell writing to an inherited host descriptor, umask, Debian's
# dynamic sort and sha256sum exec'd from a forked shell, exit codes),
# each compared byte for byte with Linux running the same line; forkexec
# (fork, vfork, posix_spawn, execve, waitpid, pipes, an O_CLOEXEC host
# file gone after exec, an inherited host file) with both C libraries; a
# fork flood stopped at the module's fork_max with EAGAIN; Ctrl-C to the
# process group and SIGKILL of `cove run` ending every process and proxy,
# the cores free for the next job.
scenario_apps_processes() {
	local adds=()
	mapfile -t adds < <(debian_adds /usr/bin/sort /usr/bin/sha256sum)
	cokernel_vm --timeout 900 "${CLI_ADDS[@]}" "${adds[@]}" \
		--add "test/cokernel/proxy_sh.lines:/data/proxy_sh.lines" \
		--add "test/abi/forkexec.jobs:/tests/forkexec.jobs" \
		--add "$BUILD/user/glibc/forkexec:/data/forkexec" \
		--add "$BUILD/user/musl/forkexec:/data/forkexec_musl" -- '
echo "hpc:x:1000:1000::/tmp:/bin/sh" >> /etc/passwd; echo "hpc:x:1000:" >> /etc/group
mkdir -p /tmp/w/tree/a /tmp/w/tree/b && cd /tmp/w
printf "pear\napple\nfig\n" > fruit.txt
for i in 1 2 3; do seq $i 9 > tree/a/n$i; done; echo deep > tree/b/deep
chown -R 1000:1000 /tmp/w; chmod 1777 /tmp
id=$(cove create --cpus 2-3 --mem 512M --owner hpc --image /data/cove.elf); echo "CREATED $id"
cat > /tmp/procs.sh <<"PROCS"
cd /tmp/w
n=0
grep -v "^#" /data/proxy_sh.lines | while IFS= read -r line; do
	n=$((n + 1))
	/bin/busybox sh -c "$line" > host.$n 2>&1 < /dev/null; hrc=$?
	cove run 1 --heap 16M --stack 1M -- /bin/busybox sh -c "$line" > job.$n 2>&1 < /dev/null
	jrc=$?
	if cmp -s host.$n job.$n && [ $hrc = $jrc ]; then
		echo "SAME sh$n rc $jrc lines $(wc -l < job.$n)"
	else
		echo "DIFF sh$n host rc $hrc job rc $jrc: $line"; diff host.$n job.$n | head -20
	fi
done
cove run 1 --heap 16M --stack 1M -- /data/forkexec < /dev/null > fe.out 2>&1; echo "RC forkexec $?"
sed "s/^/GLIBC /" fe.out
cove run 1 --heap 16M --stack 1M -- /data/forkexec_musl < /dev/null > fe.out 2>&1; echo "RC musl $?"
sed "s/^/MUSL /" fe.out
proxies() { ps -o args | grep -c "^[c]ove run 1 --heap 16M --stack 1M -- /bin/busybox sh -c sleep"; }
setsid cove run 1 --heap 16M --stack 1M -- /bin/busybox sh -c "sleep 60 | cat" < /dev/null &
pid=$!
for i in $(seq 1 60); do [ "$(proxies)" = 3 ] && break; sleep 0.5; done
echo "PROXIES running $(proxies)"
cove status 1 --json | grep -o "\"jobs_running\": *[0-9]*" | sed "s/^/DURING /"
t0=$(date +%s); kill -INT -$pid; wait $pid; echo "RC interrupt $?"; t1=$(date +%s)
cove run 1 --heap 16M --stack 1M -- /bin/busybox sh -c "sleep 60 | cat" < /dev/null & pid=$!
for i in $(seq 1 60); do [ "$(proxies)" = 3 ] && break; sleep 0.5; done
echo "PROXIES before kill $(proxies)"
t2=$(date +%s); kill -KILL $pid; wait $pid; echo "RC kill $?"
for i in $(seq 1 20); do [ "$(proxies)" = 0 ] && break; sleep 0.5; done
echo "PROXIES left $(proxies)"
cove run 1 -- /bin/busybox echo the next job runs; echo "RC next $?"
echo "ELAPSED $(( t1 - t0 + $(date +%s) - t2 ))"
PROCS
cat > /tmp/flood.sh <<"FLOOD"
cd /tmp/w
cove run 1 --heap 8M --stack 1M -- /data/forkexec flood 50 < /dev/null; echo "RC flood $?"
FLOOD
su hpc -s /bin/sh -c "sh /tmp/procs.sh"
echo 4 > /sys/module/cove/parameters/fork_max
su hpc -s /bin/sh -c "sh /tmp/flood.sh"
echo 64 > /sys/module/cove/parameters/fork_max
cove status $id --json | grep -o "\"jobs_running\": *[0-9]*"
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	local n total
	total=$(grep -vc '^#' test/cokernel/proxy_sh.lines)
	for ((n = 1; n <= total; n++)); do
		expect_log_re "^SAME sh$n rc"
	done
	expect_log_re "^SAME sh$total rc 3 lines 1"
	expect_log "RC forkexec 0"
	expect_log "GLIBC forkexec: ok 22 checks"
	expect_log "GLIBC forkexec: cloexec ok"
	expect_log "GLIBC forkexec: inherited-fd ok"
	expect_log "RC musl 0"
	expect_log "MUSL forkexec: ok 22 checks"
	expect_log "forkexec: flood 4 children, then EAGAIN"
	expect_log "forkexec: flood ok"
	expect_log "cove run: a fork was refused: the job has as many processes with a proxy of their own as the cove module allows (its parameter fork_max)"
	[ "$(grep -ac 'cove run: a fork was refused' "$LOG")" = 1 ] || fail "the refusal was not said once"
	expect_log "RC flood 0"
	expect_log_re "cove 1: job [0-9]+ already has 4 processes with a proxy of their own \\(fork_max\\); fork refused \\(EAGAIN\\)"
	expect_log "PROXIES running 3"
	expect_log_re 'DURING "jobs_running": *1[^0-9]*$'
	expect_log "RC interrupt 130"
	expect_log "PROXIES before kill 3"
	expect_log "RC kill 137"
	expect_log "PROXIES left 0"
	expect_log "the next job runs"
	expect_log "RC next 0"
	expect_log_re '"jobs_running": *0'
	local elapsed
	elapsed=$(grep -a -m1 "^ELAPSED " "$LOG" | tr -d '\r' | cut -d" " -f2)
	[ -n "$elapsed" ] && [ "$elapsed" -lt 40 ] ||
		fail "the interrupted and killed jobs did not end at once (${elapsed:-?} s)"
	expect_log "RC destroy 0"
	expect_all_back
}

# The ranks of one `cove run -n 2` are processes of their own, each served
# by a proxy of its own (one mcexec per process, as McKernel). Both ranks
# write 2000 lines of their own text at once, one write(2) per line from
# the same address, to a file each and to one O_APPEND file: every byte is
# the rank's own (one proxy switching its one mirror between the ranks
# wrote one rank's calls from the other's memory: NULs, foreign lines).
# One rank's execve closes its own close-on-exec host file, not the
# other's. Signals still reach every rank once: SIGTERM to `cove run`, a
# Ctrl-C to its process group (each rank's proxy passes nothing on);
# SIGKILL of `cove run` ends both ranks and their proxies and frees both
# cores; `cove status` counts one job. With fewer proxies allowed per job
# (fork_max) than the ranks need, the job is refused at once, saying why.
scenario_apps_rank_proxies() {
	cokernel_vm --timeout 600 "${CLI_ADDS[@]}" \
		--add "$BUILD/user/glibc/rankio:/data/rankio" \
		--add "$BUILD/user/glibc/on_signal:/data/on_signal" -- '
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf); echo "CREATED $id"
for r in 0 1; do /data/rankio --expect $r 2000 > /tmp/exp.$r; done
sort /tmp/exp.0 /tmp/exp.1 > /tmp/exp.all
for round in 1 2; do
	rm -rf /tmp/rk && mkdir /tmp/rk
	cove run $id -n 2 -- /data/rankio /tmp/rk 2000 > /tmp/rk.out 2>&1 < /dev/null
	echo "RC ranks $round $?"
	sed "s/^/OUT$round /" /tmp/rk.out
	for r in 0 1; do cmp /tmp/exp.$r /tmp/rk/out.$r && echo "EXACT $round out.$r"; done
	sort /tmp/rk/shared > /tmp/got.all
	cmp /tmp/exp.all /tmp/got.all && echo "EXACT $round shared"
	echo "NULS $round $(cat /tmp/rk/out.0 /tmp/rk/out.1 /tmp/rk/shared | tr -dc "\000" | wc -c)"
	sed "s/^/KEPT$round /" /tmp/rk/cloexec.0
done
proxies() { ps -o args | grep -c "^[c]ove run $id -n 2 -- $1"; }
cove run $id -n 2 -- /bin/busybox sleep 60 < /dev/null & pid=$!
for i in $(seq 1 60); do [ "$(proxies /bin/busybox)" = 2 ] && break; sleep 0.5; done
echo "PROXIES running $(proxies /bin/busybox)"
cove status $id --json | grep -o "\"jobs_running\": *[0-9]*" | sed "s/^/DURING /"
t0=$(date +%s); kill -TERM $pid; wait $pid; echo "RC term $?"
echo "TERM took $(( $(date +%s) - t0 ))"
setsid cove run $id -n 2 -- /data/on_signal 2 > /tmp/onsig.out 2>&1 < /dev/null & pid=$!
for i in $(seq 1 60); do [ "$(grep -c ready /tmp/onsig.out)" = 2 ] && break; sleep 0.5; done
kill -INT -$pid; sleep 3
echo "AFTER ONE INT $(grep -c done /tmp/onsig.out) done"
kill -USR1 $pid; wait $pid; echo "RC handled $?"
sed "s/^/HANDLER /" /tmp/onsig.out
cove run $id -n 2 -- /bin/busybox sleep 60 < /dev/null & pid=$!
for i in $(seq 1 60); do [ "$(proxies /bin/busybox)" = 2 ] && break; sleep 0.5; done
echo "PROXIES before kill $(proxies /bin/busybox)"
kill -KILL $pid; wait $pid; echo "RC kill $?"
for i in $(seq 1 20); do [ "$(proxies /bin/busybox)" = 0 ] && break; sleep 0.5; done
echo "PROXIES left $(proxies /bin/busybox)"
sleep 1
cove run $id -n 2 -- /bin/busybox echo both cores free; echo "RC next $?"
echo 0 > /sys/module/cove/parameters/fork_max
cove run $id -n 2 -- /bin/busybox echo never ran; echo "RC no proxies $?"
echo 64 > /sys/module/cove/parameters/fork_max
cove status $id --json | grep -o "\"jobs_running\": *[0-9]*"
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	local round
	for round in 1 2; do
		expect_log "RC ranks $round 0"
		expect_log "OUT$round rankio 0: wrote 2000 lines"
		expect_log "OUT$round rankio 1: wrote 2000 lines"
		expect_log "EXACT $round out.0"
		expect_log "EXACT $round out.1"
		expect_log "EXACT $round shared"
		expect_log "NULS $round 0"
		expect_log "OUT$round rankio 1: own close-on-exec descriptor closed by its execve"
		expect_log "OUT$round rankio 0: own close-on-exec descriptor survived rank 1's execve"
		expect_log "KEPT$round kept"
	done
	expect_log "PROXIES running 2"
	expect_log_re 'DURING "jobs_running": *1[^0-9]*$'
	expect_log "RC term 143"
	local took
	took=$(grep -a -m1 "^TERM took " "$LOG" | tr -d '\r' | cut -d" " -f3)
	[ -n "$took" ] && [ "$took" -lt 20 ] || fail "SIGTERM did not end both ranks at once (${took:-?} s)"
	expect_log "AFTER ONE INT 0 done"
	[ "$(grep -ac '^HANDLER on_signal: caught Interrupt' "$LOG")" = 2 ] ||
		fail "a Ctrl-C to the group did not reach each rank exactly once"
	[ "$(grep -ac '^HANDLER on_signal: done' "$LOG")" = 2 ] || fail "not both ranks were done"
	expect_log "RC handled 0"
	expect_log "PROXIES before kill 2"
	expect_log "RC kill 137"
	expect_log "PROXIES left 0"
	expect_log "both cores free"
	expect_log "RC next 0"
	# More ranks than the module allows proxies per job: refused, saying so.
	expect_log "cove: cannot start the job: no host proxy for each of its 2 ranks: more than the cove module allows per job (its parameter fork_max)"
	expect_log "RC no proxies 127"
	expect_no_log "never ran"
	expect_no_log "cove run: a fork was refused"
	expect_log_re '"jobs_running": *0'
	expect_log "RC destroy 0"
	expect_all_back
}

# Signals sent to `cove run` reach its job: to its handlers (on_signal),
# SIGINT and SIGTERM as those
# signals (a job blocked in a host call, a read on an empty pipe, is woken
# for it), and SIGKILL of cove run kills the job and frees its cores for
# the next one. Each job would otherwise run 60 s.
scenario_apps_signals() {
	cokernel_vm --timeout 300 "${CLI_ADDS[@]}" --add "$BUILD/user/glibc/on_signal:/data/on_signal" -- '
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf); echo "CREATED $id"
t0=$(date +%s)
cove run $id -- /bin/busybox sleep 60 & pid=$!
sleep 2; kill -INT $pid; wait $pid; echo "RC int $?"
cove run $id -- /bin/busybox sleep 60 & pid=$!
sleep 2; kill -TERM $pid; wait $pid; echo "RC term $?"
cove run $id -- /data/on_signal 2 > /tmp/onsig.out 2>&1 & pid=$!
for i in $(seq 1 50); do grep -q ready /tmp/onsig.out && break; sleep 0.2; done
kill -USR1 $pid; sleep 1; kill -INT $pid; wait $pid; echo "RC handled $?"
sed "s/^/HANDLER /" /tmp/onsig.out
mkfifo /tmp/never
( exec 3<>/tmp/never; sleep 70 ) &
cove run $id -- /bin/busybox cat /tmp/never & pid=$!
sleep 2; kill -INT $pid; wait $pid; echo "RC blocked $?"
cove run $id -- /bin/busybox sleep 60 & pid=$!
sleep 2; kill -KILL $pid; wait $pid; echo "RC kill $?"
sleep 1
cove run $id -- /bin/busybox echo the next job runs; echo "RC next $?"
echo "ELAPSED $(( $(date +%s) - t0 ))"
cove status $id --json | grep -o "\"jobs_running\": *[0-9]*"
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "RC int 130"
	expect_log "RC term 143"
	expect_log "RC blocked 130"
	expect_log "HANDLER on_signal: caught User defined signal 1"
	expect_log "HANDLER on_signal: caught Interrupt"
	expect_log "HANDLER on_signal: done"
	expect_log "RC handled 0"
	expect_log "RC kill 137"
	expect_log "the next job runs"
	expect_log "RC next 0"
	expect_log_re '"jobs_running": *0'
	local elapsed
	elapsed=$(grep -a -m1 "^ELAPSED " "$LOG" | tr -d '\r' | cut -d" " -f2)
	[ -n "$elapsed" ] && [ "$elapsed" -lt 50 ] ||
		fail "the signalled jobs were not ended at once (${elapsed:-?} s for all)"
	expect_log "RC destroy 0"
	expect_all_back
}

# Several jobs at once in one enclave, each from its own `cove run`, as an
# MPI launcher starts its ranks: four started together by a shell loop in a
# four-core enclave each land on a core of their own (each prints its CPU)
# with its own output and status; `cove status` lists them while they run;
# a fifth, alone or sharing, is refused at once with the numbers; once they
# end, a job that needs all four cores runs; two jobs that both ask to share
# run together on one core.
scenario_cli_jobs_at_once() {
	cokernel_vm --smp 5 --timeout 400 "${CLI_ADDS[@]}" \
		--add "$BUILD/user/glibc/jobprobe:/data/jobprobe" -- '
id=$(cove create --cpus 1-4 --mem 512M --image /data/cove.elf); echo "CREATED $id"
for i in 1 2 3 4; do
	cove run $id -n 1 -- /data/jobprobe r$i --sleep 12000 > /tmp/r$i.out 2>&1 & eval p$i=$!
done
n=0; while [ "$(cat /tmp/r?.out | grep -c ": cpu ")" -lt 4 ] && [ $n -lt 300 ]; do
	sleep 0.1; n=$((n + 1))
done
cove status | sed "s/^/STATUS /"
cove status $id --json | sed "s/^/JSON /"
cove run $id -n 1 -- /data/jobprobe r5; echo "RC fifth $?"
cove run $id --share -n 1 -- /data/jobprobe r6; echo "RC shared fifth $?"
for i in 1 2 3 4; do
	wait $(eval echo \$p$i); echo "RC r$i $?"; sed "s/^/R$i /" /tmp/r$i.out
done
cove run $id -t 4 -- /data/jobprobe all > /tmp/all.out 2>&1; echo "RC all $?"
sed "s/^/ALL /" /tmp/all.out
cove run $id --share --cpus 0 -- /data/jobprobe s1 --sleep 3000 > /tmp/s1.out 2>&1 & q1=$!
cove run $id --share --cpus 0 -- /data/jobprobe s2 --sleep 3000 > /tmp/s2.out 2>&1 & q2=$!
wait $q1; echo "RC s1 $?"; wait $q2; echo "RC s2 $?"
cat /tmp/s1.out /tmp/s2.out | sed "s/^/SHARED /"
cove status $id --json | grep -o "\"jobs_running\": *[0-9]*"
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	local i j cpus
	for i in 1 2 3 4; do
		expect_log "RC r$i 0"
		expect_log_re "^R$i jobprobe r$i: cpu [0-3] of 1 threads 1"
		expect_log "R$i jobprobe r$i: done"
		# Listed while it ran: enclave, job, user, its one core, one rank, command.
		expect_log_re "^STATUS 1 +[0-9]+ +(root|0) +[0-3] +1 +/data/jobprobe r$i --sleep 12000"
		expect_log_re "^JSON .*\"running\": true, \"number\": [0-9]+, \"ranks\": 1, .*\"command\": \"/data/jobprobe r$i --sleep 12000\""
		for j in 1 2 3 4; do
			[ "$i" = "$j" ] || expect_no_log "R$i jobprobe r$j"
		done
	done
	cpus=$(grep -a "^R[1-4] jobprobe r[1-4]: cpu " "$LOG" | tr -d '\r' | awk '{ print $5 }' | sort -u | wc -l)
	[ "$cpus" = 4 ] || fail "the four jobs ran on $cpus distinct cores, not 4"
	expect_log "cove: cannot start the job: the job needs 1 CPU but 0 of the partition's 4 are free"
	expect_log "RC fifth 127"
	expect_log "cove: cannot start the job: the job needs 1 CPU to share but 0 of the partition's 4 are not held by jobs that do not share"
	expect_log "RC shared fifth 127"
	expect_no_log "jobprobe r5"
	expect_no_log "jobprobe r6"
	# Their cores came back: all four for one job (4 threads).
	expect_log "RC all 0"
	expect_log_re "^ALL jobprobe all: cpu [0-3] of 4 threads 4"
	expect_log "RC s1 0"
	expect_log "RC s2 0"
	expect_log "SHARED jobprobe s1: cpu 0 of 1"
	expect_log "SHARED jobprobe s2: cpu 0 of 1"
	expect_log_re '"jobs_running": *0'
	expect_log "RC destroy 0"
	expect_all_back
}

# What each `cove run` hands its job and takes from it: a descriptor it
# inherited (a file at 5, a launcher's socketpair end at 6, one named by
# PMI_FD as Hydra names its PMI socket) is the job's at the same number;
# SIGKILL of one `cove run` ends its job alone: the other job running
# beside it finishes with its own output and status, and the killed job's
# core is free again. Under an MPI launcher each rank's `cove run` takes its
# share of the cores.
scenario_cli_jobs_fds_and_kill() {
	cokernel_vm --timeout 300 "${CLI_ADDS[@]}" \
		--add "$BUILD/user/glibc/jobprobe:/data/jobprobe" -- '
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf); echo "CREATED $id"
echo "line from the host file" > /tmp/fdfile
cove run $id -n 1 -- /data/jobprobe f --fd 5 5< /tmp/fdfile; echo "RC fd $?"
/data/jobprobe --pair 6 -- cove run $id -n 1 -- /data/jobprobe p --fd 6; echo "RC pair $?"
PMI_FD=7 /data/jobprobe --pair 7 -- cove run $id -n 1 -- /data/jobprobe e --fd-env PMI_FD
echo "RC pmi $?"
cove run $id -n 1 -- /data/jobprobe k1 --sleep 60000 > /tmp/k1.out 2>&1 & k1=$!
cove run $id -n 1 -- /data/jobprobe k2 --sleep 8000 > /tmp/k2.out 2>&1 & k2=$!
n=0; while [ "$(cat /tmp/k?.out | grep -c ": cpu ")" -lt 2 ] && [ $n -lt 300 ]; do
	sleep 0.1; n=$((n + 1))
done
cove status $id | sed "s/^/BEFORE /"
kill -KILL $k1; wait $k1; echo "RC k1 $?"
sleep 1
cove status $id | sed "s/^/AFTER /"
wait $k2; echo "RC k2 $?"
sed "s/^/K1 /" /tmp/k1.out; sed "s/^/K2 /" /tmp/k2.out
cove run $id -t 2 -- /data/jobprobe both > /tmp/both.out 2>&1; echo "RC both $?"
sed "s/^/BOTH /" /tmp/both.out
export MPI_LOCALNRANKS=2
cove run $id -- /data/jobprobe m1 --sleep 3000 > /tmp/m1.out 2>&1 & m1=$!
cove run $id -- /data/jobprobe m2 --sleep 3000 > /tmp/m2.out 2>&1 & m2=$!
wait $m1; echo "RC m1 $?"; wait $m2; echo "RC m2 $?"
unset MPI_LOCALNRANKS
cat /tmp/m1.out /tmp/m2.out | sed "s/^/MPI /"
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "jobprobe f: fd 5: line from the host file"
	expect_log "RC fd 0"
	expect_log "jobprobe p: fd 6: pong ping p"
	expect_log "jobprobe pair: got \"ping p\""
	expect_log "RC pair 0"
	expect_log "jobprobe e: fd 7: pong ping e"
	expect_log "RC pmi 0"
	expect_log_re "^BEFORE 1 +[0-9]+ +(root|0) +[01] +1 +/data/jobprobe k1 --sleep 60000"
	expect_log_re "^BEFORE 1 +[0-9]+ +(root|0) +[01] +1 +/data/jobprobe k2 --sleep 8000"
	expect_log "RC k1 137"
	# Among the running jobs, that is: the ended ones are listed apart.
	! grep -aEq "^AFTER 1 +[0-9]+ +(root|0) .*/data/jobprobe k1" "$LOG" ||
		fail "the killed job was still listed"
	expect_log_re "^AFTER job [0-9]+ \(0, 1 rank, status 0x9, .*/data/jobprobe k1"
	expect_log_re "^AFTER 1 +[0-9]+ +(root|0) +[01] +1 +/data/jobprobe k2 --sleep 8000"
	expect_log "RC k2 0"
	expect_log "K2 jobprobe k2: done"
	expect_no_log "K1 jobprobe k1: done"
	expect_log "RC both 0"
	# The killed job's core is back: a job of two cores runs.
	expect_log_re "^BOTH jobprobe both: cpu [01] of 2 threads 2"
	local cpus
	# Under a launcher (MPI_LOCALNRANKS=2), a cove run that asks for nothing
	# takes half the enclave, so both ranks run.
	expect_log "RC m1 0"
	expect_log "RC m2 0"
	expect_log_re "^MPI jobprobe m1: cpu [01] of 1 threads 1"
	cpus=$(grep -a "^MPI jobprobe m[12]: cpu " "$LOG" | tr -d '\r' | awk '{ print $5 }' | sort -u | wc -l)
	[ "$cpus" = 2 ] || fail "the two launcher ranks ran on $cpus distinct cores, not 2"
	expect_log "RC destroy 0"
	expect_all_back
}

# XEMEM, memory shared by key across the boundary without copies. An
# enclave job exports a segment, host processes read and write it, and lose
# it (SIGBUS) when the job removes it; a host process offers memory that
# jobs attach, read-only or writable as offered; every bad input is refused
# with its own errno. Then what the protection layer is for: a kernel write
# into a read-only host segment, or just past one, is contained with
# protection on, and with it off lands on the host's memory (the host sees
# its buffer change, the module its guard page).
scenario_cli_xemem() {
	cokernel_vm --timeout 900 "${CLI_ADDS[@]}" --add "$BUILD/user/glibc/xemem:/data/xemem" -- '
waitfor() { for i in $(seq 1 150); do grep -q "$2" "$1" 2>/dev/null && return; sleep 0.2; done; echo "TIMEOUT $1"; }
trap "" PIPE	# a reader that died early must fail its checks, not end the script
echo "nobody:x:65534:65534::/:/bin/sh" >> /etc/passwd
nobody() { su -s /bin/sh nobody -c "$*" 2>&1 | sed "s/^/NOBODY /"; }
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf --owner nobody \
	--cmdline fault_inject=on_request); echo "CREATED $id"
mkfifo /tmp/go1 /tmp/go2 /tmp/go3 /tmp/go4
# Enclave -> host: exported, read, written, revoked.
cove run $id -- /data/xemem make 0x51 1M --write --fill 3 < /tmp/go1 > /tmp/make.out 2>&1 &
job=$!; exec 3>/tmp/go1
waitfor /tmp/make.out "xemem: made"
sed "s/^/JOB /" /tmp/make.out
cove xemem list $id | sed "s/^/LIST /"
cove xemem attach $id 0x51 | sed "s/^/HOST /"
cove xemem attach $id 0x51 --hold < /tmp/go2 > /tmp/hold.out 2>&1 &
hold=$!; exec 4>/tmp/go2
waitfor /tmp/hold.out "bytes, sum"
cove xemem attach $id 0x51 --fill 9 | sed "s/^/HOSTW /"
nobody "cove xemem attach $id 0x51"; echo "RC nobody $?"
echo >&3; exec 3>&-; wait $job; echo "RC job $?"
sed "s/^/JOB /" /tmp/make.out
echo >&4; exec 4>&-; wait $hold; sed "s/^/HOLD /" /tmp/hold.out
cove xemem attach $id 0x51; echo "RC gone $?"
# A job that ends with its segment exported: the kernel removes it, the host lets go first.
cove run $id -- /data/xemem make 0x52 8K --keep < /tmp/go1 > /tmp/keep.out 2>&1 &
job=$!; exec 3>/tmp/go1
waitfor /tmp/keep.out "xemem: made"
cove xemem attach $id 0x52 --hold < /tmp/go2 > /tmp/hold2.out 2>&1 &
hold=$!; exec 4>/tmp/go2
waitfor /tmp/hold2.out "bytes, sum"
echo >&3; exec 3>&-; wait $job; echo "RC keep $?"; sed "s/^/KEEP /" /tmp/keep.out
echo >&4; exec 4>&-; wait $hold; sed "s/^/HOLD2 /" /tmp/hold2.out
cove xemem list $id | sed "s/^/LIST1 /"
# Host -> enclave: read-only and writable offers.
cove xemem offer $id 0x61 64K --fill 5 < /tmp/go3 > /tmp/ro.out 2>&1 &
ro=$!; exec 5>/tmp/go3
cove xemem offer $id 0x62 16K --write < /tmp/go4 > /tmp/rw.out 2>&1 &
rw=$!; exec 6>/tmp/go4
waitfor /tmp/ro.out offered; waitfor /tmp/rw.out offered
sed "s/^/RO /" /tmp/ro.out
cove run $id -- /data/xemem attach 0x61 | sed "s/^/JOBRO /"
cove run $id -- /data/xemem attach 0x61 --write; echo "RC rowrite $?"
cove run $id -- /data/xemem attach 0x62 --fill 11 | sed "s/^/JOBRW /"
cove run $id -- /data/xemem bad 0x61; echo "RC bad $?"
cove xemem offer $id 0x61 4K; echo "RC offer-twice $?"
cove xemem offer $id 0x70 5000; echo "RC offer-unaligned $?"
cove xemem offer $id 0x70 0; echo "RC offer-zero $?"
cove xemem offer $id 0x70 64M; echo "RC offer-huge $?"
echo >&5; exec 5>&-; wait $ro; echo "RC ro $?"; sed "s/^/RO /" /tmp/ro.out
echo >&6; exec 6>&-; wait $rw; echo "RC rw $?"; sed "s/^/RW /" /tmp/rw.out
cove xemem list $id | sed "s/^/LIST2 /"
cove destroy $id; echo "RC destroy $?"
# The kernel writes into a read-only host segment, then just past one.
poke() {	# MODE KEY WHERE: "ro" (the segment itself) or "past" (its next page)
	id=$(cove create --cpus 2-3 --mem 128M --image /data/cove.elf --protect $1 \
		--cmdline fault_inject=on_request)
	rm -f /tmp/phys; mkfifo /tmp/gp
	cove xemem offer $id $2 64K --fill 7 --phys-file /tmp/phys < /tmp/gp > /tmp/poke.out 2>&1 &
	off=$!; exec 7>/tmp/gp
	waitfor /tmp/poke.out offered
	phys=$(cat /tmp/phys)
	[ $3 = past ] && phys=$(printf "%#x" $((phys + 65536 + 8)))
	cove run $id -- /data/xemem attach $2 --poke $phys 2>&1 | sed "s/^/POKE $1 $3 /"
	echo "POKE $1 $3 state $(cat /sys/kernel/cove/$id/state)"
	cove console $id | grep "fault_inject:" | sed "s/^/POKE $1 $3 /"
	cove status $id --json | grep -o "COVE PROTECTION FAULT[^\"]*" | sed "s/^/POKE $1 $3 /"
	echo >&7; exec 7>&-; wait $off; sed "s/^/POKE $1 $3 HOST /" /tmp/poke.out; rm -f /tmp/gp
	cove destroy $id; echo "POKE $1 $3 destroyed $?"
}
poke on 0x71 ro
poke on 0x72 past
poke off 0x73 ro
poke off 0x74 past
dmesg | grep "xemem" | sed "s/^/DMESG /"
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	local made host filled
	made=$(grep -a -m1 "^JOB xemem: made 0x51" "$LOG" | tr -d '\r' | sed 's/.*sum //')
	[ -n "$made" ] || fail "the job did not export its segment"
	expect_log_re "^LIST 0x51 +exported +1048576 rw +0 +[0-9]+"
	expect_log "HOST xemem 0x51: 1048576 bytes, sum $made"
	filled=$(grep -a -m1 "^HOSTW xemem 0x51: filled" "$LOG" | tr -d '\r' | sed 's/.*sum //')
	[ -n "$filled" ] && [ "$filled" != "$made" ] || fail "the host did not write the segment"
	expect_log "JOB xemem: 0x51 sum now $filled"
	expect_log "NOBODY cove xemem: attaching 0x51: permission denied (not yours, or not writable)"
	expect_log "JOB xemem: removed 0x51"
	expect_log "RC job 0"
	expect_log "HOLD xemem 0x51: revoked (SIGBUS)"
	expect_log "cove xemem: attaching 0x51: enclave 1 has no such segment"
	expect_log "RC gone 1"
	expect_log "KEEP xemem: exiting with 0x52 exported"
	expect_log "RC keep 0"
	expect_log "HOLD2 xemem 0x52: revoked (SIGBUS)"
	expect_no_log "LIST1 0x"
	local ro rwsum
	ro=$(grep -a -m1 "^RO xemem 0x61: offered" "$LOG" | tr -d '\r' | sed 's/.*sum //')
	[ -n "$ro" ] || fail "the host did not offer its segment"
	expect_log "JOBRO xemem: attached 0x61 65536 bytes, sum $ro"
	expect_log "JOBRO xemem: detached 0x61"
	expect_log "xemem: FAIL attach 0x61: Permission denied"
	expect_log "RC rowrite 1"
	rwsum=$(grep -a -m1 "^JOBRW xemem: filled 0x62" "$LOG" | tr -d '\r' | sed 's/.*sum //')
	[ -n "$rwsum" ] || fail "the job did not write the host's segment"
	expect_log "RW xemem 0x62: sum now $rwsum"
	expect_log "xemem: bad futex-on-host-page: ok EFAULT"
	expect_log "xemem: bad inputs: 0 failed"
	expect_log "RC bad 0"
	expect_log "cove xemem: offering 0x61: the key is offered already"
	expect_log "RC offer-twice 1"
	expect_log "RC offer-unaligned 1"
	expect_log "cove xemem: SIZE '0': not a size (bytes, or with K, M, G or T: 512M, 1G)"
	expect_log "RC offer-zero 2"
	expect_log "RC offer-huge 1"
	expect_log "RO xemem 0x61: sum now $ro"
	expect_log "RO xemem 0x61: withdrawn"
	expect_log "RC ro 0"
	expect_log "RC rw 0"
	expect_no_log "LIST2 0x"
	expect_log "RC destroy 0"
	# Protection on: contained, the host's bytes untouched.
	expect_log "POKE on ro state failed"
	expect_log_re "POKE on ro .*write at guest physical 0x[0-9a-f]+: a host segment the host granted read-only"
	expect_log "POKE on past state failed"
	expect_log_re "POKE on past .*write at guest physical 0x[0-9a-f]+: outside the partition"
	local on_ro
	on_ro=$(grep -a -m1 "^POKE on ro HOST xemem 0x71: offered" "$LOG" | tr -d '\r' | sed 's/.*sum //')
	expect_log "POKE on ro HOST xemem 0x71: sum now $on_ro"
	expect_no_log "the page past host segment 0x72 was written"
	# Protection off: the same writes land.
	expect_log "POKE off ro state ready"
	expect_log_re "POKE off ro .*fault_inject: the write landed"
	local off_ro off_now
	off_ro=$(grep -a -m1 "^POKE off ro HOST xemem 0x73: offered" "$LOG" | tr -d '\r' | sed 's/.*sum //')
	off_now=$(grep -a -m1 "^POKE off ro HOST xemem 0x73: sum now" "$LOG" | tr -d '\r' | sed 's/.*now //')
	[ -n "$off_now" ] && [ "$off_now" != "$off_ro" ] ||
		fail "unprotected, the write into the read-only segment did not show ($off_ro -> $off_now)"
	expect_log "POKE off past state ready"
	expect_log_re "DMESG .*cove [0-9]+: xemem: the page past host segment 0x74 was written"
	local m
	for m in on off; do
		expect_log "POKE $m ro destroyed 0"
		expect_log "POKE $m past destroyed 0"
	done
	expect_all_back
}

# The stdlib files (and the interpreter) a Python script imports, as --add
# options: what the host's own interpreter loads running it, no more, and
# the libraries its extension modules load (_ctypes needs libffi).
python_adds() {
	local mods
	debian_adds /usr/bin/python3.11
	mods=$(/usr/bin/python3.11 -S -c '
import contextlib, io, sys
with contextlib.redirect_stdout(io.StringIO()):
	exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"))
for f in sorted({m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)}):
	print(f)' "$1")
	# shellcheck disable=SC2046
	debian_adds $(echo "$mods" | grep '\.so$')
	echo "$mods" | grep -v '\.so$' | while read -r f; do printf '%s\n' --add "$f:$f"; done
}

# Python in a job, as an ordinary user, each script's lines compared with
# the same interpreter running it on Linux. subproc.py: subprocess's run,
# Popen with communicate through pipes, shell=True pipelines, os.system, a
# missing program, check_output and a timeout that kills its child.
# pywork.py: threads and a thread pool, signal handlers and an itimer,
# private and read-only mmap of a file, fork with poll on a pipe, and
# multiprocessing with fork: Pool, Queue, ProcessPoolExecutor (their locks
# are named semaphores: sem_open links a file into /dev/shm). pyshared.py:
# Value and Array, shared_memory, a Manager, asyncio, ctypes and the rest
# its header lists.
PYTHON_SCRIPTS="subproc pywork pyshared"
scenario_apps_python_subprocess() {
	local adds=() s
	mapfile -t adds < <(for s in $PYTHON_SCRIPTS; do python_adds test/cokernel/$s.py; done |
		awk 'NR % 2 == 1 { opt = $0; next } !seen[$0]++ { print opt; print }')
	cokernel_vm --timeout 600 "${CLI_ADDS[@]}" "${adds[@]}" \
		$(for s in $PYTHON_SCRIPTS; do echo "--add test/cokernel/$s.py:/data/$s.py"; done) -- '
echo "hpc:x:1000:1000::/tmp:/bin/sh" >> /etc/passwd; echo "hpc:x:1000:" >> /etc/group
chmod 1777 /tmp
mkdir -p /dev/shm && mount -t tmpfs -o mode=1777 shm /dev/shm
id=$(cove create --cpus 2-3 --mem 512M --owner hpc --image /data/cove.elf); echo "CREATED $id"
for s in '"$PYTHON_SCRIPTS"'; do
	su hpc -s /bin/sh -c "cd /tmp; /usr/bin/python3.11 -S /data/$s.py > host.$s 2>&1; echo RC host $s \$?;
		cove run 1 --heap 64M -- /usr/bin/python3.11 -S /data/$s.py > job.$s 2>&1 < /dev/null;
		echo RC job $s \$?; sed \"s/^/JOB $s /\" job.$s; cmp host.$s job.$s && echo SAME $s"
done
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	for s in $PYTHON_SCRIPTS; do
		expect_log "RC host $s 0"
		expect_log "RC job $s 0"
		expect_log "SAME $s"
	done
	expect_log "JOB subproc communicate 200000 0"
	expect_log "JOB subproc timeout expired"
	expect_log "JOB pywork pool 2646700"
	expect_log "JOB pyshared manager [(0, 0), (1, 1), (2, 4), (3, 9), (4, 16)] [0, 1, 2, 3, 4]"
	expect_all_back
}

# The vDSO in an enclave (issue 19): a job under `cove run`, glibc and musl
# static and glibc dynamic (ld.so and libc from the host), tells the time
# with no trap, and prints what the same program prints on Linux but for
# the trap counts Linux cannot give.
scenario_apps_vdso() {
	local adds=() dyn
	dyn="$(readlink -f "$BUILD/user/dynamic/glibc/vdsotest-dyn")"
	mapfile -t adds < <(debian_adds "$dyn")
	cokernel_vm --timeout 400 "${CLI_ADDS[@]}" "${adds[@]}" \
		--add "$BUILD/user/glibc/vdsotest:/data/vdsotest" \
		--add "$BUILD/user/musl/vdsotest:/data/vdsotest_musl" \
		--add "$dyn:/data/vdsotest_dyn" -- '
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf); echo "CREATED $id"
cd /tmp
for p in vdsotest vdsotest_musl vdsotest_dyn; do
	/data/$p 1000 > /tmp/host.$p 2>&1; echo "RC host $p $?"
	cove run $id -- /data/$p 1000 > /tmp/job.$p 2>&1; echo "RC job $p $?"
	sed "s/^/JOB $p /" /tmp/job.$p
	grep -v " traps " /tmp/host.$p > /tmp/host.$p.cmp
	grep -v " traps " /tmp/job.$p > /tmp/job.$p.cmp
	cmp -s /tmp/host.$p.cmp /tmp/job.$p.cmp && echo "SAME $p lines $(wc -l < /tmp/job.$p.cmp)"
done
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	local p name
	for p in vdsotest vdsotest_musl vdsotest_dyn; do
		expect_log "RC host $p 0"
		expect_log "RC job $p 0"
		expect_log "JOB $p vdsotest: ok"
		expect_log "SAME $p lines 13"
		for name in realtime monotonic monotonic_raw realtime_coarse monotonic_coarse \
			    boottime gettimeofday time getcpu; do
			expect_log "JOB $p vdsotest: traps $name 0"
		done
		expect_log "JOB $p vdsotest: traps syscall 1000"
	done
	expect_log "RC destroy 0"
	expect_all_back
}

# Large pages on request in an enclave (issue 19): user/hugetest under
# `cove run`, glibc and musl, gives the verdicts the same binary gives on
# this Linux (a pool of 64 huge pages, made after the enclave took its
# memory and given back before the check that everything returned).
scenario_apps_huge() {
	cokernel_vm --timeout 400 "${CLI_ADDS[@]}" \
		--add "$BUILD/user/glibc/hugetest:/data/hugetest" \
		--add "$BUILD/user/musl/hugetest:/data/hugetest_musl" -- '
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf); echo "CREATED $id"
echo 64 > /proc/sys/vm/nr_hugepages
cd /tmp
for p in hugetest hugetest_musl; do
	/data/$p > /tmp/host.$p 2>&1; echo "RC host $p $?"
	cove run $id -- /data/$p > /tmp/job.$p 2>&1; echo "RC job $p $?"
	sed "s/^/JOB $p /" /tmp/job.$p
	grep -v ": info " /tmp/host.$p > /tmp/host.$p.cmp
	grep -v ": info " /tmp/job.$p > /tmp/job.$p.cmp
	cmp -s /tmp/host.$p.cmp /tmp/job.$p.cmp && echo "SAME $p lines $(wc -l < /tmp/job.$p.cmp)"
done
echo 0 > /proc/sys/vm/nr_hugepages
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	local p
	for p in hugetest hugetest_musl; do
		expect_log "RC host $p 0"
		expect_log "RC job $p 0"
		expect_log "JOB $p hugetest: ok 19 checks"
		expect_log "SAME $p lines 20"
	done
	expect_log "RC destroy 0"
	expect_all_back
}

# True accounting in an enclave (issue 19): user/cputime.c's checks under
# `cove run`, glibc and musl (its children check forks a proxied process).
# Then the same figures on the host: two ranks each spin 400 ms in user
# mode; `cove status --json` shows each rank's user time within the checks'
# 10% of the wall time that rank says it spun, equal to the millisecond to
# what Cove's console printed at the rank's end, and `cove run --times`
# prints them too. `cove run --perf` counts what a program does N times more
# than the same program with N = 0: N offloaded writes and N more in a
# collected child, N moves between two cores, the kernel entries and
# switches these take. While a job runs, `cove status` shows its owner the
# figures so far, and nobody else.
scenario_apps_cputime() {
	cokernel_vm --timeout 400 "${CLI_ADDS[@]}" \
		--add "$BUILD/user/glibc/cputime:/data/cputime" \
		--add "$BUILD/user/musl/cputime:/data/cputime_musl" -- '
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf); echo "CREATED $id"
cd /tmp
for p in cputime cputime_musl; do
	# stdin: a host pipe its writer fills only after a while (hostwait).
	(sleep 4; echo x) | cove run $id -- /data/$p 300 > /tmp/job.$p 2>&1; echo "RC job $p $?"
	sed "s/^/JOB $p /" /tmp/job.$p
done
cove run $id -n 2 --times -- /data/cputime --spin 400 > /tmp/spin 2>&1; echo "RC spin $?"
sed "s/^/SPIN /" /tmp/spin
cove status $id --json | tr -d "\n" | sed "s/^/USAGE JSON /"; echo
cove console $id | grep -E "^job [0-9]+: rank [01] used:" | tail -n 2 | sed "s/^/USED /"
for n in 0 300; do
	cove run $id -t 2 --perf -- /data/cputime --counts $n > /tmp/counts 2>&1
	echo "RC counts $n $?"; sed "s/^/COUNTS $n /" /tmp/counts
done
# A running job'"'"'s figures so far: the owner (root) sees them, nobody else.
echo "nobody:x:65534:65534::/:/bin/sh" >> /etc/passwd
cove run $id -n 2 -- /data/cputime --spin 3000 > /tmp/long 2>&1 &
long=$!
sleep 2
cove status $id --json | tr -d "\n" | sed "s/^/SO FAR JSON /"; echo
su -s /bin/sh nobody -c "cove status $id --json" | tr -d "\n" | sed "s/^/NOBODY JSON /"; echo
cove status $id | grep -A6 "so far" | sed "s/^/SO FAR TEXT /"
wait $long; echo "RC long $?"
# Ended by a signal from the host (as Slurm ends a job): the end is at once,
# the ranks'"'"' figures follow once they are gone.
cove run $id -n 2 -- /data/cputime --spin 3000 > /tmp/term 2>&1 &
term=$!
sleep 2; kill -TERM $term; wait $term; echo "RC term $?"
sed "s/^/TERM OUT /" /tmp/term
for i in $(seq 1 40); do
	cove status $id --json | grep -q "\"usage\": \"pending\"" || break
	sleep 0.5
done
cove status $id --json | tr -d "\n" | sed "s/^/TERM JSON /"; echo
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	expect_log "RC term 143"
	local p name
	for p in cputime cputime_musl; do
		expect_log "RC job $p 0"
		for name in hostwait spin sleep syscalls process times procstat maxrss children monotonic; do
			expect_log "JOB $p cputime: $name ok"
		done
	done
	expect_log "RC spin 0"
	expect_log_re "^SPIN cove run: job [0-9]+: rank 1: user [0-9.]+ s, system [0-9.]+ s, peak memory [0-9]+ KiB, [0-9]+ minor faults"
	local why
	why=$(tr -d '\r' < "$LOG" | python3 -c '
import json, re, sys
log = sys.stdin.read().splitlines()
spun = {int(m.group(1)): int(m.group(2)) / 1e9 for m in
	(re.match(r"SPIN cputime: rank (\d) spun (\d+) ns$", l) for l in log) if m}
used = {int(m.group(1)): float(m.group(2)) for m in
	(re.match(r"USED job \d+: rank (\d) used: user ([0-9.]+) s", l) for l in log) if m}
st = json.loads([l for l in log if l.startswith("USAGE JSON ")][-1][len("USAGE JSON "):])
job = [j for j in st["ended_jobs"] if "--spin" in j["command"]][-1]
ranks = job["rank_usage"]
if job["usage"] != "reported" or job["ranks"] != 2 or len(ranks) != 2 or sorted(spun) != [0, 1]:
	sys.exit("no usage of two ranks: %s, spun %s" % (job, spun))
for r in ranks:
	n, u, s = r["rank"], r["user_s"], r["system_s"]
	# The spin is user time to within the emulator: each rank start and end
	# add a little user time, and a loaded machine stealing the vCPU in the
	# kernel adds system time (57 ms once in CI). A spin charged as system
	# time would show its whole 400 ms there.
	if u < spun[n] * 0.9 or u > spun[n] * 1.25 or s > spun[n] / 2:
		sys.exit("rank %d: user %.6f s, system %.6f s for %.6f s of spinning" % (n, u, s, spun[n]))
	if abs(u - used[n]) > 0.0011:
		sys.exit("rank %d: user %.6f s on the host, %.3f s on the console" % (n, u, used[n]))
if abs(job["user_s"] - ranks[0]["user_s"] - ranks[1]["user_s"]) > 2e-6 or job["wall_s"] < max(spun.values()):
	sys.exit("the job: %s" % job)
' 2>&1) || fail "cove status --json: $why"
	expect_log "RC long 0"
	expect_log_re "^SO FAR TEXT job [0-9]+ so far \\([0-9.]+ s\\):"
	expect_log_re "^SO FAR TEXT   rank 1: task-clock [0-9.]+ ms, [0-9]+ context switches"
	why=$(tr -d '\r' < "$LOG" | python3 -c '
import json, sys
log = sys.stdin.read().splitlines()
def job(tag):
	st = json.loads([l for l in log if l.startswith(tag)][-1][len(tag):])
	return [j for j in st["jobs"] if "--spin 3000" in j["command"]][0]
j = job("SO FAR JSON ")
r = j["rank_usage"]
# Two seconds into a 3 s spin on each of its two cores: each rank has spun
# most of that in user mode, and no more than the wall time since launch.
if j["usage"] != "so far" or len(r) != 2 or j["ranks"] != 2:
	sys.exit("no figures so far: %s" % j)
for x in r:
	if not 0.5 < x["user_s"] <= j["wall_s"] * 1.1 + 0.05 or x["kernel_entries"] < 1:
		sys.exit("rank %d so far: %s in %.3f s" % (x["rank"], x, j["wall_s"]))
if abs(j["user_s"] - r[0]["user_s"] - r[1]["user_s"]) > 2e-6:
	sys.exit("the sums: %s" % j)
n = job("NOBODY JSON ")
if n["usage"] != "none" or n["rank_usage"] != [] or n["user_s"] is not None:
	sys.exit("nobody saw the figures: %s" % n)
' 2>&1) || fail "figures so far: $why"
	why=$(tr -d '\r' < "$LOG" | python3 -c '
import json, sys
log = sys.stdin.read().splitlines()
st = json.loads([l for l in log if l.startswith("TERM JSON ")][-1][len("TERM JSON "):])
j = [j for j in st["ended_jobs"] if "--spin 3000" in j["command"]][-1]
r = j["rank_usage"]
# SIGTERM 2 s into a 3 s spin: the end as the host saw it (status 15), and
# then each rank'"'"'s figures, about 2 s of spinning in user mode.
if j["status"] != 15 or j["usage"] != "reported" or len(r) != 2:
	sys.exit("the job SIGTERM ended: %s" % j)
for x in r:
	if not 0.5 < x["user_s"] <= j["wall_s"] * 1.1 + 0.2:
		sys.exit("rank %d after SIGTERM: %s in %.3f s" % (x["rank"], x, j["wall_s"]))
' 2>&1) || fail "figures after SIGTERM: $why"
	expect_log "RC counts 0 0"
	expect_log "RC counts 300 0"
	expect_log "COUNTS 300 cputime: counted 300 writes, 300 moves, 300 child writes"
	why=$(tr -d '\r' < "$LOG" | python3 -c '
import re, sys
pat = (r"COUNTS (\d+) cove run: job \d+: all ranks: task-clock [0-9.]+ ms, (\d+) context "
       r"switches, (\d+) CPU migrations, (\d+) page faults, (\d+) kernel entries, "
       r"(\d+) offloaded calls$")
c = {}
for l in sys.stdin.read().splitlines():
	m = re.match(pat, l)
	if m:
		c[int(m.group(1))] = [int(x) for x in m.groups()[1:]]
if sorted(c) != [0, 300]:
	sys.exit("no --perf lines for N = 0 and 300: %s" % c)
sw, mig, flt, ent, off = [b - a for a, b in zip(c[0], c[300])]
# 600 writes and 300 moves, each a system call; each move a switch.
if not (600 <= off <= 610 and 300 <= mig <= 305 and sw >= 300 and ent >= 900):
	sys.exit("N = 300 over N = 0: switches %d, migrations %d, kernel entries %d, "
		 "offloaded %d" % (sw, mig, ent, off))
' 2>&1) || fail "cove run --perf: $why"
	expect_log "RC destroy 0"
	expect_all_back
}

# Core files in co-kernel mode (issue 19): a job under `cove run` killed by
# SIGSEGV (glibc) and SIGABRT (musl) leaves an ELF core in the host
# directory `cove run` started in, owned by the user who ran it; `cove run`
# says "core dumped"; user/corecheck reads it back on Linux; with
# RLIMIT_CORE 0 there is none. The glibc core comes out on the console
# (base64) and gdb on this machine shows the backtrace from it, and the
# xmm0 and ymm1 values corecrash died with, the same as gdb shows from the
# core Linux writes of the same program (gzipped out of the guest too).
scenario_apps_core() {
	cokernel_vm --timeout 400 "${CLI_ADDS[@]}" \
		--add "$BUILD/user/glibc/corecrash:/data/corecrash" \
		--add "$BUILD/user/musl/corecrash:/data/corecrash_musl" \
		--add "$BUILD/user/glibc/corecheck:/data/corecheck" -- '
echo "hpc:x:1000:1000::/tmp:/bin/sh" >> /etc/passwd; echo "hpc:x:1000:" >> /etc/group
id=$(cove create --cpus 2-3 --mem 256M --owner hpc --image /data/cove.elf); echo "CREATED $id"
mkdir -p /tmp/c1 /tmp/c2 /tmp/c3 && chown 1000:1000 /tmp/c1 /tmp/c2 /tmp/c3
su hpc -s /bin/sh -c "cd /tmp/c1 && cove run 1 -- /data/corecrash segv"; echo "RC segv $?"
su hpc -s /bin/sh -c "cd /tmp/c2 && cove run 1 -- /data/corecrash_musl abort"; echo "RC abort $?"
su hpc -s /bin/sh -c "cd /tmp/c3 && cove run 1 -- /data/corecrash nocore"; echo "RC nocore $?"
ls -ln /tmp/c1/core | awk "{ print \"CORE OWNER\", \$3, \$4, \$1 }"
/data/corecheck /tmp/c1/core 11 avx | sed "s/^/C1 /"
/data/corecheck /tmp/c2/core 6 | sed "s/^/C2 /"
[ -e /tmp/c3/core ] && echo "C3 HAS A CORE" || echo "C3 no core"
echo "CORE BASE64 BEGIN"; base64 /tmp/c1/core; echo "CORE BASE64 END"
echo core > /proc/sys/kernel/core_pattern; mkdir -p /tmp/l1
(cd /tmp/l1 && ulimit -c unlimited && /data/corecrash segv | sed "s/^/L1 /")
/data/corecheck /tmp/l1/core 11 avx | sed "s/^/L1 /"
echo "LCORE BASE64 BEGIN"; gzip -c /tmp/l1/core | base64; echo "LCORE BASE64 END"
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	expect_log "RC segv 139"
	expect_log "RC abort 134"
	expect_log "RC nocore 139"
	expect_log_re "cove run: job [0-9]+ was killed by signal 11 \\(Segmentation fault\\) \\(core dumped\\)"
	expect_log_re "cove run: job [0-9]+ was killed by signal 6 \\(Aborted\\) \\(core dumped\\)"
	expect_log "CORE OWNER 1000 1000 -rw-------"
	expect_log "C1 corecheck: ok threads=2 signal=11 fpu=avx xcr0=0x7"
	expect_log "L1 corecrash: ymm1 set (AVX)"
	expect_log "L1 corecheck: ok threads=2 signal=11 fpu=avx"
	expect_log "C2 corecheck: ok threads=2 signal=6"
	expect_log "C3 no core"
	expect_no_log "cove run: job 3 was killed by signal 11 (Segmentation fault) (core dumped)"
	expect_log "RC destroy 0"
	expect_all_back
	local core="$LOG.core" bt
	tr -d '\r' < "$LOG" | sed -n '/^CORE BASE64 BEGIN$/,/^CORE BASE64 END$/p' | sed '1d;$d' |
		base64 -d > "$core" 2>/dev/null || fail "the core did not come out of the guest"
	bt=$(gdb -nx -batch -ex bt "$BUILD/user/glibc/corecrash" "$core" 2>&1)
	for fn in corecrash_inner corecrash_outer main; do
		grep -qE "^#[0-9]+ +(0x[0-9a-f]+ in )?$fn " <<<"$bt" || fail "gdb's backtrace lacks $fn: $bt"
	done
	grep -q "Program terminated with signal SIGSEGV" <<<"$bt" || fail "gdb: not SIGSEGV: $bt"
	# The FPU values from Cove's core, and the same from Linux's: what
	# corecrash left in xmm0 and ymm1, the x87 and MXCSR state it never
	# touched (initial: XSAVE need not have written it), and xmm2 of the
	# thread that was spinning when the other died.
	local lcore="$LOG.linux-core" fpu lfpu gdbfpu
	local want='$1 = 3.25
$2 = {1.5, -2.25, 3.75, 100, 0.125, -7.5, 1048576, 42}
$3 = 0x1f80
$4 = 0x37f
$5 = 0xffff
$6 = 0x0
$7 = 6.5'
	tr -d '\r' < "$LOG" | sed -n '/^LCORE BASE64 BEGIN$/,/^LCORE BASE64 END$/p' | sed '1d;$d' |
		base64 -d 2>/dev/null | gunzip > "$lcore" 2>/dev/null ||
		fail "Linux's core did not come out of the guest"
	gdbfpu=(-ex 'p $xmm0.v2_double[0]' -ex 'p $ymm1.v8_float' -ex 'p/x $mxcsr'
		-ex 'p/x $fctrl' -ex 'p/x $ftag' -ex 'p/x $fstat'
		-ex 'thread 2' -ex 'p $xmm2.v2_double[0]')
	fpu=$(gdb -nx -batch "${gdbfpu[@]}" "$BUILD/user/glibc/corecrash" "$core" 2>&1 | grep '^\$')
	lfpu=$(gdb -nx -batch "${gdbfpu[@]}" "$BUILD/user/glibc/corecrash" "$lcore" 2>&1 |
		grep '^\$')
	[ "$fpu" = "$want" ] || fail "gdb on Cove's core: $fpu"
	[ "$lfpu" = "$want" ] || fail "gdb on Linux's core: $lfpu"
	# $_siginfo (NT_SIGINFO): the SIGSEGV, SEGV_MAPERR, at address 0 where corecrash stores.
	local c sig gdbsig=(-ex 'p $_siginfo.si_signo' -ex 'p $_siginfo.si_code'
			   -ex 'p $_siginfo._sifields._sigfault.si_addr')
	for c in "$core" "$lcore"; do
		sig=$(gdb -nx -batch "${gdbsig[@]}" "$BUILD/user/glibc/corecrash" "$c" 2>&1 |
		      grep '^\$')
		[ "$sig" = $'$1 = 11\n$2 = 1\n$3 = (void *) 0x0' ] ||
			fail "gdb's \$_siginfo from $c: $sig"
	done
}

# gdb for a job (cove run --gdb PORT): Debian's gdb, in the guest, attaches
# to the proxy's server, breaks in a function, reads a variable and an
# argument, shows the backtrace and both threads, steps, continues to the
# end (the job's own status); the same commands on the same program under
# Linux's own ptrace give the same values and backtrace; another user's gdb
# is refused. A job that
# segfaults reports SIGSEGV to gdb and dies of it; detaching lets the job
# finish; ^C in gdb stops a running job, which a variable set by gdb then
# ends; two threads running through one breakpoint stop at each hit; gdb
# killed at a breakpoint kills the job; so does Ctrl-C twice when gdb
# never came; the next job runs.
scenario_apps_gdb() {
	local adds=() gconv=/usr/lib/x86_64-linux-gnu/gconv py
	# gdb and its libraries; the Python modules it loads at start (as the
	# host's gdb loads them) and its own; glibc's iconv for UTF-32.
	py="import sys; print(*sorted({getattr(m, '__file__', None) or '' for m in"
	py="$py list(sys.modules.values())}), sep='\\n')"
	mapfile -t adds < <(debian_adds /usr/bin/gdb
		gdb -nx -batch -ex "python $py" 2>/dev/null | grep '^/usr/lib/python3' | grep -v /encodings/ |
			sed 's/.*/--add\n&:&/'
		printf '%s\n' --add /usr/share/gdb/python:/usr/share/gdb/python \
			--add /usr/lib/python3.11/encodings:/usr/lib/python3.11/encodings)
	cokernel_vm --timeout 900 "${CLI_ADDS[@]}" "${adds[@]}" \
		--add "$gconv/gconv-modules:$gconv/gconv-modules" \
		--add "$gconv/gconv-modules.d:$gconv/gconv-modules.d" \
		--add "$gconv/UTF-32.so:$gconv/UTF-32.so" \
		--add "$BUILD/user/glibc/gdbtarget:/data/gdbtarget" \
		--add "$BUILD/user/musl/gdbtarget:/data/gdbtarget_musl" -- '
ifconfig lo 127.0.0.1 up
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf); echo "CREATED $id"
mkdir -p /tmp/g && cd /tmp/g
# Start a job under gdb on port $1 (output in $2.out) once the server listens.
gdbjob() {
	port=$1 out=$2; shift 2
	cove run --gdb $port $id -- "$@" > $out.out 2>&1 &
	run=$!
	for i in $(seq 1 150); do grep -q "waits for gdb" $out.out && break; sleep 0.2; done
}
# The job ends by itself once gdb is done with it; one that does not is a failure, cut short.
gdbwait() {
	for i in $(seq 1 300); do kill -0 $run 2>/dev/null || break; sleep 0.2; done
	kill -0 $run 2>/dev/null && { echo "STUCK $1"; kill -9 $run; }
	wait $run; echo "RC $1 $?"; sed "s/^/R${1#g} /" $1.out
}
G() { gdb -nx -batch -ex "set pagination off" "$@" 2>&1; }
echo "hpc:x:1000:1000::/tmp:/bin/sh" >> /etc/passwd; echo "hpc:x:1000:" >> /etc/group
gdbjob 5551 g1 /data/gdbtarget
# Another user may not take the job over: refused, the server waits on.
su hpc -s /bin/sh -c "gdb -nx -batch -ex \"target remote 127.0.0.1:5551\" -ex \"info registers rip\" \
	/data/gdbtarget" 2>&1 | sed "s/^/G0 /"
G -ex "target remote 127.0.0.1:5551" -ex "break gdbtarget_mark" -ex continue \
	-ex "print gdbtarget_value" -ex "print n" -ex bt -ex "info threads" \
	-ex "set \$at = \$pc" -ex stepi -ex "print \$pc > \$at && \$pc < \$at + 16" \
	-ex "print \$fs_base != 0 && \$orig_rax == -1" -ex continue /data/gdbtarget | sed "s/^/G1 /"
gdbwait g1
G -ex "break gdbtarget_mark" -ex run -ex "print gdbtarget_value" -ex "print n" -ex bt \
	-ex continue /data/gdbtarget | sed "s/^/L1 /"
gdbjob 5552 g2 /data/gdbtarget_musl segv
G -ex "target remote 127.0.0.1:5552" -ex continue -ex bt -ex continue /data/gdbtarget_musl | sed "s/^/G2 /"
gdbwait g2
gdbjob 5553 g3 /data/gdbtarget
G -ex "target remote 127.0.0.1:5553" -ex "break gdbtarget_outer" -ex continue -ex "delete" -ex detach \
	/data/gdbtarget | sed "s/^/G3 /"
gdbwait g3
gdbjob 5555 g6 /data/gdbtarget spin
G -ex "target remote 127.0.0.1:5555" -ex "shell (sleep 5; kill -INT \$PPID) &" -ex continue \
	-ex "print gdbtarget_spins > 0" -ex "set var gdbtarget_stop = 1" -ex continue \
	/data/gdbtarget | sed "s/^/G6 /"
gdbwait g6
gdbjob 5556 g7 /data/gdbtarget race
G -ex "target remote 127.0.0.1:5556" -ex "break gdbtarget_hit" -ex continue -ex continue \
	-ex continue -ex continue -ex continue -ex continue -ex delete -ex continue \
	/data/gdbtarget | sed "s/^/G7 /"
gdbwait g7
gdbjob 5554 g4 /data/gdbtarget
G -ex "target remote 127.0.0.1:5554" -ex "break gdbtarget_mark" -ex continue -ex "shell kill -9 \$PPID" \
	/data/gdbtarget | sed "s/^/G4 /"
gdbwait g4
gdbjob 5557 g8 /data/gdbtarget
kill -INT $run; sleep 1; kill -INT $run
gdbwait g8
cove run $id -- /data/gdbtarget > g5.out 2>&1; echo "RC g5 $?"; sed "s/^/R5 /" g5.out
cove console $id | tail -n 30 | sed "s/^/CONSOLE /"
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	local who
	for who in G1 L1; do
		expect_log_re "$who (Thread [0-9]+ .*hit )?Breakpoint 1, gdbtarget_mark \\(n=21\\) at gdbtarget.c:[0-9]+"
		expect_log "$who \$1 = 21"
		expect_log "$who \$2 = 21"
		expect_log_re "$who #0 +gdbtarget_mark \\(n=21\\) at gdbtarget.c:[0-9]+"
		expect_log_re "$who #1 +0x[0-9a-f]+ in gdbtarget_outer \\(n=.*\\) at gdbtarget.c:[0-9]+"
		expect_log_re "$who #2 +0x[0-9a-f]+ in main \\(argc=.*\\) at gdbtarget.c:[0-9]+"
	done
	# Values and backtrace as gdb shows them with Linux's ptrace, byte for byte.
	local cove_view linux_view
	cove_view=$(tr -d '\r' < "$LOG" | sed -n 's/^G1 \([#$].*\)/\1/p' | head -n 5)
	linux_view=$(tr -d '\r' < "$LOG" | sed -n 's/^L1 \([#$].*\)/\1/p' | head -n 5)
	[ -n "$cove_view" ] && [ "$cove_view" = "$linux_view" ] ||
		fail "gdb through Cove shows '$cove_view', on Linux '$linux_view'"
	expect_log_re "G1 \\* 1 +Thread [0-9]+ .*gdbtarget_mark \\(n=21\\)"
	expect_log_re "G1 +2 +Thread [0-9]+ "
	expect_log "G1 \$3 = 1"
	expect_log "G1 \$4 = 1"	# the thread pointer (glibc's TLS) is there
	expect_log "G1 [Inferior 1 (Remote target) exited with code 03]"
	expect_log "RC g1 3"
	expect_log "R1 cove run: gdb server: refused a connection from another user (the job is uid 0's)"
	expect_log "G0 The program has no registers now."
	expect_log "R1 gdbtarget: value 42 threads 2"
	expect_log "L1 [Inferior 1 (process"
	expect_log "G2 Program received signal SIGSEGV, Segmentation fault."
	expect_log_re "G2 #0 +(0x[0-9a-f]+ in )?gdbtarget_crash \\(\\) at gdbtarget.c:[0-9]+"
	expect_log "G2 Program terminated with signal SIGSEGV, Segmentation fault."
	expect_log "RC g2 139"
	expect_log_re "G3 (Thread [0-9]+ .*hit )?Breakpoint 1, gdbtarget_outer \\(n=21\\)"
	expect_log "G3 [Inferior 1 (Remote target) detached]"
	expect_log "RC g3 3"
	expect_log "R3 gdbtarget: value 42 threads 2"
	# Two threads running into one breakpoint: six stops (three each), no hit lost.
	[ "$(grep -acE "^G7 Thread [0-9]+ .*hit Breakpoint 1, gdbtarget_hit \\(who=(who@entry=)?[12]\\)" "$LOG")" = 6 ] ||
		fail "gdb did not stop six times in gdbtarget_hit"
	expect_log "G7 [Inferior 1 (Remote target) exited normally]"
	expect_log "RC g7 0"
	expect_log "R7 gdbtarget: hits 6"
	# ^C in gdb interrupts the running job (SIGINT, not passed on); a variable set goes in.
	expect_log "G6 Program received signal SIGINT, Interrupt."
	expect_log "G6 \$1 = 1"
	expect_log "G6 [Inferior 1 (Remote target) exited normally]"
	expect_log "RC g6 0"
	expect_log "R6 gdbtarget: stopped after spinning"
	expect_log_re "G4 (Thread [0-9]+ .*hit )?Breakpoint 1, gdbtarget_mark \\(n=21\\)"
	expect_log_re "R4 cove run: gdb server: gdb went away; killing job [0-9]+"
	expect_log "RC g4 137"
	# Ctrl-C twice at a `cove run` whose job waits for a gdb that never came ends it.
	expect_log "RC g8 137"
	expect_log_re "R8 cove run: job [0-9]+ was killed by signal 9"
	expect_log "RC g5 3"
	expect_log "R5 gdbtarget: value 42 threads 2"
	expect_no_log "STUCK"
	expect_log "RC destroy 0"
	expect_all_back
}

# shellcheck source=test/cokernel/mpi.sh
. test/cokernel/mpi.sh

# NUMA in co-kernel mode (issue 19): the host is two NUMA nodes (cores 0-1
# and 2-3, 1 GiB each, 21 apart); the enclave's nodes are the host's own
# ids. What the enclave says of itself -- the nodes its memory is on
# (numatest's MEMS_ALLOWED mask), the node of its cores, the distances --
# must be what Linux says of the same memory blocks and cores; numatest
# passes there.
scenario_apps_numa() {
	cokernel_vm --numa 2 --mem 2048M --timeout 400 "${CLI_ADDS[@]}" \
		--add "$BUILD/user/glibc/numatest:/data/numatest" \
		--add "$BUILD/user/musl/numatest:/data/numatest_musl" -- '
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf); echo "CREATED $id"
mask=0
for n in $(for m in /sys/devices/system/memory/memory*; do
		[ "$(cat $m/state)" = offline ] && ls -d $m/node* | sed "s/.*node//"
	done | sort -u); do
	mask=$((mask | (1 << n)))
done
echo "HOST enclave memory mask $(printf "%#x" $mask)"
echo "HOST cpu node $(ls -d /sys/devices/system/cpu/cpu2/node* | sed "s/.*node//")"
echo "HOST distance $(cat /sys/devices/system/node/node0/distance)"
cd /tmp
for p in numatest numatest_musl; do
	cove run $id -- /data/$p > /tmp/job.$p 2>&1; echo "RC job $p $?"
	sed "s/^/JOB $p /" /tmp/job.$p
done
grep -q "^numatest: nodes [0-9]* mask $(printf "%#x" $mask)\$" /tmp/job.numatest &&
	echo "SAME memory nodes"
echo "ENCLAVE cpu node $(cove run $id -- /bin/busybox cat /sys/devices/system/node/has_cpu)"
echo "ENCLAVE distance $(cove run $id -- /bin/busybox cat /sys/devices/system/node/node0/distance)"
cove console $id | grep "numa\|node[0-9]:" | sed "s/^/CONSOLE /"
cove destroy $id; echo "RC destroy $?"
check_back
'
	expect_status 0
	expect_log "CREATED 1"
	expect_log "RC job numatest 0"
	expect_log "RC job numatest_musl 0"
	expect_log "JOB numatest numatest: ok"
	expect_log "JOB numatest_musl numatest: ok"
	expect_log "SAME memory nodes"
	expect_log "HOST cpu node 1"
	expect_log "ENCLAVE cpu node 1"
	expect_log "HOST distance 10 21"
	expect_log "ENCLAVE distance 10 21"
	expect_log "CONSOLE numa: 2 nodes"
	expect_log "RC destroy 0"
	expect_all_back
}
