/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bcmon generic netlink ABI: the single source of truth shared by bcmon.ko
 * and userspace. Append-only: never renumber or remove an entry; new
 * attributes and commands go at the end of their enum.
 *
 * Conventions
 * - Strings are NUL-terminated (NLA_NUL_STRING); names match
 *   [a-z][a-z0-9_]* and are at most BCMON_NAME_MAX - 1 bytes.
 * - A value the kernel could not read is *absent* from a reply, never 0.
 * - Values read back are summed over all CPUs.
 * - Integer widths: counts and counters u64, gauges and histogram sums s64,
 *   enums u8, identifiers u32.
 */
#ifndef _UAPI_LINUX_BCMON_H
#define _UAPI_LINUX_BCMON_H

#include <linux/types.h>

#define BCMON_GENL_NAME		"bcmon"
#define BCMON_GENL_VERSION	1
#define BCMON_GENL_MCGRP_EVENTS	"events"

#define BCMON_NAME_MAX		64	/* set and metric names, with NUL */
#define BCMON_HELP_MAX		256	/* metric help text, with NUL */
#define BCMON_UNIT_MAX		32	/* base unit name ("seconds"), with NUL */
#define BCMON_ERROR_MSG_MAX	128	/* error event message, with NUL */
#define BCMON_SENSOR_NAME_MAX	64	/* zone/device/supply type or name */

/*
 * Set names that start with this prefix belong to kernel users of bcmon
 * (the kernel API must use it, netlink may never create one), so that no
 * process can take a kernel module's set name before the module does.
 */
#define BCMON_KERNEL_SET_PREFIX	"kernel_"

/*
 * The exporter's own namespace: every family bcmon-exporter serves for
 * itself (health, scrape, module, network, ...) begins with one of these
 * words, comma-separated. A set whose name's first word (up to the first
 * '_', or all of it) is one of them is refused, so that no application's
 * set can produce, shadow or clash with those families (the module
 * parameter reserved_set_words, this by default; Documentation/labels.md).
 * Words may be added, never removed.
 */
#define BCMON_EXPORTER_RESERVED_WORDS					\
	"battery,cooling,disk,distribution,errors,exporter,health,module,"	\
	"network,power,process,scrape,system,thermal"

enum bcmon_metric_kind {
	BCMON_KIND_UNSPEC,
	BCMON_KIND_COUNTER,	/* monotonic u64, add only */
	BCMON_KIND_GAUGE,	/* s64, add (signed) or set */
	BCMON_KIND_HISTOGRAM,	/* explicit ascending bounds, count, sum */

	__BCMON_KIND_MAX,
	BCMON_KIND_MAX = __BCMON_KIND_MAX - 1
};

/* What one update entry does to its metric. */
enum bcmon_update_op {
	BCMON_OP_UNSPEC,
	BCMON_OP_ADD,		/* counter: value >= 0; gauge: signed delta */
	BCMON_OP_SET,		/* gauge only */
	BCMON_OP_OBSERVE,	/* histogram only: one observation */

	__BCMON_OP_MAX,
	BCMON_OP_MAX = __BCMON_OP_MAX - 1
};

enum bcmon_error_category {
	BCMON_ERR_CAT_NETWORK,
	BCMON_ERR_CAT_CONSENSUS,
	BCMON_ERR_CAT_VALIDATION,
	BCMON_ERR_CAT_GAMING,
	BCMON_ERR_CAT_RESOURCE,
	BCMON_ERR_CAT_SECURITY,
	BCMON_ERR_CAT_OTHER,

	__BCMON_ERR_CAT_MAX,
	BCMON_ERR_CAT_MAX = __BCMON_ERR_CAT_MAX - 1
};

enum bcmon_severity {
	BCMON_SEV_INFO,
	BCMON_SEV_WARNING,
	BCMON_SEV_ERROR,
	BCMON_SEV_CRITICAL,

	__BCMON_SEV_MAX,
	BCMON_SEV_MAX = __BCMON_SEV_MAX - 1
};

/* Who owns a set, or who recorded an error event. */
enum bcmon_origin {
	BCMON_ORIGIN_UNSPEC,
	BCMON_ORIGIN_KERNEL,	/* kernel code, through the kernel API: no uid */
	BCMON_ORIGIN_USER,	/* a process, through netlink: a uid (and pid) */

	__BCMON_ORIGIN_MAX,
	BCMON_ORIGIN_MAX = __BCMON_ORIGIN_MAX - 1
};

