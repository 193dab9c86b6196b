# Network probes, detach/re-attach and unload/reload while TCP and UDP
# traffic runs: no kernel splat (the harness scans the console), traffic
# never fails, and the probes count again after every re-attach.
# timeout: 900
. /opt/bcmon/lib.sh

# net_pin (net-lib.sh.inc) keeps everything on CPU 0: the probes are still
# patched in and out under full traffic, without the emulator race.
. "$(dirname "$0")/net-lib.sh.inc"

# Traffic runs until SIGTERM, however slow the guest is: its own limit is
# the test's scaled by the kernel's slowness (on the debug kernel the
# attach/detach loop below took more than 600 s, the traffic had ended and
# the kill at the end failed).
cap=$((600 * ${BCMON_SLOW:-1}))
bcmon-netpeer rate tcp 7500 $cap 64 >/tmp/tcp.rate &
tcp=$!
bcmon-netpeer rate udp 7501 $cap 64 >/tmp/udp.rate &
udp=$!

steps=""
for i in 1 2 3 4 5 6 7 8; do
	steps="$steps attach sleep 200 detach sleep 100"
done
bcmon-nettest --ports 7500,7501 $steps attach sleep 500 dump reopen sleep 500 dump \
	>/tmp/steps || fail "bcmon-nettest attach/detach loop"
# Two independent sets of programs at once, and full unload/reload.
for i in 1 2 3; do
	bcmonctl net --duration 1 >/dev/null 2>&1 &
	bcmonctl net --kprobe --duration 1 --ports 7500 >/dev/null 2>&1 || fail "bcmonctl net --kprobe run $i"
	wait $! || fail "bcmonctl net run $i"
done
kill -TERM $tcp $udp || fail "the traffic ended before the re-attach loop did (limit $cap s)"
wait $tcp || fail "tcp traffic failed"
wait $udp || fail "udp traffic failed"
cat /tmp/steps /tmp/tcp.rate /tmp/udp.rate
# Each dump after an attach saw traffic on both ports.
n=$(awk '$1 == "series" && ($3 == "7500" || $3 == "7501") && $4 > 0' /tmp/steps | wc -l)
assert_eq 4 "$n" "series counting after re-attach and after reload"
