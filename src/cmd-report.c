/*
 * cmd-report: `gtdiff report merge [-o FILE] [--junit FILE] REPORT...`: the
 * JSON reports of the shards of a check (one per job of a CI matrix, each
 * `check --shard I/N --report-json ...`) joined into one report: the text
 * on stdout, the merged JSON and JUnit XML, and one exit status.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd-common.h"
#include "commands.h"
#include "report-merge.h"

static void help(void)
{
	printf("Usage: gtdiff report merge [OPTIONS] REPORT.json...\n"
	       "Join the JSON reports of the shards of a check (check --shard I/N\n"
	       "--report-json REPORT.json in each job of a CI matrix) into one report:\n"
	       "every case once, the totals, and one exit status.  A case in two reports,\n"
	       "shards that do not add up to their N (when the reports record I/N), an\n"
	       "interrupted shard and a missing or unreadable report are trouble.\n\n"
	       "  -o, --output FILE       write the merged JSON report to FILE\n"
	       "      --junit FILE        write the merged cases as JUnit XML\n"
	       "      --color WHEN        auto (default), always or never\n"
	       "  -q, --quiet             only failures and the total\n"
	       "  -v, --verbose           more detail\n"
	       "  -h, --help              this help\n\n"
	       "Exit status: 0 every case of every shard passed, 1 a regression, 2 trouble:\n"
	       "a case in error, a bad, missing or interrupted shard report, a case run by\n"
	       "two shards, bad usage.\n");
}

static int merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		GT_WF_COMMON_LONGOPTS,
		{"junit", required_argument, NULL, GT_WF_JUNIT},
		{NULL, 0, NULL, 0},
	};
	struct gt_wf_opts o;
	struct gt_merge m = {0};
	struct gt_error err = {0};
	struct gt_text_opts to = {0};
	const char *output = NULL;
	int status, opt;

	gt_wf_init(&o);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:qvh", longopts, NULL)) != -1) {
		if (opt == 'o') {
			output = optarg;
		} else if (opt == 'h') {
			help();
			return GT_EXIT_OK;
		} else if (opt == GT_WF_CONFIG || opt == GT_WF_GOLDEN_DIR ||
			   gt_wf_option(&o, opt, optarg, "report merge") <= 0) {
			return gt_usage_error("report merge", "unknown option");
		}
	}
	if (optind >= argc)
		return gt_usage_error("report merge", "give the shards' JSON reports");
	gt_merge_reports((const char *const *)argv + optind, (size_t)(argc - optind), &m);
	to.color = gt_wf_color(&o, stdout);
	to.verbosity = o.verbosity;
	gt_report_text(&m.rep, &to, stdout);
	for (size_t i = 0; i < m.nproblems; i++)
		gt_die_msg("%s", m.problems[i]);
	status = gt_merge_exit_status(&m);
	if (output && gt_merge_save_json(&m, output, &err) != GT_OK) {
		gt_die_msg("%s", err.msg);
		status = GT_EXIT_TROUBLE;
	}
	if (o.junit && gt_report_junit(&m.rep, o.junit, &err) != GT_OK) {
		gt_die_msg("%s", err.msg);
		status = GT_EXIT_TROUBLE;
	}
	gt_merge_free(&m);
	return status;
}

int gt_cmd_report(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		help();
		return GT_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "merge") != 0)
		return gt_usage_error("report", "the one report command is 'merge'");
	return merge(argc - 1, argv + 1);
}
