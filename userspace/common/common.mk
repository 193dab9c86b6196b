# userspace/common: small pure helpers shared by every program; linked into
# libbcmon so that all users get one copy.
COMMON_SRCS := $(wildcard userspace/common/*.c)
