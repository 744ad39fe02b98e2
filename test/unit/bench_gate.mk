# make bench's verdict (scripts/bench-gate.sh) on made-up tables:
# test_bench_gate.sh, installed among the unit binaries so test/run.sh runs it.
$(BUILD)/unit/bench_gate: test/unit/test_bench_gate.sh scripts/bench-gate.sh
	@mkdir -p $(BUILD)/unit
	@cp $< $@
	@chmod +x $@
unit-bins: $(BUILD)/unit/bench_gate
