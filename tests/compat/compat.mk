# bcmonctl as it was before labeled metrics (tests/compat/BASE), built from
# a git worktree of that commit, so that the VM suite can run it against
# today's module (tests/vm/tests/1d-labels-compat.sh). Built once per BASE.
COMPAT_BASE := $(shell cat tests/compat/BASE)

$(BINDIR)/bcmonctl-prev: tests/compat/BASE tests/compat/build-prev
	tests/compat/build-prev $(COMPAT_BASE) $(BUILD)/compat/$(COMPAT_BASE) $@

USER_BINS += $(BINDIR)/bcmonctl-prev
