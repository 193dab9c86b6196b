// SPDX-License-Identifier: GPL-2.0
/*
 * kmod, counter sets: each metric of each set becomes the family
 * <ns>_<set>_<metric>[_<unit>][_total], in base units (values and
 * histogram bounds are scaled by 10^scale). A metric whose name collides
 * with another family, or whose histogram is malformed, drops only itself.
 * Sets declared as distributions in the config also get a chi-square test
 * over a sliding window (chisq_window.h).
 * Sets are read one at a time (bcmon_set_foreach) and written as they come:
 * a scrape of 10,000 metrics never holds more than one set's worth of them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bcmon/libbcmon.h>

#include "buckets.h"
#include "chisq_window.h"
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

/* "Metric M of counter set S." by plain copies (once per metric without help). */
static void default_help(const char *metric, const char *set, char *out, size_t len)
{
	const char *parts[] = { "Metric ", metric, " of counter set ", set, "." };
	size_t at = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t n = strlen(parts[i]);

		if (n > len - 1 - at)
			n = len - 1 - at;
		memcpy(out + at, parts[i], n);
		at += n;
	}
	out[at] = '\0';
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
	if (!m->help[0])
		default_help(m->name, set->name, help, sizeof(help));
	err = ctx_set_family(ctx, w, suffix, family_type(m->kind), m->help[0] ? m->help : help);
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

/*
 * The fairness tests' histories, one per configured distribution, kept
 * from scrape to scrape (collectors run one at a time). A distribution
 * whose set, outcomes or window changed in a reload starts afresh.
 */
struct dist_history {
	char set[BCMON_NAME_MAX];
	double window_s;
	struct chisq_window *w;
};

static struct dist_history histories[CONFIG_MAX_DISTRIBUTIONS];

static struct chisq_window *history_of(size_t i, const struct distribution *d)
{
	struct dist_history *h = &histories[i];

	if (h->w && (strcmp(h->set, d->set) || h->window_s != d->window_s ||
		     chisq_window_outcomes(h->w) != d->noutcomes)) {
		chisq_window_free(h->w);
		h->w = NULL;
	}
	if (!h->w) {
		h->w = chisq_window_new(d->noutcomes, d->window_s);
		snprintf(h->set, sizeof(h->set), "%s", d->set);
		h->window_s = d->window_s;
	}
	return h->w;
}

void kmod_sets_fini(void)
{
	for (size_t i = 0; i < CONFIG_MAX_DISTRIBUTIONS; i++) {
		chisq_window_free(histories[i].w);
		histories[i].w = NULL;
	}
}

/* Why a set's metric was not served (module_set_metrics_skipped). */
enum skip_reason {
	SKIP_RESERVED,		/* its set's first word is the exporter's */
	SKIP_NAME_CLASH,	/* its family is taken, or a sibling's */
	SKIP_INVALID,		/* malformed (kind, histogram, value) */
	NSKIP
};

static const char *const skip_names[NSKIP] = {
	[SKIP_RESERVED] = "reserved_set_name",
	[SKIP_NAME_CLASH] = "name_clash",
	[SKIP_INVALID] = "invalid",
};

