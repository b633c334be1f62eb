/*
 * stats: robust summary statistics of a handful of samples (min, median,
 * median absolute deviation, max), used for the golden's per-run metrics.
 */
#ifndef GT_STATS_H
#define GT_STATS_H

#include <stddef.h>

struct gt_stat {
	double min, median, mad, max;
};

/* Summarise N samples (N may be 0: all fields 0).  The input is not changed. */
struct gt_stat gt_stat_of(const double *v, size_t n);
/* Median of N samples (0 for N == 0). */
double gt_median(const double *v, size_t n);

#endif
