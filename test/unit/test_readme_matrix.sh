#!/bin/bash
# The README's fault-matrix table is the one test/cokernel/fault_matrix.sh
# prints from its rows: a kind added, dropped or changed there must show in
# the README too. Installed as $BUILD/unit/readme_matrix by readme_matrix.mk;
# prints a PASS/FAIL line for test/run.sh.
set -u
# shellcheck source=test/cokernel/fault_matrix.sh
. test/cokernel/fault_matrix.sh
want=$(fault_matrix_markdown)
have=$(awk '/^\| kind \| the enclave does/ { on = 1 } on && /^$/ { exit } on' README.md)
if [ "$want" = "$have" ]; then
	echo "PASS readme_matrix.readme_fault_matrix"
else
	echo "FAIL readme_matrix.readme_fault_matrix: README.md's fault matrix differs from fault_matrix_markdown:"
	diff <(echo "$have") <(echo "$want") | head -n 20
	exit 1
fi
