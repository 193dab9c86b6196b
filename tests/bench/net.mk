# Programs for the network probe VM tests (tests/vm/tests/3*-net-*.sh) and
# benchmark (tests/bench/30-net-overhead.sh): known loopback traffic, and a
# step-by-step driver of libbcmon-net. Installed into build/bin so that the
# VM harness copies them into the guest.
$(BINDIR)/bcmon-netpeer: $(OBJDIR)/tests/tools/netpeer.o
	@mkdir -p $(@D)
	$(CC) -o $@ $^

$(OBJDIR)/tests/tools/nettest.o: ALL_CFLAGS += -I$(CURDIR)/kmod
$(BINDIR)/bcmon-nettest: $(OBJDIR)/tests/tools/nettest.o $(LIBDIR)/libbcmon-net.a
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(NETPROBE_LIBS)

$(BINDIR)/bcmon-netbacklog: $(OBJDIR)/tests/tools/netbacklog.o
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(NETPROBE_LIBS)

# The sockmap program of bcmon-netbacklog --sockmap, loaded from the file
# at run time (the harness copies build/bpf/*.bpf.o into the guest).
$(BPF_OUT)/sockmap_pass.bpf.o: tests/tools/sockmap_pass.bpf.c $(BPF_OUT)/vmlinux.h
	$(BPF_CLANG) $(BPF_CFLAGS) -c $< -o $@

BPF_OBJS += $(BPF_OUT)/sockmap_pass.bpf.o

USER_BINS += $(BINDIR)/bcmon-netpeer $(BINDIR)/bcmon-nettest $(BINDIR)/bcmon-netbacklog

# The probes' per-run cost next to empty programs on the same hooks, and
# the histogram step before/after (tests/bench/31-net-hookcost.sh).
$(BPF_OUT)/hookcost.bpf.o: tests/tools/hookcost.bpf.c bpf/netprobe.h bpf/nhist_bpf.h \
		$(BPF_OUT)/vmlinux.h
	$(BPF_CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp.o
	$(BPFTOOL) gen object $@ $@.tmp.o
	@rm -f $@.tmp.o
$(BPF_OUT)/hookcost.skel.h: $(BPF_OUT)/hookcost.bpf.o
	$(BPFTOOL) gen skeleton $< name hookcost >$@.tmp
	@mv $@.tmp $@
$(OBJDIR)/tests/tools/hookcost.o: $(BPF_OUT)/hookcost.skel.h
$(OBJDIR)/tests/tools/hookcost.o: ALL_CFLAGS += -I$(CURDIR)/bpf
$(BINDIR)/bcmon-hookcost: $(OBJDIR)/tests/tools/hookcost.o $(LIBDIR)/libbcmon-net.a
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(NETPROBE_LIBS)

USER_BINS += $(BINDIR)/bcmon-hookcost
