# make demo [DURATION=SECONDS] [KERNEL=6.1] [NODES=N]: the whole stack in
# the VM, scraped by a real Prometheus on the host (scripts/demo); with
# NODES=N (2..16) a fleet of N guests on a private segment, with a central
# Prometheus, per-site agents and traces across nodes (scripts/demo-fleet).
NODES ?= 1
demo:
	@DURATION="$(DURATION)" KERNEL="$(KERNEL)" NODES="$(NODES)" scripts/demo
