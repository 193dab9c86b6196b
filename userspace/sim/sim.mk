# bcmon-sim: the simulated BitCraps node (reference instrumentation
# example). Linked statically against libbcmon like bcmonctl, so that it
# runs from any directory.
SIM_SRCS := $(wildcard userspace/sim/*.c)
SIM_OBJS := $(SIM_SRCS:%.c=$(OBJDIR)/%.o)

$(BINDIR)/bcmon-sim: $(SIM_OBJS) $(LIBDIR)/libbcmon.a
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(NL_LIBS) -lm

USER_BINS += $(BINDIR)/bcmon-sim
