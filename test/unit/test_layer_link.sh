#!/bin/bash
# The protection layer's isolation, as the linked image shows it: the layer
# object references nothing of the kernel, its handlers and statics sit in
# the sections the nested tables hide, it calls its own copies of library
# code, and the code the guest must run (its resume point, its hypercall
# stubs) sits outside. Installed as $BUILD/unit/layer_link by layer_link.mk;
# prints PASS/FAIL lines for test/run.sh.
set -u
BUILD="${BUILD:-build}"
ELF="$BUILD/cove.elf"
LAYER="$BUILD/obj/vmm/vmm_layer.o"
failed=0

result() {	# result NAME WHY-OR-EMPTY
	if [ -z "$2" ]; then
		echo "PASS layer_link.$1"
	else
		echo "FAIL layer_link.$1: $2"
		failed=1
	fi
}

# Addresses stay nm's 16 hex digits: compared as strings, they order like
# numbers (bash arithmetic is signed and the image sits above 2^63).
addr() {	# addr SYMBOL [TYPE-REGEX]: its address in cove.elf
	nm "$ELF" | awk -v s="$1" -v t="${2:-.}" '$3 == s && $2 ~ t { print $1; exit }'
}

below() {	# below A B: A < B
	[[ "$1" < "$2" ]]
}

start=$(addr __vmm_start) data=$(addr __vmm_data_start) end=$(addr __vmm_end)
if [ -z "$start" ] || [ -z "$data" ] || [ -z "$end" ] || ! below "$start" "$data" ||
   ! below "$data" "$end"; then
	result layer_sections "no non-empty .vmm_text/.vmm_data bounds in $ELF"
	exit 1
fi
result layer_sections ""

undef=$(nm -u "$LAYER" | awk '{ print $2 }' | grep -vxE '__vmm_(start|data_start|end)' | xargs)
result layer_no_kernel_references "${undef:+the layer object needs: $undef}"

within() {	# within NAME LO HI TYPE-REGEX SYMBOL...: each symbol's address in [LO, HI)
	local name="$1" lo="$2" hi="$3" type="$4" why="" s a
	shift 4
	for s in "$@"; do
		a=$(addr "$s" "$type")
		if [ -z "$a" ]; then
			why+="$s missing; "
		elif below "$a" "$lo" || ! below "$a" "$hi"; then
			why+="$s at $a is outside; "
		fi
	done
	result "$name" "$why"
}

within layer_handlers_hidden "$start" "$data" . svm_handle_exit vmx_handle_exit vmm_violation \
	vmm_host_nmi vmm_host_apic_write vmm_host_mem_add vmm_layer_init
within layer_statics_hidden "$data" "$end" . vmm_stopping vmm_nested_gen vmm_apic_ids vmm_partition \
	vmm_sync
# The layer's memset/ksnprintf/pgtable_map are local copies inside its text.
within layer_private_copies "$start" "$data" '^t$' memset ksnprintf pgtable_map ranges_contain
why=""
for s in memset ksnprintf pgtable_map; do
	a=$(addr "$s" '^T$')
	if [ -z "$a" ]; then
		why+="the kernel's $s missing; "
	elif ! below "$a" "$start" && below "$a" "$end"; then
		why+="the kernel's $s is inside the layer; "
	fi
done
result kernel_keeps_its_own_copies "$why"
# What the guest executes must stay visible to it.
why=""
for s in vmm_cpu_launch svm_hypercall vmx_hypercall vmm_partition_add; do
	a=$(addr "$s")
	if [ -z "$a" ]; then
		why+="$s missing; "
	elif ! below "$a" "$start" && below "$a" "$end"; then
		why+="$s is inside the hidden sections; "
	fi
done
result layer_guest_side_visible "$why"
exit $failed
