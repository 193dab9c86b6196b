# bcmon-scrape: HTTP client for the exporter's VM tests and benchmark
# (copied into the guest with build/bin/*).
BCMON_SCRAPE_OBJS := $(OBJDIR)/tests/bench/bcmon-scrape.o

$(BINDIR)/bcmon-scrape: $(BCMON_SCRAPE_OBJS) $(LIBDIR)/libbcmon.a
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(NL_LIBS)

USER_BINS += $(BINDIR)/bcmon-scrape
