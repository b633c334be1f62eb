/*
 * cmd-check-jobs: `check -j N`: the cases recorded N at a time (parallel.h),
 * then judged one by one in the config's order, so that the output and
 * the reports are those of `-j 1`.
 *
 * Timing gates.  A run made beside other jobs is slower in wall time (and
 * the kernel's CPU pressure, which the timing verdict takes off wall time,
 * was our own jobs').  So the verdict of a parallel run is only trusted
 * where wall time cannot have made it: the run is judged without the CPU
 * pressure discount, and when any violation rests on wall time (a timing
 * regression, the max_duration_ms budget) or the run timed out, the case
 * is recorded again alone, after the parallel phase, and that run replaces
 * the parallel one and is judged (with the timing reruns) as -j 1 judges.
 * Judging by CPU time instead would miss what only wall time shows (a
 * program that now waits), and contention stretches CPU time too.  Since
 * contention only makes a run slower, a parallel run that passes would
 * have passed alone; what -j can miss is an improvement in wall time
 * (reported by -j 1 as "improved", a pass either way).
 */
#ifndef GT_CMD_CHECK_JOBS_H
#define GT_CMD_CHECK_JOBS_H

#include <stdbool.h>

#include "cmd-common.h"
#include "parallel.h"
#include "report.h"
#include "runner.h"

/* gt_wf_parse's EXTRA for -j N / --jobs N (1 to 256) into *(unsigned *)CTX. */
int gt_check_jobs_option(int opt, const char *arg, void *ctx);

/* The recording options of case C for check, given its GOLDEN. */
void gt_check_case_opts(const struct gt_config *cfg, const struct gt_case *c,
			const struct gt_wf_opts *o, const struct gt_trace *golden,
			struct gt_case_opts *co);

/* Record the N CASES JOBS at a time; NULL (after a warning) when the
 * workers cannot be set up: then every case is recorded when judged. */
struct gt_parallel *gt_check_jobs_start(const struct gt_config *cfg,
					const struct gt_case *const *cases, size_t n,
					const struct gt_wf_opts *o, unsigned jobs);

/* Case I's recording, as gt_record makes it: the parallel phase's when P
 * has one (*PARALLEL true; a timed-out parallel run is recorded again
 * alone), else one made now.  Prints the recording's notes.  *SECONDS:
 * how long the parallel recording took (0 when made now). */
enum gt_rc gt_check_record(struct gt_parallel *p, size_t i, struct gt_case_opts *co,
			   const char *name, struct gt_trace **now, bool *parallel,
			   double *seconds, struct gt_error *err);

/* gt_case_compare for a run from the parallel phase (see above): judged
 * without the CPU-pressure discount; when a violation rests on wall time,
 * *NOW is recorded again alone with CO and judged as usual (a recording
 * that fails makes R an error). */
bool gt_check_compare_parallel(const struct gt_trace *golden, struct gt_trace **now,
			       const struct gt_case *c, const char *gshow,
			       size_t max_diff_lines, struct gt_case_opts *co,
			       struct gt_case_result *r);

#endif
