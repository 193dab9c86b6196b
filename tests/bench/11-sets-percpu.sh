# timeout: 900
# Benchmark: a bcmon counter add through the kernel API (this_cpu_add on
# the calling CPU) against atomic64_add on one shared counter, one kernel
# thread per vCPU adding at the same time. The fixture module runs the
# measurement at load time and logs ns/op and the ratio. Then the labeled
# hot path (a series handle, issue 10) against the unlabeled counter
# handle in alternating rounds in this boot, with the medians and their
# ratio. Figures only.
. /opt/bcmon/lib.sh
load_bcmon
echo "kernel $(uname -r), $(nproc) vCPUs (QEMU TCG)"
insmod $FIXTURES/bcmon_bench_percpu.ko iterations=${BENCH_ITERATIONS:-2000000} rounds=${BENCH_ROUNDS:-7}
dmesg | grep 'bcmon_bench_percpu: ' | sed 's/^\[[^]]*\] //'
# The per-CPU counter summed over CPUs must equal every thread's adds.
bcmonctl show kernel_bench_percpu
rmmod bcmon_bench_percpu
unload_bcmon
