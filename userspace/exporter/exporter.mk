# bcmon-exporter: the Prometheus exporter (userspace/exporter/).
# The source revision for build_info: the commit, "-dirty" with local
# changes, "unknown" outside a git checkout (a release tarball).
BCMON_REVISION := $(shell git -C $(CURDIR) describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
EXPORTER_CFLAGS := $(shell pkg-config --cflags libmicrohttpd yaml-0.1 zlib libxcrypt gnutls 2>/dev/null) \
		   -DBCMON_VERSION='"$(VERSION)"'
EXPORTER_LIBS   := $(shell pkg-config --libs libmicrohttpd yaml-0.1 zlib gnutls 2>/dev/null || \
		     echo -lmicrohttpd -lyaml -lz -lgnutls) -lcrypt -lpthread -lm $(PROTO_LIBS)

EXPORTER_SRCS := $(wildcard userspace/exporter/*.c)
EXPORTER_OBJS := $(EXPORTER_SRCS:%.c=$(OBJDIR)/%.o) $(PROTO_OBJS)

# Sources with no libbcmon/libbpf dependency: what unit tests link.
EXPORTER_CORE_SRCS := $(addprefix userspace/exporter/,strbuf.c expo.c expo_render.c \
	expo_names.c negotiate.c gzip.c log.c yamlcfg.c config.c webconfig.c health.c \
	chisq.c buckets.c procfs.c authcache.c expo_native.c expo_proto.c expo_render_proto.c)

$(EXPORTER_OBJS) $(EXPORTER_SRCS:%.c=$(SANDIR)/%.o): ALL_CFLAGS += $(EXPORTER_CFLAGS)
# Only self.c carries the revision, so that a new commit rebuilds one file.
$(OBJDIR)/userspace/exporter/self.o $(SANDIR)/userspace/exporter/self.o: \
	ALL_CFLAGS += -DBCMON_REVISION='"$(BCMON_REVISION)"'
$(OBJDIR)/userspace/exporter/self.o: $(wildcard .git/HEAD .git/index)

$(BINDIR)/bcmon-exporter: $(EXPORTER_OBJS) $(LIBDIR)/libbcmon.a $(LIBDIR)/libbcmon-net.a
	@mkdir -p $(@D)
	$(CC) -o $@ $(EXPORTER_OBJS) $(LIBDIR)/libbcmon.a $(LIBDIR)/libbcmon-net.a \
		$(EXPORTER_LIBS) $(NL_LIBS) $(NETPROBE_LIBS)

USER_BINS += $(BINDIR)/bcmon-exporter
