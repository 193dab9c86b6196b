# Unit tests of userspace/common (sorts before unit.mk, which instantiates
# the rules): number parsing and JSON strings shared by the tools.
test_parse_SRCS := userspace/common/parse.c
UNIT_TEST_NAMES += test_parse
