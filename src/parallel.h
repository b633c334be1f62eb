/*
 * parallel: `check -j N`: the recordings of the cases made N at a time, each
 * in a worker process of its own (a forked gtdiff: the tracer of its case,
 * with its own signal handling, capture state and subreaper), so that
 * nothing of the capture needs to be thread-safe.
 *
 * A worker writes the trace it recorded (or its error) and what it printed
 * (its stdout and stderr) into a private directory; the command then takes
 * the results one by one in its own order (gt_parallel_take), each
 * printing what its worker printed, so the output is that of a sequential
 * run.
 *
 * Signals: the workers run in process groups of their own (a terminal's ^C
 * reaches gtdiff only) and gtdiff passes its first SIGINT, SIGTERM or
 * SIGHUP on to each; a worker then kills and reaps its traced tree as
 * gtdiff does (interrupt.h) and ends.  A worker whose gtdiff dies is sent
 * SIGTERM by the kernel (PR_SET_PDEATHSIG), and its capture's guard
 * process kills the traced tree if the worker is killed outright.
 */
#ifndef GT_PARALLEL_H
#define GT_PARALLEL_H

#include <stdbool.h>
#include <stddef.h>

#include "trace.h"
#include "util.h"

struct gt_parallel;

/* Job I's work, run in a worker: record into *OUT (GT_OK; *OUT NULL when
 * there is nothing to record, which the caller finds out again itself) or
 * fail with ERR. */
typedef enum gt_rc (*gt_parallel_fn)(size_t i, void *ctx, struct gt_trace **out,
				     struct gt_error *err);

/* Run jobs 0..N-1 with FN, at most JOBS at once, and wait for them all (or,
 * after a signal, for those started, which it passes on).  Returns the
 * results (free with gt_parallel_free), or NULL with ERR when the
 * workers' directory cannot be made. */
struct gt_parallel *gt_parallel_run(size_t n, unsigned jobs, gt_parallel_fn fn, void *ctx,
				    struct gt_error *err);

/* How job I ended (gt_parallel_take). */
enum gt_parallel_outcome {
	GT_PAR_TRACE,     /* *OUT is its trace (caller frees) */
	GT_PAR_ERROR,     /* ERR is its error (ERR->rc as the worker had it) */
	GT_PAR_NONE,      /* nothing: FN had nothing to record, or the worker
			   * did not finish (ERR says how it ended then) */
};

/* Job I's result; prints first what its worker printed (its stdout to our
 * stdout, its stderr to our stderr).  *SECONDS: how long the job took. */
enum gt_parallel_outcome gt_parallel_take(struct gt_parallel *p, size_t i,
					  struct gt_trace **out, double *seconds,
					  struct gt_error *err);

/* Remove the workers' directory and free P (NULL: nothing). */
void gt_parallel_free(struct gt_parallel *p);

#endif
