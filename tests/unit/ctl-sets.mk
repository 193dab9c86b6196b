# Unit tests of bcmonctl's counter-set parts (sorts before unit.mk).
$(SANDIR)/tests/unit/test_metric_spec.o: ALL_CFLAGS += -I$(CURDIR)/userspace/ctl
test_metric_spec_SRCS := userspace/ctl/metric_spec.c userspace/lib/sets.c userspace/common/parse.c \
			 userspace/lib/client.c
test_metric_spec_LIBS := $(NL_LIBS)
UNIT_TEST_NAMES += test_metric_spec

# libbcmon's compile-time switch: recording calls vanish (no library linked).
$(SANDIR)/tests/unit/test_no_metrics.o: ALL_CFLAGS += -DBCMON_NO_METRICS
test_no_metrics_SRCS :=
UNIT_TEST_NAMES += test_no_metrics

# bcmonctl watch --json (cmd_watch.c's print_json, included by the test).
$(SANDIR)/tests/unit/test_ctl_watch_json.o: ALL_CFLAGS += -I$(CURDIR)/userspace/ctl
test_ctl_watch_json_SRCS := userspace/ctl/json.c userspace/ctl/origin.c userspace/common/parse.c \
			    userspace/lib/events.c userspace/lib/errors.c userspace/lib/sensors.c \
			    userspace/lib/client.c userspace/common/names.c
test_ctl_watch_json_LIBS := $(NL_LIBS)
UNIT_TEST_NAMES += test_ctl_watch_json

# bcmonctl show's native buckets, text and --json (issue 13).
$(SANDIR)/tests/unit/test_ctl_native.o: ALL_CFLAGS += -I$(CURDIR)/userspace/ctl
$(SANDIR)/userspace/ctl/native_format.o: ALL_CFLAGS += -I$(CURDIR)/userspace/exporter
test_ctl_native_SRCS := userspace/ctl/native_format.c userspace/exporter/expo_native.c
test_ctl_native_LIBS := -lm
UNIT_TEST_NAMES += test_ctl_native
