/*
 * runner: the golden workflow for one case: turn a case of the config into
 * recording options, record it, find and load its golden, compare the two
 * (sequence diff and tolerance bands) into a case result, and keep or
 * promote runs.  Used by `check`, `update`, `diff` and `list`.
 */
#ifndef GT_RUNNER_H
#define GT_RUNNER_H

#include <stdbool.h>

#include "diff.h"
#include "gtconfig.h"
#include "record.h"
#include "report.h"
#include "trace.h"
#include "util.h"

/* Command-line overrides of what the config says (0 / NULL: the config's). */
struct gt_overrides {
	const char *golden_dir;
	int backend;           /* -1: the case's */
	unsigned runs;         /* 0: check 1 run, update the case's runs */
	double timeout_s;      /* 0: the case's */
};

/* Recording options for case C, to be released with gt_case_opts_free.  For
 * `check` (UPDATE false) one run unless overridden (five at least when the
 * case's timing gate is tight); for `update` the case's runs. */
struct gt_case_opts {
	struct gt_record_opts rec;
	char **argv_storage;   /* owned */
	struct gt_record_notes notes; /* rec.notes points here */
};
void gt_case_opts_init(const struct gt_config *cfg, const struct gt_case *c,
		       const struct gt_overrides *ov, bool update, struct gt_case_opts *o);
void gt_case_opts_free(struct gt_case_opts *o);

/* <golden dir>/<case>.json, and the kept run <golden dir or artifacts
 * dir>/<case>.new.json.  Allocated. */
char *gt_golden_path(const struct gt_config *cfg, const struct gt_overrides *ov,
		     const char *name);
char *gt_new_path(const struct gt_config *cfg, const struct gt_overrides *ov,
		  const char *artifacts_dir, const char *name);

/* Compare NEW with GOLDEN under case C and fill R: the verdict (kinds and
 * violations), the headroom and the rendered diff (with and without
 * colour).  Returns
 * true when the sequences differ or a metric regressed, and when the two
 * were made with different canonicalizations (GT_CANON_VERSION): then the
 * verdict is an error that says to re-record the older one. */
bool gt_case_compare(const struct gt_trace *golden, const struct gt_trace *new_,
		     const struct gt_case *c, const char *golden_name, const char *new_name,
		     size_t max_diff_lines, struct gt_case_result *r);
/* The same, the rendered diff with NOTES on its changed lines (diff.h;
 * NULL: none). */
bool gt_case_compare_notes(const struct gt_trace *golden, const struct gt_trace *new_,
			   const struct gt_case *c, const char *golden_name, const char *new_name,
			   size_t max_diff_lines, const struct gt_diff_notes *notes,
			   struct gt_case_result *r);

/* The golden files in DIR (*.json but not *.new.json) that no case of CFG
 * names, as allocated paths in *OUT (NULL-terminated). */
size_t gt_obsolete_goldens(const struct gt_config *cfg, const char *dir, char ***out);

/* Is CI mode on: --ci, or CI set and not empty, "0" or "false". */
bool gt_ci_mode(bool flag);

#endif
