# bcmon-hangfs: a FUSE mount that never answers (a hung NFS server) for the
# exporter's hang tests (tests/host/45-exporter-hang.sh).
$(BINDIR)/bcmon-hangfs: $(OBJDIR)/tests/tools/hangfs.o
	@mkdir -p $(@D)
	$(CC) -o $@ $^

USER_BINS += $(BINDIR)/bcmon-hangfs
