/*
 * cmd-bless: blessing on the CI image.  `check --artifacts-dir DIR` keeps,
 * for each failing case (and each case without a golden), a recording made
 * with the case's configured runs, as `update` would make it, with a
 * manifest (pending.h); `update --from DIR` writes those recordings as the
 * goldens, as they are, without running anything, once it has made sure
 * that they still belong to the config and the goldens of the day.  Part
 * of the command layer: prints its own messages.
 */
#ifndef GT_CMD_BLESS_H
#define GT_CMD_BLESS_H

#include <stdbool.h>

#include "cmd-common.h"
#include "gtconfig.h"
#include "report.h"
#include "trace.h"

/* check --artifacts-dir: record case C again with its configured runs (as
 * `update` does: the golden needs them for its bands and masks) and, when
 * that works, make *NOW (the check's run, or NULL) that recording.  When it
 * does not, a warning says why and *NOW stays (it is kept without a
 * manifest: `update --accept` only).  Returns whether *NOW is such a
 * recording. */
bool gt_bless_record(const struct gt_config *cfg, const struct gt_case *c,
		     const struct gt_wf_opts *o, struct gt_trace **now);

/* Write the manifest of the run kept at NPATH (recorded by
 * gt_bless_record) for case C, whose golden is GPATH (absent: none).  Sets
 * R->pending.  A manifest that cannot be written is a warning: the run
 * stays for `update --accept`. */
void gt_bless_manifest(const struct gt_config *cfg, const struct gt_case *c, const char *gpath,
		       const char *npath, const struct gt_trace *now, struct gt_case_result *r);

/* Remove case C's manifest from the artifacts directory, if any: its run
 * passed now, or is kept without one. */
void gt_bless_forget(const struct gt_wf_opts *o, const struct gt_case *c);

/* update --from DIR: bless the kept runs with manifests in DIR (and its
 * subdirectories, two levels down) of CASES (N of them; NAMED: the user named
 * them, and each must have one).  Nothing is written unless every one is
 * current (its case's definition and its golden unchanged since), intact
 * and blessable (its exit status).  Returns the exit status. */
int gt_bless_from(const struct gt_config *cfg, const struct gt_wf_opts *o, const char *dir,
		  const struct gt_case **cases, size_t n, bool named);

/* In cmd-update.c, shared with --from: may T, a recording of case C, be
 * blessed (its exit status is C's expect_exit, or 0)?  Says why not.  And
 * write T (with REASON, if any) as the golden PATH, creating its
 * directory; says why not and returns -1. */
bool gt_exit_blessable(const struct gt_case *c, const struct gt_trace *t);
int gt_write_golden(struct gt_trace *t, const char *reason, const char *path);

#endif
