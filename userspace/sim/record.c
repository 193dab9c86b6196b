// SPDX-License-Identifier: GPL-2.0
/*
 * Recording through libbcmon: how an application instruments itself.
 *
 *  1. Declare the sets once at start (recorder_open): names, kinds, units,
 *     histogram bounds. The kernel keeps per-CPU values; the exporter
 *     turns them into Prometheus series.
 *  2. On the hot path only touch memory: counter adds are summed per
 *     metric, gauges keep their last value, histogram observations queue.
 *  3. Periodically send everything as one batched update per set
 *     (recorder_flush, through libbcmon's batch builder): one netlink round
 *     trip instead of one per event.
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

#define COUNTER(n, h) { .name = n, .help = h, .kind = BCMON_KIND_COUNTER }
#define GAUGE(n, h) { .name = n, .help = h, .kind = BCMON_KIND_GAUGE }

static const struct bcmon_metric_spec consensus_metrics[] = {
	{ .name = "latency", .help = "Time from proposal to decision of a consensus round.",
	  .kind = BCMON_KIND_HISTOGRAM, .unit = "seconds", .scale = -6,
	  .bounds = latency_bounds_us,
	  .n_bounds = sizeof(latency_bounds_us) / sizeof(latency_bounds_us[0]) },
	COUNTER("proposals_made", "Consensus rounds proposed."),
	COUNTER("proposals_accepted", "Rounds accepted by two thirds of the peers."),
	COUNTER("proposals_rejected", "Rounds rejected or timed out."),
};

static const struct bcmon_metric_spec gaming_metrics[] = {
	COUNTER("games", "Craps games (tables) opened."),
	GAUGE("active_games", "Craps games in progress."),
	COUNTER("bets", "Pass-line bets placed."),
	COUNTER("volume", "Chips wagered."),
	{ .name = "house_edge", .help = "Observed house edge: house winnings over settled volume.",
	  .kind = BCMON_KIND_GAUGE, .unit = "ratio", .scale = -6 },
};

#define DICE_MIN	2
#define DICE_MAX	12
#define NDICE		(DICE_MAX - DICE_MIN + 1)

static const struct bcmon_metric_spec dice_metrics[NDICE] = {
#define ROLL(t) COUNTER("rolls_" #t, "Agreed dice rolls whose total was " #t ".")
	ROLL(2), ROLL(3), ROLL(4), ROLL(5), ROLL(6), ROLL(7),
	ROLL(8), ROLL(9), ROLL(10), ROLL(11), ROLL(12),
#undef ROLL
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
	{ "peers", peers_metrics, ARRAY_LEN(peers_metrics) },
};
enum { SET_CONSENSUS, SET_GAMING, SET_DICE, SET_PEERS, NSETS };

/* Histogram observations between two flushes: at 10 rounds/s and a flush
 * every 250 ms a handful; a full queue is flushed early. */
#define MAX_OBSERVATIONS	64

struct recorder {
	struct bcmon *bc;
	struct bcmon_batch *batch[NSETS];	/* one reusable batch per set */
	/* accumulated since the last flush */
	uint64_t proposals_made, proposals_accepted, proposals_rejected;
	uint64_t observations[MAX_OBSERVATIONS];
	unsigned int nobs;
	uint64_t games, bets, volume;
	int64_t active_games_delta;
	bool house_edge_dirty;
	int64_t house_edge_ppm;
	uint64_t dice[NDICE];
	bool peers_dirty;
	int64_t peers_connected;
	int failed;			/* first error, reported by recorder_flush */
	unsigned long errors_refused;	/* error events bcmon.ko would not take */
	char err[256];
};

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

int recorder_open(struct recorder **out)
{
	struct recorder *rec;
	int err, i;

	rec = calloc(1, sizeof(*rec));
	if (!rec)
		return -ENOMEM;
	*out = rec;
	err = bcmon_open(&rec->bc);
	if (err) {
		rec->bc = NULL;
		return fail(rec, err, err == -ENOENT ? "bcmon module not loaded" : "bcmon_open");
	}
	for (i = 0; i < NSETS; i++) {
		err = bcmon_set_create(rec->bc, sets[i].name, sets[i].metrics, sets[i].n);
		/*
		 * A set left by an earlier run (--keep-sets) is adopted, but
		 * only if it is ours: same owner, same definition.
		 */
		if (err == -EEXIST) {
			err = sim_adopt_check(rec->bc, sets[i].name, sets[i].metrics,
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
	free(rec);
}

static int flush_counter(struct recorder *rec, int set, const char *metric, uint64_t *acc)
{
	int err = 0;

	if (*acc)
		err = bcmon_batch_add(rec->batch[set], metric, (int64_t)*acc);
	*acc = 0;
	return err;
}

static int send_set(struct recorder *rec, int set, int err)
{
	if (!err)
		err = bcmon_batch_flush(rec->batch[set]);
	return err ? fail(rec, err, sets[set].name) : 0;
}

int recorder_flush(struct recorder *rec)
{
	struct bcmon_batch *b;
	unsigned int i;
	int err;

	if (rec->failed)
		return rec->failed;

	b = rec->batch[SET_CONSENSUS];
	err = flush_counter(rec, SET_CONSENSUS, "proposals_made", &rec->proposals_made);
	if (!err)
		err = flush_counter(rec, SET_CONSENSUS, "proposals_accepted",
				    &rec->proposals_accepted);
	if (!err)
		err = flush_counter(rec, SET_CONSENSUS, "proposals_rejected",
				    &rec->proposals_rejected);
	for (i = 0; !err && i < rec->nobs; i++)
		err = bcmon_batch_observe(b, "latency", (int64_t)rec->observations[i]);
	rec->nobs = 0;
	err = send_set(rec, SET_CONSENSUS, err);
	if (err)
		return err;

	b = rec->batch[SET_GAMING];
	err = flush_counter(rec, SET_GAMING, "games", &rec->games);
	if (!err)
		err = flush_counter(rec, SET_GAMING, "bets", &rec->bets);
	if (!err)
		err = flush_counter(rec, SET_GAMING, "volume", &rec->volume);
	if (!err && rec->active_games_delta)
		err = bcmon_batch_add(b, "active_games", rec->active_games_delta);
	rec->active_games_delta = 0;
	if (!err && rec->house_edge_dirty)
		err = bcmon_batch_set(b, "house_edge", rec->house_edge_ppm);
	rec->house_edge_dirty = false;
	err = send_set(rec, SET_GAMING, err);
	if (err)
		return err;

	for (i = 0; !err && i < NDICE; i++)
		err = flush_counter(rec, SET_DICE, dice_metrics[i].name, &rec->dice[i]);
	err = send_set(rec, SET_DICE, err);
	if (err)
		return err;

	if (rec->peers_dirty)
		err = bcmon_batch_set(rec->batch[SET_PEERS], "connected", rec->peers_connected);
	rec->peers_dirty = false;
	return send_set(rec, SET_PEERS, err);
}

void rec_proposal_made(struct recorder *rec)
{
	if (rec)
		rec->proposals_made++;
}

void rec_round_decided(struct recorder *rec, bool accepted, uint64_t latency_us)
{
	if (!rec)
		return;
	if (accepted)
		rec->proposals_accepted++;
	else
		rec->proposals_rejected++;
	if (rec->nobs == MAX_OBSERVATIONS)
		recorder_flush(rec);	/* a failure is kept for the next flush */
	rec->observations[rec->nobs++] = latency_us;
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