/* Kinds of notification sent to the "events" multicast group. */
enum bcmon_event_type {
	BCMON_EVENT_UNSPEC,
	BCMON_EVENT_SET_CREATED,	/* BCMON_A_SET_NAME */
	BCMON_EVENT_SET_DESTROYED,	/* BCMON_A_SET_NAME */
	BCMON_EVENT_ERROR,		/* BCMON_A_ERROR (severity >= error) */
	BCMON_EVENT_SUPPLY_STATUS,	/* BCMON_A_SUPPLY: status changed */
	BCMON_EVENT_SUPPLY_LOW,		/* BCMON_A_SUPPLY: capacity fell below low mark */
	BCMON_EVENT_SUPPLY_OK,		/* BCMON_A_SUPPLY: capacity back above it */
	BCMON_EVENT_TRIP_CROSSED,	/* BCMON_A_ZONE + BCMON_A_EVENT_TRIP: temp rose to/over trip */
	BCMON_EVENT_TRIP_CLEARED,	/* BCMON_A_ZONE + BCMON_A_EVENT_TRIP: temp fell below trip */
	BCMON_EVENT_THROTTLE_START,	/* BCMON_A_THROTTLING = 1 */
	BCMON_EVENT_THROTTLE_STOP,	/* BCMON_A_THROTTLING = 0 */

	__BCMON_EVENT_MAX,
	BCMON_EVENT_MAX = __BCMON_EVENT_MAX - 1
};

/* Power supply status, as the kernel's POWER_SUPPLY_STATUS_*. */
enum bcmon_supply_status {
	BCMON_SUPPLY_STATUS_UNKNOWN,
	BCMON_SUPPLY_STATUS_CHARGING,
	BCMON_SUPPLY_STATUS_DISCHARGING,
	BCMON_SUPPLY_STATUS_NOT_CHARGING,
	BCMON_SUPPLY_STATUS_FULL,
};

/* Top-level attributes (every command's attribute space). */
enum {
	BCMON_A_UNSPEC,
	BCMON_A_VERSION,		/* string: module version */
	BCMON_A_SET_NAME,		/* string: set to act on */
	BCMON_A_SET,			/* nest: BCMON_SET_A_* (replies, events) */
	BCMON_A_METRIC,			/* nest: BCMON_METRIC_A_*, repeated (create) */
	BCMON_A_UPDATE,			/* nest: BCMON_UPDATE_A_*, repeated (update) */
	BCMON_A_ERROR,			/* nest: BCMON_ERROR_A_* */
	BCMON_A_ERROR_TOTAL,		/* nest: BCMON_TOTAL_A_*, repeated */
	BCMON_A_ZONE,			/* nest: BCMON_ZONE_A_*, repeated */
	BCMON_A_COOLING,		/* nest: BCMON_COOLING_A_*, repeated */
	BCMON_A_SUPPLY,			/* nest: BCMON_SUPPLY_A_*, repeated */
	BCMON_A_THROTTLING,		/* u8: 1 when any cooling device state > 0 */
	BCMON_A_STATUS,			/* nest: BCMON_STATUS_A_* */
	BCMON_A_EVENT_TYPE,		/* u8: enum bcmon_event_type */
	BCMON_A_EVENT_TRIP,		/* nest: BCMON_TRIP_A_* (trip events) */
	BCMON_A_PAD,

	__BCMON_A_MAX,
	BCMON_A_MAX = __BCMON_A_MAX - 1
};

/* A counter set as reported by SET_GET. */
enum {
	BCMON_SET_A_UNSPEC,
	BCMON_SET_A_NAME,		/* string */
	BCMON_SET_A_OWNER_UID,		/* u32: owner's uid; absent when the
					 * kernel owns the set */
	BCMON_SET_A_METRIC,		/* nest: BCMON_METRIC_A_*, repeated */
	BCMON_SET_A_PAD,
	BCMON_SET_A_OWNER,		/* u8: enum bcmon_origin */

	__BCMON_SET_A_MAX,
	BCMON_SET_A_MAX = __BCMON_SET_A_MAX - 1
};

/* A metric: definition (create) and value (get). */
enum {
	BCMON_METRIC_A_UNSPEC,
	BCMON_METRIC_A_NAME,		/* string */
	BCMON_METRIC_A_HELP,		/* string, optional */
	BCMON_METRIC_A_KIND,		/* u8: enum bcmon_metric_kind */
	BCMON_METRIC_A_UNIT,		/* string: base unit ("seconds", "bytes"), optional */
	BCMON_METRIC_A_SCALE,		/* s32: decimal exponent, value * 10^scale = base units */
	BCMON_METRIC_A_BOUND,		/* u64: histogram upper bound, repeated, ascending */
	BCMON_METRIC_A_VALUE,		/* counter u64 / gauge s64 (get) */
	BCMON_METRIC_A_COUNT,		/* u64: histogram observation count (get) */
	BCMON_METRIC_A_SUM,		/* s64: histogram sum of observations (get) */
	BCMON_METRIC_A_BUCKET,		/* u64: per-bucket (non-cumulative) count, repeated,
					 * one per bound then one for +Inf (get) */
	BCMON_METRIC_A_PAD,

