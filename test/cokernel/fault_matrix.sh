#!/bin/bash
# The fault matrix for co-kernel mode under the Linux 6.1 host (AMD SVM,
# QEMU -cpu max): every way an enclave can misbehave, each run in an
# enclave of its own with protection on and with it off. One row per kind;
# the scenarios below and the README's table are made from these rows.
#
# Fields, split on '|':
#   kind      the name in the table
#   what      what the enclave does (README)
#   run       the job: "kfault KIND" (the kernel misbehaves on request) or
#             "fault MODE" (a user program does); @watch is replaced by the
#             address of a page of Linux's that memwatch holds, @wait feeds
#             the job a stdin that stays empty for 3 s
#   on        guarded: "RC STATE REGEX" -- cove run's status, the enclave's
#             state after it, and what the job's output, the kernel's
#             fault_inject lines or the enclave's status (the fault report as
#             the host read it) must show
#   off       unguarded, the harm: "RC STATE REGEX" as above, or
#             @watch   memwatch saw its page change
#             @rings   Linux took the storm's interrupts (at least 100)
#             @linux:REGEX  Linux's own log shows it
#             @reset   the whole machine resets: Linux is gone (a scenario
#                      of its own)
#             same:WHO the same either way: WHO contains it (the host's own
#                      checks, or the kernel refusing a job)
#             n/a:WHY  nothing to harm without the layer
FAULT_MATRIX=(
"wild_write|a write to a page of Linux's memory|kfault wild_write @watch|1 failed write at guest physical 0x[0-9a-f]+: outside the partition|@watch"
"layer_write|a write into the layer's memory|kfault layer_write|1 failed inside the protection layer's memory|n/a:no layer runs, so there is none to hit"
"layer_code|a write into the layer's code|kfault layer_code|1 failed inside the protection layer's memory|n/a:the write lands in the layer's image, but no layer runs it"
"triple_fault|an empty IDT, then a fault|kfault triple_fault|1 failed the kernel triple-faulted|@reset"
"reset|a reset through port 0xcf9|kfault reset|1 failed I/O port 0xcf9|n/a:under the Linux guest QEMU sometimes resets, sometimes not; bare mode shows the reset (protect_off_reset_port_resets)"
"apic_base|a write to the APIC base MSR|kfault apic_base|1 failed MSR 0x1b|0 ready the APIC base is now 0xfed00[89]00"
"msr_write|the MTRRs turned off (a machine-wide MSR)|kfault msr_write|1 failed write of MSR 0x2ff .*IA32_MTRR_DEF_TYPE|0 ready the MTRRs are off"
"pci_config|a read of the platform's PCI configuration|kfault pci_config|1 failed write of I/O port 0xcf8|0 ready the platform's PCI configuration answered: device 00:00.0 is [0-9a-f]{4}:[0-9a-f]{4}"
"vmrun|VMRUN in the kernel|kfault vmrun|1 failed SVM instruction|1 failed the Cove kernel panicked"
"ipi_foreign|INIT and SIPI to Linux's core 1|kfault ipi_foreign 1|1 failed IPI \\(ICR 0x[0-9a-f]+\\) aimed at APIC id 1, outside the enclave|n/a:it would take a core from under Linux; bare mode shows a core taken (protect_off_ipi_foreign_takes_core)"
"nmi_foreign|an NMI to Linux's core 0|kfault nmi_foreign|1 failed aimed at APIC id 0, outside the enclave|@linux:NMI received for unknown reason .* on CPU 0"
"chan_scribble|impossible geometry over the channel headers|kfault chan_scribble|1 failed the enclave overwrote its control channel header|same:the host's own checks"
"lc_flood|long-call slots republished before their answers|kfault lc_flood @wait|1 failed long-call flood: the enclave published slot [0-3] again|same:the host's own checks"
"doorbell_storm|the host's doorbell rung without end|kfault doorbell_storm|1 failed doorbell storm: the kernel kept ringing the host's doorbell|@rings"
"hang|every core spins with interrupts off|kfault hang|1 hung hung: the kernel did not answer the host's doorbell for [0-9]+ ms|same:the host's own checks"
"panic|a kernel panic|kfault panic|1 failed the Cove kernel panicked|same:the host's own checks"
"segv_job|a job that writes through NULL|fault segv|139 ready killed by signal 11|same:the kernel ends the job or refuses it"
"oom_job|a job that maps memory until refused|fault oom|0 ready fault: oom: mapped [0-9]+ MiB, then mmap said: Cannot allocate memory|same:the kernel ends the job or refuses it"
"thread_storm|a job that starts threads until refused|fault threadstorm|0 ready fault: threadstorm: [0-9]+ threads, then pthread_create said|same:the kernel ends the job or refuses it"
)

