// SPDX-License-Identifier: GPL-2.0
/*
 * bcmonctl sensors: the module's latest snapshot of thermal zones, cooling
 * devices and power supplies. Values keep the kernel's units (named in each
 * column); a value the kernel could not read shows as n/a (omitted from
 * --json), never as 0.
 */
#include <inttypes.h>
#include <stdio.h>

#include <bcmon/libbcmon.h>

#include "ctl.h"
#include "json.h"

/* "%*d" or "n/a" right-aligned in width. */
static void cell(int width, bool has, long long v)
{
	if (has)
		printf(" %*lld", width, v);
	else
		printf(" %*s", width, "n/a");
}

static void print_zones(const struct bcmon_sensors *s)
{
	printf("%-5s %-20s %10s  %s\n", "ZONE", "TYPE", "TEMP_MC",
	       "TRIPS (TYPE:TEMP_MC:HYST_MC)");
	for (size_t i = 0; i < s->n_zones; i++) {
		const struct bcmon_zone *z = &s->zones[i];

		printf("%-5u %-20s", z->id, z->has_type ? z->type : "n/a");
		cell(10, z->has_temp, z->temp);
		printf(" ");
		for (size_t t = 0; t < z->n_trips; t++) {
			const struct bcmon_trip *tr = &z->trips[t];

			printf(" %s:", tr->has_type ? tr->type : "n/a");
			tr->has_temp ? printf("%d", tr->temp) : printf("n/a");
			tr->has_hyst ? printf(":%d", tr->hyst) : printf(":n/a");
		}
		putchar('\n');
	}
}

static void print_cooling(const struct bcmon_sensors *s)
{
	printf("\n%-7s %-20s %9s %9s\n", "COOLING", "TYPE", "CUR_STATE",
	       "MAX_STATE");
	for (size_t i = 0; i < s->n_cooling; i++) {
		const struct bcmon_cooling *c = &s->cooling[i];

		printf("%-7u %-20s", c->id, c->has_type ? c->type : "n/a");
		cell(9, c->has_cur, c->cur_state);
		cell(9, c->has_max, c->max_state);
		putchar('\n');
	}
}

static void print_supplies(const struct bcmon_sensors *s)
{
	printf("\n%-16s %-8s %6s %-12s %8s %10s %10s %12s %12s %12s %12s %7s\n",
	       "SUPPLY", "TYPE", "ONLINE", "STATUS", "CAPACITY", "VOLTAGE_UV",
	       "CURRENT_UA", "ENERGY_UWH", "EFULL_UWH", "CHARGE_UAH",
	       "CFULL_UAH", "TEMP_DC");
	for (size_t i = 0; i < s->n_supplies; i++) {
		const struct bcmon_supply *p = &s->supplies[i];
#define HAS(a) bcmon_supply_has(p, BCMON_SUPPLY_A_##a)

		printf("%-16s %-8s", p->name, HAS(TYPE) ? p->type : "n/a");
		cell(6, HAS(ONLINE), p->online);
		printf(" %-12s", HAS(STATUS) ? bcmon_supply_status_name(p->status) : "n/a");
		cell(8, HAS(CAPACITY), p->capacity);
		cell(10, HAS(VOLTAGE_NOW), p->voltage_now);
		cell(10, HAS(CURRENT_NOW), p->current_now);
		cell(12, HAS(ENERGY_NOW), p->energy_now);
		cell(12, HAS(ENERGY_FULL), p->energy_full);
		cell(12, HAS(CHARGE_NOW), p->charge_now);
		cell(12, HAS(CHARGE_FULL), p->charge_full);
		cell(7, HAS(TEMP), p->temp);
		putchar('\n');
#undef HAS
	}
}

/* ,"key":value only when present. */
static void json_int(const char *key, bool has, long long v)
{
	if (has)
		printf(",\"%s\":%lld", key, v);
}

