# The whole bcmon stack inside the VM, for `make demo` and the end-to-end
# test (the host side is scripts/lib-stack.sh): bcmon.ko, the EMULATED
# sensors of the fixture module (a fake battery, thermal zone and fan:
# nothing here is measured hardware), netem delay and loss on lo, the
# simulator and the exporter (which loads the eBPF probes).
#
# It runs until the host's Prometheus, polled at $STACK_HOST_PROM through
# QEMU's gateway 10.0.2.2 (the host's loopback), stops answering, or for
# at most $STACK_MAX_S seconds, or until the host asks it to stop (fleet
# mode, below); then it stops everything it started. It fails when the
# simulator or the exporter dies on its own.
#
# Fleet mode (scripts/lib-fleet.sh sets STACK_SEG_ADDR): this guest is one
# node of a fleet on a private Ethernet segment (eth1, a VDE switch on the
# host). It takes address $STACK_SEG_ADDR/24 there with netem
# $STACK_SEG_NETEM on eth1, runs one simulator node whose peers are the
# other guests ($STACK_FLEET), traces its consensus rounds into
# /run/bcmon/www/spans/spans.jsonl, and serves on 10.0.2.15:9478, the
# user-network side that the host reaches through a QEMU port forward on
# its loopback (the other guests of the segment are the fleet's own):
# /spans/ (the span files, read-only), /cgi-bin/netem
# (change eth1's netem: delay, jitter, loss) and /cgi-bin/stop (stop this
# node cleanly, as if it failed). $STACK_CLOCK (host:port, reached
# through 10.0.2.2) is the host's clock, which the guest's clock is
# stepped to first, so that span times compare across nodes.
#
# With STACK_LATENCY_LOG=1 (not in fleet mode) the simulator also logs
# every consensus latency it records (--latency-log), served read-only as
# /latency.txt on 10.0.2.15:9478 for the host to compare Prometheus'
# quantiles with the exact ones (tests/host/69-native-e2e.sh).
# timeout: 86400
. /opt/bcmon/lib.sh
set +e

here=$(cd "$(dirname "$0")" && pwd)
: "${STACK_MAX_S:=600}" "${STACK_CAPACITY:=80}" "${STACK_DRAIN:=0}" "${STACK_WARM:=0}"
: "${STACK_TRIP_AT:=0}" "${STACK_NETEM=delay,5ms,1ms,loss,0.2%}" "${STACK_SIM_ARGS:=}"
# The dice fairness window (the shipped config's 10m unless set).
: "${STACK_DICE_WINDOW:=}"
: "${STACK_SEG_ADDR:=}" "${STACK_FLEET:=}" "${STACK_NODE:=$(hostname)}"
: "${STACK_SEG_NETEM:=delay,2ms,loss,0.1%}" "${STACK_CLOCK:=}" "${STACK_LATENCY_LOG:=0}"
# The harness exports --env values unquoted, so lists come comma-separated.
STACK_NETEM=$(echo "$STACK_NETEM" | tr , ' ')
STACK_SIM_ARGS=$(echo "$STACK_SIM_ARGS" | tr , ' ')
STACK_SEG_NETEM=$(echo "$STACK_SEG_NETEM" | tr , ' ')
TC=/usr/local/bin/tc	# the host's tc: busybox would run its own applet
WWW=/run/bcmon/www

say() { echo "stack: $*"; }

load_bcmon || fail "cannot load bcmon.ko"
insmod "$FIXTURES/bcmon_fixture_sensors.ko" capacity="$STACK_CAPACITY" \
	drain_per_min="$STACK_DRAIN" warm_per_min="$STACK_WARM" ||
	fail "cannot load the sensor fixture"
P=/sys/module/bcmon_fixture_sensors/parameters
say "EMULATED sensors: battery ${STACK_CAPACITY}% draining ${STACK_DRAIN}%/min," \
    "zone warming ${STACK_WARM} m°C/min (these are not real hardware readings)"

netem=0
# shellcheck disable=SC2086 # STACK_NETEM and STACK_SIM_ARGS are word lists
if [ -z "$STACK_NETEM" ]; then
	say "no netem on lo"
elif modprobe sch_netem 2>/dev/null && $TC qdisc add dev lo root netem $STACK_NETEM; then
	netem=1
	say "netem on lo: $STACK_NETEM"
else
	say "netem unavailable: loopback without added delay"
fi

