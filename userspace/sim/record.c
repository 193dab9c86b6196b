// SPDX-License-Identifier: GPL-2.0
/*
 * Recording through libbcmon: how an application instruments itself.
 *
 *  1. Declare the sets once at start (recorder_open): names, kinds, units,
 *     histogram bounds, label names. The kernel keeps per-CPU values, one
 *     series per tuple of label values; the exporter turns them into
 *     Prometheus series.
 *  2. On the hot path only touch memory: counter adds are summed per
 *     series, gauges keep their last value, histogram observations queue,
 *     a traced round's latency with its trace and span ids (an exemplar).
 *  3. Periodically send everything as one batched update per set
 *     (recorder_flush, through libbcmon's batch builder): one netlink round
 *     trip instead of one per event. A labeled update names its series by
 *     its label values; the kernel creates the series on first use.
 *
 * Every rec_* function accepts a NULL recorder (--no-record), so callers
 * never test for it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bcmon/libbcmon.h>

#include "adopt.h"
#include "record.h"

/* The seed's consensus latency bounds, 1 ms .. 1 s, in microseconds. */
static const uint64_t latency_bounds_us[] = {
	1000, 5000, 10000, 50000, 100000, 500000, 1000000,
};

static const char *const outcome_label[] = { "outcome" };
static const char *const total_label[] = { "total" };
static const char *const peer_label[] = { "peer" };

#define COUNTER(n, h) { .name = n, .help = h, .kind = BCMON_KIND_COUNTER }
#define GAUGE(n, h) { .name = n, .help = h, .kind = BCMON_KIND_GAUGE }
#define LABELED(l) .label_names = l, .n_labels = 1
#define PER_PEER(n, h, k) { .name = n, .help = h, .kind = k, LABELED(peer_label) }

static const struct bcmon_metric_spec consensus_metrics[] = {
	{ .name = "latency", .help = "Time from proposal to decision of a consensus round.",
	  .kind = BCMON_KIND_HISTOGRAM, .unit = "seconds", .scale = -6,
	  .bounds = latency_bounds_us,
	  .n_bounds = sizeof(latency_bounds_us) / sizeof(latency_bounds_us[0]),
	  /*
	   * Also a native histogram (issue 13): schema 3, buckets 2^(1/8)
	   * apart (about 9% wide) of seconds, beside the seed's bounds, which
	   * stay as they are for rules and alerts that name their le values.
	   * Latencies are positive: no zero bucket, no negative buckets. The
	   * bucket limit is the module's default, named so that adopting a
	   * kept set compares it (1 ms .. 3 s spans 93 buckets); a module
	   * loaded with a lower max_native_buckets gets that (consensus_set()).
	   */
	  .native = true, .native_schema = LATENCY_NATIVE_SCHEMA,
	  .native_max_buckets = LATENCY_NATIVE_MAX_BUCKETS },
	{ .name = "proposals", .kind = BCMON_KIND_COUNTER, LABELED(outcome_label),
	  .help = "Consensus rounds decided, by outcome: accepted (two thirds of the peers), rejected, timeout (3 s)." },
};

static const struct bcmon_metric_spec gaming_metrics[] = {
	COUNTER("games", "Craps games (tables) opened."),
	GAUGE("active_games", "Craps games in progress."),
	COUNTER("bets", "Pass-line bets placed."),
	COUNTER("volume", "Chips wagered."),
	{ .name = "house_edge", .help = "Observed house edge: house winnings over settled volume.",
	  .kind = BCMON_KIND_GAUGE, .unit = "ratio", .scale = -6 },
};

static const struct bcmon_metric_spec dice_metrics[] = {
	{ .name = "rolls", .kind = BCMON_KIND_COUNTER, LABELED(total_label),
	  .help = "Agreed dice rolls, by their total (2..12)." },
};

