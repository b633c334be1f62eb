/*
 * cmd-common: what the golden-workflow commands (check, update, diff, list)
 * share: their options, loading the config, choosing the cases (names,
 * --shard), and whether to use colour.  Prints its own errors (it is part
 * of the command layer).
 */
#ifndef GT_CMD_COMMON_H
#define GT_CMD_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "gtconfig.h"
#include "runner.h"

enum {
	GT_WF_CONFIG = 'C',
	GT_WF_GOLDEN_DIR = 400,
	GT_WF_BACKEND,
	GT_WF_RUNS,
	GT_WF_TIMEOUT,
	GT_WF_REPORT_JSON,
	GT_WF_JUNIT,
	GT_WF_COLOR,
	GT_WF_SHARD,
	GT_WF_CI,
	GT_WF_ARTIFACTS,
	GT_WF_UNREF,
	GT_WF_FORCE,
	GT_WF_ACCEPT,
	GT_WF_REASON,
	GT_WF_MAX_DIFF,
	GT_WF_REPORT_HTML,
};

struct gt_wf_opts {
	const char *config_path;
	struct gt_overrides ov;
	const char *report_json, *junit, *artifacts_dir, *reason;
	const char *report_html;
	int color;             /* -1 auto, 0 never, 1 always */
	int verbosity;         /* -1 quiet, 0, 1 verbose */
	unsigned shard_i, shard_n; /* 1-based; 0/0: no sharding */
	bool ci_flag, force, accept, unref_fail;
	bool github;           /* the diffs went out folded in annotations */
	unsigned max_diff_lines;
};

#define GT_WF_COMMON_LONGOPTS                                                           \
	{"config", required_argument, NULL, GT_WF_CONFIG},                               \
	{"golden-dir", required_argument, NULL, GT_WF_GOLDEN_DIR},                       \
	{"color", required_argument, NULL, GT_WF_COLOR},                                 \
	{"quiet", no_argument, NULL, 'q'},                                               \
	{"verbose", no_argument, NULL, 'v'},                                             \
	{"help", no_argument, NULL, 'h'}
#define GT_WF_RUN_LONGOPTS                                                              \
	{"backend", required_argument, NULL, GT_WF_BACKEND},                             \
	{"runs", required_argument, NULL, GT_WF_RUNS},                                   \
	{"timeout", required_argument, NULL, GT_WF_TIMEOUT},                             \
	{"shard", required_argument, NULL, GT_WF_SHARD},                                 \
	{"ci", no_argument, NULL, GT_WF_CI}
#define GT_WF_REPORT_LONGOPTS                                                           \
	{"report-json", required_argument, NULL, GT_WF_REPORT_JSON},                     \
	{"junit", required_argument, NULL, GT_WF_JUNIT},                                 \
	{"report-html", required_argument, NULL, GT_WF_REPORT_HTML},                     \
	{"max-diff-lines", required_argument, NULL, GT_WF_MAX_DIFF}

void gt_wf_init(struct gt_wf_opts *o);
/* Handle OPT: 1 handled, 0 not one of these, -1 bad value (printed). */
int gt_wf_option(struct gt_wf_opts *o, int opt, const char *arg, const char *cmd);
/* Colour on F? */
bool gt_wf_color(const struct gt_wf_opts *o, FILE *f);
/* Load the config (-C or ./gtdiff.yaml); on failure print and return NULL. */
struct gt_config *gt_wf_load_config(const struct gt_wf_opts *o);
/* The cases to run: NAMES (N of them) or all, then the --shard slice.
 * Unknown names are printed as errors and make it return false. */
bool gt_wf_select(const struct gt_config *cfg, const struct gt_wf_opts *o, char **names,
		  size_t n, const struct gt_case ***out, size_t *nout);
/* The golden directory in use. */
const char *gt_wf_golden_dir(const struct gt_config *cfg, const struct gt_wf_opts *o);

/* Parse ARGV with getopt_long: the shared options go to O, an option that
 * is not one of them to EXTRA (may be NULL; returns 0 when it handled the
 * option, -1 when it is unknown, 1 when its value is bad and it said so).  Returns -1 to go on with the arguments
 * at optind, or the exit status to return now (--help, bad usage). */
int gt_wf_parse(int argc, char **argv, const struct option *longopts, const char *cmd,
		void (*help)(void), int (*extra)(int opt, const char *arg, void *ctx), void *ctx,
		struct gt_wf_opts *o);

/* Print REP as text, write the JSON, JUnit and HTML reports O asks for; returns
 * the exit status (2 when a report could not be written). */
int gt_wf_report(const struct gt_report *rep, const struct gt_wf_opts *o);

/* The help text of the shared options. */
extern const char gt_wf_help_common[], gt_wf_help_run[], gt_wf_help_report[];

#endif
