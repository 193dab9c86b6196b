/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bcmon sensors: snapshots of every thermal zone, cooling device and power
 * supply (sensors.c), how they are read (sensors_thermal.c,
 * sensors_supply.c), their netlink dump (netlink_sensors.c) and the events
 * derived from two consecutive snapshots (sensors_events.c).
 *
 * A value that could not be read is marked absent (its has_ flag or present
 * bit is clear) and never reported, in particular never as 0.
 */
#ifndef _BCMON_SENSORS_H
#define _BCMON_SENSORS_H

#include <linux/kref.h>
#include <linux/types.h>
#include <net/netlink.h>
#include <linux/bcmon.h>

struct dentry;
struct genl_info;
struct netlink_callback;
struct sk_buff;

#define BCMON_TRIPS_MAX		16	/* trip points reported per zone */
#define BCMON_ZONES_MAX		64
#define BCMON_COOLING_MAX	64
#define BCMON_SUPPLIES_MAX	32
#define BCMON_TRIP_TYPE_MAX	16	/* "passive", "critical", ... */

struct bcmon_trip_snap {
	s32 temp;			/* millidegrees Celsius */
	s32 hyst;			/* millidegrees */
	char type[BCMON_TRIP_TYPE_MAX];
	bool has_temp, has_hyst, has_type;
	bool above;			/* derived: temperature at/over the trip */
};

struct bcmon_zone_snap {
	u32 id;				/* thermal_zone<id> */
	char type[BCMON_SENSOR_NAME_MAX];
	s32 temp;			/* millidegrees Celsius */
	bool has_type, has_temp;
	u32 n_trips;
	struct bcmon_trip_snap trips[BCMON_TRIPS_MAX];
};

struct bcmon_cooling_snap {
	u32 id;				/* cooling_device<id> */
	char type[BCMON_SENSOR_NAME_MAX];
	u32 cur_state, max_state;
	bool has_type, has_cur, has_max;
};

/* Bit BCMON_SUPPLY_A_x of present is set when attribute x was read. */
#define BCMON_SUPPLY_HAS(s, attr)	((s)->present & BIT(attr))

struct bcmon_supply_snap {
	char name[BCMON_SENSOR_NAME_MAX];
	char type[BCMON_SENSOR_NAME_MAX];
	u32 present;
	u8 online;
	u8 status;			/* enum bcmon_supply_status */
	u8 capacity;			/* percent */
	s32 voltage_now, current_now;
	s32 energy_now, energy_full, charge_now, charge_full;
	s32 temp;			/* tenths of a degree Celsius */
	bool low;			/* derived: capacity <= low_capacity */
};

/* One complete reading of every sensor; immutable once published. */
struct bcmon_sensors {
	struct kref ref;
	u64 generation;			/* 1, 2, 3, ... */
	u64 taken_ns;			/* CLOCK_REALTIME */
	u64 cost_ns;			/* time spent reading every sensor */
	u32 n_zones, n_cooling, n_supplies;
	struct bcmon_zone_snap *zones;
	struct bcmon_cooling_snap *cooling;
	struct bcmon_supply_snap *supplies;
	bool throttling;		/* any cooling device with cur_state > 0 */
};

/* First snapshot (before netlink), then start watching (after netlink). */
int bcmon_sensors_init(void);
int bcmon_sensors_start(void);
/* Stop the worker and the notifier: no event is sent afterwards. */
void bcmon_sensors_stop(void);
void bcmon_sensors_exit(void);
/* debugfs_sensors.c */
void bcmon_sensors_debugfs_init(struct dentry *dir);

/* The current snapshot with a reference held; never NULL after init. */
struct bcmon_sensors *bcmon_sensors_get(void);
void bcmon_sensors_put(struct bcmon_sensors *s);

unsigned int bcmon_sensors_interval_ms(void);

/* Readers filling a snapshot under construction (process context). */
int bcmon_sensors_read_thermal(struct bcmon_sensors *s);
int bcmon_sensors_read_supplies(struct bcmon_sensors *s);

/* Compare two snapshots, derive flags in @cur, announce what changed. */
void bcmon_sensors_announce(const struct bcmon_sensors *prev,
			    struct bcmon_sensors *cur, int low_capacity);

/*
 * Whoever announces sensor changes (netlink_sensors.c): called from the
 * snapshot worker (process context), once per change, in order. NULL: no
 * one; set before bcmon_sensors_start(), cleared after bcmon_sensors_stop().
 */
struct bcmon_sensors_announcer {
	void (*supply)(u8 type, const struct bcmon_supply_snap *p);
	void (*trip)(u8 type, const struct bcmon_zone_snap *z, u32 trip);
	void (*throttling)(bool on);
};
void bcmon_sensors_set_announcer(const struct bcmon_sensors_announcer *a);
int bcmon_sensors_low_capacity(void);
/* netlink_sensors.c: status fields and the announcer (netlink init/exit). */
void bcmon_nl_sensors_init(void);
void bcmon_nl_sensors_exit(void);

/* Room the event nests take at most (a zone without its trips). */
#define BCMON_NL_SUPPLY_SIZE						\
	(nla_total_size(0) + 2 * nla_total_size(BCMON_SENSOR_NAME_MAX) +	\
	 3 * nla_total_size(sizeof(u8)) + 7 * nla_total_size(sizeof(s32)))
#define BCMON_NL_TRIP_SIZE						\
	(nla_total_size(0) + 3 * nla_total_size(sizeof(s32)) +		\
	 nla_total_size(BCMON_TRIP_TYPE_MAX))
#define BCMON_NL_ZONE_SIZE						\
	(nla_total_size(0) + 2 * nla_total_size(sizeof(u32)) +		\
	 nla_total_size(BCMON_SENSOR_NAME_MAX))

/* netlink_sensors.c */
int bcmon_nl_put_zone(struct sk_buff *skb, const struct bcmon_zone_snap *z,
		      bool with_trips);
int bcmon_nl_put_trip(struct sk_buff *skb, int attr, u32 id,
		      const struct bcmon_trip_snap *t);
int bcmon_nl_put_cooling(struct sk_buff *skb,
			 const struct bcmon_cooling_snap *c);
int bcmon_nl_put_supply(struct sk_buff *skb,
			const struct bcmon_supply_snap *p);
int bcmon_nl_sensors_get_start(struct netlink_callback *cb);
int bcmon_nl_sensors_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
int bcmon_nl_sensors_get_done(struct netlink_callback *cb);

/* Entry for the family's op table (netlink.c). */
#define BCMON_SENSORS_GENL_OPS						\
	{								\
		.cmd		= BCMON_CMD_SENSORS_GET,		\
		.start		= bcmon_nl_sensors_get_start,		\
		.dumpit		= bcmon_nl_sensors_get_dumpit,		\
		.done		= bcmon_nl_sensors_get_done,		\
		.policy		= bcmon_no_attrs_policy,		\
		.maxattr	= BCMON_A_VERSION,			\
	},

#endif /* _BCMON_SENSORS_H */
