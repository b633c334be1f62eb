/*
 * headroom: what a case's run measured against what it is held to, for
 * every case, passing or not: wall time, syscalls and peak RSS, each
 * against its budget (max_duration, max_syscalls, max_rss: how much of it
 * the run used) and its band from the golden's recording runs.  One struct
 * per case that every report reads (the terminal with -v, the JSON report,
 * JUnit properties, the step summary), so that they cannot disagree.
 *
 * The numbers are those gt_judge reads (tolerance.h): the band is the one
 * the new runs' median is held to, the budget is held to the worst run.
 */
#ifndef GT_HEADROOM_H
#define GT_HEADROOM_H

#include <stdbool.h>
#include <stddef.h>

#include "tolerance.h"
#include "trace.h"
#include "util.h"

#define GT_HEADROOM_METRICS 3   /* enum gt_metric: wall, RSS, syscalls */

/* One measurement.  Units: seconds (wall), bytes (RSS), calls. */
struct gt_headroom_metric {
	bool have;             /* the new run measured it */
	double value;          /* median of the new runs */
	double worst;          /* the largest run's value: what a budget judges */
	bool has_budget;
	double budget;         /* the limit */
	bool budget_decimal;   /* RSS: the limit reads best in decimal units */
	bool has_band;
	double lo, hi;         /* the golden's band */
	bool has_golden;
	double golden_median;
};

struct gt_headroom {
	struct gt_headroom_metric m[GT_HEADROOM_METRICS]; /* by enum gt_metric */
};

/* Fill H for the run NEW_ of case C (NULL: no budgets, default bands)
 * against GOLDEN (NULL: no band).  H is plain data: nothing to free. */
void gt_headroom_compute(const struct gt_trace *golden, const struct gt_trace *new_,
			 const struct gt_case *c, struct gt_headroom *h);
/* Did the run measure anything (a case that could not run did not)? */
bool gt_headroom_any(const struct gt_headroom *h);
/* How much of its budget the worst run used, percent; < 0 without one. */
double gt_headroom_used_pct(const struct gt_headroom_metric *m);

/* Append one line for people (no newline): the measured metrics joined
 * by "; ", each like "wall 213 ms of 1 s budget (21%), band [141, 259]
 * ms", "syscalls 312 of 10000 budget (3.1%), golden 310", "rss 4.1 MiB of
 * 512 MiB budget (0.8%), band [3.0, 5.0] MiB".  A worst run that differs
 * from the median is named ("slowest 1.5 s"); a measured RSS is in the
 * budget's units (decimal or binary). */
void gt_headroom_text(const struct gt_headroom *h, struct gt_buf *b);

/* The numbers as named properties, for the JSON report and JUnit:
 * "wall_s", "wall_worst_s", "wall_budget_s", "wall_budget_used_pct",
 * "wall_band_lo_s", "wall_band_hi_s", "wall_golden_median_s", the same
 * for "syscalls" (no unit suffix, no band) and "rss" ("_bytes"); only
 * those that are there. */
#define GT_HEADROOM_MAX_PROPS (7 * GT_HEADROOM_METRICS)
struct gt_headroom_prop {
	char name[32];
	double value;
};
/* Fill OUT (room for GT_HEADROOM_MAX_PROPS) and return how many. */
size_t gt_headroom_props(const struct gt_headroom *h, struct gt_headroom_prop *out);
/* The inverse, one property at a time: set the field of H (zeroed by the
 * caller) that property NAME of gt_headroom_props names to VALUE, so that a
 * report read back (report merge) renders as it was written.  Derived
 * properties ("_budget_used_pct") are accepted and ignored; false for a
 * name gt_headroom_props never writes. */
bool gt_headroom_set_prop(struct gt_headroom *h, const char *name, double value);

#endif
