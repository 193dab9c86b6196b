# Unit tests: cmocka, every test built with ASan + UBSan. A test named
# test_foo is tests/unit/test_foo.c linked with the sanitizer build of the
# sources listed in test_foo_SRCS (and cmocka), defined in fragments.
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
UNITDIR := $(BUILD)/unit

define unit_test_rule
$(UNITDIR)/$(1): $(SANDIR)/tests/unit/$(1).o $$(patsubst %.c,$(SANDIR)/%.o,$$($(1)_SRCS))
	@mkdir -p $$(@D)
	$$(CC) $$(SAN_CFLAGS) -o $$@ $$^ $$($(1)_LIBS) $$(CMOCKA_LIBS)
UNIT_TESTS += $(UNITDIR)/$(1)
endef

test_names_SRCS := userspace/common/names.c
UNIT_TEST_NAMES += test_names

$(foreach t,$(UNIT_TEST_NAMES),$(eval $(call unit_test_rule,$(t))))
