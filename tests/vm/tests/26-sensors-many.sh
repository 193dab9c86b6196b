# A sensors dump far larger than one netlink message (62 zones with trips:
# the first part of a dump is one page) comes back complete and from one
# snapshot: every zone in sysfs, each with its trips, nothing twice.
. /opt/bcmon/lib.sh
unload_bcmon
insmod $FIXTURES/bcmon_fixture_sensors.ko extra_zones=60
insmod "$BCMON_KO"
json=$(bcmonctl --json sensors)
want=$(for z in /sys/class/thermal/thermal_zone*; do echo "${z##*thermal_zone}"; done | sort -n | tr '\n' ' ')
got=$(echo "$json" | jq -r '.zones[].id' | sort -n | tr '\n' ' ')
assert_eq "$want" "$got" "every zone once"
assert_eq 60 "$(echo "$json" | jq '[.zones[] | select(.type | startswith("bcmon_x")) | select((.trips | length) == 2 and .temp_mc == 30000)] | length')" "extra zones complete"
assert_eq "passive 45000 active 60000" "$(echo "$json" | jq -r '.zones[] | select(.type == "bcmon_x59") | [.trips[] | .type, .temp_mc] | join(" ")')" "last zone's trips"
assert_eq "$(echo "$json" | jq -c '.cooling | length')" "$(ls -d /sys/class/thermal/cooling_device* | wc -l)" "cooling after many zones"
assert_eq 2 "$(echo "$json" | jq '[.supplies[] | select(.name | startswith("bcmon_"))] | length')" "supplies after many zones"
assert_eq 60 "$(grep -c ' bcmon_x[0-9]* ' /sys/kernel/debug/bcmon/sensors)" "debugfs lists them"
note "dump of $(echo "$json" | wc -c) bytes of JSON, $(echo "$json" | jq '.zones | length') zones"
rmmod bcmon
rmmod bcmon_fixture_sensors
