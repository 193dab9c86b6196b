// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for libbcmon's parsers of error events, zones, trips, cooling
 * devices and supplies: the nests are built here as the kernel builds them;
 * an attribute the kernel leaves out must come back as "absent", never 0.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <bcmon/libbcmon.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

/* The first attribute of msg (the nest under test). */
static struct nlattr *first_attr(struct nl_msg *msg)
{
	return nlmsg_attrdata(nlmsg_hdr(msg), 0);
}

static void supply_absent_values_are_not_zero(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct bcmon_supply s;
	struct nlattr *nest;

	(void)state;
	nest = nla_nest_start(msg, BCMON_A_SUPPLY);
	nla_put_string(msg, BCMON_SUPPLY_A_NAME, "BAT0");
	nla_put_string(msg, BCMON_SUPPLY_A_TYPE, "Battery");
	nla_put_u8(msg, BCMON_SUPPLY_A_STATUS, BCMON_SUPPLY_STATUS_DISCHARGING);
	nla_put_u8(msg, BCMON_SUPPLY_A_CAPACITY, 0);	/* a real 0 */
	nla_put_s32(msg, BCMON_SUPPLY_A_CURRENT_NOW, -1500000);
	nla_nest_end(msg, nest);

	assert_int_equal(bcmon_supply_parse(first_attr(msg), &s), 0);
	assert_string_equal(s.name, "BAT0");
	assert_string_equal(s.type, "Battery");
	assert_true(bcmon_supply_has(&s, BCMON_SUPPLY_A_CAPACITY));
	assert_int_equal(s.capacity, 0);
	assert_int_equal(s.current_now, -1500000);
	assert_int_equal(s.status, BCMON_SUPPLY_STATUS_DISCHARGING);
	assert_false(bcmon_supply_has(&s, BCMON_SUPPLY_A_VOLTAGE_NOW));
	assert_false(bcmon_supply_has(&s, BCMON_SUPPLY_A_ONLINE));
	assert_false(bcmon_supply_has(&s, BCMON_SUPPLY_A_TEMP));
	nlmsg_free(msg);
}

static void supply_without_name_is_malformed(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct bcmon_supply s;
	struct nlattr *nest;

	(void)state;
	nest = nla_nest_start(msg, BCMON_A_SUPPLY);
	nla_put_u8(msg, BCMON_SUPPLY_A_CAPACITY, 50);
	nla_nest_end(msg, nest);
	assert_int_equal(bcmon_supply_parse(first_attr(msg), &s), -EPROTO);
	nlmsg_free(msg);
}

static void put_trip(struct nl_msg *msg, uint32_t id, int32_t temp)
{
	struct nlattr *t = nla_nest_start(msg, BCMON_ZONE_A_TRIP);

	nla_put_u32(msg, BCMON_TRIP_A_ID, id);
	nla_put_s32(msg, BCMON_TRIP_A_TEMP, temp);
	nla_put_string(msg, BCMON_TRIP_A_TYPE, "passive");
	nla_nest_end(msg, t);
}

static void zone_with_trips_and_negative_temp(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct bcmon_zone z;
	struct nlattr *nest;

	(void)state;
	nest = nla_nest_start(msg, BCMON_A_ZONE);
	nla_put_u32(msg, BCMON_ZONE_A_ID, 3);
	nla_put_string(msg, BCMON_ZONE_A_TYPE, "cpu-thermal");
	nla_put_s32(msg, BCMON_ZONE_A_TEMP, -5000);
	put_trip(msg, 0, 45000);
	put_trip(msg, 1, 60000);
	nla_nest_end(msg, nest);

	assert_int_equal(bcmon_zone_parse(first_attr(msg), &z), 0);
	assert_int_equal(z.id, 3);
	assert_true(z.has_temp);
	assert_int_equal(z.temp, -5000);
	assert_int_equal(z.n_trips, 2);
	assert_int_equal(z.trips[1].temp, 60000);
	assert_string_equal(z.trips[1].type, "passive");
	assert_false(z.trips[0].has_hyst);
	nlmsg_free(msg);
}

static void zone_without_temp_keeps_it_absent(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct bcmon_zone z;
	struct nlattr *nest;

	(void)state;
	nest = nla_nest_start(msg, BCMON_A_ZONE);
	nla_put_u32(msg, BCMON_ZONE_A_ID, 0);
	nla_nest_end(msg, nest);
	assert_int_equal(bcmon_zone_parse(first_attr(msg), &z), 0);
	assert_false(z.has_temp);
	assert_false(z.has_type);
	assert_int_equal(z.n_trips, 0);
	nlmsg_free(msg);
}

