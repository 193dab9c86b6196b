// SPDX-License-Identifier: GPL-2.0
/*
 * kmod: everything bcmon.ko knows, through libbcmon: module info, error
 * totals, counter sets and sensors. One netlink connection is kept across
 * scrapes (opening one costs a socket and a family lookup, a large part of
 * a small scrape); a connection that failed is closed and the next scrape
 * opens a new one, which resolves the family afresh: the module may have
 * been unloaded and loaded again (its family id is then a new one). The
 * module's version is asked once per connection.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bcmon/libbcmon.h>

#include "collector.h"
#include "kmod.h"

/* The kmod collector runs on one runner thread: no lock. */
static struct bcmon *conn;
static char version[64];
/* The error totals the status of this scrape brought (a module that sends
 * them there): write_errors() then has no dump to make. */
static struct bcmon_error_list status_totals;

static int write_module_info(struct scrape_ctx *ctx, struct expo_writer *w,
			     struct bcmon *bc)
{
	struct expo_label l = { "version", version };
	int err;

	(void)bc;
	err = ctx_family(ctx, w, "module_info", EXPO_GAUGE,
			 "Constant 1, labelled with the loaded bcmon.ko version.");
	return err ? err : expo_sample_u64(w, &l, 1, 1);
}

static void disconnect(void)
{
	bcmon_close(conn);
	conn = NULL;
}

/* The kept connection, or a new one (and the module's version). */
static int connect_module(struct scrape_ctx *ctx)
{
	int err;

	if (conn) {
		bcmon_set_timeout(conn, ctx_remaining_ms(ctx));
		return 0;
	}
	err = bcmon_open_timeout(&conn, ctx_remaining_ms(ctx));
	if (err) {
		conn = NULL;
		ctx_why(ctx, "bcmon module not reachable: %s%s", strerror(-err),
			err == -ENOENT ? " (module not loaded)" : "");
		return err;
	}
	err = bcmon_get_version(conn, version, sizeof(version));
	if (err) {
		ctx_why(ctx, "reading the module version: %s", bcmon_strerror(conn));
		disconnect();
		return err;
	}
	kmod_events_resubscribe();	/* the family (and group) may be new */
	return 0;
}

static int write_errors(struct scrape_ctx *ctx, struct expo_writer *w, struct bcmon *bc)
{
	struct bcmon_error_list list = { 0 };
	int err = 0;

	if (status_totals.has_totals) {
		list = status_totals;
		memset(&status_totals, 0, sizeof(status_totals));
	} else {
		err = bcmon_error_totals_get(bc, &list);
	}
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

	bcmon_error_list_free(&status_totals);
	err = bcmon_get_status_totals(bc, &st, &status_totals);
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
	bool kept = conn != NULL;
	struct bcmon *bc;
	int err, first;

	err = connect_module(ctx);
	if (err)
		return err;
	first = 0;
	/*
	 * The status first: it asks before it writes anything, so when a kept
	 * connection fails it (the module is gone, or was loaded again under
	 * a new family id), the scrape tries once more on a new one.
	 */
	if (!run_part(write_status, ctx, w, conn, &first))
		return first;
	if (first && kept) {
		disconnect();
		err = connect_module(ctx);
		if (err)
			return err;
		first = 0;
		if (!run_part(write_status, ctx, w, conn, &first))
			return first;
	}
	bc = conn;
	if (run_part(write_module_info, ctx, w, bc, &first) &&
	    run_part(write_errors, ctx, w, bc, &first) &&
	    run_part(kmod_write_sensors, ctx, w, bc, &first) &&
	    run_part(kmod_write_events, ctx, w, bc, &first))
		run_part(kmod_write_sets, ctx, w, bc, &first);
	/* Anything but a full answer leaves the socket in doubt (a dump cut
	 * short by the deadline leaves messages queued): not kept. */
	if (first && first != -ENOMEM)
		disconnect();
	return first;
}

int kmod_health_facts(const struct scrape_ctx *ctx, struct health_facts *f)
{
	struct bcmon_sensors s = { 0 };
	struct bcmon *bc;
	int err;

	err = bcmon_open_timeout(&bc, ctx_remaining_ms(ctx));
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
	bcmon_error_list_free(&status_totals);
	kmod_events_stop();
	kmod_sets_fini();
	disconnect();
}

const struct collector collector_kmod = {
	.name = "kmod",
	.help = "counter sets, error totals, thermal zones, cooling devices and power supplies from bcmon.ko",
	.default_enabled = true,
	.init = kmod_init,
	.fini = kmod_fini,
	.collect = kmod_collect,
};
