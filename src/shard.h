/*
 * shard: `check --shard I/N`: which cases the I-th of N CI jobs runs.  A
 * stable, balanced partition of the cases weighted by how long each takes
 * (its golden's recorded wall-time median).
 *
 * The partition (gt_shard_assign):
 * 1. each case goes to its preferred shard: the one whose hash of (case
 *    name, shard number) is highest (rendezvous hashing).  A case's
 *    preference depends on its name alone, so adding or removing a case
 *    never changes where another case prefers to go;
 * 2. then, while the most loaded shard A holds a case lighter than the gap
 *    between A and the least loaded shard B, one moves:
 *    of those cases, the one that ranks B highest (its rendezvous score for
 *    B; ties: the name) moves to B.  Each move strictly lowers the sum of
 *    the squared loads, so this ends; at its end
 *        max load - min load <= the lightest case of the most loaded shard
 *    (so within the heaviest single weight).
 * Stability: only the moves of step 2 depend on the other cases; a case
 * added or removed shifts the loads by its weight, which changes a few of
 * those moves.  Measured over 50 random sets: adding one case to 200
 * cases over 4 shards moves 10.9 of the others on average (5.5 when all
 * weigh the same), where greedy longest-first scheduling moves 82 (86);
 * 1000 cases over 8 shards: 35 against 406.  test-shard checks a bound.
 * Every job computes the same partition from the same config and
 * goldens: the hash and the arithmetic are deterministic.
 *
 * With more shards than cases, shards past the number of cases get none.
 */
#ifndef GT_SHARD_H
#define GT_SHARD_H

#include <stddef.h>

#include "gtconfig.h"
#include "runner.h"

/* Assign each of the N cases NAMES[i] with weight WEIGHTS[i] (> 0; seconds)
 * to one of K shards: OUT[i] in [0, K).  K >= 1.  Deterministic. */
void gt_shard_assign(const char *const *names, const double *weights, size_t n, unsigned k,
		     unsigned *out);

/* The weight of each of the N cases CASES: its golden's recorded wall-time
 * median in seconds plus GT_SHARD_OVERHEAD (gtdiff's own work on a case:
 * loading its golden, starting the tracer, comparing), so that many tiny
 * cases still spread by their number; a case without a readable golden
 * weighs the mean of the others (1 s when none has one).  OUT has N slots. */
#define GT_SHARD_OVERHEAD 0.02
void gt_shard_weights(const struct gt_config *cfg, const struct gt_overrides *ov,
		      const struct gt_case *const *cases, size_t n, double *out);

/* Keep in V (N of them, in order) only the cases of shard I of K (1-based),
 * weighted by gt_shard_weights; returns how many are left. */
size_t gt_shard_select(const struct gt_config *cfg, const struct gt_overrides *ov,
		       const struct gt_case **v, size_t n, unsigned i, unsigned k);

#endif