	__BCMON_METRIC_A_MAX,
	BCMON_METRIC_A_MAX = __BCMON_METRIC_A_MAX - 1
};

/* One entry of a batched update. */
enum {
	BCMON_UPDATE_A_UNSPEC,
	BCMON_UPDATE_A_METRIC,		/* string: metric name */
	BCMON_UPDATE_A_OP,		/* u8: enum bcmon_update_op */
	BCMON_UPDATE_A_VALUE,		/* s64 */
	BCMON_UPDATE_A_PAD,

	__BCMON_UPDATE_A_MAX,
	BCMON_UPDATE_A_MAX = __BCMON_UPDATE_A_MAX - 1
};

/* An error event. */
enum {
	BCMON_ERROR_A_UNSPEC,
	BCMON_ERROR_A_SEQ,		/* u64: position in the stream of events, from 1 */
	BCMON_ERROR_A_TIMESTAMP,	/* u64: CLOCK_REALTIME ns */
	BCMON_ERROR_A_CATEGORY,		/* u8: enum bcmon_error_category */
	BCMON_ERROR_A_SEVERITY,		/* u8: enum bcmon_severity */
	BCMON_ERROR_A_MESSAGE,		/* string */
	BCMON_ERROR_A_PAD,
	/* Who recorded it; set by the kernel, refused in ERROR_RECORD. */
	BCMON_ERROR_A_ORIGIN,		/* u8: enum bcmon_origin */
	BCMON_ERROR_A_UID,		/* u32: recorder's euid (user origin) */
	BCMON_ERROR_A_PID,		/* u32: recorder's thread-group id in
					 * the initial pid namespace (user
					 * origin; may have been reused since) */

	__BCMON_ERROR_A_MAX,
	BCMON_ERROR_A_MAX = __BCMON_ERROR_A_MAX - 1
};

/* Error totals: one nest per (category, severity) pair; never reset. */
enum {
	BCMON_TOTAL_A_UNSPEC,
	BCMON_TOTAL_A_CATEGORY,		/* u8 */
	BCMON_TOTAL_A_SEVERITY,		/* u8 */
	BCMON_TOTAL_A_COUNT,		/* u64 */
	BCMON_TOTAL_A_PAD,

	__BCMON_TOTAL_A_MAX,
	BCMON_TOTAL_A_MAX = __BCMON_TOTAL_A_MAX - 1
};

/* A thermal zone. */
enum {
	BCMON_ZONE_A_UNSPEC,
	BCMON_ZONE_A_ID,		/* u32: thermal_zone<ID> */
	BCMON_ZONE_A_TYPE,		/* string */
	BCMON_ZONE_A_TEMP,		/* s32: millidegrees Celsius */
	BCMON_ZONE_A_TRIP,		/* nest: BCMON_TRIP_A_*, repeated */

	__BCMON_ZONE_A_MAX,
	BCMON_ZONE_A_MAX = __BCMON_ZONE_A_MAX - 1
};

enum {
	BCMON_TRIP_A_UNSPEC,
	BCMON_TRIP_A_ID,		/* u32: index within the zone */
	BCMON_TRIP_A_TEMP,		/* s32: millidegrees Celsius */
	BCMON_TRIP_A_TYPE,		/* string: "active", "passive", "hot", "critical" */
	BCMON_TRIP_A_HYST,		/* s32: millidegrees */

	__BCMON_TRIP_A_MAX,
	BCMON_TRIP_A_MAX = __BCMON_TRIP_A_MAX - 1
};

/* A cooling device. */
enum {
	BCMON_COOLING_A_UNSPEC,
	BCMON_COOLING_A_ID,		/* u32: cooling_device<ID> */
	BCMON_COOLING_A_TYPE,		/* string */
	BCMON_COOLING_A_CUR_STATE,	/* u32 */
	BCMON_COOLING_A_MAX_STATE,	/* u32 */

	__BCMON_COOLING_A_MAX,
	BCMON_COOLING_A_MAX = __BCMON_COOLING_A_MAX - 1
};

