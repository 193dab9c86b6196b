// SPDX-License-Identifier: GPL-2.0
/*
 * May the simulator adopt a set that already exists (one left by an earlier
 * run with --keep-sets)? Only when it is exactly what the simulator would
 * have created itself: owned by this process's euid (not by the kernel or
 * another user, who could otherwise hand us a set to fill or have us mix
 * our figures into theirs) and with the same metrics, in the same order,
 * with the same kinds, units, scales, bounds and label names, and the same
 * native form (a histogram's native buckets or none; schema, zero
 * threshold, bucket limit and negative values): a kept set of an older
 * simulator without native buckets, or with another schema, is refused,
 * since the exporter would serve it with other buckets than this one
 * records.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bcmon/libbcmon.h>

#include "adopt.h"

static bool metric_matches(const struct bcmon_metric_info *got,
			   const struct bcmon_metric_spec *want)
{
	if (strcmp(got->name, want->name) || got->kind != want->kind ||
	    strcmp(got->unit, want->unit ? want->unit : "") ||
	    got->scale != want->scale || got->n_bounds != want->n_bounds ||
	    got->n_labels != want->n_labels)
		return false;
	if (got->native != want->native)
		return false;
	/*
	 * The module reports the bucket limit in use; the simulator names
	 * its own (record.h), so there is no "module default" to resolve.
	 */
	if (want->native &&
	    (got->native_schema != want->native_schema ||
	     got->native_zero_threshold != want->native_zero_threshold ||
	     got->native_max_buckets != want->native_max_buckets ||
	     got->native_negative != want->native_negative))
		return false;
	for (size_t l = 0; l < want->n_labels; l++)
		if (strcmp(got->label_names[l], want->label_names[l]))
			return false;
	return !want->n_bounds ||
	       !memcmp(got->bounds, want->bounds, want->n_bounds * sizeof(uint64_t));
}

int sim_adopt_check(struct bcmon *bc, const char *name,
		    const struct bcmon_metric_spec *metrics, size_t n,
		    char *why, size_t len)
{
	struct bcmon_set_info info;
	int err = bcmon_set_get(bc, name, &info);
	size_t i;

	if (err) {
		snprintf(why, len, "set %s exists but cannot be read: %s", name,
			 strerror(-err));
		return err;
	}
	err = -EEXIST;
	if (info.owner != BCMON_ORIGIN_USER || !info.has_owner_uid ||
	    info.owner_uid != (uint32_t)geteuid()) {
		snprintf(why, len, "set %s exists and belongs to %s: not adopted",
			 name, info.owner == BCMON_ORIGIN_KERNEL ? "the kernel" :
			 "another user");
		goto out;
	}
	if (info.n_metrics != n) {
		snprintf(why, len, "set %s exists with %zu metrics, not %zu: not adopted",
			 name, info.n_metrics, n);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!metric_matches(&info.metrics[i], &metrics[i])) {
			snprintf(why, len, "set %s exists with another definition of %s: not adopted",
				 name, metrics[i].name);
			goto out;
		}
	}
	err = 0;
out:
	bcmon_set_info_free(&info);
	return err;
}
