/*
 * diff: the sequence diff between a golden trace and a new one (SPEC 7).
 * Processes are matched along the process tree (by exec path and order of
 * creation), threads within matched processes by their logical ids, and
 * each pair of threads is compared with a Myers O(ND) diff over their
 * events (by xxh3 hash, with wildcard-aware equality).  The result renders
 * as a unified diff with context and a cap.
 *
 * Order.  Events of a thread that are independent (commute.h: other fds,
 * other paths, a wait for children next to a close) may come in either
 * order: where two threads differ, the new one is also compared reordered
 * toward the golden within its equivalence class, and the closer of the
 * two alignments is the diff.  Its lines name the new events as run, and
 * a hunk's "new events A-B" spans their positions in the run.
 *
 * Alternatives.  A stretch of changes that a recording run made too (the
 * golden's learned alternatives, trace.h) is no change: its lines are
 * GT_DL_ALT_*.  A change where the golden knows other paths says so.
 *
 * Event equality (golden G, new N): same call, same number of arguments,
 * each argument equal or G's is the wildcard "*", and the return equal or
 * G's is "*" or either is "?" (unknown: a seccomp recording).  The count
 * (×N) is not part of equality: an equal pair whose counts differ beyond
 * the count tolerance is a count change, shown as a changed line.
 *
 * Byte-count calls (trace.h) compare by identity, without their bytes; an
 * equal pair whose bytes leave the golden's band, widened by the bytes
 * tolerance or GT_BYTES_ABS bytes (whichever is more), is a changed line like
 * a count change; their counts are compared only where both asked for the
 * same size (another size is another st_blksize: how many calls move the
 * same bytes follows it).
 */
#ifndef GT_DIFF_H
#define GT_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tolerance.h"
#include "trace.h"
#include "util.h"

/* The bytes tolerance (tolerance.bytes, default GT_BYTES_PCT): a message a
 * few bytes longer passes, a write 8 times larger fails; GT_BYTES_ABS
 * bytes pass in any case. */
#define GT_BYTES_PCT 50
#define GT_BYTES_ABS 256

/* One line of a thread's diff. */
enum gt_dline_kind {
	GT_DL_SAME = 0,   /* context */
	GT_DL_DEL,        /* only in the golden */
	GT_DL_ADD,        /* only in the new trace */
	GT_DL_COUNT,      /* equal event, count changed beyond tolerance */
	GT_DL_ALT_DEL,    /* only in the golden, but a recording run did the */
	GT_DL_ALT_ADD,    /* same as the new one there (struct gt_alt): no change */
};

struct gt_dline {
	enum gt_dline_kind kind;
	const struct gt_event *golden; /* SAME, DEL, COUNT */
	const struct gt_event *new_;   /* SAME, ADD, COUNT */
	size_t gi, ni;                 /* 0-based positions in the threads */
	/* On the first line of a change the golden's alternatives do not
	 * explain: how many they are there (the run took a path no recording
	 * run took). */
	size_t other_paths;
};

/* The diff of one matched (or unmatched) thread. */
struct gt_thread_diff {
	const char *golden_id;    /* NULL: the thread is new */
	const char *new_id;       /* NULL: the thread is gone */
	const char *process_exe;  /* for the hunk header, may be NULL */
	struct gt_dline *lines;   /* every line, SAME included */
	size_t nlines;
	size_t ndel, nadd, ncount; /* changes */
};

/* What changed in the process tree. */
struct gt_proc_change {
	const char *id;           /* golden id (gone) or new id (new) */
	const char *exe;
	bool added;               /* true: only in the new trace */
};

struct gt_diff {
	struct gt_thread_diff *threads;  /* only threads with changes */
	size_t nthreads;
	struct gt_proc_change *procs;
	size_t nprocs;
	size_t changes;           /* total DEL + ADD + COUNT lines */
	/* New events made by reordering (repeats that came together, as
	 * canonicalization would have collapsed them): lines may point into
	 * it.  Owned. */
	struct gt_trace *scratch;
};
/* The traces match when changes == 0 and nprocs == 0 (a gone or new
 * process whose threads have no events adds no line). */

