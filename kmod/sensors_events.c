// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon sensor events: what changed between two consecutive snapshots,
 * handed to whoever announces them (netlink_sensors.c puts them on the
 * "events" group; this file knows nothing of netlink).
 *
 * - SUPPLY_STATUS: a supply's status differs (both readings present).
 * - SUPPLY_LOW / SUPPLY_OK: capacity went to or below low_capacity, or
 *   back above it.
 * - TRIP_CROSSED / TRIP_CLEARED: a zone's temperature reached a trip point
 *   (temp >= trip), or fell back below it by the trip's hysteresis
 *   (temp < trip - hyst), the thermal core's own rule; in between the
 *   previous state holds, so a temperature hovering at a trip does not
 *   flap.
 * - THROTTLE_START / THROTTLE_STOP: any cooling device state > 0, or none.
 *
 * Objects are matched by zone id and supply name. An object seen for the
 * first time, or a value absent in either snapshot, only seeds the derived
 * state: events report transitions that were observed, never guesses.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/string.h>

#include "sensors.h"

/* Whoever announces the changes (netlink_sensors.c); NULL: nobody. */
static const struct bcmon_sensors_announcer *announcer;

void bcmon_sensors_set_announcer(const struct bcmon_sensors_announcer *a)
{
	WRITE_ONCE(announcer, a);
}

static void announce_supply(u8 type, const struct bcmon_supply_snap *p)
{
	const struct bcmon_sensors_announcer *a = READ_ONCE(announcer);

	if (a)
		a->supply(type, p);
}

static void announce_trip(u8 type, const struct bcmon_zone_snap *z, u32 trip)
{
	const struct bcmon_sensors_announcer *a = READ_ONCE(announcer);

	if (a)
		a->trip(type, z, trip);
}

static void announce_throttling(bool on)
{
	const struct bcmon_sensors_announcer *a = READ_ONCE(announcer);

	if (a)
		a->throttling(on);
}

static const struct bcmon_supply_snap *
find_supply(const struct bcmon_sensors *s, const char *name)
{
	u32 i;

	for (i = 0; s && i < s->n_supplies; i++)
		if (!strcmp(s->supplies[i].name, name))
			return &s->supplies[i];
	return NULL;
}

static const struct bcmon_zone_snap *find_zone(const struct bcmon_sensors *s,
					       const struct bcmon_zone_snap *z)
{
	u32 i;

	for (i = 0; s && i < s->n_zones; i++)
		if (s->zones[i].id == z->id &&
		    !strcmp(s->zones[i].type, z->type))
			return &s->zones[i];
	return NULL;
}

static void supply_changes(const struct bcmon_supply_snap *old,
			   struct bcmon_supply_snap *p, int low_capacity)
{
	bool had_cap = old && BCMON_SUPPLY_HAS(old, BCMON_SUPPLY_A_CAPACITY);

	if (BCMON_SUPPLY_HAS(p, BCMON_SUPPLY_A_CAPACITY))
		p->low = p->capacity <= low_capacity;
	else
		p->low = old ? old->low : false;	/* unknown: keep */
	if (!old)
		return;

	if (BCMON_SUPPLY_HAS(old, BCMON_SUPPLY_A_STATUS) &&
	    BCMON_SUPPLY_HAS(p, BCMON_SUPPLY_A_STATUS) &&
	    old->status != p->status)
		announce_supply(BCMON_EVENT_SUPPLY_STATUS, p);
	if (had_cap && BCMON_SUPPLY_HAS(p, BCMON_SUPPLY_A_CAPACITY) &&
	    old->low != p->low)
		announce_supply(p->low ? BCMON_EVENT_SUPPLY_LOW :
					 BCMON_EVENT_SUPPLY_OK, p);
}

static void zone_changes(const struct bcmon_zone_snap *old,
			 struct bcmon_zone_snap *z)
{
	struct bcmon_trip_snap *t;
	bool was_above;
	u32 i;

	for (i = 0; i < z->n_trips; i++) {
		t = &z->trips[i];
		was_above = old && i < old->n_trips && old->trips[i].above;
		if (!z->has_temp || !t->has_temp) {
			t->above = was_above;	/* unknown: keep */
			continue;
		}
		if (was_above)
			t->above = z->temp >= t->temp - (t->has_hyst ? t->hyst : 0);
		else
			t->above = z->temp >= t->temp;
		if (!old || i >= old->n_trips || !old->has_temp ||
		    !old->trips[i].has_temp)
			continue;	/* first sight: seed only */
		if (t->above != was_above)
			announce_trip(t->above ? BCMON_EVENT_TRIP_CROSSED :
						 BCMON_EVENT_TRIP_CLEARED, z, i);
	}
}

void bcmon_sensors_announce(const struct bcmon_sensors *prev,
			    struct bcmon_sensors *cur, int low_capacity)
{
	u32 i;

	for (i = 0; i < cur->n_supplies; i++)
		supply_changes(find_supply(prev, cur->supplies[i].name),
			       &cur->supplies[i], low_capacity);
	for (i = 0; i < cur->n_zones; i++)
		zone_changes(find_zone(prev, &cur->zones[i]), &cur->zones[i]);
	if (prev && prev->throttling != cur->throttling)
		announce_throttling(cur->throttling);
}
