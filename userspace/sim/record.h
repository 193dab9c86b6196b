/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulator's recording layer: the only place that talks to libbcmon.
 * The rest of the simulator calls these functions the way an application
 * calls its metrics library; they accumulate updates in memory and
 * recorder_flush() sends one batched update per set, so the hot path never
 * makes a system call. Error events go out at once: they are rare and an
 * operator wants them immediately.
 *
 * The sets (exported by bcmon-exporter as bitcraps_<set>_<metric>...;
 * labels in braces, one series per value):
 *   consensus  latency (histogram, seconds; the seed's bounds 1, 5, 10,
 *              50, 100, 500, 1000 ms and native buckets of schema 3,
 *              observed in microseconds; a traced round's observation
 *              carries its trace as an exemplar),
 *              proposals{outcome} (accepted, rejected, timeout)
 *   gaming     games (counter), active_games (gauge), bets, volume
 *              (counters; volume in chips), house_edge (gauge, ratio)
 *   dice       rolls{total}: how often each total 2..12 was rolled (the
 *              exporter's chi-square fairness test reads these)
 *   players    per peer, the seed's PlayerStats: games, wagered_chips,
 *              won_chips, bets_settled, bets_won (counters), win_rate
 *              (gauge, ratio), suspicious_score (gauge; game.c)
 *   peers      connected (gauge): TCP links up between simulated peers
 */
#ifndef BCMON_SIM_RECORD_H
#define BCMON_SIM_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/bcmon.h>

#include "sim.h"
#include "trace.h"

struct recorder;

/* The consensus latency histogram's native form (record.c). */
#define LATENCY_NATIVE_SCHEMA		3
#define LATENCY_NATIVE_MAX_BUCKETS	160

/* How a consensus round ended. */
enum round_outcome { OUTCOME_ACCEPTED, OUTCOME_REJECTED, OUTCOME_TIMEOUT, NOUTCOMES };

/* Connect to bcmon and create (or adopt) the sets; opt names the peers. */
int recorder_open(struct recorder **out, const struct sim_options *opt);
/* Flush, then destroy the sets unless keep_sets. NULL is a no-op. */
void recorder_close(struct recorder *rec, bool keep_sets);
/* Send everything accumulated since the last flush, one message per set. */
int recorder_flush(struct recorder *rec);
/* Human-readable reason for the last failure. */
const char *recorder_strerror(const struct recorder *rec);

/*
 * A round decided after latency_us. trace: the span that measured that
 * latency (the round's root span) when the round's spans are written
 * (tracer_records()), else NULL; its trace and span ids then go with the
 * latency observation as its exemplar, so that a latency bucket leads to
 * the round's trace on every node.
 */
void rec_round_decided(struct recorder *rec, enum round_outcome outcome,
		       uint64_t latency_us, const struct span_ctx *trace);
void rec_game_opened(struct recorder *rec);
void rec_game_closed(struct recorder *rec);
void rec_bets(struct recorder *rec, unsigned int count, uint64_t chips);
void rec_house_edge(struct recorder *rec, double ratio);
void rec_dice(struct recorder *rec, unsigned int total);
/* Player (peer index) figures: a seat taken, a bet placed, a bet decided
 * with the player's win rate and suspicious-activity score (NULL while it
 * has too few decided bets for one). */
void rec_player_joined(struct recorder *rec, unsigned int peer);
void rec_player_bet(struct recorder *rec, unsigned int peer, uint64_t chips);
void rec_player_settled(struct recorder *rec, unsigned int peer, uint64_t chips,
			bool won, double win_rate, const double *score);
void rec_peers_connected(struct recorder *rec, unsigned int links);
/* Record an error event now (enum bcmon_error_category, bcmon_severity). */
int rec_error(struct recorder *rec, enum bcmon_error_category cat,
	      enum bcmon_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* BCMON_SIM_RECORD_H */
