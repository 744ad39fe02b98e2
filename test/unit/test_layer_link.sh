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
	vmm_host_nmi vmm_host_apic_write vmm_host_mem_add vmm_layer_init vmm_host_hypercall
within layer_statics_hidden "$data" "$end" . vmm_stopping vmm_nested_gen vmm_apic_ids vmm_partition \
	vmm_sync vmm_cores vmm_ap_slots vmm_be vmm_svm_backend vmm_vmx_backend
# Co-kernel cores other than the boot core start in the layer's text and
# wait on its data: the guest can change neither where they go nor when.
within layer_core_entry_hidden "$start" "$data" . vmm_ap_entry vmm_ap_entry_end vmm_host_cpu_start

# The image header (struct cove_image_header) tells the loader to start
# those cores at vmm_ap_entry: cpu_entry_phys, at offset 48, is its link
# physical address.
cpu_entry_of_header() {
	local hdr sec_addr sec_off
	hdr=$(addr cove_image_header)
	read -r sec_addr sec_off < <(readelf -SW "$ELF" |
		awk '{ for (i = 1; i < NF; i++) if ($i == ".boot") { print $(i + 2), $(i + 3); exit } }')
	[ -n "$hdr" ] && [ -n "$sec_addr" ] || return
	od -An -t x8 -j $((0x$sec_off + 0x$hdr - 0x$sec_addr + 48)) -N 8 "$ELF" | tr -d ' '
}
entry=$(addr vmm_ap_entry)
want=$(printf '%016x' $((0x${entry:-0} - 0xffffffff80000000)))
got=$(cpu_entry_of_header)
result header_names_layer_core_entry \
	"$([ -n "$entry" ] && [ "$got" = "$want" ] || echo "header cpu_entry ${got:-unreadable}, vmm_ap_entry at physical $want")"
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
for s in vmm_cpu_launch svm_hypercall vmx_hypercall vmm_hypercall vmm_partition_add; do
	a=$(addr "$s")
	if [ -z "$a" ]; then
		why+="$s missing; "
	elif ! below "$a" "$start" && below "$a" "$end"; then
		why+="$s is inside the hidden sections; "
	fi
done
result layer_guest_side_visible "$why"
exit $failed