static void print_json(const struct bcmon_sensors *s)
{
	printf("{\"zones\":[");
	for (size_t i = 0; i < s->n_zones; i++) {
		const struct bcmon_zone *z = &s->zones[i];

		printf("%s{\"id\":%u", i ? "," : "", z->id);
		if (z->has_type) {
			printf(",\"type\":");
			json_print_string(stdout, z->type);
		}
		json_int("temp_mc", z->has_temp, z->temp);
		printf(",\"trips\":[");
		for (size_t t = 0; t < z->n_trips; t++) {
			const struct bcmon_trip *tr = &z->trips[t];

			printf("%s{\"id\":%u", t ? "," : "", tr->id);
			if (tr->has_type) {
				printf(",\"type\":");
				json_print_string(stdout, tr->type);
			}
			json_int("temp_mc", tr->has_temp, tr->temp);
			json_int("hyst_mc", tr->has_hyst, tr->hyst);
			putchar('}');
		}
		printf("]}");
	}
	printf("],\"cooling\":[");
	for (size_t i = 0; i < s->n_cooling; i++) {
		const struct bcmon_cooling *c = &s->cooling[i];

		printf("%s{\"id\":%u", i ? "," : "", c->id);
		if (c->has_type) {
			printf(",\"type\":");
			json_print_string(stdout, c->type);
		}
		json_int("cur_state", c->has_cur, c->cur_state);
		json_int("max_state", c->has_max, c->max_state);
		putchar('}');
	}
	printf("],\"supplies\":[");
	for (size_t i = 0; i < s->n_supplies; i++) {
		const struct bcmon_supply *p = &s->supplies[i];
#define HAS(a) bcmon_supply_has(p, BCMON_SUPPLY_A_##a)

		printf("%s{\"name\":", i ? "," : "");
		json_print_string(stdout, p->name);
		if (HAS(TYPE)) {
			printf(",\"type\":");
			json_print_string(stdout, p->type);
		}
		json_int("online", HAS(ONLINE), p->online);
		if (HAS(STATUS))
			printf(",\"status\":\"%s\"", bcmon_supply_status_name(p->status));
		json_int("capacity", HAS(CAPACITY), p->capacity);
		json_int("voltage_uv", HAS(VOLTAGE_NOW), p->voltage_now);
		json_int("current_ua", HAS(CURRENT_NOW), p->current_now);
		json_int("energy_now_uwh", HAS(ENERGY_NOW), p->energy_now);
		json_int("energy_full_uwh", HAS(ENERGY_FULL), p->energy_full);
		json_int("charge_now_uah", HAS(CHARGE_NOW), p->charge_now);
		json_int("charge_full_uah", HAS(CHARGE_FULL), p->charge_full);
		json_int("temp_dc", HAS(TEMP), p->temp);
		putchar('}');
#undef HAS
	}
	printf("],\"throttling\":%s}\n", s->throttling ? "true" : "false");
}

int cmd_sensors(const struct ctl_options *opts, int argc, char **argv)
{
	struct bcmon_sensors s;
	struct bcmon *bc;
	int err;

	(void)argv;
	if (argc) {
		fprintf(stderr, "bcmonctl sensors: takes no arguments\n");
		return CTL_EXIT_USAGE;
	}
	bc = ctl_connect();
	if (!bc)
		return CTL_EXIT_FAIL;
	err = bcmon_sensors_get(bc, &s);
	if (err) {
		fprintf(stderr, "bcmonctl sensors: %s\n", bcmon_strerror(bc));
		bcmon_close(bc);
		return CTL_EXIT_FAIL;
	}
	if (opts->json) {
		print_json(&s);
	} else {
		print_zones(&s);
		print_cooling(&s);
		print_supplies(&s);
		printf("\nthrottling %s\n", s.throttling ? "yes" : "no");
	}
	bcmon_sensors_free(&s);
	bcmon_close(bc);
	return CTL_EXIT_OK;
}
