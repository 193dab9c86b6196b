# bcmon-privtest: privilege corner cases (a root without CAP_NET_ADMIN, a
# socket opened by one user and used by another) for tests/vm/tests/18-*.
PRIVTEST_OBJS := $(OBJDIR)/tests/tools/privtest.o $(OBJDIR)/tests/tools/nlraw.o

$(BINDIR)/bcmon-privtest: $(PRIVTEST_OBJS)
	@mkdir -p $(@D)
	$(CC) -o $@ $^

USER_BINS += $(BINDIR)/bcmon-privtest
