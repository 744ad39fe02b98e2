# The cove CLI's pure parsers, checked against Cove's own job-line parser.
UNIT_TESTS += cove_cli
UNIT_SRCS_cove_cli := test/unit/test_cove_cli.c linux/tools/cli_parse.c kernel/job/job_parse.c \
	kernel/cmdline.c kernel/lib/kvsnprintf.c

# The CLI run as a program (usage errors, no module, a mock /dev/cove):
# test_cove_cli.sh, installed among the unit binaries so test/run.sh runs it.
# create checks its image is a Cove image: the real one must exist first.
$(BUILD)/unit/cove_cli_cmd: test/unit/test_cove_cli.sh $(BUILD)/linux/cove $(BUILD)/linux/cove-mock \
			    $(ELF)
	@mkdir -p $(BUILD)/unit
	@cp $< $@
	@chmod +x $@
unit-bins: $(BUILD)/unit/cove_cli_cmd
