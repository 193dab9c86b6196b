// SPDX-License-Identifier: GPL-2.0
/*
 * kmod, sensors: the module's snapshot of thermal zones, trip points,
 * cooling devices and power supplies, in base units. Whatever the kernel
 * could not read is absent from the snapshot and so from the exposition;
 * one unreadable zone or supply drops only its own series.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bcmon/libbcmon.h>

#include "kmod.h"

/* Units of the power_supply class to base units. */
#define MICRO 1e-6
#define MICRO_HOUR_TO_SI 3.6e-3	/* uWh -> J, uAh -> C */

static int write_zones(struct scrape_ctx *ctx, struct expo_writer *w,
		       const struct bcmon_sensors *s)
{
	char zone[16], trip[16];
	int err;

	err = ctx_family(ctx, w, "thermal_zone_temperature_celsius", EXPO_GAUGE,
			 "Temperature of a thermal zone.");
	for (size_t i = 0; !err && i < s->n_zones; i++) {
		const struct bcmon_zone *z = &s->zones[i];
		struct expo_label l[2] = { { "zone", zone }, { "type", z->type } };

		if (!z->has_temp || !z->has_type)
			continue;
		snprintf(zone, sizeof(zone), "%u", z->id);
		err = expo_sample(w, l, 2, z->temp / 1000.0);
	}
	if (!err)
		err = ctx_family(ctx, w, "thermal_zone_trip_celsius", EXPO_GAUGE,
				 "Temperature of a trip point of a thermal zone.");
	for (size_t i = 0; !err && i < s->n_zones; i++) {
		const struct bcmon_zone *z = &s->zones[i];

		snprintf(zone, sizeof(zone), "%u", z->id);
		for (size_t t = 0; !err && t < z->n_trips; t++) {
			const struct bcmon_trip *tp = &z->trips[t];
			struct expo_label l[3] = { { "zone", zone }, { "trip", trip },
						   { "trip_type", tp->type } };

			if (!tp->has_temp || !tp->has_type)
				continue;
			snprintf(trip, sizeof(trip), "%u", tp->id);
			err = expo_sample(w, l, 3, tp->temp / 1000.0);
		}
	}
	return err;
}

static int write_cooling(struct scrape_ctx *ctx, struct expo_writer *w,
			 const struct bcmon_sensors *s)
{
	char dev[16];
	int err;

	err = ctx_family(ctx, w, "cooling_device_state", EXPO_GAUGE,
			 "Current state of a cooling device (0: not cooling).");
	for (size_t i = 0; !err && i < s->n_cooling; i++) {
		const struct bcmon_cooling *c = &s->cooling[i];
		struct expo_label l[2] = { { "device", dev }, { "type", c->type } };

		if (!c->has_cur || !c->has_type)
			continue;
		snprintf(dev, sizeof(dev), "%u", c->id);
		err = expo_sample_u64(w, l, 2, c->cur_state);
	}
	if (!err)
		err = ctx_family(ctx, w, "cooling_device_max_state", EXPO_GAUGE,
				 "Highest state of a cooling device.");
	for (size_t i = 0; !err && i < s->n_cooling; i++) {
		const struct bcmon_cooling *c = &s->cooling[i];
		struct expo_label l[2] = { { "device", dev }, { "type", c->type } };

		if (!c->has_max || !c->has_type)
			continue;
		snprintf(dev, sizeof(dev), "%u", c->id);
		err = expo_sample_u64(w, l, 2, c->max_state);
	}
	if (!err && s->has_throttling) {
		err = ctx_family(ctx, w, "thermal_throttling", EXPO_GAUGE,
				 "1 while any cooling device is active, else 0.");
		if (!err)
			err = expo_sample_u64(w, NULL, 0, s->throttling ? 1 : 0);
	}
	return err;
}

/* One family over all supplies that report attr, value scaled to base. */
static int write_supply_family(struct scrape_ctx *ctx, struct expo_writer *w,
			       const struct bcmon_sensors *s, int attr,
			       const char *suffix, const char *help, double scale)
{
	int err = ctx_family(ctx, w, suffix, EXPO_GAUGE, help);

	for (size_t i = 0; !err && i < s->n_supplies; i++) {
		const struct bcmon_supply *p = &s->supplies[i];
		struct expo_label l = { "supply", p->name };
		double v;

		if (!bcmon_supply_has(p, attr))
			continue;
		switch (attr) {
		case BCMON_SUPPLY_A_ONLINE:
			v = p->online;
			break;
		case BCMON_SUPPLY_A_CAPACITY:
			v = p->capacity;
			break;
		case BCMON_SUPPLY_A_VOLTAGE_NOW:
			v = p->voltage_now;
			break;
		case BCMON_SUPPLY_A_CURRENT_NOW:
			v = p->current_now;
			break;
		case BCMON_SUPPLY_A_ENERGY_NOW:
			v = p->energy_now;
			break;
		case BCMON_SUPPLY_A_ENERGY_FULL:
			v = p->energy_full;
			break;
		case BCMON_SUPPLY_A_CHARGE_NOW:
			v = p->charge_now;
			break;
		case BCMON_SUPPLY_A_CHARGE_FULL:
			v = p->charge_full;
			break;
		default:
			v = p->temp;
		}
		err = expo_sample(w, &l, 1, v * scale);
	}
	return err;
}

