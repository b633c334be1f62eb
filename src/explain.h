/*
 * explain: where in the program a regression's calls were made (issue 13).
 * A case whose sequence changed is run once more under ptrace with each
 * call's stack taken (unwind.h); the events of that run are matched to the
 * diff's added and changed events by their canonical text, and each is
 * annotated with the innermost frame of the program's own code (not the C
 * library's or the loader's, stacks.h): its source file and line where
 * there is debug info, else the binary, the address in it and the nearest
 * symbol.  The rerun only annotates: the verdict is the check's.
 */
#ifndef GT_EXPLAIN_H
#define GT_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "gtconfig.h"
#include "record.h"
#include "report.h"
#include "trace.h"
#include "util.h"

struct gt_explain_opts {
	/* Source and binary paths below it are shown relative to it (the
	 * repository, gt_explain_root); NULL: as they are. */
	const char *root;
	/* A note shows up to GT_LOCATION_FRAMES frames (the program's own and
	 * its callers), not only the first. */
	bool frames;
	/* libdw may ask a debuginfod server (unwind.h). */
	bool debuginfod;
};

/* What an explanation did, for -v. */
struct gt_explain_stats {
	size_t changed;      /* added and changed lines of the diff */
	size_t located;      /* of those, matched to a call with a stack */
};

/* Was gtdiff built with libdw (unwind.h)?  Without it nothing is located. */
bool gt_explain_available(void);

/* The repository DIR is in (`git rev-parse --show-toplevel` run there), or
 * DIR itself when git says none.  Allocated. */
char *gt_explain_root(const char *dir);

/* Case C failed with a sequence change (R, from comparing NOW with GOLDEN,
 * named GOLDEN_NAME, diff capped at MAX_DIFF_LINES): run it once more as
 * REC says (its recording options; the rerun uses the ptrace backend, one
 * run, the same timeout), match, and put the locations in R: its diff
 * texts are rendered again with " at FILE:LINE (FUNCTION)" after each
 * located line, and R->locations lists them.  R's verdict, violations and
 * everything else stay.  Fails (R untouched) with the rerun's error:
 * GT_ERR_CAPTURE (no libdw, ptrace refused), GT_ERR_TIMEOUT. */
enum gt_rc gt_explain_case(const struct gt_trace *golden, const struct gt_trace *now,
			   const struct gt_case *c, const char *golden_name, size_t max_diff_lines,
			   const struct gt_record_opts *rec, const struct gt_explain_opts *o,
			   struct gt_case_result *r, struct gt_explain_stats *stats,
			   struct gt_error *err);

/* Annotate with the stacks of ST (a trace taken with stacks) instead of
 * a rerun: the matching and rendering of gt_explain_case (the diff's new
 * side named NEW_NAME), for `diff` of a trace recorded with --stacks (ST
 * is NOW then) and for tests. */
void gt_explain_with(const struct gt_trace *golden, const struct gt_trace *now,
		     const struct gt_trace *st, const struct gt_case *c, const char *golden_name,
		     const char *new_name, size_t max_diff_lines,
		     const struct gt_explain_opts *o, struct gt_case_result *r,
		     struct gt_explain_stats *stats);

#endif
