#!/bin/bash
# The fault matrix's VMX column in co-kernel mode: the kinds of
# test/cokernel/fault_matrix.sh (same names) that run as jobs under the
# host stand-in, and what each must show. Data and the README's table
# only: standin_matrix.sh makes the scenarios, test/unit/test_readme_matrix.sh
# checks the README against standin_matrix_markdown.
#
# Fields, split on '|':
#   kind   the matrix's name for it
#   job    the job line (@watch: a word of the stand-in's watched page)
#   on     guarded: "EXPECT REGEX" -- the stand-in's expect= (its verdict
#          must be "seen") and a line the log must show (the fault report
#          as the stand-in read it from the host page: "standin: | ...");
#          expect=hung also turns the stand-in's heartbeat watch on (hang=)
#   off    unguarded, the harm: "EXPECT REGEX" as above, or
#          @reset   the whole machine resets under the stand-in: the next
#                   boot finds its CMOS mark (expect=reset)
#          @rings   the storm reaches the stand-in's core: the job runs to its
#                   end and the core took at least 100 of its rings
#          same     the same as guarded (the kernel or the host contains it)
#          @host:WHY  the same as guarded, not run again: the stand-in's own
#                   handling of the channels, not the layer, keeps it safe
#          n/a:WHY  not run here, and why
STANDIN_MATRIX=(
"wild_write|/bin/kfault wild_write @watch|contained ^standin: .   write at guest physical 0x[0-9a-f]+: outside the partition|changed ^standin: watched memory CHANGED: [0-9a-f]+ now holds badc0ffee0ddf00d"
"layer_write|/bin/kfault layer_write|contained ^standin: .   .*inside the protection layer's memory|n/a:no layer runs, so there is none to hit"
"triple_fault|/bin/kfault triple_fault|contained ^standin: .   the kernel triple-faulted|@reset"
"reset|/bin/kfault reset|contained ^standin: .   write of I/O port 0xcf9|@reset"
"apic_base|/bin/kfault apic_base|contained ^standin: .   write of MSR 0x1b|ready ^enclave: fault_inject: the APIC base is now 0xfed00[0-9a-f]00"
"msr_write|/bin/kfault msr_write|contained ^standin: .   write of MSR 0x2ff|ready ^enclave: fault_inject: the MTRRs are off"
"pci_config|/bin/kfault pci_config|contained ^standin: .   write of I/O port 0xcf8|ready ^enclave: fault_inject: the platform's PCI configuration answered: device 00:00.0 is [0-9a-f]{4}:[0-9a-f]{4}"
"vmrun|/bin/kfault vmrun|contained ^standin: .   the kernel executed a VMX instruction|panic ^enclave: KERNEL FAULT on cpu 0: invalid opcode \(vector 6\)"
"ipi_foreign|/bin/kfault ipi_foreign|contained ^standin: .   .*aimed at APIC id 2, outside the enclave|n/a:the target, APIC id 2, is no core of this machine (given an idle third core, Cove fails to start it with -ENOMEM and nothing visible changes); bare mode shows a core taken (vmx_off_ipi_foreign_takes_core)"
"nmi_foreign|/bin/kfault nmi_foreign|contained ^standin: .   .*aimed at APIC id 0, outside the enclave|ready ^standin: the host's core took 1 NMI it did not ask for"
"chan_scribble|/bin/kfault chan_scribble|ready ^enclave: fault_inject: scribbling on the channel headers|@host:the stand-in never reads the headers' geometry (its own constants)"
"lc_flood|/bin/kfault lc_flood|ready ^enclave: fault_inject: the host took 4 rounds|@host:the stand-in answers each call as it takes it, so a republished slot costs it nothing"
"doorbell_storm|/bin/kfault doorbell_storm|contained ^standin: .   doorbell storm: the kernel kept ringing the host's doorbell|@rings"
"hang|/bin/kfault hang|hung ^standin: hung: the kernel did not answer the host's doorbell for [0-9]+ ms|same"
"panic|/bin/kfault panic|panic ^enclave: .*fault_inject: a kernel panic on request|same"
"segv_job|/bin/fault segv|ready ^standin: job exited with status 139 \(killed by signal 11\)|same"
)

# shellcheck source=test/matrix_field.sh
. test/matrix_field.sh

# A line's pattern as the README shows it: without the log's prefixes.
standin_matrix_shown() {
	local re=$1
	re=${re#^standin: .   }
	re=${re#^standin: }
	re=${re#^enclave: }
	re=${re#.\*}
	printf '%s\n' "$re"
}

standin_matrix_markdown() {
	local row kind job on off expect re harm
	echo "| kind | job the stand-in launches | protection on (VMX, stand-in host) | protection off |"
	echo "| --- | --- | --- | --- |"
	for row in "${STANDIN_MATRIX[@]}"; do
		kind=$(matrix_field "$row" 1)
		job=$(matrix_field "$row" 2)
		on=$(matrix_field "$row" 3)
		off=$(matrix_field "$row" 4)
		read -r expect re <<<"$on"
		case "$expect" in
		contained) on="contained, reported in the host page: " ;;
		hung) on="the host's heartbeat watch finds it hung: " ;;
		panic) on="the kernel panics, the host is untouched: " ;;
		*) on="the job ends, the host is untouched: " ;;
		esac
		on+="\`$(standin_matrix_shown "$re")\`"
		case "$off" in
		same) harm="the same: the kernel or the host contains it" ;;
		@host:*) harm="the same (not run twice): ${off#@host:}" ;;
		@reset) harm="**harm**: the machine resets under the stand-in" ;;
		@rings) harm="**harm**: the storm reaches the stand-in's core (at least 100 rings)" ;;
		n/a:*) harm="n/a: ${off#n/a:}" ;;
		*) read -r expect re <<<"$off"; harm="**harm**: \`$(standin_matrix_shown "$re")\`" ;;
		esac
		echo "| \`$kind\` | \`$job\` | $on | $harm |"
	done
}
