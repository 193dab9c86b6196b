# The second netlink client (tests/vm/tests/50-ynl-client.sh): the C
# library the kernel's ynl-gen-c generates from
# Documentation/netlink/specs/bcmon.yaml, with the kernel's libynl beside
# it (scripts/ynl client, from the build root's linux-source), and
# tests/tools/ynlclient.c on top. Flags as the kernel builds its YNL
# clients (gnu11). ynl-gen-c runs in the build root, so only a root build
# makes it, like the DKMS module.
YNL_GEN := $(BUILD)/ynl/client
YNL_CLIENT := $(if $(filter 0,$(shell id -u)),$(BINDIR)/bcmon-ynlclient)

$(YNL_GEN)/bcmon-user.c: Documentation/netlink/specs/bcmon.yaml scripts/ynl
	scripts/ynl client $(YNL_GEN)

YNL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter -Wshadow -Werror \
	-I$(YNL_GEN) -I$(CURDIR)/include/uapi

# The generated parser of a multi-attr string (metric label-name) declares
# a "len" that shadows its function's own (7.3's ynl-gen-c); the kernel
# builds its clients with -Wshadow but not -Werror, so here too that one
# file keeps the warning without failing.
$(YNL_GEN)/bcmon-user.o: $(YNL_GEN)/bcmon-user.c include/uapi/linux/bcmon.h
	$(CC) $(YNL_CFLAGS) -Wno-error=shadow -c -o $@ $<

$(BINDIR)/bcmon-ynlclient: tests/tools/ynlclient.c $(YNL_GEN)/bcmon-user.o \
		include/uapi/linux/bcmon.h
	@mkdir -p $(@D)
	$(CC) $(YNL_CFLAGS) -o $@ tests/tools/ynlclient.c $(YNL_GEN)/bcmon-user.o \
		$(YNL_GEN)/ynl.c

USER_BINS += $(YNL_CLIENT)
