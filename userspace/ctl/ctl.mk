# bcmonctl: the command-line client. Linked statically against libbcmon so
# that it runs from any directory without LD_LIBRARY_PATH.
BCMONCTL_SRCS := $(wildcard userspace/ctl/*.c)
BCMONCTL_OBJS := $(BCMONCTL_SRCS:%.c=$(OBJDIR)/%.o)

# The native-bucket bounds shared with the exporter (native_format.c).
BCMONCTL_NATIVE_OBJ := $(OBJDIR)/userspace/exporter/expo_native.o
$(OBJDIR)/userspace/ctl/native_format.o: ALL_CFLAGS += -I$(CURDIR)/userspace/exporter

$(BINDIR)/bcmonctl: $(BCMONCTL_OBJS) $(BCMONCTL_NATIVE_OBJ) $(LIBDIR)/libbcmon.a \
		    $(LIBDIR)/libbcmon-net.a
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(NL_LIBS) $(NETPROBE_LIBS)

USER_BINS += $(BINDIR)/bcmonctl

$(OBJDIR)/userspace/ctl/main.o: ALL_CFLAGS += -DBCMON_VERSION='"$(VERSION)"'
