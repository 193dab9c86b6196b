# Exemplars in the exposition writer (issue 14); the exporter fragment's
# pattern rule gives the test the exporter's include path and flags.
test_exporter_exemplar_SRCS := $(addprefix userspace/exporter/,strbuf.c expo.c expo_render.c \
	expo_names.c) $(EXPO_PROTO_SRCS)
test_exporter_exemplar_LIBS := -lm $(PROTO_LIBS)
$(BUILD)/unit/test_exporter_exemplar: $(PROTO_SAN_OBJS)
UNIT_TEST_NAMES += test_exporter_exemplar

# The kmod collector's exemplars, converted for the writer without a kernel.
test_exporter_kmod_exemplars_SRCS := $(addprefix userspace/exporter/,kmod_exemplars.c \
	buckets.c strbuf.c expo.c expo_render.c expo_names.c) $(EXPO_PROTO_SRCS)
test_exporter_kmod_exemplars_LIBS := -lm $(PROTO_LIBS)
$(BUILD)/unit/test_exporter_kmod_exemplars: $(PROTO_SAN_OBJS)
UNIT_TEST_NAMES += test_exporter_kmod_exemplars

# The writer's exemplars as a real Prometheus reads them
# (tests/host/66-exemplars-prometheus.sh).
$(OBJDIR)/tests/tools/expo_exemplars.o: ALL_CFLAGS += -I$(CURDIR)/userspace/exporter
$(BINDIR)/bcmon-expo-exemplars: $(OBJDIR)/tests/tools/expo_exemplars.o \
		$(addprefix $(OBJDIR)/userspace/exporter/,expo.o expo_render.o expo_names.o strbuf.o) \
		$(EXPO_PROTO_LINK)
	@mkdir -p $(@D)
	$(CC) -o $@ $^ -lm $(PROTO_LIBS)

USER_BINS += $(BINDIR)/bcmon-expo-exemplars

# The exemplars of a protobuf scrape, for the VM tests (the guest has no
# protoc): tests/vm/tests/48-exporter-exemplars.sh.
$(OBJDIR)/tests/tools/proto_exemplars.o: ALL_CFLAGS += $(PROTO_CFLAGS)
$(OBJDIR)/tests/tools/proto_exemplars.o: $(PROTO_GEN_HDRS)
$(BINDIR)/bcmon-proto-exemplars: $(OBJDIR)/tests/tools/proto_exemplars.o $(PROTO_OBJS)
	@mkdir -p $(@D)
	$(CC) -o $@ $^ -lm $(PROTO_LIBS)

USER_BINS += $(BINDIR)/bcmon-proto-exemplars

# The kmod collector's native histograms (issue 13): protobuf decoded by
# protoc, text with classic buckets derived from the native ones.
test_exporter_kmod_native_SRCS := $(addprefix userspace/exporter/,kmod_hist.c \
	kmod_exemplars.c buckets.c log.c strbuf.c expo.c expo_render.c expo_names.c) \
	$(EXPO_PROTO_SRCS) tests/unit/proto_decode.c
test_exporter_kmod_native_LIBS := -lm $(PROTO_LIBS)
$(BUILD)/unit/test_exporter_kmod_native: $(PROTO_SAN_OBJS)
UNIT_TEST_NAMES += test_exporter_kmod_native
