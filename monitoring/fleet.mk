# The fleet stack (scripts/lib-fleet.sh): bcmon-clockstep steps each
# guest's clock to the host's at boot, so that span times of one trace
# compare across guests. A harness tool, not installed.
$(BINDIR)/bcmon-clockstep: $(OBJDIR)/tests/tools/clockstep.o
	@mkdir -p $(@D)
	$(CC) -o $@ $^

USER_BINS += $(BINDIR)/bcmon-clockstep
