# Counter-set test and benchmark programs, installed into build/bin so that
# the VM harness copies them into the guest:
#   bcmon-setstest   raw-netlink checks (bad input, fuzzer, load, privileges)
#                    for tests/vm/tests/1*-sets-*.sh
#   bcmon-bench-nl   netlink update cost, for tests/bench/1*-sets-*.sh
#   bcmon-labeltest  labeled metrics: bad input, many series, load, dumps
SETSTEST_OBJS := $(OBJDIR)/tests/tools/setstest.o $(OBJDIR)/tests/tools/nlraw.o

$(BINDIR)/bcmon-setstest: $(SETSTEST_OBJS)
	@mkdir -p $(@D)
	$(CC) -o $@ $^

$(BINDIR)/bcmon-bench-nl: $(OBJDIR)/tests/bench/nl_update_bench.o $(LIBDIR)/libbcmon.a
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(NL_LIBS)

$(BINDIR)/bcmon-labeltest: $(OBJDIR)/tests/tools/labeltest.o $(OBJDIR)/tests/tools/nlraw.o
	@mkdir -p $(@D)
	$(CC) -o $@ $^

USER_BINS += $(BINDIR)/bcmon-setstest $(BINDIR)/bcmon-bench-nl $(BINDIR)/bcmon-labeltest

# bcmon-nativetest: native histograms of counter sets, read raw and checked
# against kmod/nhist.c (tests/vm/tests/1f-native.sh).
$(OBJDIR)/tests/tools/nativetest.o: ALL_CFLAGS += -I$(CURDIR)/kmod
$(BINDIR)/bcmon-nativetest: $(OBJDIR)/tests/tools/nativetest.o $(OBJDIR)/tests/tools/nlraw.o \
		$(OBJDIR)/kmod/nhist.o
	@mkdir -p $(@D)
	$(CC) -o $@ $^

USER_BINS += $(BINDIR)/bcmon-nativetest
