/*
 * event-lines: a test helper shared by the canonicalizer's unit tests:
 * events written as "call|arg|arg|...|ret" lines, added to a thread.
 */
#ifndef GT_TEST_EVENT_LINES_H
#define GT_TEST_EVENT_LINES_H

#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "util.h"

/* Add LINE, its fields split at any character of SEP, to TH of T. */
static inline struct gt_event *add_line_sep(struct gt_trace *t, struct gt_thread *th,
					    const char *line, const char *sep)
{
	char *s = xstrdup(line), *f[GT_MAX_ARGS + 2], *save = NULL;
	size_t nf = 0;
	struct gt_event *e;

	for (char *tok = strtok_r(s, sep, &save); tok && nf < GT_ARRAY_SIZE(f);
	     tok = strtok_r(NULL, sep, &save))
		f[nf++] = tok;
	e = gt_thread_add_event(t, th, f[0], (const char *const *)(f + 1), nf - 2, f[nf - 1], 1);
	free(s);
	return e;
}

/* Add LINE ("openat|AT_FDCWD|\"in\"|O_RDONLY|3": the call, its arguments,
 * its return) to TH of T with count 1; returns the event.  (Flags with a
 * '|' need add_line_sep.) */
static inline struct gt_event *add_line(struct gt_trace *t, struct gt_thread *th,
					const char *line)
{
	return add_line_sep(t, th, line, "|");
}

#endif
