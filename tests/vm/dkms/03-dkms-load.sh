# The module the real dkms built from the packaged source tree
# (scripts/dkms-build: /usr/src/bcmon-VERSION and its dkms.conf, with the
# dkms of this kernel's Debian release) loads on this kernel, carries this
# tree's version, was built from exactly the sources the rest of the suite
# tested (same srcversion, the hash modpost takes of them), answers over
# netlink and unloads.
. /opt/bcmon/lib.sh
DKMS_KO=/opt/bcmon/dkms/bcmon.ko
[ -e $DKMS_KO ] || fail "no DKMS-built module: build as root (make all KERNEL=$KERNEL_SERIES runs scripts/dkms-build)"
want=$(cat /opt/bcmon/VERSION)
unload_bcmon

insmod "$BCMON_KO"
tested=$(cat /sys/module/bcmon/srcversion)
rmmod bcmon

insmod $DKMS_KO
assert_eq "$want" "$(cat /sys/module/bcmon/version)" "DKMS module version"
assert_eq "$tested" "$(cat /sys/module/bcmon/srcversion)" "DKMS module srcversion (its sources)"
assert_eq "$want" "$(bcmonctl version)" "netlink version from the DKMS module"
bcmonctl status >/dev/null || fail "bcmonctl status on the DKMS module"
bcmonctl --json sensors >/dev/null || fail "sensors on the DKMS module"
rmmod bcmon
note "DKMS module $(cat /proc/sys/kernel/osrelease): version $want, srcversion $tested"
