# Network probes, churn: 10,000 short connections (connect, one byte,
# close) are all measured, and afterwards the per-message state maps are
# empty: state is removed when used and when a socket is destroyed.
# timeout: 900
. /opt/bcmon/lib.sh

for mode in "" --kprobe; do
	bcmon-nettest $mode --ports 7400 attach run "bcmon-netpeer churn 7400 10000" \
		sleep 3000 dump >/tmp/steps || fail "bcmon-nettest $mode"
	cat /tmp/steps
	set -- $(awk '$1 == "series" && $2 == "tcp" && $3 == "7400"' /tmp/steps)
	# tx: 10,000 one-byte sends; rx: 10,000 one-byte reads (EOF reads do not count).
	assert_eq "10000 10000 10000 10000" "$4 $5 $6 $7" "tcp/7400 traffic $mode"
	assert_eq 10000 "${10}" "connect latency samples $mode"
	assert_eq "state 0 0 0" "$(grep '^state' /tmp/steps)" "state maps empty $mode"
	assert_eq "drops 0 0 0" "$(grep '^drops' /tmp/steps)" "no drops $mode"
done
