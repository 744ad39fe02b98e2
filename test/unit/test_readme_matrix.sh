#!/bin/bash
# The README's fault-matrix tables are the ones the test code prints from
# its rows: test/cokernel/fault_matrix.sh (SVM, Linux host) and
# test/protect/standin_matrix_table.sh (VMX, the host stand-in). A kind
# added, dropped or changed there must show in the README too. Installed as
# $BUILD/unit/readme_matrix by readme_matrix.mk; prints PASS/FAIL lines for
# test/run.sh.
set -u
# shellcheck source=test/cokernel/fault_matrix.sh
. test/cokernel/fault_matrix.sh
# shellcheck source=test/protect/standin_matrix_table.sh
. test/protect/standin_matrix_table.sh
rc=0

# check NAME FUNCTION "first words of the table's header"
check() {
	local want have
	want=$($2)
	have=$(awk -v h="$3" 'index($0, h) == 1 { on = 1 } on && /^$/ { exit } on' README.md)
	if [ "$want" = "$have" ]; then
		echo "PASS readme_matrix.$1"
	else
		echo "FAIL readme_matrix.$1: README.md's table differs from $2:"
		diff <(echo "$have") <(echo "$want") | head -n 20
		rc=1
	fi
}

check readme_fault_matrix fault_matrix_markdown "| kind | the enclave does"
check readme_standin_matrix standin_matrix_markdown "| kind | job the stand-in launches"
exit $rc