/* A power supply; units as the kernel's power_supply class. */
enum {
	BCMON_SUPPLY_A_UNSPEC,
	BCMON_SUPPLY_A_NAME,		/* string */
	BCMON_SUPPLY_A_TYPE,		/* string: "Battery", "Mains", "USB", ... */
	BCMON_SUPPLY_A_ONLINE,		/* u8 */
	BCMON_SUPPLY_A_STATUS,		/* u8: enum bcmon_supply_status */
	BCMON_SUPPLY_A_CAPACITY,	/* u8: percent */
	BCMON_SUPPLY_A_VOLTAGE_NOW,	/* s32: microvolts */
	BCMON_SUPPLY_A_CURRENT_NOW,	/* s32: microamperes */
	BCMON_SUPPLY_A_ENERGY_NOW,	/* s32: microwatt-hours */
	BCMON_SUPPLY_A_ENERGY_FULL,	/* s32: microwatt-hours */
	BCMON_SUPPLY_A_CHARGE_NOW,	/* s32: microampere-hours */
	BCMON_SUPPLY_A_CHARGE_FULL,	/* s32: microampere-hours */
	BCMON_SUPPLY_A_TEMP,		/* s32: tenths of a degree Celsius */

	__BCMON_SUPPLY_A_MAX,
	BCMON_SUPPLY_A_MAX = __BCMON_SUPPLY_A_MAX - 1
};

/* Module status and limits. */
enum {
	BCMON_STATUS_A_UNSPEC,
	BCMON_STATUS_A_VERSION,		/* string */
	BCMON_STATUS_A_SETS,		/* u32: sets that exist */
	BCMON_STATUS_A_MAX_SETS,	/* u32 */
	BCMON_STATUS_A_MAX_METRICS,	/* u32: per set */
	BCMON_STATUS_A_MAX_BUCKETS,	/* u32: per histogram */
	BCMON_STATUS_A_MEM_USED,	/* u64: bytes held by sets */
	BCMON_STATUS_A_MEM_LIMIT,	/* u64: bytes */
	BCMON_STATUS_A_ERROR_RING_SIZE,	/* u32 */
	BCMON_STATUS_A_ERRORS_RECORDED,	/* u64: all error events ever */
	BCMON_STATUS_A_SENSOR_INTERVAL_MS, /* u32 */
	BCMON_STATUS_A_WRITER_GID,	/* u32: absent when no writer group */
	BCMON_STATUS_A_PAD,
	BCMON_STATUS_A_UID_MAX_SETS,	/* u32: sets one uid may own */
	BCMON_STATUS_A_UID_MAX_MEMORY,	/* u64: bytes one uid's sets may hold */
	BCMON_STATUS_A_KERNEL_RESERVED_SETS,	/* u32: of max_sets, only for
						 * kernel-owned sets */
	BCMON_STATUS_A_KERNEL_RESERVED_MEMORY,	/* u64: of the memory limit */
	BCMON_STATUS_A_ERROR_USER_RATE,	/* u32: error records per second per
					 * uid (writer group) */
	BCMON_STATUS_A_ERROR_USER_BURST, /* u32 */
	BCMON_STATUS_A_RESERVED_SET_WORDS, /* string: comma-separated */

	__BCMON_STATUS_A_MAX,
	BCMON_STATUS_A_MAX = __BCMON_STATUS_A_MAX - 1
};

enum {
	BCMON_CMD_UNSPEC,
	BCMON_CMD_GET_VERSION,		/* -> BCMON_A_VERSION */
	BCMON_CMD_GET_STATUS,		/* -> BCMON_A_STATUS */
	BCMON_CMD_SET_CREATE,		/* SET_NAME, METRIC... (write) */
	BCMON_CMD_SET_DESTROY,		/* SET_NAME (write) */
	BCMON_CMD_SET_GET,		/* do: SET_NAME -> SET; dump: every SET */
	BCMON_CMD_SET_UPDATE,		/* SET_NAME, UPDATE... (write) */
	BCMON_CMD_ERROR_RECORD,		/* ERROR {CATEGORY, SEVERITY, MESSAGE} (write) */
	BCMON_CMD_ERROR_GET,		/* dump: ERROR per event, oldest first,
					 * then one message of ERROR_TOTALs */
	BCMON_CMD_SENSORS_GET,		/* dump: ZONE, COOLING, SUPPLY, THROTTLING */
	BCMON_CMD_EVENT,		/* notification on the "events" group */

	__BCMON_CMD_MAX,
	BCMON_CMD_MAX = __BCMON_CMD_MAX - 1
};

#endif /* _UAPI_LINUX_BCMON_H */
