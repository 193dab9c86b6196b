#!/bin/sh
# CGI for busybox httpd in a fleet guest (monitoring/stack/guest-stack.sh):
# replace the netem qdisc of the segment interface eth1, e.g.
#   GET /cgi-bin/netem?delay=30ms&jitter=1ms&loss=0.5%25
# Keys: delay, jitter (0 us..10 s, units us, ms or s) and loss (0..100 %);
# a key left out is none. Anything else is refused with 400, so the query
# string never reaches tc unchecked. The answer is `tc qdisc show dev eth1`.
TC=/usr/local/bin/tc

reply() {	# reply STATUS TEXT
	printf 'Status: %s\r\nContent-Type: text/plain\r\n\r\n%s\n' "$1" "$2"
	exit 0
}
time_ok() { echo "$1" | grep -Eq '^[0-9]{1,7}(\.[0-9]{1,3})?(us|ms|s)$'; }
loss_ok() { echo "$1" | grep -Eq '^(100|[0-9]{1,2}(\.[0-9]{1,3})?)%$'; }

delay=0ms jitter="" loss=""
IFS='&'
for kv in ${QUERY_STRING:-}; do
	key=${kv%%=*}
	value=$(busybox httpd -d "${kv#*=}")
	case $key in
	delay) time_ok "$value" || reply "400 Bad Request" "bad delay '$value'"; delay=$value ;;
	jitter) time_ok "$value" || reply "400 Bad Request" "bad jitter '$value'"; jitter=$value ;;
	loss) loss_ok "$value" || reply "400 Bad Request" "bad loss '$value'"; loss=$value ;;
	*) reply "400 Bad Request" "unknown key '$key' (delay, jitter, loss)" ;;
	esac
done
unset IFS
# shellcheck disable=SC2086 # jitter and the loss clause are optional words
if ! out=$($TC qdisc replace dev eth1 root netem delay "$delay" $jitter ${loss:+loss "$loss"} 2>&1); then
	reply "500 Internal Server Error" "tc: $out"
fi
reply "200 OK" "$($TC qdisc show dev eth1)"
