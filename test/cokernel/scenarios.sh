#!/bin/bash
# Co-kernel scenarios: the loader module (linux/module) inside Debian's
# Linux 6.1 under QEMU TCG (-cpu max: AMD SVM, xAPIC), 4 CPUs, 2 GiB,
# movablecore=1G so memory blocks can be offlined. Each scenario boots one
# guest; see test/cokernel/lib.sh.

# shellcheck source=test/cokernel/lib.sh
. test/cokernel/lib.sh
# shellcheck source=test/cokernel/fault_matrix.sh
. test/cokernel/fault_matrix.sh

scenario_module_loads() {
	cokernel_vm -- '
ls -l /dev/cove
ls /sys/kernel/cove && echo "SYSFS ok"
rmmod cove && echo "RMMOD ok"
[ -e /dev/cove ] || echo "DEVICE gone"
'
	expect_status 0
	expect_log "cove: loader ready (/dev/cove, ABI 1, memory block 128 MiB)"
	expect_log_re "^crw------- +1 0 +0 +10, +[0-9]+ .* /dev/cove"
	expect_log "SYSFS ok"
	expect_log "RMMOD ok"
	expect_log "DEVICE gone"
}

# Every refusal: one line in the kernel log naming why, a distinct errno,
# and nothing taken from Linux.
scenario_misuse_errors() {
	cokernel_vm -- '
C=/data/covectl
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
check_back
'
	expect_status 0
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
	[ "$(grep -ac 'covectl: create: .*(errno EINVAL)' "$LOG")" = 5 ] ||
		fail "expected 5 EINVAL refusals of create"
	[ "$(grep -ac 'covectl: create: .*(errno ENOEXEC)' "$LOG")" = 2 ] ||
		fail "expected 2 ENOEXEC refusals of create"
	expect_errno create ENOMEM
	expect_errno status ENOENT
	expect_errno destroy ENOENT
	expect_errno console ENOENT
	expect_all_back
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
# A host symlink into /proc: root ran cove run, yet the job may not reach
# the memory of the server that serves it.
ln -s /proc/self/mem memlink
cove run $id -- /bin/busybox cat memlink; echo "RC memlink $?"
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
	expect_log_re "cat: can.t open .memlink.: Permission denied"
	expect_log "RC memlink 1"
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
# A create whose boot never ends does not hold up another create.
scenario_cli_hang_restart() {
	cokernel_vm --timeout 500 "${CLI_ADDS[@]}" \
		--add "$BUILD/user/glibc/bench_noise:/data/bench_noise" -- '
echo 1000 > /sys/module/cove/parameters/hang_ms
id=$(cove create --cpus 2-3 --mem 256M --image /data/cove.elf \
	--cmdline fault_inject=on_request)
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

# A hundred create -> run -> destroy cycles, and before every ninth one a
# cycle whose job injects a fault (each kind once, guarded): after every
# cycle each CPU is online again and MemFree is back. Tolerances: 16 MiB
# against the first baseline (per-CPU page lists and slab caches refill as
# cores come back), and 4 MiB of drift from cycle 10 to cycle 100, so a
# leak of 48 KiB a cycle or more shows.
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
	drift=$(grep -a '^BACK memfree' "$LOG" | tr -d '\r' |
		awk 'NR == 10 { m10 = $4 } NR == 100 { print m10 - $4 }')
	[ -n "$drift" ] && [ "$drift" -le 4096 ] ||
		fail "MemFree drifted down ${drift:-?} KiB from cycle 10 to cycle 100"
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
# over all vCPUs. A job must get more than 99% of its 512 MiB partition.
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
