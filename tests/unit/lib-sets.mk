# Unit tests of libbcmon's counter-set reply reader (sorts before unit.mk).
$(SANDIR)/tests/unit/test_sets_parse.o: ALL_CFLAGS += -I$(CURDIR)/userspace/lib
test_sets_parse_SRCS := userspace/lib/sets_parse.c userspace/lib/sets_native.c
test_sets_parse_LIBS := $(NL_LIBS)
UNIT_TEST_NAMES += test_sets_parse

# libbcmon's error totals: one dump however busy the ring (the exchange stubbed).
$(SANDIR)/tests/unit/test_error_totals.o: ALL_CFLAGS += -I$(CURDIR)/userspace/lib
test_error_totals_SRCS := userspace/lib/errors.c
test_error_totals_LIBS := $(NL_LIBS)
UNIT_TEST_NAMES += test_error_totals

# libbcmon's SET_CREATE request and GET_STATUS reply, the exchange stubbed
# (native histograms).
$(SANDIR)/tests/unit/test_sets_create.o: ALL_CFLAGS += -I$(CURDIR)/userspace/lib
test_sets_create_SRCS := userspace/lib/sets.c userspace/lib/status.c userspace/lib/errors.c
test_sets_create_LIBS := $(NL_LIBS)
UNIT_TEST_NAMES += test_sets_create

# libbcmon's request/reply loop against the kernel's nlctrl family.
$(SANDIR)/tests/unit/test_exchange.o: ALL_CFLAGS += -I$(CURDIR)/userspace/lib
test_exchange_SRCS := userspace/lib/client.c
test_exchange_LIBS := $(NL_LIBS)
UNIT_TEST_NAMES += test_exchange
