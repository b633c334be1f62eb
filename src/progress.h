/*
 * progress: the line that says, on a terminal, which case a long check is
 * at: "case 3/40 build-all  12.4 s" (the time since the check began),
 * rewritten in place (\r) as each case starts and cleared before anything
 * else is printed to standard error (messages, a command's output copied
 * there) and before the report.  Off unless standard error is a terminal:
 * a CI log or a pipe gets nothing extra.  One line per process: the state
 * is global.
 */
#ifndef GT_PROGRESS_H
#define GT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

/* Begin a run of N cases; ENABLED false (quiet) keeps it off whatever
 * standard error is. */
void gt_progress_start(size_t n, bool enabled);
/* Show that case I (1-based) of N, NAME, is starting. */
void gt_progress_case(size_t i, const char *name);
/* Erase the line if it is shown (a no-op otherwise); it comes back with
 * the next gt_progress_case. */
void gt_progress_clear(void);
/* Erase the line and turn progress off. */
void gt_progress_end(void);

#endif
