/*
 * htmldiff: a rendered sequence diff (diff-render.c's unified text, as a
 * case result carries it) as a side-by-side HTML table for the HTML
 * report: the golden on the left, the new run on the right, context lines
 * on both sides, a run of removed lines paired row by row with the run of
 * added lines after it, the part of a paired line that changed marked.
 * Hunk headers and notes span the table.  Everything is escaped.
 */
#ifndef GT_HTMLDIFF_H
#define GT_HTMLDIFF_H

#include <stddef.h>

#include "util.h"

/* Append the table for the diff TEXT (NUL-terminated) to B.  When the
 * table would grow past MAX_BYTES (0: no limit), it ends at a line with a
 * row saying how many lines were left out.  Returns the diff lines shown. */
size_t gt_htmldiff(struct gt_buf *b, const char *text, size_t max_bytes);

#endif
