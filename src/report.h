/*
 * report: the outcome of `check` (and `diff`) for people and machines:
 * terminal text, a JSON report, JUnit XML, and under GitHub Actions
 * ::error annotations, ::group:: folding and a Markdown table appended to
 * $GITHUB_STEP_SUMMARY (SPEC 8).  One file per format: report-text.c,
 * report-json.c, report-junit.c, report-github.c.
 */
#ifndef GT_REPORT_H
#define GT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "headroom.h"
#include "tolerance.h"
#include "util.h"

struct gt_plotdata;

/* How a timing regression's reruns ended (cmd-check.c). */
enum gt_timing_outcome {
	GT_TIMING_NONE = 0,      /* no reruns */
	GT_TIMING_SAME,          /* the runs together are within tolerance */
	GT_TIMING_DIFFERENT,     /* out of it, and the rank test says so */
	GT_TIMING_UNDECIDED,     /* out of it at the reruns' limit */
};
const char *gt_timing_outcome_name(enum gt_timing_outcome t); /* "same"... */

/* Where in the program a call the diff shows as added or changed was made
 * (explain.h).  Owns its strings. */
#define GT_LOCATION_FRAMES 3
struct gt_location {
	char *event;                /* the + line's text: "p1 access(...) = 0" */
	char *where;                /* "src/config.c:212 (load_config)" or
				     * "bin/tool+0x1234 (load_config+0x1d)" */
	char *file;                 /* the source file (relative to the repository
				     * when below it), or NULL without debug info */
	unsigned line;              /* its line; 0 with no file */
	char *function;             /* the nearest symbol, or NULL */
	char *module;               /* the binary or library, or NULL */
	unsigned long long offset;  /* the address in it */
	/* The innermost frame of the program's own first, then its callers:
	 * up to GT_LOCATION_FRAMES, each written as WHERE is. */
	char *frames[GT_LOCATION_FRAMES];
	size_t nframes;
};

/* The outcome of one case.  Owns its strings. */
struct gt_case_result {
	char *name;
	struct gt_verdict verdict;  /* verdict, kinds, violations */
	char *error;                /* GT_VERDICT_ERROR: what went wrong */
	char *diff_text;            /* rendered sequence diff (no colour; what it
				     * quotes escaped, see escape.h), or NULL */
	char *diff_text_color;      /* the same with ANSI colour, or NULL */
	char *golden_path;          /* the golden it was compared with */
	char *new_path;             /* the kept .new.json of a failing run, or NULL */
	bool pending;               /* new_path has a manifest (<case>.pending.json)
				     * for 'gtdiff update --from' */
	unsigned reruns;            /* a timing regression rerun this many times
				     * before the verdict (0: none) */
	enum gt_timing_outcome timing_outcome; /* of those reruns */
	double timing_p;            /* their rank test's p-value; < 0: none */
	char *env_diff;             /* where the golden was blessed and this run
				     * differ ("cpus 2 -> 1, fs ext4 -> tmpfs"),
				     * or NULL */
	double seconds;             /* how long the case took */
	size_t golden_events, new_events;
	struct gt_headroom headroom; /* the run against its budgets and bands
				      * (all zero: no run) */
	struct gt_plotdata *plot;   /* for --report-html (plotdata.h), or NULL */
	/* Where the added and changed calls were made (explain.h), in diff
	 * order; none when the case was not explained. */
	struct gt_location *locations;
	size_t nlocations;
};

struct gt_report {
	struct gt_case_result *cases;
	size_t ncases, cap;
	char **obsolete;            /* goldens no case refers to */
	size_t nobsolete;
	bool obsolete_fail;         /* --unreferenced=fail */
	double seconds;
	int interrupted;            /* the signal that stopped the run early, or 0:
				     * the cases are those done before it */
	size_t planned;             /* how many cases the run was to check (0:
				     * not said); more than ncases when
				     * interrupted */
	unsigned shard_i, shard_n;  /* --shard I/N (1-based), or 0/0 */
};

/* Append a new zeroed case result for NAME and return it.  The pointer is
 * valid until the next gt_report_add. */
struct gt_case_result *gt_report_add(struct gt_report *r, const char *name);
/* Remove the last case added (one a signal cut short). */
void gt_report_drop_last(struct gt_report *r);
/* Append a copy of PATH to the obsolete goldens. */
void gt_report_add_obsolete(struct gt_report *r, const char *path);
/* Free the contents (every case's strings and verdict, the obsolete list)
 * and zero R; R itself is the caller's.  R may be NULL. */