sim_args="--ports 7000,7001"
httpd=""
if [ -n "$STACK_SEG_ADDR" ]; then
	# Step the clock to the host's before anything records a time.
	if [ -n "$STACK_CLOCK" ]; then
		bcmon-clockstep "${STACK_CLOCK%:*}" "${STACK_CLOCK##*:}" ||
			say "clock step failed: span times of this node are off by up to 1 s"
	fi
	ip link set eth1 up && ip addr add "$STACK_SEG_ADDR/24" dev eth1 ||
		fail "cannot configure eth1 with $STACK_SEG_ADDR"
	modprobe sch_netem 2>/dev/null
	# shellcheck disable=SC2086
	if [ -n "$STACK_SEG_NETEM" ] && ! $TC qdisc add dev eth1 root netem $STACK_SEG_NETEM; then
		fail "cannot set netem '$STACK_SEG_NETEM' on eth1"
	fi
	say "node $STACK_NODE: $STACK_SEG_ADDR on eth1 (netem: ${STACK_SEG_NETEM:-none}), fleet $STACK_FLEET"
	mkdir -p $WWW/spans $WWW/cgi-bin
	cp "$here/netem.cgi" $WWW/cgi-bin/netem
	cp "$here/stop.cgi" $WWW/cgi-bin/stop
	chmod 755 $WWW/cgi-bin/*
	busybox httpd -f -p 10.0.2.15:9478 -h $WWW &
	httpd=$!
	sim_args="$sim_args --fleet $STACK_FLEET --self $STACK_SEG_ADDR --node $STACK_NODE"
	sim_args="$sim_args --trace $WWW/spans/spans.jsonl -v"
elif [ "$STACK_LATENCY_LOG" = 1 ]; then
	mkdir -p $WWW
	: >$WWW/latency.txt
	busybox httpd -f -p 10.0.2.15:9478 -h $WWW &
	httpd=$!
	sim_args="$sim_args --latency-log $WWW/latency.txt"
	say "consensus latencies logged to $WWW/latency.txt, served on 10.0.2.15:9478"
fi

# shellcheck disable=SC2086
bcmon-sim $sim_args $STACK_SIM_ARGS >/tmp/sim.log 2>&1 &
sim=$!
echo $sim >/run/bcmon-sim.pid
sed 's|^# process:|process:|; s|^#   pid_file: .*|  pid_file: /run/bcmon-sim.pid|' \
	"$here/exporter.txt" >/tmp/exporter.yml
[ -z "$STACK_DICE_WINDOW" ] ||
	sed -i "s|^    window: .*|    window: $STACK_DICE_WINDOW|" /tmp/exporter.yml
bcmon-exporter --config.file=/tmp/exporter.yml --web.listen-address=:9477 \
	--log.level=info >/tmp/exporter.log 2>&1 &
exporter=$!
say "simulator pid $sim, exporter pid $exporter on :9477"

stop_stack() {
	kill -TERM $sim $exporter $httpd 2>/dev/null
	wait $sim $exporter $httpd 2>/dev/null
	[ $netem = 1 ] && $TC qdisc del dev lo root 2>/dev/null
	[ -n "$STACK_SEG_ADDR" ] && $TC qdisc del dev eth1 root 2>/dev/null
	rmmod bcmon_fixture_sensors 2>/dev/null
	for s in consensus gaming dice players peers; do bcmonctl destroy $s 2>/dev/null; done
}

start=$(cut -d. -f1 /proc/uptime)
seen=0 misses=0 tripped=0 rc=0
while :; do
	sleep 2
	now=$(cut -d. -f1 /proc/uptime)
	elapsed=$((now - start))
	if ! kill -0 $sim 2>/dev/null; then
		say "the simulator exited:"; tail -n 5 /tmp/sim.log; rc=1; break
	fi
	if ! kill -0 $exporter 2>/dev/null; then
		say "the exporter exited:"; tail -n 5 /tmp/exporter.log; rc=1; break
	fi
	if [ "$STACK_TRIP_AT" -gt 0 ] && [ $tripped = 0 ] && [ $elapsed -ge "$STACK_TRIP_AT" ]; then
		# Past the fixture zone's 45 °C passive trip, and the fan on.
		echo 50000 >$P/zone_temp
		echo 1 >$P/cooling_state
		tripped=1
		say "zone set to 50 °C (passive trip 45 °C), cooling state 1 at ${elapsed}s"
	fi
	if [ -n "$STACK_HOST_PROM" ]; then
		if curl -fs -m 2 -o /dev/null "http://$STACK_HOST_PROM/-/healthy"; then
			seen=1 misses=0
		elif [ $seen = 1 ]; then
			misses=$((misses + 1))
			[ $misses -ge 2 ] && { say "host Prometheus gone: stopping"; break; }
		fi
	fi
	[ $elapsed -ge "$STACK_MAX_S" ] && { say "$STACK_MAX_S s elapsed: stopping"; break; }
	[ -e /run/bcmon/stop ] && { say "the host asked this node to stop"; break; }
done
say "exporter log (last lines):"
tail -n 8 /tmp/exporter.log
if [ -n "$STACK_SEG_ADDR" ]; then
	say "simulator (last lines):"
	tail -n 3 /tmp/sim.log
fi
stop_stack
exit $rc
