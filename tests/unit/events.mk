# Unit tests for libbcmon's error/sensor/event parsers (before unit.mk).
test_sensor_parse_SRCS := userspace/lib/sensors.c userspace/lib/errors.c \
	userspace/lib/events.c userspace/lib/client.c
test_sensor_parse_LIBS := $(NL_LIBS)
UNIT_TEST_NAMES += test_sensor_parse
