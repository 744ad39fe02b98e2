#!/bin/bash
# Co-kernel scenarios: the loader module (linux/module) inside Debian's
# Linux 6.1 under QEMU TCG (-cpu max: AMD SVM, xAPIC), 4 CPUs, 2 GiB,
# movablecore=1G so memory blocks can be offlined. Each scenario boots one
# guest; see test/cokernel/lib.sh.

# shellcheck source=test/cokernel/lib.sh
. test/cokernel/lib.sh

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
	expect_log "cove: no enclave 5"
	expect_log "cove: no enclave 7"
	expect_log "cove: no enclave 3"
	[ "$(grep -ac 'covectl: create: .*(errno EINVAL)' "$LOG")" = 5 ] ||
		fail "expected 5 EINVAL refusals of create"
	[ "$(grep -ac 'covectl: create: .*(errno ENOEXEC)' "$LOG")" = 2 ] ||
		fail "expected 2 ENOEXEC refusals of create"
	expect_errno create ENOMEM
	expect_errno status EINVAL
	expect_errno destroy EINVAL
	expect_errno console EINVAL
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
	# Cove may refuse to give the range back (EBUSY) or do it.
	grep -aq "REMOVED" "$LOG" || expect_errno remove EBUSY
	expect_all_back
}
