// SPDX-License-Identifier: GPL-2.0
/*
 * kmod, counter sets: each metric of each set becomes the family
 * <ns>_<set>_<metric>[_<unit>][_total], in base units (values and
 * histogram bounds are scaled by 10^scale). A metric whose name collides
 * with another family, or whose histogram is malformed, drops only itself.
 * Sets declared as distributions in the config also get a chi-square test.
 * Sets are read one at a time (bcmon_set_foreach) and written as they come:
 * a scrape of 10,000 metrics never holds more than one set's worth of them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bcmon/libbcmon.h>

#include "buckets.h"
#include "chisq.h"
#include "kmod.h"
#include "log.h"
#include "setnames.h"

static enum expo_type family_type(enum bcmon_metric_kind kind)
{
	switch (kind) {
	case BCMON_KIND_COUNTER:
		return EXPO_COUNTER;
	case BCMON_KIND_HISTOGRAM:
		return EXPO_HISTOGRAM;
	default:
		return EXPO_GAUGE;
	}
}

static int write_histogram(struct expo_writer *w, const struct bcmon_metric_info *m)
{
	double *bounds;
	struct expo_histogram h;
	int err;

	bounds = calloc(m->n_bounds ? m->n_bounds : 1, sizeof(*bounds));
	if (!bounds)
		return -ENOMEM;
	err = buckets_scaled(m->bounds, m->n_bounds, m->scale, bounds);
	if (!err) {
		h.nbounds = m->n_bounds;
		h.bounds = bounds;
		h.counts = m->buckets;
		h.sum = scale_to_base((double)m->sum, m->scale);
		err = expo_histogram(w, NULL, 0, &h);
	}
	free(bounds);
	return err;
}

static int write_metric(struct scrape_ctx *ctx, struct expo_writer *w,
			const struct bcmon_set_info *set, const struct bcmon_metric_info *m)
{
	char suffix[3 * BCMON_NAME_MAX], help[BCMON_HELP_MAX + 64];
	int err;

	if (m->kind < BCMON_KIND_COUNTER || m->kind > BCMON_KIND_HISTOGRAM)
		return -EINVAL;
	set_metric_suffix(set->name, m->name, m->unit, m->kind == BCMON_KIND_COUNTER,
			  suffix, sizeof(suffix));
	if (m->help[0])
		snprintf(help, sizeof(help), "%s", m->help);
	else
		snprintf(help, sizeof(help), "Metric %s of counter set %s.", m->name, set->name);
	err = ctx_family(ctx, w, suffix, family_type(m->kind), help);
	if (err)
		return err;
	switch (m->kind) {
	case BCMON_KIND_COUNTER:
		if (!m->scale)
			return expo_sample_u64(w, NULL, 0, (uint64_t)m->value);
		return expo_sample(w, NULL, 0, scale_to_base((double)(uint64_t)m->value,
							     m->scale));
	case BCMON_KIND_GAUGE:
		if (!m->scale)
			return expo_sample_i64(w, NULL, 0, m->value);
		return expo_sample(w, NULL, 0, scale_to_base((double)m->value, m->scale));
	default:
		return write_histogram(w, m);
	}
}

struct dist_result {
	const char *set;
	struct chisq_result r;
};

/* What the streaming read keeps between sets: only the tests' results. */
struct sets_scrape {
	struct scrape_ctx *ctx;
	struct expo_writer *w;
	struct dist_result res[CONFIG_MAX_DISTRIBUTIONS];
	size_t nres;
};

/* Observed counts of d's outcomes in set; -ENOENT when one is missing. */
static int observed_counts(const struct distribution *d, const struct bcmon_set_info *set,
			   uint64_t *observed)
{
	for (size_t i = 0; i < d->noutcomes; i++) {
		int idx = bcmon_set_info_find(set, d->metric[i]);

		if (idx < 0 || set->metrics[idx].kind != BCMON_KIND_COUNTER)
			return -ENOENT;
		observed[i] = (uint64_t)set->metrics[idx].value;
	}
	return 0;
}

