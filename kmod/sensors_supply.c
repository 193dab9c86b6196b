// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon power-supply readings through the power-supply class API: every
 * registered supply is visited (compat.h hides how each kernel exports the
 * iteration) and each property it lists is read with
 * power_supply_get_property(). A property the supply does not list, or
 * whose read fails, stays absent.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/power_supply.h>
#include <linux/slab.h>

#include "compat.h"
#include "sensors.h"

static const char *supply_type_name(enum power_supply_type type)
{
	static const char *const names[] = {
		[POWER_SUPPLY_TYPE_UNKNOWN]	= "Unknown",
		[POWER_SUPPLY_TYPE_BATTERY]	= "Battery",
		[POWER_SUPPLY_TYPE_UPS]		= "UPS",
		[POWER_SUPPLY_TYPE_MAINS]	= "Mains",
		[POWER_SUPPLY_TYPE_USB]		= "USB",
		[POWER_SUPPLY_TYPE_USB_DCP]	= "USB_DCP",
		[POWER_SUPPLY_TYPE_USB_CDP]	= "USB_CDP",
		[POWER_SUPPLY_TYPE_USB_ACA]	= "USB_ACA",
		[POWER_SUPPLY_TYPE_USB_TYPE_C]	= "USB_C",
		[POWER_SUPPLY_TYPE_USB_PD]	= "USB_PD",
		[POWER_SUPPLY_TYPE_USB_PD_DRP]	= "USB_PD_DRP",
		[POWER_SUPPLY_TYPE_APPLE_BRICK_ID] = "BrickID",
		[POWER_SUPPLY_TYPE_WIRELESS]	= "Wireless",
	};

	if ((unsigned int)type < ARRAY_SIZE(names) && names[type])
		return names[type];
	return "Unknown";
}

/* Which kernel property fills which reply attribute. */
static const struct {
	enum power_supply_property prop;
	int attr;			/* BCMON_SUPPLY_A_* */
} supply_props[] = {
	{ POWER_SUPPLY_PROP_ONLINE,		BCMON_SUPPLY_A_ONLINE },
	{ POWER_SUPPLY_PROP_STATUS,		BCMON_SUPPLY_A_STATUS },
	{ POWER_SUPPLY_PROP_CAPACITY,		BCMON_SUPPLY_A_CAPACITY },
	{ POWER_SUPPLY_PROP_VOLTAGE_NOW,	BCMON_SUPPLY_A_VOLTAGE_NOW },
	{ POWER_SUPPLY_PROP_CURRENT_NOW,	BCMON_SUPPLY_A_CURRENT_NOW },
	{ POWER_SUPPLY_PROP_ENERGY_NOW,		BCMON_SUPPLY_A_ENERGY_NOW },
	{ POWER_SUPPLY_PROP_ENERGY_FULL,	BCMON_SUPPLY_A_ENERGY_FULL },
	{ POWER_SUPPLY_PROP_CHARGE_NOW,		BCMON_SUPPLY_A_CHARGE_NOW },
	{ POWER_SUPPLY_PROP_CHARGE_FULL,	BCMON_SUPPLY_A_CHARGE_FULL },
	{ POWER_SUPPLY_PROP_TEMP,		BCMON_SUPPLY_A_TEMP },
};

static bool supply_lists(const struct power_supply_desc *desc,
			 enum power_supply_property prop)
{
	size_t i;

	for (i = 0; i < desc->num_properties; i++)
		if (desc->properties[i] == prop)
			return true;
	return false;
}

static void store(struct bcmon_supply_snap *p, int attr, int v)
{
	switch (attr) {
	case BCMON_SUPPLY_A_ONLINE:
		p->online = !!v;
		break;
	case BCMON_SUPPLY_A_STATUS:
		/* POWER_SUPPLY_STATUS_* and enum bcmon_supply_status agree. */
		if (v < BCMON_SUPPLY_STATUS_UNKNOWN || v > BCMON_SUPPLY_STATUS_FULL)
			return;
		p->status = v;
		break;
	case BCMON_SUPPLY_A_CAPACITY:
		if (v < 0 || v > 100)
			return;	/* nonsense is as good as unavailable */
		p->capacity = v;
		break;
	case BCMON_SUPPLY_A_VOLTAGE_NOW:
		p->voltage_now = v;
		break;
	case BCMON_SUPPLY_A_CURRENT_NOW:
		p->current_now = v;
		break;
	case BCMON_SUPPLY_A_ENERGY_NOW:
		p->energy_now = v;
		break;
	case BCMON_SUPPLY_A_ENERGY_FULL:
		p->energy_full = v;
		break;
	case BCMON_SUPPLY_A_CHARGE_NOW:
		p->charge_now = v;
		break;
	case BCMON_SUPPLY_A_CHARGE_FULL:
		p->charge_full = v;
		break;
	case BCMON_SUPPLY_A_TEMP:
		p->temp = v;
		break;
	default:
		return;
	}
	p->present |= BIT(attr);
}

static void read_supply(struct power_supply *psy, struct bcmon_supply_snap *p)
{
	const struct power_supply_desc *desc = psy->desc;
	union power_supply_propval val;
	size_t i;

	strscpy(p->name, desc->name, sizeof(p->name));
	strscpy(p->type, supply_type_name(desc->type), sizeof(p->type));
	p->present = BIT(BCMON_SUPPLY_A_NAME) | BIT(BCMON_SUPPLY_A_TYPE);
	for (i = 0; i < ARRAY_SIZE(supply_props); i++) {
		if (!supply_lists(desc, supply_props[i].prop))
			continue;
		if (power_supply_get_property(psy, supply_props[i].prop, &val))
			continue;
		store(p, supply_props[i].attr, val.intval);
	}
}

struct supply_walk {
	struct bcmon_sensors *s;
	u32 max;
};

static int count_one(struct power_supply *psy, void *data)
{
	(*(u32 *)data)++;
	return 0;
}

static int read_one(struct power_supply *psy, void *data)
{
	struct supply_walk *w = data;

	if (w->s->n_supplies >= w->max)
		return 0;	/* registered meanwhile: next snapshot */
	read_supply(psy, &w->s->supplies[w->s->n_supplies++]);
	return 0;
}

int bcmon_sensors_read_supplies(struct bcmon_sensors *s)
{
	struct supply_walk w = { .s = s };
	u32 n = 0;

	bcmon_for_each_power_supply(&n, count_one);
	w.max = min_t(u32, n, BCMON_SUPPLIES_MAX);
	s->supplies = kcalloc(w.max, sizeof(*s->supplies), GFP_KERNEL);
	if (!s->supplies)
		return -ENOMEM;
	bcmon_for_each_power_supply(&w, read_one);
	return 0;
}
