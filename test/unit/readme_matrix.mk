# The README's fault matrices against the rows they are made from
# (test_readme_matrix.sh), installed among the unit binaries.
$(BUILD)/unit/readme_matrix: test/unit/test_readme_matrix.sh test/cokernel/fault_matrix.sh \
		test/protect/standin_matrix_table.sh README.md
	@mkdir -p $(BUILD)/unit
	@cp $< $@
	@chmod +x $@
unit-bins: $(BUILD)/unit/readme_matrix