struct gt_diff_opts {
	const struct gt_count_tol *counts; /* NULL: exact */
	double bytes_pct;         /* the bytes tolerance, percent (GT_BYTES_PCT
				   * when the opts are NULL) */
	bool exact_order;         /* compare each thread's events in the order
				   * run; else (the default) independent events
				   * commute (commute.h) */
	/* Golden events whose count varied between its recording runs (the
	 * golden's masked "... event N count" entries) are not count-compared;
	 * the diff reads them from the golden itself. */
};

/* Compare GOLDEN with NEW.  *OUT is new (caller frees with gt_diff_free);
 * it borrows events from both traces, which must outlive it.  Never fails
 * except on allocation (which aborts). */
void gt_diff_traces(const struct gt_trace *golden, const struct gt_trace *new_,
		    const struct gt_diff_opts *opts, struct gt_diff **out);
void gt_diff_free(struct gt_diff *d); /* accepts NULL */

/* Myers' diff of two sequences of N and M items under EQ (exposed for
 * tests and for matching sibling processes): fills KEEP_A[i] / KEEP_B[j]
 * (caller's arrays of N and M entries) with true for the items on the
 * common subsequence it found, false for the others.  EQ(CTX, i, j)
 * compares A[i] with B[j].  Linear space; bounded time on huge inputs (a
 * cost cut like GNU diff's, giving a valid but maybe not minimal script;
 * exact whenever every subproblem has fewer than ~500 differences). */
typedef bool (*gt_diff_eq)(const void *ctx, size_t i, size_t j);
void gt_diff_lcs(size_t n, size_t m, gt_diff_eq eq, const void *ctx, bool *keep_a,
		 bool *keep_b);
/* The same with an explicit budget: the number of diagonals one
 * middle-snake search may visit (about d^2 for d differences) before it
 * settles for the furthest-reaching path.  gt_diff_lcs uses
 * max(65536, 64 * sqrt(N + M)).  For tests and benchmarks. */
void gt_diff_lcs_budget(size_t n, size_t m, gt_diff_eq eq, const void *ctx, uint64_t budget,
			bool *keep_a, bool *keep_b);

/* The event equality above (G golden, N new), field by field. */
bool gt_diff_event_eq(const struct gt_event *g, const struct gt_event *n);

/* Notes on the changed lines of a diff (explain.h: where in the program
 * an added call was made). */
struct gt_diff_notes {
	/* Append to B the note on the + line of L (GT_DL_ADD, or the new side
	 * of GT_DL_COUNT) in TD, or nothing: the text up to a '\n' ends the
	 * event line, each further line is a line of its own. */
	void (*note)(void *ctx, const struct gt_thread_diff *td, const struct gt_dline *l,
		     struct gt_buf *b);
	/* Called once with the whole diff before it renders (NULL: not). */
	void (*prepare)(void *ctx, const struct gt_diff *d);
	void *ctx;
};

struct gt_diff_render_opts {
	unsigned context;         /* lines of context (callers pass 3); 0: none */
	size_t max_lines;         /* cap on changed lines shown; 0: no cap */
	bool color;               /* ANSI colour */
	const char *golden_name;  /* for the --- header */
	const char *new_name;     /* for the +++ header */
	const struct gt_diff_notes *notes; /* NULL: none */
};

/* Append D as a unified diff of strace-like lines to B (nothing at all when
 * D has no change): "--- GOLDEN_NAME" / "+++ NEW_NAME", the process changes
 * ("+ new process p4 (/bin/sh)", "- process p3 (/usr/bin/cat) is gone"),
 * then per thread hunks headed
 *   "@@ p1 (/usr/bin/ls) golden events 40-46, new events 40-47 @@"
 * (1-based inclusive ranges, "none" for an empty side, "new p4 events" when
 * the matched thread's id differs) with -/+/space lines, the thread id
 * padded to 5 (" p1    openat(...) = fd3").  Hunks merge when their
 * contexts touch, as in diff -u.  A count change is a -/+ pair of the same
 * event with its two counts (shown whole or not at all).  MAX_LINES caps
 * the changed lines shown (process lines included); past it,
 * "... N more changed lines not shown" with the exact remainder.  Colour:
 * red -, green +, cyan @@, bold ---/+++, reset at the end of each line. */
void gt_diff_render(const struct gt_diff *d, const struct gt_diff_render_opts *o,
		    struct gt_buf *b);

#endif