/* The chi-square test of set, if the config declares it a distribution. */
static void test_distribution(struct sets_scrape *sc, const struct bcmon_set_info *set)
{
	const struct exporter_config *cfg = sc->ctx->cfg;

	for (size_t i = 0; i < cfg->ndistributions; i++) {
		const struct distribution *d = &cfg->distributions[i];
		uint64_t observed[CONFIG_MAX_OUTCOMES];

		if (strcmp(set->name, d->set))
			continue;
		if (observed_counts(d, set, observed)) {
			log_debug("distribution %s: the set lacks a counter it names", d->set);
			return;
		}
		/* No rolls yet: no statistic rather than a fake one. */
		if (sc->nres < CONFIG_MAX_DISTRIBUTIONS &&
		    !chisq_test(observed, d->probability, d->noutcomes, &sc->res[sc->nres].r))
			sc->res[sc->nres++].set = d->set;
		return;
	}
}

static int write_distributions(struct scrape_ctx *ctx, struct expo_writer *w,
			       const struct dist_result *res, size_t n)
{
	int err;

	if (!n)
		return 0;
	err = ctx_family(ctx, w, "distribution_chi_square", EXPO_GAUGE,
			 "Pearson's chi-square statistic of a counter set against its expected distribution.");
	for (size_t i = 0; !err && i < n; i++)
		err = expo_sample(w, &(struct expo_label){ "set", res[i].set }, 1,
				  res[i].r.statistic);
	if (!err)
		err = ctx_family(ctx, w, "distribution_degrees_of_freedom", EXPO_GAUGE,
				 "Degrees of freedom of the chi-square test (outcomes - 1).");
	for (size_t i = 0; !err && i < n; i++)
		err = expo_sample_u64(w, &(struct expo_label){ "set", res[i].set }, 1,
				      res[i].r.df);
	if (!err)
		err = ctx_family(ctx, w, "distribution_p_value", EXPO_GAUGE,
				 "Probability of a chi-square at least this large if the set follows its expected distribution.");
	for (size_t i = 0; !err && i < n; i++)
		err = expo_sample(w, &(struct expo_label){ "set", res[i].set }, 1,
				  res[i].r.p_value);
	if (!err)
		err = ctx_family(ctx, w, "distribution_observations", EXPO_GAUGE,
				 "Observations the chi-square test is computed over.");
	for (size_t i = 0; !err && i < n; i++)
		err = expo_sample_u64(w, &(struct expo_label){ "set", res[i].set }, 1,
				      res[i].r.observations);
	return err;
}

/* One set, as the read delivers it: written out, then forgotten. */
static int write_set(const struct bcmon_set_info *set, void *arg)
{
	struct sets_scrape *sc = arg;
	int err;

	for (size_t i = 0; i < set->n_metrics; i++) {
		err = write_metric(sc->ctx, sc->w, set, &set->metrics[i]);
		if (err == -ENOMEM)
			return err;
		if (err)
			log_debug("set %s metric %s skipped: %s", set->name,
				  set->metrics[i].name, strerror(-err));
	}
	test_distribution(sc, set);
	return 0;
}

int kmod_write_sets(struct scrape_ctx *ctx, struct expo_writer *w, struct bcmon *bc)
{
	struct sets_scrape sc = { .ctx = ctx, .w = w };
	int err;

	err = bcmon_set_foreach(bc, NULL, write_set, &sc);
	if (err == -EINTR) {
		/*
		 * Sets were created or destroyed during the read: every set
		 * written was read whole; one created or destroyed meanwhile,
		 * or the one being read at that moment, may be missing. The
		 * output cannot be taken back (one set at a time is what
		 * keeps a large scrape small), and the next scrape reads
		 * the new list.
		 */
		log_debug("the counter set list changed during the scrape");
		err = 0;
	}
	if (err) {
		ctx_why(ctx, "reading counter sets: %s", bcmon_strerror(bc));
		return err;
	}
	return write_distributions(ctx, w, sc.res, sc.nres);
}
