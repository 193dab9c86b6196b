// SPDX-License-Identifier: GPL-2.0
/*
 * kmod, counter sets: each metric of each set becomes the family
 * <ns>_<set>_<metric>[_<unit>][_total], in base units (values and
 * histogram bounds are scaled by 10^scale). A metric whose name collides
 * with another family, or whose histogram is malformed, drops only itself.
 * Histograms carry the exemplars bcmon.ko keeps (each bucket's most
 * recent, per series) in the formats that have them, and native
 * histograms their native buckets where the format can (kmod_hist.h).
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
#include "kmod_families.h"
#include "kmod_hist.h"
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

/* One counter or gauge value (the metric's or a series'), in base units. */
static int write_value(struct expo_writer *w, const struct bcmon_metric_info *m,
		       const struct expo_label *labels, size_t nlabels, int64_t value)
{
	if (m->kind == BCMON_KIND_COUNTER) {
		if (!m->scale)
			return expo_sample_u64(w, labels, nlabels, (uint64_t)value);
		return expo_sample(w, labels, nlabels,
				   scale_to_base((double)(uint64_t)value, m->scale));
	}
	if (!m->scale)
		return expo_sample_i64(w, labels, nlabels, value);
	return expo_sample(w, labels, nlabels, scale_to_base((double)value, m->scale));
}

/*
 * Every sample of the family: the metric's value, or one sample per series
 * with the series' labels. A series that cannot be written (a value a
 * counter cannot have) drops only itself.
 */
static int write_samples(struct expo_writer *w, const struct bcmon_metric_info *m,
			 struct kmod_hist_room *room)
{
	struct expo_label labels[BCMON_LABELS_MAX];
	double *bounds = NULL;
	int err = 0, first = 0;

	if (m->kind == BCMON_KIND_HISTOGRAM) {
		bounds = calloc(m->n_bounds ? m->n_bounds : 1, sizeof(*bounds));
		if (!bounds)
			return -ENOMEM;
		err = buckets_scaled(m->bounds, m->n_bounds, m->scale, bounds);
		if (err)
			goto out;
	}
	if (!m->n_labels) {
		const struct kmod_hist_reading r = { m->buckets, m->sum, m->n_exemplars,
						     m->exemplars, m->native_buckets };

		err = m->kind == BCMON_KIND_HISTOGRAM ?
		      kmod_hist_write(w, room, m, bounds, NULL, 0, &r) :
		      write_value(w, m, NULL, 0, m->value);
		goto out;
	}
	for (size_t l = 0; l < m->n_labels && l < BCMON_LABELS_MAX; l++)
		labels[l].name = m->label_names[l];
	for (size_t i = 0; i < m->n_series; i++) {
		const struct bcmon_series_info *s = &m->series[i];
		const struct kmod_hist_reading r = { s->buckets, s->sum, s->n_exemplars,
						     s->exemplars, s->native };

		for (size_t l = 0; l < m->n_labels && l < BCMON_LABELS_MAX; l++)
			labels[l].value = s->label_values[l];
		err = m->kind == BCMON_KIND_HISTOGRAM ?
		      kmod_hist_write(w, room, m, bounds, labels, m->n_labels, &r) :
		      write_value(w, m, labels, m->n_labels, s->value);
		if (err == -ENOMEM)
			goto out;
		if (err && !first)
			first = err;
		err = 0;
	}
	err = first;
out:
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

/* Encode metric m's family into out (kmod_families.h keeps it). */
static int encode_family(const struct scrape_ctx *ctx, const struct bcmon_set_info *set,
			 const struct bcmon_metric_info *m, struct strbuf *out)
{
	char suffix[3 * BCMON_NAME_MAX], help[BCMON_HELP_MAX + 64];

	set_metric_suffix(set->name, m->name, m->unit, m->kind == BCMON_KIND_COUNTER,
			  suffix, sizeof(suffix));
	if (!m->help[0])
		default_help(m->name, set->name, help, sizeof(help));
	return ctx_set_family_encode(ctx, out, suffix, family_type(m->kind),
				     m->help[0] ? m->help : help);
}

/*
 * Metric i of set: its family (the record kept from an earlier scrape
 * while the metric's definition is the same, else encoded now and kept),
 * then its samples.
 */
static int write_metric(struct scrape_ctx *ctx, struct expo_writer *w,
			const struct bcmon_set_info *set, size_t i,
			struct kmod_family_set *fs, struct strbuf *scratch,
			struct kmod_hist_room *room)
{
	const struct bcmon_metric_info *m = &set->metrics[i];
	const char *rec;
	size_t len;
	int err;

