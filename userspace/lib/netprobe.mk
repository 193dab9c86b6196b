# libbcmon-net: the reader library for the eBPF network probes (bpf/). The
# BPF object is embedded through its generated skeleton, so programs linking
# this library need no files at run time. Link users with $(NETPROBE_LIBS).
NETPROBE_SRCS := $(wildcard userspace/lib/netprobe/*.c)
NETPROBE_OBJS := $(NETPROBE_SRCS:%.c=$(OBJDIR)/%.o)
# The native-histogram method shared with bcmon.ko (native.c).
NETPROBE_NHIST_OBJ := $(OBJDIR)/kmod/nhist.o
NETPROBE_LIBS := $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz) -lm

$(NETPROBE_OBJS): ALL_CFLAGS += -I$(CURDIR)/bpf -I$(CURDIR)/kmod
$(NETPROBE_OBJS): $(BPF_SKELS)

$(LIBDIR)/libbcmon-net.a: $(NETPROBE_OBJS) $(NETPROBE_NHIST_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

USER_LIBS += $(LIBDIR)/libbcmon-net.a
