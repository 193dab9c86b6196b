# bcmon top-level Makefile.
#
#   make                 build the module (for KERNEL), BPF objects, userspace
#   make KERNEL=6.12     the same against the 6.12 (or 7.3) guest kernel
#   make check           install deps if missing, build, unit + VM tests
#   make vm-test KERNEL= run the VM test suite on one kernel
#   make check-debug     the VM suite on a KASAN/lockdep/kmemleak kernel
#   make bench           run the benchmarks (in the VM), print figures
#   make clean
#
# Components add themselves through fragments (*.mk) so that each part of
# the tree owns its own rules: userspace/*/*.mk, bpf/bpf.mk, tests/unit/*.mk.

KERNEL  ?= 6.1
# The kernels `make check` runs the VM suite on: Debian 12's 6.1 and 6.12
# (backports) and Debian 13's 7.3 (backports, built in the Debian 13 build
# root). One of them alone: `make check KERNELS=7.3` or `make vm-test KERNEL=7.3`.
KERNELS ?= 6.1 6.12 7.3
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
BUILD   := $(CURDIR)/build
SHELL   := /bin/bash

KREL = $(shell . scripts/lib-kernels.sh && kernel_release $(KERNEL))
KOUT = $(BUILD)/kernel/$(KREL)
# `all` also builds the module with the real dkms (below) for a Debian
# kernel when run as root (dkms-build needs a mount namespace).
DKMS_KO := $(if $(filter 0,$(shell id -u)),$(if $(filter debug,$(KERNEL)),,$(KOUT)/dkms/bcmon.ko))

CC      ?= cc
CSTD    := -std=c11 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wmissing-prototypes
CFLAGS  ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) -I$(CURDIR)/include/uapi \
	     -I$(CURDIR)/userspace/include -I$(BUILD)/bpf
SAN_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	      -fno-omit-frame-pointer

BINDIR := $(BUILD)/bin
LIBDIR := $(BUILD)/lib
OBJDIR := $(BUILD)/obj
SANDIR := $(BUILD)/san

.PHONY: all kmod fixtures dkms bpf userspace unit-test vm-test vm-selftest \
	check check-debug bench demo install deps clean distclean
.DEFAULT_GOAL := all

USER_BINS :=
USER_LIBS :=
UNIT_TESTS :=
BPF_OBJS :=

# compile_rule: objects for normal and sanitizer builds from any source.
$(OBJDIR)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -MMD -MP -c $< -o $@
$(SANDIR)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN_CFLAGS) -MMD -MP -c $< -o $@

include $(wildcard bpf/*.mk) $(sort $(wildcard userspace/*/*.mk)) \
	$(wildcard tests/unit/*.mk) $(wildcard tests/bench/*.mk) $(wildcard tests/tools/*.mk) \
	$(wildcard tests/compat/*.mk) \
	$(wildcard packaging/*.mk) $(wildcard monitoring/*.mk)

all: kmod fixtures bpf userspace $(DKMS_KO)

deps:
	@if [ "$$(id -u)" = 0 ]; then scripts/install-deps; \
	 else echo "make deps: run as root (sudo make deps)"; exit 1; fi

# --- kernel modules -------------------------------------------------------
KMOD_SRCS := $(wildcard kmod/*.c kmod/*.h kmod/*.sh kmod/*.mk) kmod/Kbuild include/uapi/linux/bcmon.h
FIXTURE_SRCS := $(wildcard tests/fixtures/*.c tests/fixtures/*.h) tests/fixtures/Kbuild \
		kmod/compat-probe.sh kmod/compat-probe.mk

kmod: $(KOUT)/kmod/bcmon.ko
fixtures: $(KOUT)/fixtures/.built

$(KOUT)/kmod/bcmon.ko: $(KMOD_SRCS) scripts/kbuild VERSION
	+scripts/kbuild $(KERNEL) kmod $(KOUT)/kmod $(VERSION)

# Without their Module.symvers, kbuild runs modpost again and the fixtures
# take the CRCs of the bcmon.ko just built (it does not rerun it when only
# KBUILD_EXTRA_SYMBOLS changed: the fixtures then kept the CRCs of an older
# bcmon.ko and failed to load, "disagrees about version of symbol").
$(KOUT)/fixtures/.built: $(FIXTURE_SRCS) scripts/kbuild $(KOUT)/kmod/bcmon.ko
	rm -f $(KOUT)/fixtures/Module.symvers
	+scripts/kbuild $(KERNEL) tests/fixtures $(KOUT)/fixtures $(VERSION)
	@touch $@

# The same module built the way users get it: the real dkms, from the
# packaged source tree, with the dkms of the kernel's Debian release
# (tests/vm/tests/03-dkms-load.sh loads it). DKMS_KO (above) says when
# `all` includes it.
dkms: $(KOUT)/dkms/bcmon.ko
$(KOUT)/dkms/bcmon.ko: $(KMOD_SRCS) packaging/dkms/dkms.conf.in packaging/install.mk \
		scripts/dkms-build VERSION
	+scripts/dkms-build $(KERNEL) $(KOUT)/dkms $(VERSION)

# --- userspace ------------------------------------------------------------
userspace: $(USER_LIBS) $(USER_BINS)
bpf: $(BPF_OBJS)

# --- tests ----------------------------------------------------------------
RESULTS := $(BUILD)/results

unit-test: $(UNIT_TESTS)
	@mkdir -p $(RESULTS)
	@tests/unit/run $(RESULTS)/unit.txt $(UNIT_TESTS)

vm-test: all
	@mkdir -p $(RESULTS)
	tests/vm/run --kernel $(KERNEL) --results $(RESULTS)/vm-$(KERNEL).txt

vm-selftest: all
	@mkdir -p $(RESULTS)
	tests/vm/selftest/run --kernel $(KERNEL) --results $(RESULTS)/selftest.txt

# One command for everything: dependencies, build, unit tests, the harness
# self-test and the VM suite on every supported kernel; always ends with a
# single "N passed, N failed" line and fails if anything failed.
check:
	@scripts/check $(KERNELS)

# The sanitizer lane: the whole VM suite on a debug kernel built from
# Debian's linux-source-6.1 (KASAN, lockdep, kmemleak, UBSAN, ...). The
# kernel takes about an hour to build the first time, so this is not part of
# `make check`; see Documentation/testing.md.
check-debug:
	@scripts/check-debug

# Benchmarks boot with multi-threaded TCG so that "two CPUs at once" really
# runs two host threads (single-threaded TCG, the test default, takes turns).
bench: all
	BCMON_QEMU_ACCEL=$${BCMON_QEMU_ACCEL:-tcg,thread=multi} tests/vm/run --kernel $(KERNEL) --suite tests/bench --timeout 3600 \
		--results $(RESULTS)/bench-$(KERNEL).txt

# The debug kernel (an hour to build) survives `make clean`; `make
# distclean` removes it too.
clean:
	find $(BUILD) -mindepth 1 -maxdepth 1 ! -name debug-kernel -exec rm -rf {} + 2>/dev/null || true

distclean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj $(BUILD)/san -name '*.d' 2>/dev/null)