	if (m->kind < BCMON_KIND_COUNTER || m->kind > BCMON_KIND_HISTOGRAM)
		return -EINVAL;
	if (m->n_labels > BCMON_LABELS_MAX)
		return -EINVAL;
	if (!fs || !kmod_family_get(fs, i, m, &rec, &len, &err)) {
		sb_reset(scratch);
		err = encode_family(ctx, set, m, scratch);
		if (err == -ENOMEM)
			return err;
		if (fs)
			kmod_family_put(fs, i, m, scratch->buf, scratch->len, err);
		rec = scratch->buf;
		len = scratch->len;
	}
	if (!err)
		err = expo_family_add(w, rec, len);
	if (err)
		return err;
	return write_samples(w, m, room);
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
	kmod_families_free();
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

/* A labeled metric's series count and refusals (module_series*). */
struct labeled_stat {
	char set[BCMON_NAME_MAX];
	char metric[BCMON_NAME_MAX];
	uint32_t series;
	uint64_t refused[__BCMON_REFUSED_MAX];
};

/*
 * What the streaming read keeps between sets: the tests' results and one
 * small record per labeled metric (families are written whole, after the
 * sets).
 */
struct sets_scrape {
	struct scrape_ctx *ctx;
	struct expo_writer *w;
	uint64_t skipped[NSKIP];
	struct labeled_stat *labeled;
	size_t nlabeled, caplabeled;
	struct kmod_hist_room hist;	/* room, for histograms' exemplars
					 * and native buckets */
	struct strbuf scratch;		/* a family record being encoded */
	double now;
	bool seen[CONFIG_MAX_DISTRIBUTIONS];
	struct chisq_window_eval eval[CONFIG_MAX_DISTRIBUTIONS];
};

/*
 * A labeled counter's outcomes are values of one label: a value that has
 * no series yet was never observed (0).
 */
static int observed_series(const struct distribution *d, const struct bcmon_set_info *set,
			   uint64_t *observed)
{
	int idx = bcmon_set_info_find(set, d->family), l;
	const struct bcmon_metric_info *m;

	if (idx < 0 || set->metrics[idx].kind != BCMON_KIND_COUNTER)
		return -ENOENT;
	m = &set->metrics[idx];
	l = bcmon_metric_label_index(m, d->label);
	if (l < 0 || m->n_labels != 1)
		return -ENOENT;
	for (size_t i = 0; i < d->noutcomes; i++) {
		observed[i] = 0;
		for (size_t s = 0; s < m->n_series; s++)
			if (!strcmp(m->series[s].label_values[l], d->metric[i]))
				observed[i] = (uint64_t)m->series[s].value;
	}
	return 0;
}

/* Observed counts of d's outcomes in set; -ENOENT when one is missing. */
static int observed_counts(const struct distribution *d, const struct bcmon_set_info *set,
			   uint64_t *observed)
{
	if (d->family)
		return observed_series(d, set, observed);
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

static int note_labeled(struct sets_scrape *sc, const struct bcmon_set_info *set,
			const struct bcmon_metric_info *m)
{
	struct labeled_stat *st;

	if (!m->n_labels)
		return 0;
	if (sc->nlabeled == sc->caplabeled) {
		size_t cap = sc->caplabeled ? 2 * sc->caplabeled : 16;

		st = realloc(sc->labeled, cap * sizeof(*st));
		if (!st)
			return -ENOMEM;
		sc->labeled = st;
		sc->caplabeled = cap;
	}
	st = &sc->labeled[sc->nlabeled++];
	snprintf(st->set, sizeof(st->set), "%s", set->name);
	snprintf(st->metric, sizeof(st->metric), "%s", m->name);
	st->series = m->series_count;
	memcpy(st->refused, m->refused, sizeof(st->refused));
	return 0;
}

/* How many series each labeled metric has, and its refused updates. */
static int write_labeled_stats(struct sets_scrape *sc)
{
	int err = 0;

	if (!sc->nlabeled)
		return 0;
	err = ctx_family(sc->ctx, sc->w, "module_series", EXPO_GAUGE,
			 "Series a labeled metric of a counter set has in bcmon.ko.");
	for (size_t i = 0; !err && i < sc->nlabeled; i++) {
		struct expo_label l[2] = { { "set", sc->labeled[i].set },
					   { "metric", sc->labeled[i].metric } };

		err = expo_sample_u64(sc->w, l, 2, sc->labeled[i].series);
	}
	if (!err)
		err = ctx_family(sc->ctx, sc->w, "module_series_refused_total", EXPO_COUNTER,
				 "Updates of a labeled metric bcmon.ko refused for a bound: series_limit (max_series), memory_quota (the owner's quota or the memory limit), label_value (too long or outside the label charset).");
	for (size_t i = 0; !err && i < sc->nlabeled; i++) {
		for (int r = 0; !err && r <= BCMON_REFUSED_MAX; r++) {
			struct expo_label l[3] = { { "set", sc->labeled[i].set },
						   { "metric", sc->labeled[i].metric },
						   { "reason", bcmon_refusal_name(r) } };

			err = expo_sample_u64(sc->w, l, 3, sc->labeled[i].refused[r]);
		}
	}
	return err;
}

/* One set, as the read delivers it: written out, then forgotten. */
static int write_set(const struct bcmon_set_info *set, void *arg)
{
	struct sets_scrape *sc = arg;
	struct kmod_family_set *fs;
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
	fs = kmod_families_of(set->name, set->n_metrics);
	for (size_t i = 0; i < set->n_metrics; i++) {
		err = note_labeled(sc, set, &set->metrics[i]);
		if (!err)
			err = write_metric(sc->ctx, sc->w, set, i, fs, &sc->scratch, &sc->hist);
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

	/* For windows of seconds: the coarse clock (no system call) will do. */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	sc.now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	kmod_families_begin(ctx->cfg->namespace_);
	err = bcmon_set_foreach(bc, NULL, write_set, &sc);
	kmod_families_end();
	kmod_hist_room_free(&sc.hist);
	sb_free(&sc.scratch);
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
		free(sc.labeled);
		ctx_why(ctx, "reading counter sets: %s", bcmon_strerror(bc));
		return err;
	}
	err = ctx_family(ctx, w, "module_set_metrics_skipped", EXPO_GAUGE,
			 "Metrics of counter sets not served in this scrape, by reason: reserved_set_name (the set's first word belongs to the exporter's own families), name_clash (the family, or one differing by a suffix such as _count, is taken), invalid.");
	for (int r = 0; !err && r < NSKIP; r++)
		err = expo_sample_u64(w, &(struct expo_label){ "reason", skip_names[r] }, 1,
				      sc.skipped[r]);
	if (!err)
		err = write_labeled_stats(&sc);
	free(sc.labeled);
	return err ?: write_distributions(&sc);
}
