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

static int kmod_collect(struct scrape_ctx *ctx, struct expo_writer *w)
{
	struct bcmon *bc;
	int err, first;

	err = bcmon_open(&bc);
	if (err) {
		ctx_why(ctx, "bcmon module not reachable: %s%s", strerror(-err),
			err == -ENOENT ? " (module not loaded)" : "");
		return err;
	}
	first = write_module_info(ctx, w, bc);
	err = first == -ENOMEM ? first : write_errors(ctx, w, bc);
	if (!first)
		first = err;
	bcmon_close(bc);
	return first;
}

int kmod_health_facts(struct health_facts *f)
{
	(void)f;
	return -ENOSYS;
}

const struct collector collector_kmod = {
	.name = "kmod",
	.help = "counter sets, error totals, thermal zones, cooling devices and power supplies from bcmon.ko",
	.default_enabled = true,
	.collect = kmod_collect,
};
