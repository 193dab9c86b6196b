# shellcheck shell=bash
# Where the Prometheus servers the tests run live (sourced by tests and
# scripts/install-deps).
#
#   prometheus_bin 2|3   the server binary: 2 is Debian 12's own package
#                        (2.42, /usr/bin/prometheus); 3 is the newest
#                        Prometheus from Debian unstable ("sid"), extracted
#                        from its package by scripts/install-deps into
#                        $BCMON_ROOTS/prometheus-sid (never installed into
#                        this system: sid is never in its apt sources)
#   promtool_bin 2|3     its promtool
#
# Both exit 1 when that Prometheus is not there.

BCMON_ROOTS=${BCMON_ROOTS:-/var/lib/bcmon}
PROMETHEUS_SID_DIR=${PROMETHEUS_SID_DIR:-$BCMON_ROOTS/prometheus-sid}

_prometheus_tool() {	# _prometheus_tool NAME 2|3
	local p
	case $2 in
	2) p=$(command -v "$1") || return 1 ;;
	3) p=$PROMETHEUS_SID_DIR/usr/bin/$1 ;;
	*) return 1 ;;
	esac
	[ -x "$p" ] || return 1
	echo "$p"
}

prometheus_bin() { _prometheus_tool prometheus "$1"; }
promtool_bin() { _prometheus_tool promtool "$1"; }
