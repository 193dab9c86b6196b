# bcmon-errtest: raw-netlink bad-input checks of the error-event and sensor
# commands, for tests/vm/tests/2*-*.sh (copied into the guest from build/bin).
ERRTEST_OBJS := $(OBJDIR)/tests/tools/errtest.o $(OBJDIR)/tests/tools/nlraw.o

$(BINDIR)/bcmon-errtest: $(ERRTEST_OBJS)
	@mkdir -p $(@D)
	$(CC) -o $@ $^

USER_BINS += $(BINDIR)/bcmon-errtest
