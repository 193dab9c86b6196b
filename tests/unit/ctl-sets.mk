# Unit tests of bcmonctl's counter-set parts (sorts before unit.mk).
$(SANDIR)/tests/unit/test_metric_spec.o: ALL_CFLAGS += -I$(CURDIR)/userspace/ctl
test_metric_spec_SRCS := userspace/ctl/metric_spec.c userspace/lib/sets.c \
			 userspace/lib/client.c
test_metric_spec_LIBS := $(NL_LIBS)
UNIT_TEST_NAMES += test_metric_spec
