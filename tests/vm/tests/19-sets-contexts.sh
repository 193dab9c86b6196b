# The counter-set kernel API in the contexts it claims, driven by
# tests/fixtures/bcmon_fixture_sets.ko: a histogram read while every CPU
# observes is one consistent snapshot (the fixture only observes 1, so
# count == sum in every reading, through netlink and debugfs), and
# bcmon_gauge_set() works from a hard interrupt and with interrupts off
# (it once took a BH-disabling lock: a WARNING in both).
. /opt/bcmon/lib.sh
unload_bcmon
load_bcmon
P=/sys/module/bcmon_fixture_sets/parameters
DBG=/sys/kernel/debug/bcmon/sets/kernel_fixture
insmod $FIXTURES/bcmon_fixture_sets.ko

# Readers against observers on every CPU (and on their own, in hard IRQ).
secs=$((6 * ${BCMON_SLOW:-1}))
echo $((secs * 1000 + 2000)) >$P/observe_storm_ms
out=$(bcmon-setstest histcheck kernel_fixture h $secs $DBG) || fail "$out"
note "$out"
[ "$(echo "$out" | sed -n 's/^histcheck: \([0-9]*\) readings.*/\1/p')" -ge 100 ] || fail "too few readings: $out"
while [ "$(cat $P/observe_storm_ms)" = 1 ]; do sleep 0.5; done

# Gauge sets from a hard interrupt and with interrupts disabled.
echo 11 >$P/gauge_hardirq
assert_contains "$(bcmonctl --json show kernel_fixture)" '"name":"g","kind":"gauge","unit":"","scale":0,"help":"","value":11' "gauge set in hard IRQ"
echo -12 >$P/gauge_irqoff
assert_contains "$(bcmonctl --json show kernel_fixture)" '"name":"g","kind":"gauge","unit":"","scale":0,"help":"","value":-12' "gauge set with IRQs off"
rmmod bcmon_fixture_sets
unload_bcmon
