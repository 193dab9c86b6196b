# bpf/: CO-RE eBPF programs, their vmlinux.h and libbpf skeletons.
#
# vmlinux.h comes from the BTF of the oldest supported guest kernel (6.1),
# extracted from its /boot/vmlinuz at build time by bpf/extract-vmlinux.sh:
# CO-RE relocates every field access at load time, so types from the oldest
# kernel work on newer ones, and the build never depends on the build
# machine's own kernel. Without that image it falls back to the running
# kernel's /sys/kernel/btf/vmlinux. See Documentation/ebpf.md.
BPF_CLANG  ?= clang
BPFTOOL    ?= bpftool
BPF_OUT    := $(BUILD)/bpf
BPF_ARCH   := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -Wall -Werror \
	      -I$(BPF_OUT) -I$(CURDIR)/bpf
BPF_BTF_KREL := $(shell . scripts/lib-kernels.sh && kernel_release 6.1)
BPF_BTF_IMAGE := $(if $(BPF_BTF_KREL),/boot/vmlinuz-$(BPF_BTF_KREL))

$(BPF_OUT)/vmlinux.h: bpf/extract-vmlinux.sh
	@mkdir -p $(@D)
	@if [ -n "$(BPF_BTF_IMAGE)" ] && bpf/extract-vmlinux.sh $(BPF_BTF_IMAGE) $(BPF_OUT)/vmlinux.elf; then \
		echo "  BTF from $(BPF_BTF_IMAGE)"; \
		$(BPFTOOL) btf dump file $(BPF_OUT)/vmlinux.elf format c >$@.tmp; \
		rm -f $(BPF_OUT)/vmlinux.elf; \
	else \
		echo "  BTF from /sys/kernel/btf/vmlinux (no 6.1 guest image)"; \
		$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c >$@.tmp; \
	fi
	@mv $@.tmp $@

$(BPF_OUT)/%.bpf.o: bpf/%.bpf.c bpf/*.h $(BPF_OUT)/vmlinux.h
	$(BPF_CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp.o
	$(BPFTOOL) gen object $@ $@.tmp.o
	@rm -f $@.tmp.o

$(BPF_OUT)/%.skel.h: $(BPF_OUT)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) >$@.tmp
	@mv $@.tmp $@

BPF_OBJS += $(BPF_OUT)/netprobe.bpf.o
BPF_SKELS := $(BPF_OUT)/netprobe.skel.h