static const char *const status_names[] = {
	"unknown", "charging", "discharging", "not_charging", "full",
};

static int write_supplies(struct scrape_ctx *ctx, struct expo_writer *w,
			  const struct bcmon_sensors *s)
{
	int err;

	err = ctx_family(ctx, w, "power_supply_info", EXPO_GAUGE,
			 "Constant 1 per power supply, labelled with its type.");
	for (size_t i = 0; !err && i < s->n_supplies; i++) {
		const struct bcmon_supply *p = &s->supplies[i];
		struct expo_label l[2] = { { "supply", p->name }, { "type", p->type } };

		err = expo_sample_u64(w, l, 2, 1);
	}
	if (!err)
		err = write_supply_family(ctx, w, s, BCMON_SUPPLY_A_ONLINE, "power_supply_online",
					  "1 when the supply is online (mains, USB) or present.", 1);
	/* Status as a state set: one series per state, 1 for the current. */
	if (!err)
		err = ctx_family(ctx, w, "power_supply_status", EXPO_GAUGE,
				 "Charging state of a supply: 1 for the current state, 0 for the others.");
	for (size_t i = 0; !err && i < s->n_supplies; i++) {
		const struct bcmon_supply *p = &s->supplies[i];

		if (!bcmon_supply_has(p, BCMON_SUPPLY_A_STATUS))
			continue;
		for (unsigned int st = 0; !err && st < 5; st++) {
			struct expo_label l[2] = { { "supply", p->name },
						   { "status", status_names[st] } };

			err = expo_sample_u64(w, l, 2, p->status == st);
		}
	}
	if (!err)
		err = write_supply_family(ctx, w, s, BCMON_SUPPLY_A_CAPACITY,
					  "battery_capacity_ratio",
					  "Remaining battery capacity (0-1).", 0.01);
	if (!err)
		err = write_supply_family(ctx, w, s, BCMON_SUPPLY_A_VOLTAGE_NOW,
					  "power_supply_voltage_volts", "Present voltage.", MICRO);
	if (!err)
		err = write_supply_family(ctx, w, s, BCMON_SUPPLY_A_CURRENT_NOW,
					  "power_supply_current_amperes",
					  "Present current (sign as the driver reports it).", MICRO);
	if (!err)
		err = write_supply_family(ctx, w, s, BCMON_SUPPLY_A_ENERGY_NOW,
					  "power_supply_energy_joules", "Energy stored now.",
					  MICRO_HOUR_TO_SI);
	if (!err)
		err = write_supply_family(ctx, w, s, BCMON_SUPPLY_A_ENERGY_FULL,
					  "power_supply_energy_full_joules",
					  "Energy stored when full.", MICRO_HOUR_TO_SI);
	if (!err)
		err = write_supply_family(ctx, w, s, BCMON_SUPPLY_A_CHARGE_NOW,
					  "power_supply_charge_coulombs", "Charge stored now.",
					  MICRO_HOUR_TO_SI);
	if (!err)
		err = write_supply_family(ctx, w, s, BCMON_SUPPLY_A_CHARGE_FULL,
					  "power_supply_charge_full_coulombs",
					  "Charge stored when full.", MICRO_HOUR_TO_SI);
	if (!err)
		err = write_supply_family(ctx, w, s, BCMON_SUPPLY_A_TEMP,
					  "power_supply_temperature_celsius",
					  "Temperature of the supply.", 0.1);
	return err;
}

/* The facts the health rules need: throttling and battery capacities. */
void kmod_sensor_facts(const struct bcmon_sensors *s, struct health_facts *f)
{
	f->have_sensors = true;
	f->have_throttling = s->has_throttling;
	f->throttling = s->throttling;
	f->nbatteries = 0;
	for (size_t i = 0; i < s->n_supplies && f->nbatteries < HEALTH_MAX_BATTERIES; i++) {
		const struct bcmon_supply *p = &s->supplies[i];

		if (strcmp(p->type, "Battery") || !bcmon_supply_has(p, BCMON_SUPPLY_A_CAPACITY))
			continue;
		snprintf(f->battery[f->nbatteries].name, sizeof(f->battery[0].name), "%s",
			 p->name);
		f->battery[f->nbatteries++].capacity_ratio = p->capacity / 100.0;
	}
}

int kmod_write_sensors(struct scrape_ctx *ctx, struct expo_writer *w, struct bcmon *bc)
{
	struct bcmon_sensors s = { 0 };
	int err;

	err = bcmon_sensors_get(bc, &s);
	if (err) {
		ctx_why(ctx, "reading sensors: %s", bcmon_strerror(bc));
		return err;
	}
	kmod_sensor_facts(&s, &ctx->facts);
	err = write_zones(ctx, w, &s);
	if (!err)
		err = write_cooling(ctx, w, &s);
	if (!err)
		err = write_supplies(ctx, w, &s);
	bcmon_sensors_free(&s);
	return err;
}
