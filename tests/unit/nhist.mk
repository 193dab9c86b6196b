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
