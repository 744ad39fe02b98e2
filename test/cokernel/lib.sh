#!/bin/bash
# Helpers for co-kernel scenarios: boot Debian's Linux under QEMU TCG
# (scripts/linux-vm.sh, never KVM) with the loader module (cove.ko), its
# test driver (covectl) and the Cove image in the initramfs, run shell
# commands there, then check the guest console log with the expect_*
# helpers of test/boot/lib.sh.
#
# Inside the guest: /data/cove.ko, /data/covectl, /data/cove.elf; the
# module is loaded before the commands run; these shell helpers exist:
#   memfree              MemFree in KiB
#   mark                 remember MemFree and the online CPUs (the baseline)
#   check_back           print "BACK memfree BEFORE AFTER cpus BEFORE AFTER"
# covectl prints "covectl: CALL: <strerror> (errno NAME)" for any refusal.

COKERNEL_DIR="$BUILD/cokernel"
COKERNEL_KO="$COKERNEL_DIR/cove.ko"
COVECTL="$COKERNEL_DIR/covectl"

COKERNEL_PRELUDE='
# Free memory in KiB: MemFree, and the pages CPUs keep on their free lists
# (the pageset counts in /proc/zoneinfo), which MemFree leaves out: Linux 6.1
# keeps freed huge pages there too.
pcp_kib() { awk "\$1 == \"count:\" { n += \$2 } END { print n * 4 }" /proc/zoneinfo; }
memfree() { echo $(($(awk "/^MemFree:/ { print \$2 }" /proc/meminfo) + $(pcp_kib))); }
meminfo() { cat /proc/meminfo; echo "PerCPULists: $(pcp_kib) kB"; }
# Both ends drop clean caches first, so what a scenario read is not counted.
mark() {
	sync; echo 3 > /proc/sys/vm/drop_caches
	BASE_MEM=$(memfree); BASE_CPUS=$(cat /sys/devices/system/cpu/online)
	meminfo > /tmp/meminfo.base
}
# Beside the BACK line, every meminfo field that moved by 1 MiB or more: a
# MemFree short of its baseline then says where the memory went.
check_back() {
	sleep 1
	sync; echo 3 > /proc/sys/vm/drop_caches
	echo "BACK memfree $BASE_MEM $(memfree) cpus $BASE_CPUS $(cat /sys/devices/system/cpu/online)"
	meminfo | awk "NR == FNR { was[\$1] = \$2; next }
	     \$3 == \"kB\" && (\$2 - was[\$1] >= 1024 || was[\$1] - \$2 >= 1024) {
		print \"MEMDIFF\", \$1, was[\$1], \$2 }" /tmp/meminfo.base -
}
echo 7 > /proc/sys/kernel/printk
insmod /data/cove.ko || { echo "INSMOD FAILED"; exit 99; }
mark
'

# cokernel_vm [--smp N] [--mem SIZE] [--timeout S] [--append ARGS]
#             [--add HOST:GUEST]... [--plugin SO,ARGS] [--numa NODES] -- 'commands'
# --numa: the host is NODES NUMA nodes (scripts/numa-args.sh; --mem in M).
cokernel_vm() {
	local smp=4 mem=2G timeout=300 append="movablecore=1G" adds=() plugin=() numa="" a
	local machine=()
	while [ $# -gt 0 ]; do
		case "$1" in
		--numa) numa="$2"; shift 2 ;;
		--add) adds+=(--add "$2"); shift 2 ;;
		--plugin) plugin=(--plugin "$2"); shift 2 ;;
		--smp) smp="$2"; shift 2 ;;
		--mem) mem="$2"; shift 2 ;;
		--timeout) timeout="$2"; shift 2 ;;
		--append) append="$append $2"; shift 2 ;;
		--) shift; break ;;
		*) fail "cokernel_vm: bad option $1"; return ;;
		esac
	done
	if [ -n "$numa" ]; then
		while IFS= read -r a; do
			machine+=(--qemu-arg "$a")
		done < <(scripts/numa-args.sh "$numa" "$smp" "${mem%M}")
	fi
	local f
	for f in "$COKERNEL_KO" "$COVECTL" "$ELF"; do
		[ -f "$f" ] || { fail "missing $f (did it build?)"; return; }
	done
	local try
	: > "$LOG.vm"
	for try in 1 2; do
		scripts/linux-vm.sh --smp "$smp" --mem "$mem" --cpu max --timeout "$timeout" \
			--log "$LOG" --append "$append" \
			--add "$COKERNEL_KO:/data/cove.ko" --add "$COVECTL:/data/covectl" \
			--add "$ELF:/data/cove.elf" ${adds[@]+"${adds[@]}"} \
			${plugin[@]+"${plugin[@]}"} ${machine[@]+"${machine[@]}"} \
			-- "$COKERNEL_PRELUDE$1" 2>>"$LOG.vm"
		STATUS=$?
		# Linux never reached its init (once in a loaded suite, no output in
		# 300 s): no Cove code had run, not even the module. Once more.
		if [ "$STATUS" != 124 ] || grep -aq "^LINUX-VM-INIT" "$LOG" || [ "$try" = 2 ]; then
			break
		fi
		echo "cokernel_vm: the Linux guest never reached its init; booting it again" \
			>> "$LOG.vm"
	done
	expect_no_log "INSMOD FAILED"
	# Whatever the scenario did, the host kernel must not have complained.
	expect_no_log "BUG:"
	expect_no_log "WARNING:"
	expect_no_log "Oops"
}

# The errno covectl reported for CALL, e.g. expect_errno create EINVAL.
expect_errno() {
	expect_log_re "covectl: $1: .* \\(errno $2\\)"
}

# The last "BACK" line: every CPU online again as before, and MemFree back
# to its baseline (within 16 MiB, or the KiB given: per-CPU caches refill as
# cores return).
expect_all_back() {
	local slack_kib=${1:-16384} line before after cb ca
	line=$(grep -a '^BACK memfree' "$LOG" | tr -d '\r' | tail -n 1)
	if [ -z "$line" ]; then
		fail "no BACK line (the commands did not get that far)"
		return
	fi
	read -r _ _ before after _ cb ca <<<"$line"
	[ "$cb" = "$ca" ] || fail "online CPUs were $cb, now $ca"
	[ "$after" -ge $((before - slack_kib)) ] ||
		fail "MemFree was $before KiB, now $after KiB (not given back;" \
			"$(grep -a '^MEMDIFF' "$LOG" | tr -d '\r' | tr '\n' ' '))"
}

# --add options for host programs and every shared library they load (as
# ldd says), at the same paths in the guest: Debian's own dynamically
# linked binaries, run unmodified on the guest and in an enclave.
debian_adds() {
	local bin lib
	for bin in "$@"; do
		printf '%s\n' "--add" "$bin:$bin"
		ldd "$bin" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' |
			while read -r lib; do
				# The file itself at the name ldd gave (ld.so's /lib64 name is a symlink).
				printf '%s\n' "--add" "$(readlink -f "$lib"):$lib"
			done
	done | awk 'NR % 2 == 1 { opt = $0; next } !seen[$0]++ { print opt; print }'
}
