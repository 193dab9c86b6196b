# libbcmon-net: the reader library for the eBPF network probes (bpf/). The
# BPF object is embedded through its generated skeleton, so programs linking
# this library need no files at run time. Link users with $(NETPROBE_LIBS).
NETPROBE_SRCS := $(wildcard userspace/lib/netprobe/*.c)
NETPROBE_OBJS := $(NETPROBE_SRCS:%.c=$(OBJDIR)/%.o)
NETPROBE_LIBS := $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz) -lm

$(NETPROBE_OBJS): ALL_CFLAGS += -I$(CURDIR)/bpf
$(NETPROBE_OBJS): $(BPF_SKELS)

$(LIBDIR)/libbcmon-net.a: $(NETPROBE_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

USER_LIBS += $(LIBDIR)/libbcmon-net.a
