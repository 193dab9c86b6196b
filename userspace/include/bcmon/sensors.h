/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libbcmon sensors: the module's latest snapshot of every thermal zone,
 * cooling device and power supply. A value the kernel could not read is
 * absent: its has_ flag (or present bit) is false and the value is 0 only
 * as a placeholder. Never export an absent value. Included by
 * <bcmon/libbcmon.h>.
 */
#ifndef BCMON_SENSORS_H
#define BCMON_SENSORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/bcmon.h>

struct bcmon;
struct nlattr;

#define BCMON_TRIPS_MAX		16	/* trip points kept per zone */
#define BCMON_TRIP_TYPE_MAX	16

struct bcmon_trip {
	uint32_t id;			/* index within the zone */
	int32_t temp;			/* millidegrees Celsius */
	int32_t hyst;			/* millidegrees */
	char type[BCMON_TRIP_TYPE_MAX];	/* "passive", "active", "hot", "critical" */
	bool has_temp, has_hyst, has_type;
};

struct bcmon_zone {
	uint32_t id;			/* /sys/class/thermal/thermal_zone<id> */
	char type[BCMON_SENSOR_NAME_MAX];
	int32_t temp;			/* millidegrees Celsius */
	bool has_type, has_temp;
	size_t n_trips;
	struct bcmon_trip trips[BCMON_TRIPS_MAX];
};

struct bcmon_cooling {
	uint32_t id;			/* /sys/class/thermal/cooling_device<id> */
	char type[BCMON_SENSOR_NAME_MAX];
	uint32_t cur_state, max_state;
	bool has_type, has_cur, has_max;
};

/* present: bit BCMON_SUPPLY_A_x set when attribute x was reported. */
struct bcmon_supply {
	char name[BCMON_SENSOR_NAME_MAX];
	char type[BCMON_SENSOR_NAME_MAX];
	uint32_t present;
	uint8_t online;
	uint8_t status;			/* enum bcmon_supply_status */
	uint8_t capacity;		/* percent */
	int32_t voltage_now;		/* microvolts */
	int32_t current_now;		/* microamperes */
	int32_t energy_now, energy_full;	/* microwatt-hours */
	int32_t charge_now, charge_full;	/* microampere-hours */
	int32_t temp;			/* tenths of a degree Celsius */
};

static inline bool bcmon_supply_has(const struct bcmon_supply *s, int attr)
{
	return (s->present >> attr) & 1u;
}

struct bcmon_sensors {
	struct bcmon_zone *zones;
	size_t n_zones;
	struct bcmon_cooling *cooling;
	size_t n_cooling;
	struct bcmon_supply *supplies;
	size_t n_supplies;
	bool throttling;		/* any cooling device with cur_state > 0 */
	bool has_throttling;
};

/* Read the current snapshot; free with bcmon_sensors_free(). */
int bcmon_sensors_get(struct bcmon *bc, struct bcmon_sensors *out);
void bcmon_sensors_free(struct bcmon_sensors *s);

/* "Charging", "Discharging", ...; "Unknown" when out of range. */
const char *bcmon_supply_status_name(unsigned int status);

/* Parsers for the nests (also used for events). 0 or -EPROTO. */
int bcmon_zone_parse(struct nlattr *nest, struct bcmon_zone *z);
int bcmon_trip_parse(struct nlattr *nest, struct bcmon_trip *t);
int bcmon_cooling_parse(struct nlattr *nest, struct bcmon_cooling *c);
int bcmon_supply_parse(struct nlattr *nest, struct bcmon_supply *s);

#endif /* BCMON_SENSORS_H */