/* The seed's PlayerStats, one series per peer. */
static const struct bcmon_metric_spec players_metrics[] = {
	PER_PEER("games", "Craps games the player sat down at.", BCMON_KIND_COUNTER),
	PER_PEER("wagered_chips", "Chips the player bet on the pass line.", BCMON_KIND_COUNTER),
	PER_PEER("won_chips", "Chips the player won (winning bets pay even money).",
		 BCMON_KIND_COUNTER),
	PER_PEER("bets_settled", "Pass-line bets of the player that were decided.",
		 BCMON_KIND_COUNTER),
	PER_PEER("bets_won", "Decided pass-line bets the player won.", BCMON_KIND_COUNTER),
	{ .name = "win_rate", .kind = BCMON_KIND_GAUGE, .unit = "ratio", .scale = -6,
	  LABELED(peer_label), .help = "Won over decided pass-line bets of the player." },
	{ .name = "suspicious_score", .kind = BCMON_KIND_GAUGE, .scale = -3,
	  LABELED(peer_label),
	  .help = "z-score of the player's pass-line wins against the fair 244/495, from 100 decided bets on; above 5 is practically impossible with honest dice." },
};

static const struct bcmon_metric_spec peers_metrics[] = {
	GAUGE("connected", "TCP links up between the simulated peers."),
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	const struct bcmon_metric_spec *metrics;
	size_t n;
} sets[] = {
	{ "consensus", consensus_metrics, ARRAY_LEN(consensus_metrics) },
	{ "gaming", gaming_metrics, ARRAY_LEN(gaming_metrics) },
	{ "dice", dice_metrics, ARRAY_LEN(dice_metrics) },
	{ "players", players_metrics, ARRAY_LEN(players_metrics) },
	{ "peers", peers_metrics, ARRAY_LEN(peers_metrics) },
};
enum { SET_CONSENSUS, SET_GAMING, SET_DICE, SET_PLAYERS, SET_PEERS, NSETS };

#define DICE_MIN	2
#define DICE_MAX	12
#define NDICE		(DICE_MAX - DICE_MIN + 1)

static const char *const outcome_names[NOUTCOMES] = {
	[OUTCOME_ACCEPTED] = "accepted",
	[OUTCOME_REJECTED] = "rejected",
	[OUTCOME_TIMEOUT] = "timeout",
};

/* Histogram observations between two flushes: at 10 rounds/s and a flush
 * every 250 ms a handful; a full queue is flushed early. */
#define MAX_OBSERVATIONS	64

/*
 * A queued latency observation and, when its round was traced, the trace
 * it belongs to: sent as the observation's exemplar, which bcmon.ko keeps
 * as its bucket's most recent and the exporter shows beside the bucket.
 */
struct observation {
	uint64_t value_us;
	bool has_exemplar;
	struct bcmon_exemplar ex;
};
_Static_assert(BCMON_TRACE_ID_LEN == TRACE_ID_LEN && BCMON_SPAN_ID_LEN == SPAN_ID_LEN,
	       "an exemplar holds W3C trace context ids");

/* One player's figures since the last flush, and its latest gauges. */
struct player_acc {
	uint64_t games, wagered, won_chips, settled, won;
	bool stats_dirty, has_score;
	int64_t win_rate_ppm, score_milli;
};

struct recorder;
static void consensus_set(struct recorder *rec);

struct recorder {
	struct bcmon *bc;
	const struct sim_options *opt;
	struct bcmon_batch *batch[NSETS];	/* one reusable batch per set */
	/* accumulated since the last flush */
	uint64_t proposals[NOUTCOMES];
	struct observation observations[MAX_OBSERVATIONS];
	unsigned int nobs;
	uint64_t games, bets, volume;
	int64_t active_games_delta;
	bool house_edge_dirty;
	int64_t house_edge_ppm;
	uint64_t dice[NDICE];
	struct player_acc players[SIM_MAX_PEERS];
	bool peers_dirty;
	int64_t peers_connected;
	FILE *latency_log;		/* --latency-log, NULL when not asked */
	/* The consensus set as created here: its native bucket limit fitted
	 * to the module's (consensus_set()). */
	struct bcmon_metric_spec consensus[ARRAY_LEN(consensus_metrics)];
	int failed;			/* first error, reported by recorder_flush */
	unsigned long errors_refused;	/* error events bcmon.ko would not take */
	char err[256];
};