/* What the streaming read keeps between sets: only the tests' results. */
struct sets_scrape {
	struct scrape_ctx *ctx;
	struct expo_writer *w;
	uint64_t skipped[NSKIP];
	double now;
	bool seen[CONFIG_MAX_DISTRIBUTIONS];
	struct chisq_window_eval eval[CONFIG_MAX_DISTRIBUTIONS];
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

/* Feed set to the fairness test of the distribution that names it, if any. */
static void test_distribution(struct sets_scrape *sc, const struct bcmon_set_info *set)
{
	const struct exporter_config *cfg = sc->ctx->cfg;

	for (size_t i = 0; i < cfg->ndistributions; i++) {
		const struct distribution *d = &cfg->distributions[i];
		uint64_t observed[CONFIG_MAX_OUTCOMES];
		struct chisq_window *win;

		if (strcmp(set->name, d->set))
			continue;
		sc->seen[i] = true;
		win = history_of(i, d);
		if (!win || observed_counts(d, set, observed)) {
			log_debug("distribution %s: the set lacks a counter it names", d->set);
			chisq_window_no_data(&sc->eval[i]);
			return;
		}
		chisq_window_observe(win, sc->now, observed, d->probability, &sc->eval[i]);
		return;
	}
}

typedef int (*dist_sample_fn)(struct expo_writer *w, const struct expo_label *l,
			      const struct chisq_window_eval *e);

/* One gauge family with a sample for each distribution that has it. */
static int write_dist_family(struct sets_scrape *sc, const char *suffix, const char *help,
			     bool (*has)(const struct chisq_window_eval *e), dist_sample_fn put)
{
	const struct exporter_config *cfg = sc->ctx->cfg;
	int err = 0;

	for (size_t i = 0, n = 0; !err && i < cfg->ndistributions; i++) {
		struct expo_label l = { "set", cfg->distributions[i].set };

		if (!has(&sc->eval[i]))
			continue;
		if (!n++)
			err = ctx_family(sc->ctx, sc->w, suffix, EXPO_GAUGE, help);
		if (!err)
			err = put(sc->w, &l, &sc->eval[i]);
	}
	return err;
}

static bool tested(const struct chisq_window_eval *e)
{
	return e->state == CHISQ_TESTED;
}

static bool has_window(const struct chisq_window_eval *e)
{
	return e->state == CHISQ_TESTED || e->state == CHISQ_TOO_FEW;
}

static bool skipped(const struct chisq_window_eval *e)
{
	return e->state != CHISQ_TESTED;
}

static int put_statistic(struct expo_writer *w, const struct expo_label *l,
			 const struct chisq_window_eval *e)
{
	return expo_sample(w, l, 1, e->result.statistic);
}

static int put_df(struct expo_writer *w, const struct expo_label *l,
		  const struct chisq_window_eval *e)
{
	return expo_sample_u64(w, l, 1, e->result.df);
}

static int put_p(struct expo_writer *w, const struct expo_label *l,
		 const struct chisq_window_eval *e)
{
	return expo_sample(w, l, 1, e->result.p_value);
}

static int put_observations(struct expo_writer *w, const struct expo_label *l,
			    const struct chisq_window_eval *e)
{
	return expo_sample_u64(w, l, 1, e->observations);
}

static int put_window(struct expo_writer *w, const struct expo_label *l,
		      const struct chisq_window_eval *e)
{
	return expo_sample(w, l, 1, e->window_s);
}

static int put_skipped(struct expo_writer *w, const struct expo_label *l,
		       const struct chisq_window_eval *e)
{
	struct expo_label both[2] = { *l, { "reason", chisq_window_reason(e->state) } };

	return expo_sample_u64(w, both, 2, 1);
}

static int write_distributions(struct sets_scrape *sc)
{
	const struct exporter_config *cfg = sc->ctx->cfg;
	int err;

	/* A declared distribution whose set was not read has no data. */
	for (size_t i = 0; i < cfg->ndistributions; i++)
		if (!sc->seen[i])
			chisq_window_no_data(&sc->eval[i]);
	err = write_dist_family(sc, "distribution_chi_square",
				"Pearson's chi-square statistic of a distribution's counts over the window.",
				tested, put_statistic);
	if (!err)
		err = write_dist_family(sc, "distribution_degrees_of_freedom",
					"Degrees of freedom of the chi-square test (outcomes - 1).",
					tested, put_df);
	if (!err)
		err = write_dist_family(sc, "distribution_p_value",
					"Probability of a chi-square at least this large over the window if the counts follow the expected distribution; absent when untested.",
					tested, put_p);
	if (!err)
		err = write_dist_family(sc, "distribution_observations",
					"Observations in the window the test covers.",
					has_window, put_observations);
	if (!err)
		err = write_dist_family(sc, "distribution_window_seconds",
					"Span of the window the test covers.",
					has_window, put_window);
	if (!err)
		err = write_dist_family(sc, "distribution_test_skipped",
					"1 while the test is not made, with the reason: no_data, window_filling, too_few_observations (an expected count below 5).",
					skipped, put_skipped);
	return err;
}

/* One set, as the read delivers it: written out, then forgotten. */
static int write_set(const struct bcmon_set_info *set, void *arg)
{
	struct sets_scrape *sc = arg;
	int err;

	/*
	 * A set named into the exporter's own namespace (made by a module
	 * that does not refuse it, or loaded with reserved_set_words empty)
	 * could spoof or knock out the exporter's families: never served.
	 */
	if (first_word_reserved(set->name)) {
		log_debug("set %s skipped: its first word is reserved for the exporter", set->name);
		sc->skipped[SKIP_RESERVED] += set->n_metrics;
		return 0;
	}
	for (size_t i = 0; i < set->n_metrics; i++) {
		err = write_metric(sc->ctx, sc->w, set, &set->metrics[i]);
		if (err == -ENOMEM)
			return err;
		if (err) {
			sc->skipped[err == -EEXIST ? SKIP_NAME_CLASH : SKIP_INVALID]++;
			log_debug("set %s metric %s skipped: %s", set->name,
				  set->metrics[i].name, strerror(-err));
		}
	}
	test_distribution(sc, set);
	return 0;
}

int kmod_write_sets(struct scrape_ctx *ctx, struct expo_writer *w, struct bcmon *bc)
{
	struct sets_scrape sc = { .ctx = ctx, .w = w };
	struct timespec ts;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sc.now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
	err = ctx_family(ctx, w, "module_set_metrics_skipped", EXPO_GAUGE,
			 "Metrics of counter sets not served in this scrape, by reason: reserved_set_name (the set's first word belongs to the exporter's own families), name_clash (the family, or one differing by a suffix such as _count, is taken), invalid.");
	for (int r = 0; !err && r < NSKIP; r++)
		err = expo_sample_u64(w, &(struct expo_label){ "reason", skip_names[r] }, 1,
				      sc.skipped[r]);
	return err ?: write_distributions(&sc);
}