# shellcheck source=test/matrix_field.sh
. test/matrix_field.sh

# The guest side: try KIND MODE RUN...: one enclave, the job, its verdict as
# RESULT/OUT/RINGS/WATCH lines; then the enclave is destroyed.
FAULT_MATRIX_GUEST='
echo 1000 > /sys/module/cove/parameters/hang_ms
rings() { awk "/cove-doorbell/ { print \$2 }" /proc/interrupts; }
try() {
	k=$1; m=$2; shift 2
	id=$(cove create --cpus 2-3 --mem 128M --image /data/cove.elf --protect $m \
		--cmdline fault_inject=on_request)
	watch=""; wait=0; r0=$(rings)
	case "$*" in *@watch*)
		rm -f /tmp/addr /tmp/go
		/data/memwatch /tmp/addr /tmp/go & watch=$!
		while [ ! -s /tmp/addr ]; do sleep 0.1; done ;;
	esac
	case "$*" in *@wait*) wait=1 ;; esac
	set -- $(echo "$*" | sed "s|@watch|$(cat /tmp/addr 2>/dev/null)|; s|@wait||")
	# Live, line by line: a fault that takes the machine down leaves what it printed.
	{
		if [ $wait = 1 ]; then
			sleep 3 | cove run $id -- /data/"$@"
		else
			cove run $id -- /data/"$@"
		fi
		echo $? >/tmp/rc
	} 2>&1 | sed "s/^/OUT $k $m /"
	rc=$(cat /tmp/rc)
	cove console $id | grep "fault_inject:" | sed "s/^/OUT $k $m /"
	cove status $id --json | sed "s/^/OUT $k $m /"
	echo "RESULT $k $m $rc $(cat /sys/kernel/cove/$id/state)"
	echo "RINGS $k $m $r0 $(rings)"
	if [ -n "$watch" ]; then touch /tmp/go; wait $watch; echo "WATCH $k $m $?"; fi
	cove destroy $id; echo "DESTROYED $k $m $?"
}
'

# The guest commands for every row of one mode, or of one kind.
fault_matrix_script() {	# MODE [KIND]
	local row kind run off script="$FAULT_MATRIX_GUEST"
	for row in "${FAULT_MATRIX[@]}"; do
		kind=$(matrix_field "$row" 1)
		run=$(matrix_field "$row" 3)
		off=$(matrix_field "$row" 5)
		if [ -n "${2:-}" ]; then
			[ "$kind" = "$2" ] || continue
		elif [ "$1" = off ]; then
			case "$off" in @reset|n/a:*) continue ;; esac
		fi
		script+="try $kind $1 $run
"
	done
	printf '%s' "$script"
}

# Check one "RC STATE REGEX" expectation for KIND in MODE.
fault_matrix_expect() {	# KIND MODE "RC STATE REGEX"
	local rc state re
	read -r rc state re <<<"$3"
	expect_log "RESULT $1 $2 $rc $state"
	expect_log_re "^OUT $1 $2 .*$re"
	expect_log "DESTROYED $1 $2 0"
}

