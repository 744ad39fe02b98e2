#!/bin/bash
# The fault matrices' rows (test/cokernel/fault_matrix.sh,
# test/protect/standin_matrix_table.sh) are fields split on '|'.

# matrix_field ROW N: the Nth field (1-based) of a row.
matrix_field() {
	local fields
	IFS='|' read -r -a fields <<<"$1"
	printf '%s\n' "${fields[$2 - 1]}"
}
