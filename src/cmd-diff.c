/*
 * cmd-diff: `gtdiff diff [opts] GOLDEN NEW`: the check's comparison (the
 * sequence diff and the tolerance bands) on two trace files, with no
 * tracing.  Tolerances are the config's defaults with -C, else the
 * built-in ones.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-common.h"
#include "commands.h"
#include "plotdata.h"
#include "explain.h"
#include "report.h"
#include "runner.h"
#include "trace-json.h"

/* A config that only carries the built-in defaults. */
static const char builtin_config[] = "version: 1\ncases: [{name: diff, run: [\"true\"]}]\n";

static void help(void)
{
	printf("Usage: gtdiff diff [OPTIONS] GOLDEN NEW\n"
	       "Compare two trace files as 'check' would (the sequence diff and the\n"
	       "tolerance bands), without running anything.  When NEW was recorded with\n"
	       "'record --stacks', its added and changed calls are located as 'check'\n"
	       "locates them.\n\n"
	       "  -C, --config FILE       take the tolerances from FILE's defaults\n"
	       "      --case NAME         ... or from that case of FILE\n"
	       "      --color WHEN        auto (default), always or never\n"
	       "  -q, --quiet             only a failure and the total\n"
	       "  -v, --verbose           more detail\n"
	       "%s"
	       "  -h, --help              this help\n\n"
	       "Exit status: 0 within tolerance, 1 a regression, 2 trouble (bad usage, a\n"
	       "missing or corrupt trace file).\n",
	       gt_wf_help_report);
}

static int case_option(int opt, const char *arg, void *ctx)
{
	if (opt != 'k')
		return -1;
	*(const char **)ctx = arg;
	return 0;
}

int gt_cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, GT_WF_CONFIG},
		{"case", required_argument, NULL, 'k'},
		{"color", required_argument, NULL, GT_WF_COLOR},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		GT_WF_REPORT_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct gt_wf_opts o;
	struct gt_config *cfg = NULL;
	struct gt_trace *golden = NULL, *now = NULL;
	struct gt_report rep = {0};
	struct gt_case_result *r;
	struct gt_error err = {0};
	const struct gt_case *c;
	const char *case_name = NULL;
	int status;

	status = gt_wf_parse(argc, argv, longopts, "diff", help, case_option, &case_name, &o);
	if (status >= 0)
		return status;
	status = GT_EXIT_TROUBLE;
	if (argc - optind != 2)
		return gt_usage_error("diff", "give two trace files: GOLDEN NEW");
	if (o.config_path) {
		cfg = gt_wf_load_config(&o);
		if (!cfg)
			return GT_EXIT_TROUBLE;
	} else if (gt_config_parse(builtin_config, sizeof(builtin_config) - 1, "<built-in>",
				   ".", &cfg, &err) != GT_OK) {
		gt_die_msg("%s", err.msg);
		return GT_EXIT_TROUBLE;
	}
	if (case_name) {
		c = gt_config_case(cfg, case_name);
		if (!c) {
			gt_die_msg("%s: no case named '%s'", cfg->path, case_name);
			goto out;
		}
	} else {
		c = o.config_path ? &cfg->defaults : &cfg->cases[0];
	}
	if (gt_trace_load_pair(argv[optind], argv[optind + 1], &golden, &now, &err) != GT_OK) {
		gt_die_msg("%s", err.msg);
		goto out;
	}
	r = gt_report_add(&rep, "diff");
	r->golden_path = xstrdup(argv[optind]);
	gt_case_compare(golden, now, c, argv[optind], argv[optind + 1], o.max_diff_lines, r);
	if (o.report_html)
		r->plot = gt_plotdata_new(golden, now, c);
	/* NEW recorded with --stacks: where its added calls were made. */
	if (now->stacks && r->diff_text) {
		char *root = gt_explain_root(".");
		struct gt_explain_opts xo = {.root = root, .frames = o.verbosity > 0};

		gt_explain_with(golden, now, now, c, argv[optind], argv[optind + 1],
				o.max_diff_lines, &xo, r, NULL);
		free(root);
	}
	status = gt_wf_report(&rep, &o);
out:
	gt_report_free(&rep);
	gt_trace_free(golden);
	gt_trace_free(now);
	gt_config_free(cfg);
	return status;
}
