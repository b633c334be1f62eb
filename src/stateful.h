/*
 * stateful: whether the recording runs of a case saw different states
 * because an earlier run changed its working directory.
 */
#ifndef GT_STATEFUL_H
#define GT_STATEFUL_H

#include <stddef.h>

#include "trace.h"

/* RUNS (N canonical recording runs, in order) and MERGED (their merge, or
 * NULL): when run 1 wrote a file in its working directory (a relative or
 * $CWD path) that a later run then found, and either run 1 had found it
 * missing before writing it or the runs differed (MERGED masked
 * something), a message naming up to three such files and the remedy
 * (caller frees); else NULL. */
char *gt_stateful_runs(struct gt_trace *const *runs, size_t n, const struct gt_trace *merged);

#endif
