// SPDX-License-Identifier: GPL-2.0
/*
 * kmod: everything bcmon.ko knows, through libbcmon: module info, error
 * totals, counter sets and sensors. A new netlink connection per scrape:
 * the module may be unloaded and loaded again between scrapes, and a
 * connection resolves the family afresh.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bcmon/libbcmon.h>

#include "collector.h"
#include "kmod.h"

/* Scrapes run on one thread; this only tracks the module coming back. */
static bool module_seen;

static int write_module_info(struct scrape_ctx *ctx, struct expo_writer *w,
			     struct bcmon *bc)
{
	char version[64];
	struct expo_label l = { "version", version };
	int err;

	err = bcmon_get_version(bc, version, sizeof(version));
	if (err) {
		ctx_why(ctx, "reading the module version: %s", bcmon_strerror(bc));
		return err;
	}
	err = ctx_family(ctx, w, "module_info", EXPO_GAUGE,
			 "Constant 1, labelled with the loaded bcmon.ko version.");
	return err ? err : expo_sample_u64(w, &l, 1, 1);
}

static int write_errors(struct scrape_ctx *ctx, struct expo_writer *w, struct bcmon *bc)
{
	struct bcmon_error_list list = { 0 };
	int err;

	err = bcmon_errors_get(bc, &list);
	if (!err && !list.has_totals)
		err = -EPROTO;
	if (err) {
		ctx_why(ctx, "reading error totals: %s", bcmon_strerror(bc));
		bcmon_error_list_free(&list);
		return err;
	}
	err = ctx_family(ctx, w, "errors_total", EXPO_COUNTER,
			 "Error events recorded by the node and the kernel, by category and severity.");
	for (unsigned int c = 0; !err && c < __BCMON_ERR_CAT_MAX; c++) {
		for (unsigned int s = 0; !err && s < __BCMON_SEV_MAX; s++) {
			struct expo_label l[2] = {
				{ "category", bcmon_error_category_name(c) },
				{ "severity", bcmon_severity_name(s) },
			};

			err = expo_sample_u64(w, l, 2, list.totals[c][s]);
		}
	}
	bcmon_error_list_free(&list);
	return err;
}

static int write_status(struct scrape_ctx *ctx, struct expo_writer *w, struct bcmon *bc)
{
	struct bcmon_status st;
	int err;

	err = bcmon_get_status(bc, &st);
	if (err) {
		ctx_why(ctx, "reading the module status: %s", bcmon_strerror(bc));
		return err;
	}
	err = ctx_family(ctx, w, "module_sets", EXPO_GAUGE, "Counter sets that exist.");
	if (!err)
		err = expo_sample_u64(w, NULL, 0, st.sets);
	if (!err)
		err = ctx_family(ctx, w, "module_sets_limit", EXPO_GAUGE,
				 "Counter sets the module accepts at most.");
	if (!err)
		err = expo_sample_u64(w, NULL, 0, st.max_sets);
	if (!err)
		err = ctx_family(ctx, w, "module_memory_used_bytes", EXPO_GAUGE,
				 "Memory held by counter sets.");
	if (!err)
		err = expo_sample_u64(w, NULL, 0, st.mem_used);
	if (!err)
		err = ctx_family(ctx, w, "module_memory_limit_bytes", EXPO_GAUGE,
				 "Memory counter sets may hold at most.");
	if (!err)
		err = expo_sample_u64(w, NULL, 0, st.mem_limit);
	return err;
}

/* Run one part; keep the first failure; stop only when memory ran out. */
static bool run_part(int (*part)(struct scrape_ctx *, struct expo_writer *, struct bcmon *),
		     struct scrape_ctx *ctx, struct expo_writer *w, struct bcmon *bc,
		     int *first)
{
	char why[sizeof(ctx->why)];
	int err;

	memcpy(why, ctx->why, sizeof(why));
	err = part(ctx, w, bc);
	if (err && *first)
		memcpy(ctx->why, why, sizeof(why));	/* report the first reason */
	if (err && !*first)
		*first = err;
	return err != -ENOMEM;
}

static int kmod_collect(struct scrape_ctx *ctx, struct expo_writer *w)
{
	struct bcmon *bc;
	int err, first;

	err = bcmon_open(&bc);
	if (!err && !module_seen)
		kmod_events_resubscribe();	/* the family (and group) is new */
	module_seen = err == 0;
	if (err) {
		ctx_why(ctx, "bcmon module not reachable: %s%s", strerror(-err),
			err == -ENOENT ? " (module not loaded)" : "");
		return err;
	}
	first = 0;
	if (run_part(write_module_info, ctx, w, bc, &first) &&
	    run_part(write_status, ctx, w, bc, &first) &&
	    run_part(write_errors, ctx, w, bc, &first) &&
	    run_part(kmod_write_sensors, ctx, w, bc, &first) &&
	    run_part(kmod_write_events, ctx, w, bc, &first))
		run_part(kmod_write_sets, ctx, w, bc, &first);
	bcmon_close(bc);
	return first;
}

int kmod_health_facts(struct health_facts *f)
{
	struct bcmon_sensors s = { 0 };
	struct bcmon *bc;
	int err;

	err = bcmon_open(&bc);
	if (err)
		return err;
	err = bcmon_sensors_get(bc, &s);
	if (!err)
		kmod_sensor_facts(&s, f);
	bcmon_sensors_free(&s);
	bcmon_close(bc);
	return err;
}

static int kmod_init(const struct exporter_config *cfg)
{
	(void)cfg;
	return kmod_events_start();
}

static void kmod_fini(void)
{
	kmod_events_stop();
	kmod_sets_fini();
}

const struct collector collector_kmod = {
	.name = "kmod",
	.help = "counter sets, error totals, thermal zones, cooling devices and power supplies from bcmon.ko",
	.default_enabled = true,
	.init = kmod_init,
	.fini = kmod_fini,
	.collect = kmod_collect,
};