fault_matrix_check() {	# MODE
	local row kind on off before after line
	for row in "${FAULT_MATRIX[@]}"; do
		kind=$(matrix_field "$row" 1)
		on=$(matrix_field "$row" 4)
		off=$(matrix_field "$row" 5)
		if [ "$1" = on ]; then
			fault_matrix_expect "$kind" on "$on"
			case "$off" in @watch) expect_log "WATCH $kind on 0" ;; esac
			continue
		fi
		case "$off" in
		@reset|n/a:*) ;;
		same:*) fault_matrix_expect "$kind" off "$on" ;;
		@watch)
			expect_log "WATCH $kind off 3"
			expect_log_re "RESULT $kind off 0 ready" ;;
		@rings)
			expect_log_re "RESULT $kind off 0 ready"
			line=$(grep -a "^RINGS $kind off" "$LOG" | tr -d '\r' | tail -n 1)
			read -r _ _ _ before after <<<"$line"
			# Rings into a pending vector merge: Linux counts far fewer than were sent.
			[ -n "$after" ] && [ "$after" -ge $((before + 100)) ] ||
				fail "$kind: unguarded, Linux took no storm (${before:-?} -> ${after:-?})"
			;;
		@linux:*)
			expect_log_re "RESULT $kind off 0 ready"
			expect_log_re "${off#@linux:}" ;;
		*) fault_matrix_expect "$kind" off "$off" ;;
		esac
	done
}

# Every row of one mode in one Linux VM; Linux alive and whole at the end.
fault_matrix_run() {	# on|off
	cokernel_vm --timeout 900 "${CLI_ADDS[@]}" -- "$(fault_matrix_script "$1")
echo \"LINUX alive \$(cat /sys/devices/system/cpu/online)\"
check_back
"
	expect_status 0
	fault_matrix_check "$1"
	expect_log "LINUX alive 0-3"
	expect_all_back
}

# Every kind, guarded: contained, reported to the host, Linux untouched.
scenario_cli_fault_matrix_on() {
	fault_matrix_run on
}

# Every kind Linux survives, unguarded: the harm each does.
scenario_cli_fault_matrix_off() {
	fault_matrix_run off
}

# One kind that resets the whole machine when unguarded: Linux is gone.
fault_matrix_off_reset() {	# KIND
	cokernel_vm --timeout 300 "${CLI_ADDS[@]}" -- "$(fault_matrix_script off "$1")
echo \"LINUX alive\"
"
	expect_status 125	# no LINUX-VM-EXIT: the machine reset under Linux (-no-reboot)
	expect_log "cove 1: ready in"	# what the job printed may not reach the console
	expect_no_log "LINUX alive"
	expect_no_log "RESULT $1 off"
	grep -q "stopped without printing LINUX-VM-EXIT" "$LOG.vm" ||
		fail "$1: the guest did not stop under Linux (see $LOG.vm)"
}

for _row in "${FAULT_MATRIX[@]}"; do
	if [ "$(matrix_field "$_row" 5)" = @reset ]; then
		_kind=$(matrix_field "$_row" 1)
		eval "scenario_cli_fault_off_${_kind}_resets_linux() { fault_matrix_off_reset $_kind; }"
	fi
done
unset _row _kind

# The README's table: kind, what it does, guarded, unguarded.
fault_matrix_markdown() {
	local row kind what on off rc state re harm
	echo "| kind | the enclave does | protection on (SVM, Linux host) | protection off |"
	echo "| --- | --- | --- | --- |"
	for row in "${FAULT_MATRIX[@]}"; do
		kind=$(matrix_field "$row" 1)
		what=$(matrix_field "$row" 2)
		on=$(matrix_field "$row" 4)
		off=$(matrix_field "$row" 5)
		read -r rc state re <<<"$on"
		on="contained: enclave $state, cove run $rc"
		case "$off" in
		@watch) harm="**harm**: Linux's page changed" ;;
		@rings) harm="**harm**: the storm reaches Linux's core 0" ;;
		@reset) harm="**harm**: the machine resets under Linux" ;;
		@linux:*) harm="**harm**: Linux logs \`${off#@linux:}\`" ;;
		same:*) harm="the same: ${off#same:}" ;;
		n/a:*) harm="n/a: ${off#n/a:}" ;;
		*) read -r rc state re <<<"$off"; harm="**harm**: \`$re\` (enclave $state)" ;;
		esac
		echo "| \`$kind\` | $what | $on | $harm |"
	done
}
