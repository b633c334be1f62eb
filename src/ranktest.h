/*
 * ranktest: the one-sided Mann-Whitney U (Wilcoxon rank-sum) test, used to
 * judge run samples (wall time, CPU time) of a check against its golden's
 * where a band is not enough: a timing verdict that reruns until the test
 * tells SAME from DIFFERENT (cmd-check.c), and the tight gate.
 */
#ifndef GT_RANKTEST_H
#define GT_RANKTEST_H

#include <stddef.h>

/* The probability, under the hypothesis that B is not stochastically
 * greater than A, of a U statistic of B's at least as large as the one
 * observed (ties count a half).  Small p: B is larger.  Exact (the
 * distribution of U counted) while NA * NB <= 2500, else the normal
 * approximation with tie correction.  1 when a side is empty. */
double gt_mann_whitney_p_greater(const double *a, size_t na, const double *b, size_t nb);

/* The smallest p the test can give with samples of NA and NB: 1 / C(NA +
 * NB, NA).  Below alpha or not says whether more samples could decide. */
double gt_mann_whitney_min_p(size_t na, size_t nb);

#endif