void gt_report_free(struct gt_report *r);
/* Counts: passed (pass + improved), failed (regression), errors (error
 * verdicts, plus each obsolete golden when obsolete_fail).  Any pointer may
 * be NULL. */
void gt_report_counts(const struct gt_report *r, size_t *passed, size_t *failed,
		      size_t *errors);
/* gtdiff's exit status for the report: 2 if any error (or an obsolete
 * golden with obsolete_fail), else 1 if any regression, else 0. */
int gt_report_exit_status(const struct gt_report *r);

struct gt_text_opts {
	bool color;
	int verbosity;              /* -1 quiet (failures and the total only), 0, 1 */
	bool diffs_folded;          /* the diffs were printed already, folded in
				     * the GitHub annotations' groups: each
				     * FAIL names its group instead */
};
/* One line per case: "PASS      name  (0.12 s)", "IMPROVED  name  (0.12 s):
 * timing better beyond the band; run 'gtdiff update name'", "FAIL      name
 * (0.40 s): sequence, counts", "ERROR     name: message"; after each FAIL its
 * diff (the coloured one when O->color; under O->diffs_folded a line that
 * points to its group), its violations as "  - message"
 * (the improved ones too when verbose) and where the new run was kept.
 * Then the obsolete goldens (ERROR lines when obsolete_fail) and the closing
 * line "N passed, M failed" (", K errors" when there are errors).  Quiet
 * shows only failures, errors and the closing line.  O may be NULL. */
void gt_report_text(const struct gt_report *r, const struct gt_text_opts *o, FILE *f);

/* Write the JSON report / JUnit XML to PATH atomically ("-": stdout).
 * Fail with GT_ERR_IO and a message naming PATH; PATH is then untouched. */
enum gt_rc gt_report_json(const struct gt_report *r, const char *path, struct gt_error *err);
enum gt_rc gt_report_junit(const struct gt_report *r, const char *path, struct gt_error *err);
/* The same for the self-contained HTML report (report-html.c); the cases'
 * plot data is used where it is set.  gt_report_html_render appends the
 * page to B. */
enum gt_rc gt_report_html(const struct gt_report *r, const char *path, struct gt_error *err);
void gt_report_html_render(const struct gt_report *r, struct gt_buf *b);

/* Under GitHub Actions: ::error annotations per failing case with
 * ::group:: folded diffs, ::notice for improved cases, on F (when not
 * NULL); and a Markdown table appended to the file SUMMARY_PATH (when not
 * NULL or empty), never truncating it.  Fails with GT_ERR_IO naming the
 * file; the annotations are written even when the summary fails. */
/* A random token for GitHub's ::stop-commands::TOKEN / ::TOKEN:: pair,
 * appended to B.  `check` wraps the traced runs in it, so that nothing a
 * traced program prints is taken as a workflow command. */
void gt_report_github_stop_token(struct gt_buf *b);

enum gt_rc gt_report_github(const struct gt_report *r, FILE *f, const char *summary_path,
			    struct gt_error *err);

/* Shared by the report-*.c formats, not for other modules. */
/* Write the JSON document DOC (a json_t, not taken) to PATH atomically as
 * the JSON report is written ("-": stdout); GT_ERR_IO naming PATH. */
enum gt_rc gt_report_json_save(const void *doc, const char *path, struct gt_error *err);
/* The length of the valid UTF-8 sequence at the start of S (N bytes left):
 * 1 to 4, or 0 when it is not valid (overlong, surrogate, truncated). */
size_t gt_report_utf8_len(const char *s, size_t n);
/* Append "interrupted by SIGINT; 2 of 5 cases done, the rest not run" (or
 * without the counts when R->planned is 0) for an interrupted report. */
void gt_report_interrupted_note(const struct gt_report *r, struct gt_buf *b);
/* Append "timing better beyond the band; run 'gtdiff update NAME'" for an
 * improved case C (the kinds are those of its improved violations). */
void gt_report_improved_hint(const struct gt_case_result *c, struct gt_buf *b);
/* What to do with the kept run of C (new_path set): "kept the new run as
 * ...; accept it with: gtdiff update --accept NAME", or for a pending run
 * the CI flow: download the artifact, 'gtdiff update --from DIR', commit. */
void gt_report_kept_hint(const struct gt_case_result *c, struct gt_buf *b);

#endif
