# Unit tests of bcmon-exporter's pure parts (sorts before unit.mk, which
# instantiates the rules). Sanitizer objects get the exporter's CFLAGS.
EXPORTER_UNIT_LIBS := $(shell pkg-config --libs yaml-0.1 zlib 2>/dev/null || \
			echo -lyaml -lz) -lcrypt -lm
$(SANDIR)/tests/unit/test_exporter_%.o: ALL_CFLAGS += $(EXPORTER_CFLAGS) \
	-I$(CURDIR)/userspace/exporter

test_exporter_expo_SRCS := $(addprefix userspace/exporter/,strbuf.c expo.c expo_render.c \
	expo_names.c) $(EXPO_PROTO_SRCS)
test_exporter_expo_LIBS := -lm $(PROTO_LIBS)
$(BUILD)/unit/test_exporter_expo: $(PROTO_SAN_OBJS)
test_exporter_negotiate_SRCS := $(addprefix userspace/exporter/,negotiate.c)
test_exporter_gzip_SRCS := $(addprefix userspace/exporter/,strbuf.c gzip.c)
test_exporter_gzip_LIBS := $(EXPORTER_UNIT_LIBS)
test_exporter_config_SRCS := $(addprefix userspace/exporter/,strbuf.c expo.c expo_render.c \
	expo_names.c yamlcfg.c config.c webconfig.c) $(EXPO_PROTO_SRCS)
test_exporter_config_LIBS := $(EXPORTER_UNIT_LIBS) $(PROTO_LIBS)
$(BUILD)/unit/test_exporter_config: $(PROTO_SAN_OBJS)
test_exporter_health_SRCS := $(addprefix userspace/exporter/,strbuf.c health.c) \
	userspace/common/parse.c
test_exporter_stats_SRCS := $(addprefix userspace/exporter/,chisq.c buckets.c procfs.c setnames.c)
test_exporter_stats_LIBS := -lm
test_exporter_window_SRCS := $(addprefix userspace/exporter/,chisq.c chisq_window.c)
test_exporter_window_LIBS := -lm

test_exporter_auth_SRCS := userspace/exporter/authcache.c
test_exporter_auth_LIBS := $(shell pkg-config --libs gnutls 2>/dev/null || echo -lgnutls)

UNIT_TEST_NAMES += test_exporter_expo test_exporter_negotiate test_exporter_gzip \
	test_exporter_config test_exporter_health test_exporter_stats \
	test_exporter_window test_exporter_auth

# The protobuf exposition, decoded by protoc (exporter-proto.mk generates
# the messages' code).
$(SANDIR)/tests/unit/proto_decode.o: ALL_CFLAGS += -DBCMON_SRCDIR='"$(CURDIR)"' \
	-I$(CURDIR)/userspace/exporter
test_exporter_proto_SRCS := $(addprefix userspace/exporter/,strbuf.c expo.c expo_render.c \
	expo_names.c) $(EXPO_PROTO_SRCS) tests/unit/proto_decode.c
test_exporter_proto_LIBS := $(PROTO_LIBS) -lm
$(BUILD)/unit/test_exporter_proto: $(PROTO_SAN_OBJS)
UNIT_TEST_NAMES += test_exporter_proto
