/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bcmon kernel API: counter sets and error events for other kernel modules.
 * Every function is EXPORT_SYMBOL_GPL from bcmon.ko.
 *
 * Calling contexts
 * - bcmon_set_create(), bcmon_set_destroy(): process context only (they
 *   sleep on a mutex and allocate with GFP_KERNEL).
 * - bcmon_counter_add(), bcmon_gauge_add(): any context, NMI included:
 *   one this_cpu_add (irq-safe) on memory the caller's reference keeps
 *   alive. No locks, no atomics shared between CPUs.
 * - bcmon_histogram_observe(): any context but NMI: with interrupts
 *   disabled for a moment, it adds to its CPU's bucket and sum and bumps
 *   that CPU's sequence count, so that every reading sees count, sum and
 *   buckets of the same observations. No locks shared between CPUs.
 * - bcmon_gauge_set(): any context but NMI, hard interrupts and code with
 *   interrupts disabled included: a per-set seqlock taken with interrupts
 *   disabled while it sums the per-CPU deltas. Tested from process, hard
 *   interrupt (hrtimer) and interrupts-off context by
 *   tests/fixtures/bcmon_fixture_sets.c.
 * - bcmon_error_record(): any context, hard interrupts included; never
 *   sleeps (an irq-safe spinlock around one copy into the ring; the
 *   multicast announcement is deferred to a work item). Tested from
 *   process, timer (softirq) and hrtimer (hardirq) context by
 *   tests/fixtures/bcmon_fixture_errors.c.
 *
 * A set pointer returned by bcmon_set_create() stays valid until the caller
 * passes it to bcmon_set_destroy(), even if an administrator destroys the
 * set through netlink first (the values then simply go nowhere visible).
 */
#ifndef _BCMON_API_H
#define _BCMON_API_H

#include <linux/compiler.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/bcmon.h>	/* UAPI: kinds, categories, severities, limits */

struct bcmon_set;
struct bcmon_series;

/* One metric of a set, as given to bcmon_set_create(). */
struct bcmon_metric_def {
	const char *name;		/* [a-z][a-z0-9_]*, < BCMON_NAME_MAX */
	const char *help;		/* optional, printable, < BCMON_HELP_MAX */
	enum bcmon_metric_kind kind;
	const char *unit;		/* optional base unit, e.g. "seconds" */
	s32 scale;			/* value * 10^scale = base units */
	const u64 *bounds;		/* histogram: ascending upper bounds */
	unsigned int n_bounds;
	/* A labeled metric: its label names (module limit max_labels). */
	const char *const *label_names;
	unsigned int n_labels;
	/*
	 * Histogram: native (exponential) buckets as well as, or instead of,
	 * the bounds (Documentation/native-histograms.md). native_schema is
	 * -4..8; values v with |v| <= native_zero_threshold count in the zero
	 * bucket; native_max_buckets (0: the module limit max_native_buckets)
	 * consecutive buckets are kept per sign and CPU, the resolution
	 * lowered when observations span more; negative values are refused
	 * unless native_negative.
	 */
	bool native;
	bool native_negative;
	s32 native_schema;
	u32 native_max_buckets;
	u64 native_zero_threshold;
};

/*
 * Create a set named name with n metrics; metric i is addressed by index i
 * in the recording calls below. Returns the set or an ERR_PTR: -EINVAL
 * (bad name or definition, or n == 0: a set needs at least one metric),
 * -EEXIST (name taken), -ENOSPC (a module limit
 * would be exceeded), -ENOMEM. name must start with BCMON_KERNEL_SET_PREFIX
 * ("kernel_"), a namespace userspace cannot create in; the set is owned by
 * the kernel (no uid, root included, may write it through netlink).
 */
struct bcmon_set *bcmon_set_create(const char *name,
				   const struct bcmon_metric_def *defs,
				   unsigned int n);