/*
 * The consensus set's definition for this module: the latency's native
 * bucket limit is LATENCY_NATIVE_MAX_BUCKETS, or the module's limit
 * max_native_buckets when that is lower (it may be loaded with 8..256), so
 * that the set is created rather than refused.
 */
static void consensus_set(struct recorder *rec)
{
	struct bcmon_status st;
	size_t i;

	memcpy(rec->consensus, consensus_metrics, sizeof(rec->consensus));
	if (bcmon_get_status(rec->bc, &st) || !st.max_native_buckets)
		return;
	for (i = 0; i < ARRAY_LEN(consensus_metrics); i++)
		if (rec->consensus[i].native &&
		    rec->consensus[i].native_max_buckets > st.max_native_buckets)
			rec->consensus[i].native_max_buckets = st.max_native_buckets;
}

const char *recorder_strerror(const struct recorder *rec)
{
	return rec->err;
}

/* Remember the first failure: the next recorder_flush() reports it. */
static int fail(struct recorder *rec, int err, const char *what)
{
	if (!rec->failed) {
		snprintf(rec->err, sizeof(rec->err), "%s: %s", what,
			 rec->bc ? bcmon_strerror(rec->bc) : strerror(-err));
		rec->failed = err;
	}
	return err;
}

int recorder_open(struct recorder **out, const struct sim_options *opt)
{
	struct recorder *rec;
	int err, i;

	rec = calloc(1, sizeof(*rec));
	if (!rec)
		return -ENOMEM;
	*out = rec;
	rec->opt = opt;
	if (opt->latency_log) {
		rec->latency_log = fopen(opt->latency_log, "w");
		if (!rec->latency_log) {
			err = -errno;
			snprintf(rec->err, sizeof(rec->err), "%s: %s", opt->latency_log,
				 strerror(errno));
			rec->failed = err;
			return err;
		}
		/* a line at a time: a reader sees every value sent so far */
		setvbuf(rec->latency_log, NULL, _IOLBF, 0);
	}
	err = bcmon_open(&rec->bc);
	if (err) {
		rec->bc = NULL;
		return fail(rec, err, err == -ENOENT ? "bcmon module not loaded" : "bcmon_open");
	}
	consensus_set(rec);
	for (i = 0; i < NSETS; i++) {
		const struct bcmon_metric_spec *specs =
			i == SET_CONSENSUS ? rec->consensus : sets[i].metrics;

		err = bcmon_set_create(rec->bc, sets[i].name, specs, sets[i].n);
		/*
		 * A set left by an earlier run (--keep-sets) is adopted, but
		 * only if it is ours: same owner, same definition.
		 */
		if (err == -EEXIST) {
			err = sim_adopt_check(rec->bc, sets[i].name, specs,
					      sets[i].n, rec->err, sizeof(rec->err));
			if (err) {
				rec->failed = err;
				return err;
			}
		}
		if (err)
			return fail(rec, err, sets[i].name);
		rec->batch[i] = bcmon_batch_new(rec->bc, sets[i].name, 0);
		if (!rec->batch[i])
			return fail(rec, -ENOMEM, sets[i].name);
	}
	return 0;
}

void recorder_close(struct recorder *rec, bool keep_sets)
{
	int i;

	if (!rec)
		return;
	if (rec->errors_refused)
		fprintf(stderr, "bcmon-sim: %lu error events refused by bcmon.ko\n",
			rec->errors_refused);
	for (i = 0; i < NSETS; i++)
		if (rec->batch[i])
			bcmon_batch_free(rec->batch[i]);
	if (rec->bc && !keep_sets)
		for (i = 0; i < NSETS; i++)
			bcmon_set_destroy(rec->bc, sets[i].name);
	if (rec->bc)
		bcmon_close(rec->bc);
	if (rec->latency_log)
		fclose(rec->latency_log);
	free(rec);
}

/* Queue the sum of a counter (or of one series, label = value) and reset it. */
static int flush_counter(struct recorder *rec, int set, const char *metric,
			 const char *label, const char *value, uint64_t *acc)
{
	struct bcmon_label l = { label, value };
	int err = 0;

	if (*acc)
		err = label ? bcmon_batch_add_labels(rec->batch[set], metric, &l, 1,
						     (int64_t)*acc)
			    : bcmon_batch_add(rec->batch[set], metric, (int64_t)*acc);
	*acc = 0;
	return err;
}

