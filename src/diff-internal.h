/*
 * diff-internal: what the diff's files (diff*.c) share, and no other file
 * includes.  The public API is diff.h.
 */
#ifndef GT_DIFF_INTERNAL_H
#define GT_DIFF_INTERNAL_H

#include <string.h>

#include "diff.h"
#include "trace.h"

/* diff-alts.c: turn the stretches of changes in TD (a thread of GOLDEN's
 * diff) that one of GOLDEN's alternatives explains into GT_DL_ALT_* lines,
 * off TD's change counts; on the first line of any other stretch, note how
 * many alternatives the golden has there. */
void gt_diff_apply_alts(const struct gt_trace *golden, struct gt_thread_diff *td);

#endif