/* Unregister the set (if still registered) and drop the caller's reference. */
void bcmon_set_destroy(struct bcmon_set *set);

/*
 * Recording calls. They return 0, or -EINVAL when metric is out of range or
 * of another kind (the value is then dropped), or -ERANGE for a negative
 * counter delta given as s64 through netlink (not possible here: u64).
 */
int bcmon_counter_add(struct bcmon_set *set, unsigned int metric, u64 delta);
int bcmon_gauge_add(struct bcmon_set *set, unsigned int metric, s64 delta);
int bcmon_gauge_set(struct bcmon_set *set, unsigned int metric, s64 value);
int bcmon_histogram_observe(struct bcmon_set *set, unsigned int metric,
			    s64 value);

/*
 * Hot paths: look a counter up once, then add through the handle with one
 * inline this_cpu_add and no function call. The handle is valid as long as
 * the set pointer is. NULL when metric is out of range or not a counter.
 * Any context, like bcmon_counter_add().
 */
u64 __percpu *bcmon_counter_handle(struct bcmon_set *set, unsigned int metric);

static inline void bcmon_counter_add_handle(u64 __percpu *handle, u64 delta)
{
	this_cpu_add(*handle, delta);
}

/*
 * Labeled metrics (Documentation/labels.md). The recording calls above
 * refuse a labeled metric (-EINVAL); its series are resolved once and
 * then recorded into:
 *
 * - bcmon_series_get(): the series of labeled metric index metric whose
 *   label values are values[0..n) (one per label name, in the order the
 *   definition gave them), created if it does not exist yet, with a
 *   reference. ERR_PTR: -EINVAL (not a labeled metric, wrong n, a value
 *   empty or outside the label charset), -E2BIG (value longer than
 *   max_label_value_len), -ENOSPC (the metric has max_series series, or
 *   the module's memory limit), -ENOMEM; refusals for a bound are counted
 *   in the metric. Process context (may sleep).
 * - bcmon_series_put(): drop the reference. The series stays usable until
 *   then, even after bcmon_series_delete() or bcmon_set_destroy() (its
 *   values then go nowhere visible). Any context.
 * - bcmon_series_delete(): delete the series (a peer left); 0 or -ENOENT.
 *   Process context.
 * - bcmon_series_counter_handle(): for a counter's series, the handle for
 *   bcmon_counter_add_handle(): the same one inline this_cpu_add as an
 *   unlabeled counter's handle. NULL for other kinds. Valid while the
 *   reference is held.
 * - bcmon_series_add() (counter: delta >= 0; gauge), _gauge_set(),
 *   _observe(): contexts as their unlabeled counterparts; -EINVAL for an
 *   operation the metric's kind does not have.
 */
struct bcmon_series *bcmon_series_get(struct bcmon_set *set,
				      unsigned int metric,
				      const char *const *values,
				      unsigned int n);
void bcmon_series_put(struct bcmon_series *series);
int bcmon_series_delete(struct bcmon_set *set, unsigned int metric,
			const char *const *values, unsigned int n);
u64 __percpu *bcmon_series_counter_handle(struct bcmon_series *series);
int bcmon_series_add(struct bcmon_series *series, s64 delta);
int bcmon_series_gauge_set(struct bcmon_series *series, s64 value);
int bcmon_series_observe(struct bcmon_series *series, s64 value);

/*
 * Record an error event in the ring (kmod/errors.c): message formatted with
 * vsnprintf and truncated to BCMON_ERROR_MSG_MAX - 1 bytes, bytes outside
 * printable ASCII replaced by '?' (one event, one line), CLOCK_REALTIME
 * timestamp, next sequence number; counted in the never-reset totals.
 * Returns 0, or -EINVAL for an out-of-range category or severity.
 */
__printf(3, 4)
int bcmon_error_record(enum bcmon_error_category category,
		       enum bcmon_severity severity, const char *fmt, ...);

#endif /* _BCMON_API_H */
