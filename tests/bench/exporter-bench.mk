# bcmon-scrape: HTTP client for the exporter's VM tests and benchmark, and
# the phase profile of a scrape (scrape_profile.c, with the exporter's
# writer and raw netlink); copied into the guest with build/bin/*.
BCMON_SCRAPE_OBJS := $(OBJDIR)/tests/bench/bcmon-scrape.o $(OBJDIR)/tests/bench/scrape_profile.o \
	$(OBJDIR)/tests/tools/nlraw.o \
	$(addprefix $(OBJDIR)/userspace/exporter/,expo.o expo_render.o expo_names.o strbuf.o \
		gzip.o setnames.o buckets.o) $(EXPO_PROTO_LINK)

$(OBJDIR)/tests/bench/scrape_profile.o: ALL_CFLAGS += -I$(CURDIR)/userspace/exporter \
	-I$(CURDIR)/tests/tools

$(BINDIR)/bcmon-scrape: $(BCMON_SCRAPE_OBJS) $(LIBDIR)/libbcmon.a
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(NL_LIBS) -lz -lm $(PROTO_LIBS)

USER_BINS += $(BINDIR)/bcmon-scrape
