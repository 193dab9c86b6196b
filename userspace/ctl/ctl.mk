# bcmonctl: the command-line client. Linked statically against libbcmon so
# that it runs from any directory without LD_LIBRARY_PATH.
BCMONCTL_SRCS := $(wildcard userspace/ctl/*.c)
BCMONCTL_OBJS := $(BCMONCTL_SRCS:%.c=$(OBJDIR)/%.o)

$(BINDIR)/bcmonctl: $(BCMONCTL_OBJS) $(LIBDIR)/libbcmon.a $(LIBDIR)/libbcmon-net.a
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(NL_LIBS) $(NETPROBE_LIBS)

USER_BINS += $(BINDIR)/bcmonctl

$(OBJDIR)/userspace/ctl/main.o: ALL_CFLAGS += -DBCMON_VERSION='"$(VERSION)"'
