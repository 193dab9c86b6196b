# libbcmon: static and shared netlink client library.
NL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS   := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)
ALL_CFLAGS += $(NL_CFLAGS)

LIBBCMON_SRCS := $(wildcard userspace/lib/*.c) $(COMMON_SRCS)
LIBBCMON_OBJS := $(LIBBCMON_SRCS:%.c=$(OBJDIR)/%.o)
LIBBCMON_SAN_OBJS := $(LIBBCMON_SRCS:%.c=$(SANDIR)/%.o)
# .so.1: the structs of <bcmon/sets.h> grew for labeled metrics (issue 10).
# .so.2: they grew again, for exemplars and native histograms (issues 13,
# 14): callers pass and get them in arrays, so old binaries must not load it.
LIBBCMON_SONAME := libbcmon.so.2

$(LIBDIR)/libbcmon.a: $(LIBBCMON_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(LIBDIR)/$(LIBBCMON_SONAME): $(LIBBCMON_OBJS)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,$(LIBBCMON_SONAME) -o $@ $^ $(NL_LIBS)
	ln -sf $(LIBBCMON_SONAME) $(LIBDIR)/libbcmon.so

USER_LIBS += $(LIBDIR)/libbcmon.a $(LIBDIR)/$(LIBBCMON_SONAME)