static int send_set(struct recorder *rec, int set, int err)
{
	if (!err)
		err = bcmon_batch_flush(rec->batch[set]);
	return err ? fail(rec, err, sets[set].name) : 0;
}

static int flush_consensus(struct recorder *rec)
{
	struct bcmon_batch *b = rec->batch[SET_CONSENSUS];
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < NOUTCOMES; i++)
		err = flush_counter(rec, SET_CONSENSUS, "proposals", "outcome",
				    outcome_names[i], &rec->proposals[i]);
	for (i = 0; !err && i < rec->nobs; i++) {
		const struct observation *o = &rec->observations[i];

		err = o->has_exemplar ?
			bcmon_batch_observe_exemplar(b, "latency", NULL, 0, (int64_t)o->value_us,
						     &o->ex) :
			bcmon_batch_observe(b, "latency", (int64_t)o->value_us);
	}
	rec->nobs = 0;
	return send_set(rec, SET_CONSENSUS, err);
}

static int flush_gaming(struct recorder *rec)
{
	struct bcmon_batch *b = rec->batch[SET_GAMING];
	int err;

	err = flush_counter(rec, SET_GAMING, "games", NULL, NULL, &rec->games);
	if (!err)
		err = flush_counter(rec, SET_GAMING, "bets", NULL, NULL, &rec->bets);
	if (!err)
		err = flush_counter(rec, SET_GAMING, "volume", NULL, NULL, &rec->volume);
	if (!err && rec->active_games_delta)
		err = bcmon_batch_add(b, "active_games", rec->active_games_delta);
	rec->active_games_delta = 0;
	if (!err && rec->house_edge_dirty)
		err = bcmon_batch_set(b, "house_edge", rec->house_edge_ppm);
	rec->house_edge_dirty = false;
	return send_set(rec, SET_GAMING, err);
}

static int flush_dice(struct recorder *rec)
{
	char total[4];
	int err = 0;

	for (unsigned int i = 0; !err && i < NDICE; i++) {
		snprintf(total, sizeof(total), "%u", i + DICE_MIN);
		err = flush_counter(rec, SET_DICE, "rolls", "total", total, &rec->dice[i]);
	}
	return send_set(rec, SET_DICE, err);
}

static int flush_players(struct recorder *rec)
{
	struct bcmon_batch *b = rec->batch[SET_PLAYERS];
	char peer[INET_ADDRSTRLEN];
	int err = 0;

	for (unsigned int i = 0; !err && i < rec->opt->peers; i++) {
		struct player_acc *p = &rec->players[i];
		struct bcmon_label l = { "peer", sim_peer_name(rec->opt, i, peer) };

		err = flush_counter(rec, SET_PLAYERS, "games", "peer", l.value, &p->games);
		if (!err)
			err = flush_counter(rec, SET_PLAYERS, "wagered_chips", "peer", l.value,
					    &p->wagered);
		if (!err)
			err = flush_counter(rec, SET_PLAYERS, "won_chips", "peer", l.value,
					    &p->won_chips);
		if (!err)
			err = flush_counter(rec, SET_PLAYERS, "bets_settled", "peer", l.value,
					    &p->settled);
		if (!err)
			err = flush_counter(rec, SET_PLAYERS, "bets_won", "peer", l.value,
					    &p->won);
		if (!err && p->stats_dirty)
			err = bcmon_batch_set_labels(b, "win_rate", &l, 1, p->win_rate_ppm);
		if (!err && p->stats_dirty && p->has_score)
			err = bcmon_batch_set_labels(b, "suspicious_score", &l, 1,
						     p->score_milli);
		p->stats_dirty = false;
	}
	return send_set(rec, SET_PLAYERS, err);
}

