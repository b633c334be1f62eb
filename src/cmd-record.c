/*
 * cmd-record: `gtdiff record [opts] [-o FILE] -- CMD [ARG...]`: trace a
 * command and write its canonical trace (stdout if no -o).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmdline.h"
#include "commands.h"
#include "record.h"
#include "trace-json.h"

/* record's own long option (past cmdline.h's). */
enum { RECORD_STACKS = 700 };

static void help(void)
{
	printf("Usage: gtdiff record [OPTIONS] [-o FILE] -- CMD [ARG...]\n"
	       "Run CMD under the tracer and write its canonical trace as JSON.\n\n"
	       "  -o, --output FILE     write the trace to FILE, atomically (default: stdout;\n"
	       "                        CMD's own stdout then goes to stderr so that the\n"
	       "                        trace on stdout stays clean)\n"
	       "      --golden-dir DIR  paths under DIR are shown as $GOLDEN\n"
	       "      --stacks          keep each call's stack in the trace (where in the\n"
	       "                        program it was made; needs the ptrace backend and\n"
	       "                        a gtdiff built with libdw); 'gtdiff show' prints them\n"
	       "  -q, --quiet           no report on stderr\n"
	       "  -v, --verbose         more detail on stderr\n"
	       "  -h, --help            this help\n\n"
	       "%s\n"
	       "Exit status: 0 recorded (whatever CMD's own exit status, which the trace\n"
	       "keeps), 2 trouble: bad usage, CMD not found, the tracer failed, a timeout.\n",
	       gt_capture_opts_help);
}

int gt_cmd_record(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"golden-dir", required_argument, NULL, 'g'},
		{"stacks", no_argument, NULL, RECORD_STACKS},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		GT_CAPTURE_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct gt_capture_cli cli;
	struct gt_error err = {0};
	struct gt_trace *tr = NULL;
	const char *output = NULL;
	int quiet = 0, verbose = 0, opt, status = GT_EXIT_TROUBLE;
	bool backend_given = false;
	enum gt_rc rc;

	gt_capture_cli_init(&cli);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+o:qvh", longopts, NULL)) != -1) {
		int r = gt_capture_cli_opt(&cli, opt, optarg, &err);

		if (opt == GT_OPT_BACKEND)
			backend_given = true;

		if (r < 0) {
			gt_usage_error("record", "%s", err.msg);
			goto out;
		}
		if (r > 0)
			continue;
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'g':
			cli.rec.golden_dir = optarg;
			break;
		case RECORD_STACKS:
			cli.rec.stacks = true;
			cli.rec.debuginfod = gt_env_true("GTDIFF_DEBUGINFOD");
			break;
		case 'q':
			quiet = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			help();
			status = GT_EXIT_OK;
			goto out;
		default:
			gt_usage_error("record", "unknown option");
			goto out;
		}
	}
	if (optind >= argc) {
		gt_usage_error("record", "no command given (gtdiff record [opts] -- CMD [ARG...])");
		goto out;
	}
	/* Stacks are unwound at ptrace stops: --stacks takes ptrace unless a
	 * backend was asked for (which capture then refuses). */
	if (cli.rec.stacks && !backend_given)
		cli.rec.backend = GT_BACKEND_PTRACE;
	gt_capture_cli_finish(&cli, argv + optind);
	cli.rec.stdout_to_stderr = !output || strcmp(output, "-") == 0;
	gt_capture_tuning_from_env(&cli.rec.tuning);
	rc = gt_record(&cli.rec, &tr, NULL, &err);
	gt_warn_notes(argv[optind], &cli.notes);
	if (rc != GT_OK) {
		gt_die_msg("%s", err.msg);
		goto out;
	}
	rc = gt_trace_save(tr, output ? output : "-", &err);
	if (rc != GT_OK) {
		gt_die_msg("%s", err.msg);
		goto out;
	}
	if (!quiet) {
		char how[64];

		if (tr->exit_signal)
			snprintf(how, sizeof(how), "killed by %s", tr->exit_signal);
		else
			snprintf(how, sizeof(how), "exit status %d", tr->exit_code);
		/* gt_die_msg escapes the command's name (escape.h). */
		gt_die_msg("recorded %s: %zu run%s, %llu events in %zu process%s, %s",
			   argv[optind], tr->nruns, tr->nruns == 1 ? "" : "s",
			   (unsigned long long)gt_trace_event_total(tr), tr->nprocs,
			   tr->nprocs == 1 ? "" : "es", how);
		if (verbose)
			for (size_t i = 0; i < tr->nmasked; i++)
				gt_die_msg("masked (varied between runs): %s", tr->masked[i]);
	}
	status = GT_EXIT_OK;
out:
	gt_trace_free(tr);
	gt_capture_cli_free(&cli);
	return status;
}