static void zone_trips_are_capped(void **state)
{
	struct nl_msg *msg = nlmsg_alloc_size(65536);
	struct bcmon_zone z;
	struct nlattr *nest;

	(void)state;
	nest = nla_nest_start(msg, BCMON_A_ZONE);
	nla_put_u32(msg, BCMON_ZONE_A_ID, 1);
	for (uint32_t i = 0; i < BCMON_TRIPS_MAX + 4; i++)
		put_trip(msg, i, 1000 * (int32_t)i);
	nla_nest_end(msg, nest);
	assert_int_equal(bcmon_zone_parse(first_attr(msg), &z), 0);
	assert_int_equal(z.n_trips, BCMON_TRIPS_MAX);
	assert_int_equal(z.trips[BCMON_TRIPS_MAX - 1].id, BCMON_TRIPS_MAX - 1);
	nlmsg_free(msg);
}

static void cooling_device(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct bcmon_cooling c;
	struct nlattr *nest;

	(void)state;
	nest = nla_nest_start(msg, BCMON_A_COOLING);
	nla_put_u32(msg, BCMON_COOLING_A_ID, 7);
	nla_put_string(msg, BCMON_COOLING_A_TYPE, "Processor");
	nla_put_u32(msg, BCMON_COOLING_A_CUR_STATE, 2);
	nla_nest_end(msg, nest);
	assert_int_equal(bcmon_cooling_parse(first_attr(msg), &c), 0);
	assert_int_equal(c.id, 7);
	assert_true(c.has_cur);
	assert_int_equal(c.cur_state, 2);
	assert_false(c.has_max);
	nlmsg_free(msg);
}

static void error_event_and_missing_parts(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct bcmon_error_event ev;
	struct nlattr *nest;

	(void)state;
	nest = nla_nest_start(msg, BCMON_A_ERROR);
	nla_put_u64(msg, BCMON_ERROR_A_SEQ, 42);
	nla_put_u64(msg, BCMON_ERROR_A_TIMESTAMP, 1700000000123456789ull);
	nla_put_u8(msg, BCMON_ERROR_A_CATEGORY, BCMON_ERR_CAT_CONSENSUS);
	nla_put_u8(msg, BCMON_ERROR_A_SEVERITY, BCMON_SEV_CRITICAL);
	nla_put_string(msg, BCMON_ERROR_A_MESSAGE, "round 9 stalled");
	nla_nest_end(msg, nest);
	assert_int_equal(bcmon_error_event_parse(first_attr(msg), &ev), 0);
	assert_int_equal(ev.seq, 42);
	assert_int_equal(ev.timestamp_ns, 1700000000123456789ull);
	assert_string_equal(bcmon_error_category_name(ev.category), "consensus");
	assert_string_equal(bcmon_severity_name(ev.severity), "critical");
	assert_string_equal(ev.message, "round 9 stalled");
	nlmsg_free(msg);

	msg = nlmsg_alloc();
	nest = nla_nest_start(msg, BCMON_A_ERROR);
	nla_put_u64(msg, BCMON_ERROR_A_SEQ, 1);
	nla_put_string(msg, BCMON_ERROR_A_MESSAGE, "no category");
	nla_nest_end(msg, nest);
	assert_int_equal(bcmon_error_event_parse(first_attr(msg), &ev), -EPROTO);
	nlmsg_free(msg);
}

static void names_round_trip(void **state)
{
	(void)state;
	for (unsigned int c = 0; c < __BCMON_ERR_CAT_MAX; c++)
		assert_int_equal(bcmon_error_category_parse(bcmon_error_category_name(c)), c);
	for (unsigned int s = 0; s < __BCMON_SEV_MAX; s++)
		assert_int_equal(bcmon_severity_parse(bcmon_severity_name(s)), s);
	assert_int_equal(bcmon_error_category_parse("Network"), -EINVAL);
	assert_null(bcmon_error_category_name(__BCMON_ERR_CAT_MAX));
	assert_null(bcmon_severity_name(99));
	assert_string_equal(bcmon_supply_status_name(BCMON_SUPPLY_STATUS_FULL), "Full");
	assert_string_equal(bcmon_supply_status_name(77), "Unknown");
	assert_string_equal(bcmon_event_type_name(BCMON_EVENT_TRIP_CLEARED), "trip_cleared");
	assert_string_equal(bcmon_event_type_name(BCMON_EVENT_UNSPEC), "unknown");
	assert_string_equal(bcmon_event_type_name(__BCMON_EVENT_MAX), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(supply_absent_values_are_not_zero),
		cmocka_unit_test(supply_without_name_is_malformed),
		cmocka_unit_test(zone_with_trips_and_negative_temp),
		cmocka_unit_test(zone_without_temp_keeps_it_absent),
		cmocka_unit_test(zone_trips_are_capped),
		cmocka_unit_test(cooling_device),
		cmocka_unit_test(error_event_and_missing_parts),
		cmocka_unit_test(names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
