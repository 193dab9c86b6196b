# Unit test of the integer native-histogram method shared with bcmon.ko
# (kmod/nhist.c, kmod/nhist.h); the exact reference is GMP's (sorts before
# unit.mk, which instantiates the rules).
$(SANDIR)/tests/unit/test_nhist.o: ALL_CFLAGS += -I$(CURDIR)/kmod \
	-DBCMON_SRCDIR='"$(CURDIR)"'
$(SANDIR)/kmod/nhist.o: ALL_CFLAGS += -I$(CURDIR)/kmod
test_nhist_SRCS := kmod/nhist.c
test_nhist_LIBS := -lgmp -lm
UNIT_TEST_NAMES += test_nhist

# Bounded bucket windows and their resolution reduction (kmod/nhist_window.h).
$(SANDIR)/tests/unit/test_nhist_window.o: ALL_CFLAGS += -I$(CURDIR)/kmod
test_nhist_window_SRCS := kmod/nhist.c
UNIT_TEST_NAMES += test_nhist_window

# Known observations in native and classic buckets for the host test of
# both Prometheus versions (tests/host/67-native-histograms.sh).
$(OBJDIR)/tests/tools/expo_native.o: ALL_CFLAGS += -I$(CURDIR)/userspace/exporter -I$(CURDIR)/kmod
$(BINDIR)/bcmon-expo-native: $(OBJDIR)/tests/tools/expo_native.o $(OBJDIR)/kmod/nhist.o \
		$(addprefix $(OBJDIR)/userspace/exporter/,expo.o expo_render.o expo_names.o strbuf.o) \
		$(EXPO_PROTO_LINK)
	@mkdir -p $(@D)
	$(CC) -o $@ $^ -lm $(PROTO_LIBS)

USER_BINS += $(BINDIR)/bcmon-expo-native
