# bcmon-sim unit tests: dice, pass-line rules, command line (the recording
# layer is replaced by test doubles in the test itself).
$(SANDIR)/tests/unit/test_sim.o: ALL_CFLAGS += -I$(CURDIR)/userspace/sim
test_sim_SRCS := userspace/sim/game.c userspace/sim/rng.c userspace/sim/options.c \
	userspace/common/parse.c
test_sim_LIBS := -lm
UNIT_TEST_NAMES += test_sim

# bcmon-sim tracing (traceparent, span file) and fleet options.
$(SANDIR)/tests/unit/test_sim_trace.o: ALL_CFLAGS += -I$(CURDIR)/userspace/sim
test_sim_trace_SRCS := userspace/sim/trace_context.c userspace/sim/trace_file.c \
	userspace/sim/rng.c userspace/sim/options.c userspace/common/parse.c
test_sim_trace_LIBS := -lm
UNIT_TEST_NAMES += test_sim_trace

# bcmon-sim's recording layer against libbcmon test doubles, fed by real
# consensus rounds: a traced round's latency carries its trace as an
# exemplar (issue 14).
$(SANDIR)/tests/unit/test_sim_record.o: ALL_CFLAGS += -I$(CURDIR)/userspace/sim
test_sim_record_SRCS := userspace/sim/record.c userspace/sim/consensus.c userspace/sim/game.c \
	userspace/sim/trace_context.c userspace/sim/rng.c userspace/sim/options.c \
	userspace/common/parse.c
test_sim_record_LIBS := -lm
UNIT_TEST_NAMES += test_sim_record

# bcmon-sim's adoption of a kept set (adopt.c) against a libbcmon double:
# the native form of the consensus latency is part of the definition
# compared (issue 13).
$(SANDIR)/tests/unit/test_sim_adopt.o: ALL_CFLAGS += -I$(CURDIR)/userspace/sim
test_sim_adopt_SRCS := userspace/sim/adopt.c
UNIT_TEST_NAMES += test_sim_adopt
