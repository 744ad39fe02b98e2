# The protection layer's isolation in the linked image (test_layer_link.sh),
# installed among the unit binaries so test/run.sh runs it.
$(BUILD)/unit/layer_link: test/unit/test_layer_link.sh $(ELF)
	@mkdir -p $(BUILD)/unit
	@cp $< $@
	@chmod +x $@
unit-bins: $(BUILD)/unit/layer_link
