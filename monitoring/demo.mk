# make demo [DURATION=SECONDS] [KERNEL=6.1]: the whole stack in the VM,
# scraped by a real Prometheus on the host (scripts/demo).
demo:
	@DURATION="$(DURATION)" KERNEL="$(KERNEL)" scripts/demo
