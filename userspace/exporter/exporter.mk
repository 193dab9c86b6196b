# bcmon-exporter: the Prometheus exporter (userspace/exporter/).
EXPORTER_CFLAGS := $(shell pkg-config --cflags libmicrohttpd yaml-0.1 zlib libxcrypt 2>/dev/null) \
		   -DBCMON_VERSION='"$(VERSION)"'
EXPORTER_LIBS   := $(shell pkg-config --libs libmicrohttpd yaml-0.1 zlib 2>/dev/null || \
		     echo -lmicrohttpd -lyaml -lz) -lcrypt -lpthread -lm $(PROTO_LIBS)

EXPORTER_SRCS := $(wildcard userspace/exporter/*.c)
EXPORTER_OBJS := $(EXPORTER_SRCS:%.c=$(OBJDIR)/%.o) $(PROTO_OBJS)

# Sources with no libbcmon/libbpf dependency: what unit tests link.
EXPORTER_CORE_SRCS := $(addprefix userspace/exporter/,strbuf.c expo.c negotiate.c \
	gzip.c log.c yamlcfg.c config.c webconfig.c health.c chisq.c buckets.c \
	procfs.c)

$(EXPORTER_OBJS) $(EXPORTER_SRCS:%.c=$(SANDIR)/%.o): ALL_CFLAGS += $(EXPORTER_CFLAGS)

$(BINDIR)/bcmon-exporter: $(EXPORTER_OBJS) $(LIBDIR)/libbcmon.a $(LIBDIR)/libbcmon-net.a
	@mkdir -p $(@D)
	$(CC) -o $@ $(EXPORTER_OBJS) $(LIBDIR)/libbcmon.a $(LIBDIR)/libbcmon-net.a \
		$(EXPORTER_LIBS) $(NL_LIBS) $(NETPROBE_LIBS)

USER_BINS += $(BINDIR)/bcmon-exporter
