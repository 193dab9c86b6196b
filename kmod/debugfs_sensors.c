// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs view of the sensors (sensors.c): the "sensors" file, one
 * snapshot as people read it, and the "status" line about them.
 * Presentation only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/math64.h>
#include <linux/seq_file.h>

#include "bcmon_internal.h"
#include "sensors.h"

static void show_s32(struct seq_file *m, const char *fmt, bool has, s32 v)
{
	if (has)
		seq_printf(m, fmt, v);
	else
		seq_printf(m, fmt[1] == '-' ? "%-12s" : " %12s", "n/a");
}

static const char *const supply_status_names[] = {
	"Unknown", "Charging", "Discharging", "Not charging", "Full",
};

static void show_supply(struct seq_file *m, const struct bcmon_supply_snap *p)
{
#define HAS(a) BCMON_SUPPLY_HAS(p, BCMON_SUPPLY_A_##a)
	seq_printf(m, "supply %s\n", p->name);
	seq_printf(m, "  type         %s\n", p->type);
	seq_printf(m, "  online       %s\n", HAS(ONLINE) ? (p->online ? "1" : "0") : "n/a");
	seq_printf(m, "  status       %s\n", HAS(STATUS) ? supply_status_names[p->status] : "n/a");
#define LINE(name, a, field)						\
	do {								\
		if (HAS(a))						\
			seq_printf(m, "  %-12s %d\n", name, p->field);	\
		else							\
			seq_printf(m, "  %-12s n/a\n", name);		\
	} while (0)
	LINE("capacity", CAPACITY, capacity);
	LINE("voltage_uv", VOLTAGE_NOW, voltage_now);
	LINE("current_ua", CURRENT_NOW, current_now);
	LINE("energy_now", ENERGY_NOW, energy_now);
	LINE("energy_full", ENERGY_FULL, energy_full);
	LINE("charge_now", CHARGE_NOW, charge_now);
	LINE("charge_full", CHARGE_FULL, charge_full);
	LINE("temp_dC", TEMP, temp);
#undef LINE
#undef HAS
}

static int sensors_show(struct seq_file *m, void *v)
{
	struct bcmon_sensors *s = bcmon_sensors_get();
	u32 i, t;

	if (!s)
		return -ENODATA;
	seq_printf(m, "generation %llu taken_ns %llu cost_us %llu interval_ms %u low_capacity %d\n",
		   s->generation, s->taken_ns, div_u64(s->cost_ns, NSEC_PER_USEC),
		   bcmon_sensors_interval_ms(), bcmon_sensors_low_capacity());
	seq_printf(m, "throttling %d\n\n", s->throttling);

	seq_printf(m, "%-6s %-24s %12s  %s\n", "zone", "type", "temp_mC",
		   "trips (type:temp_mC:hyst_mC)");
	for (i = 0; i < s->n_zones; i++) {
		const struct bcmon_zone_snap *z = &s->zones[i];

		seq_printf(m, "%-6u %-24s", z->id, z->has_type ? z->type : "n/a");
		show_s32(m, " %12d", z->has_temp, z->temp);
		seq_puts(m, " ");
		for (t = 0; t < z->n_trips; t++) {
			const struct bcmon_trip_snap *tr = &z->trips[t];

			seq_printf(m, " %s:", tr->type);
			if (tr->has_temp)
				seq_printf(m, "%d", tr->temp);
			else
				seq_puts(m, "n/a");
			if (tr->has_hyst)
				seq_printf(m, ":%d", tr->hyst);
			else
				seq_puts(m, ":n/a");
		}
		seq_putc(m, '\n');
	}

	seq_printf(m, "\n%-6s %-24s %12s %12s\n", "cdev", "type", "cur_state",
		   "max_state");
	for (i = 0; i < s->n_cooling; i++) {
		const struct bcmon_cooling_snap *c = &s->cooling[i];

		seq_printf(m, "%-6u %-24s", c->id, c->has_type ? c->type : "n/a");
		show_s32(m, " %12d", c->has_cur, c->cur_state);
		show_s32(m, " %12d", c->has_max, c->max_state);
		seq_putc(m, '\n');
	}

	seq_putc(m, '\n');
	for (i = 0; i < s->n_supplies; i++)
		show_supply(m, &s->supplies[i]);
	bcmon_sensors_put(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sensors);

/* --- the status file's line ----------------------------------------------------- */

static void sensors_status_show(struct seq_file *m)
{
	seq_printf(m, "sensor_interval_ms %u\n", bcmon_sensors_interval_ms());
}

static const struct bcmon_status_provider sensors_status_lines = {
	.show		= sensors_status_show,
};

void bcmon_sensors_debugfs_init(struct dentry *dir)
{
	debugfs_create_file("sensors", 0444, dir, NULL, &sensors_fops);
	bcmon_status_register(&sensors_status_lines);
}