int recorder_flush(struct recorder *rec)
{
	int err;

	if (rec->failed)
		return rec->failed;
	err = flush_consensus(rec);
	if (!err)
		err = flush_gaming(rec);
	if (!err)
		err = flush_dice(rec);
	if (!err)
		err = flush_players(rec);
	if (err)
		return err;
	if (rec->peers_dirty)
		err = bcmon_batch_set(rec->batch[SET_PEERS], "connected", rec->peers_connected);
	rec->peers_dirty = false;
	return send_set(rec, SET_PEERS, err);
}

void rec_round_decided(struct recorder *rec, enum round_outcome outcome,
		       uint64_t latency_us, const struct span_ctx *trace)
{
	struct observation *o;

	if (!rec)
		return;
	rec->proposals[outcome]++;
	if (rec->nobs == MAX_OBSERVATIONS)
		recorder_flush(rec);	/* a failure is kept for the next flush */
	/*
	 * A failed recorder sends nothing any more (the simulator stops on the
	 * next flush's error): the queue stays full and this one is dropped.
	 */
	if (rec->nobs == MAX_OBSERVATIONS)
		return;
	o = &rec->observations[rec->nobs++];
	o->value_us = latency_us;
	if (rec->latency_log)
		fprintf(rec->latency_log, "%llu\n", (unsigned long long)latency_us);
	o->has_exemplar = trace != NULL;
	if (trace) {
		memcpy(o->ex.trace_id, trace->trace_id, TRACE_ID_LEN);
		memcpy(o->ex.span_id, trace->span_id, SPAN_ID_LEN);
	}
}

void rec_game_opened(struct recorder *rec)
{
	if (!rec)
		return;
	rec->games++;
	rec->active_games_delta++;
}

void rec_game_closed(struct recorder *rec)
{
	if (rec)
		rec->active_games_delta--;
}

void rec_bets(struct recorder *rec, unsigned int count, uint64_t chips)
{
	if (!rec)
		return;
	rec->bets += count;
	rec->volume += chips;
}

void rec_house_edge(struct recorder *rec, double ratio)
{
	if (!rec)
		return;
	rec->house_edge_ppm = (int64_t)(ratio * 1e6);
	rec->house_edge_dirty = true;
}

void rec_dice(struct recorder *rec, unsigned int total)
{
	if (rec && total >= DICE_MIN && total <= DICE_MAX)
		rec->dice[total - DICE_MIN]++;
}

void rec_player_joined(struct recorder *rec, unsigned int peer)
{
	if (rec && peer < SIM_MAX_PEERS)
		rec->players[peer].games++;
}

void rec_player_bet(struct recorder *rec, unsigned int peer, uint64_t chips)
{
	if (rec && peer < SIM_MAX_PEERS)
		rec->players[peer].wagered += chips;
}

void rec_player_settled(struct recorder *rec, unsigned int peer, uint64_t chips,
			bool won, double win_rate, const double *score)
{
	struct player_acc *p;

	if (!rec || peer >= SIM_MAX_PEERS)
		return;
	p = &rec->players[peer];
	p->settled++;
	if (won) {
		p->won++;
		p->won_chips += chips;
	}
	p->win_rate_ppm = (int64_t)(win_rate * 1e6);
	p->has_score = score != NULL;
	if (score)
		p->score_milli = (int64_t)(*score * 1e3);
	p->stats_dirty = true;
}

void rec_peers_connected(struct recorder *rec, unsigned int links)
{
	if (!rec)
		return;
	rec->peers_connected = links;
	rec->peers_dirty = true;
}

int rec_error(struct recorder *rec, enum bcmon_error_category cat,
	      enum bcmon_severity sev, const char *fmt, ...)
{
	char msg[BCMON_ERROR_MSG_MAX];
	va_list ap;
	int err;

	if (!rec)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err = bcmon_error_record(rec->bc, cat, sev, msg);
	if (err == -EPERM || err == -EBUSY) {
		/*
		 * Refused by the module's policy, not broken: a writer-group
		 * member may not record critical or security events and is
		 * rate limited. That event is lost; the simulation goes on.
		 */
		if (!rec->errors_refused++)
			fprintf(stderr, "bcmon-sim: error events refused by bcmon.ko (%s); going on without them\n",
				bcmon_strerror(rec->bc));
		return 0;
	}
	return err ? fail(rec, err, "error event") : 0;
}
