/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulator's recording layer: the only place that talks to libbcmon.
 * The rest of the simulator calls these functions the way an application
 * calls its metrics library; they accumulate updates in memory and
 * recorder_flush() sends one batched update per set, so the hot path never
 * makes a system call. Error events go out at once: they are rare and an
 * operator wants them immediately.
 *
 * The sets (exported by bcmon-exporter as bitcraps_<set>_<metric>...):
 *   consensus  latency (histogram, seconds; the seed's bounds 1, 5, 10,
 *              50, 100, 500, 1000 ms, observed in microseconds),
 *              proposals_made, proposals_accepted, proposals_rejected
 *   gaming     games (counter), active_games (gauge), bets, volume
 *              (counters; volume in chips), house_edge (gauge, ratio)
 *   dice       rolls_2 .. rolls_12: how often each total was rolled (the
 *              exporter's chi-square fairness test reads these)
 *   peers      connected (gauge): TCP links up between simulated peers
 */
#ifndef BCMON_SIM_RECORD_H
#define BCMON_SIM_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/bcmon.h>

struct recorder;

/* Connect to bcmon and create (or adopt) the sets. */
int recorder_open(struct recorder **out);
/* Flush, then destroy the sets unless keep_sets. NULL is a no-op. */
void recorder_close(struct recorder *rec, bool keep_sets);
/* Send everything accumulated since the last flush, one message per set. */
int recorder_flush(struct recorder *rec);
/* Human-readable reason for the last failure. */
const char *recorder_strerror(const struct recorder *rec);

void rec_proposal_made(struct recorder *rec);
void rec_round_decided(struct recorder *rec, bool accepted, uint64_t latency_us);
void rec_game_opened(struct recorder *rec);
void rec_game_closed(struct recorder *rec);
void rec_bets(struct recorder *rec, unsigned int count, uint64_t chips);
void rec_house_edge(struct recorder *rec, double ratio);
void rec_dice(struct recorder *rec, unsigned int total);
void rec_peers_connected(struct recorder *rec, unsigned int links);
/* Record an error event now (enum bcmon_error_category, bcmon_severity). */
int rec_error(struct recorder *rec, enum bcmon_error_category cat,
	      enum bcmon_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* BCMON_SIM_RECORD_H */
