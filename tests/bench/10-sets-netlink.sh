# timeout: 900
# Benchmark: the cost of counter updates through generic netlink, one per
# message and in batches of 16 and 256, against a no-op round trip
# (GET_VERSION) on the same socket. Goal: a batched update costs under 5%
# of one round trip. Then histogram observations with and without an
# exemplar (issue 14), alternating rounds, median ratio. Figures only;
# nothing here is asserted.
. /opt/bcmon/lib.sh
load_bcmon
echo "kernel $(uname -r), $(nproc) vCPUs (QEMU TCG: absolute times are slow; ratios matter)"
taskset -c 0 bcmon-bench-nl ${BENCH_MESSAGES:-10000}
unload_bcmon
