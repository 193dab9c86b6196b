# Network probes, the exporter's view of the probes themselves: per
# attached program its runs and run time (only while
# kernel.bpf_stats_enabled=1, absent otherwise), runs the kernel skipped
# (fentry/fexit: known, so present; kprobes before Linux 6.7: absent, never
# 0), kprobe misses (tracefs kprobes), and the kprobe flavour's state-map
# occupancy (absent while state lives in socket storage).
# timeout: 600
. /opt/bcmon/lib.sh
. "$(dirname "$0")/net-lib.sh.inc"
PORT=9481
. "$(dirname "$0")/exporter-lib.sh.inc"

M=/tmp/m.txt
echo 'watched_ports: [7800]' >/tmp/exporter.yml
p='bitcraps_network_probe_program'

# fentry/fexit flavour, statistics off: no run counts, misses known.
sysctl -w kernel.bpf_stats_enabled=0 >/dev/null
exporter_start --config.file=/tmp/exporter.yml
bcmon-netpeer pingpong tcp 7800 20 64 >/dev/null
scrape "$M"
promtool_clean "$M"
grep "^bitcraps_network_probe" "$M" | head -n 40
assert_eq 1 "$(value "$M" 'bitcraps_scrape_collector_success{collector="bpf"}')" "bpf success"
grep -q "^${p}_runs_total" "$M" && fail "run counts exported while bpf_stats_enabled=0"
# Skipped runs are known for a trampoline program, so exported, and they
# are what the counts lack: the 40 sends (20 each way) are all either
# counted or skipped. 6.1 and 6.12 skip none here; 7.3 (always
# preemptible, see 34-net-churn) may skip a run whose task was preempted.
miss=$(value "$M" "${p}_missed_runs_total{hook=\"tcp_sendmsg\",program=\"fexit_tcp_sendmsg\",kind=\"fexit\"}")
sent=$(value "$M" 'bitcraps_network_messages_sent_total{proto="tcp",port="7800"}')
[ "$miss" != missing ] || fail "fexit_tcp_sendmsg missed runs not exported"
[ "$sent" != missing ] || fail "tcp/7800 sent messages not exported"
[ "$sent" -le 40 ] && [ $((sent + miss)) -ge 40 ] ||
	fail "tcp/7800: $sent sends counted + $miss skipped runs, the application made 40"
[ "$miss" = 0 ] || note "fexit_tcp_sendmsg: $miss runs skipped by the kernel, $sent of 40 sends counted"
grep -q '^bitcraps_network_probe_state_sockets' "$M" &&
	fail "state occupancy exported for socket storage"
exporter_stop

# Statistics on: runs count the traffic; a forced kprobe flavour keeps
# state in the bounded map, whose occupancy and capacity are exported.
sysctl -w kernel.bpf_stats_enabled=1 >/dev/null
export BCMON_NET_HOOKS=kprobe
exporter_start --config.file=/tmp/exporter.yml
unset BCMON_NET_HOOKS
bcmon-netpeer pingpong tcp 7800 20 64 >/dev/null
scrape "$M"
promtool_clean "$M"
grep "^bitcraps_network_probe" "$M" | head -n 60
runs=$(value "$M" "${p}_runs_total{hook=\"tcp_sendmsg\",program=\"kretprobe_tcp_sendmsg\",kind=\"kretprobe\"}")
[ "$runs" != missing ] && [ "$runs" -ge 40 ] || fail "kretprobe_tcp_sendmsg runs: $runs, want >= 40"
t=$(value "$M" "${p}_run_seconds_total{hook=\"tcp_sendmsg\",program=\"kretprobe_tcp_sendmsg\",kind=\"kretprobe\"}")
awk -v t="$t" 'BEGIN { exit !(t > 0) }' || fail "run seconds $t"
assert_eq 0 "$(value "$M" 'bitcraps_network_probe_kprobe_missed_total{hook="tcp_recvmsg",program="kretprobe_tcp_recvmsg",kind="kretprobe"}')" \
	"kretprobe misses"
case $KERNEL_SERIES in
6.1) grep -q "^${p}_missed_runs_total{hook=\"tcp_sendmsg\",program=\"kprobe_tcp_sendmsg\"" "$M" &&
	fail "kprobe missed runs exported on a kernel that cannot count them" ;;
esac
assert_eq 8192 "$(value "$M" bitcraps_network_probe_state_capacity)" "state capacity"
s=$(value "$M" bitcraps_network_probe_state_sockets)
[ "$s" != missing ] || fail "state occupancy missing"
exporter_stop
sysctl -w kernel.bpf_stats_enabled=0 >/dev/null
