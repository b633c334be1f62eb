/*
 * count-groups: which count changes follow from a structural change.  A new
 * child process brings its own execve, openat, mmap... and each of them is
 * a count change of its own (calls of openat: 6, band [4, 4]); listed one
 * by one they bury the one change that matters.  A count change is
 * explained when the sequence diff's added and removed events (those of
 * new and gone processes included) account for it: the new count less
 * what they added, plus what they removed, is inside the golden's band.
 * What is left, a loop that runs longer (read ×100 -> ×200), a call that is
 * counted but not sequenced (futex), more calls than the added events
 * brought, is not explained and is reported on its own as before.
 */
#ifndef GT_COUNT_GROUPS_H
#define GT_COUNT_GROUPS_H

#include <stdbool.h>
#include <stddef.h>

#include "diff.h"
#include "tolerance.h"
#include "trace.h"
#include "util.h"

/* Mark the count violations of V ("calls of X", "errors of X") that the
 * added and removed events of D account for as explained, and set
 * V->explained_by to what they follow from ("the new process p3 and 4
 * added events in p1").  D is the diff of GOLDEN and NEW_ that V judged.
 * Leaves V as it is when nothing is explained. */
void gt_count_groups_mark(const struct gt_diff *d, struct gt_verdict *v);

/* How many violations of V are explained. */
size_t gt_count_groups_n(const struct gt_verdict *v);

/* Append the line that stands for them (nothing when none is):
 * "(+ 14 count changes from the new process p3 and 4 added events in p1:
 * access +1, close +2, ...)"; without LIST it ends at "p1)", for a
 * caller that lists them one by one. */
void gt_count_groups_line(const struct gt_verdict *v, bool list, struct gt_buf *b);

#endif
