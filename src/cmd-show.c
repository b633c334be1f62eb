/*
 * cmd-show: `gtdiff show FILE`: a trace as strace-like canonical lines, one
 * process after another, each line prefixed by its thread's logical id.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "trace-json.h"

static void help(void)
{
	printf("Usage: gtdiff show [OPTIONS] FILE\n"
	       "Print the canonical trace in FILE as strace-like lines: one process after\n"
	       "another, each event prefixed by its thread's logical id (p1, p2, p1.t2).\n"
	       "Threads are shown one after another: their interleaving is not recorded.\n\n"
	       "  -h, --help   this help\n\n"
	       "Exit status: 0 shown, 2 the file is missing, unreadable or not a valid trace.\n");
}

static void show(const struct gt_trace *t)
{
	struct gt_buf b = {0};

	printf("# gtdiff trace of:");
	for (size_t i = 0; i < t->ncommand; i++)
		printf(" %s", t->command[i]);
	printf("\n# backend %s, %zu run%s, returns %s, ", t->backend ? t->backend : "?", t->nruns,
	       t->nruns == 1 ? "" : "s", t->returns_known ? "known" : "unknown");
	if (t->exit_signal)
		printf("killed by %s\n", t->exit_signal);
	else
		printf("exit status %d\n", t->exit_code);
	if (t->reason)
		printf("# reason: %s\n", t->reason);
	for (size_t i = 0; i < t->nmasked; i++)
		printf("# masked: %s\n", t->masked[i]);
	for (size_t i = 0; i < t->nprocs; i++) {
		const struct gt_process *p = &t->procs[i];

		printf("# process %s", p->id);
		if (p->parent)
			printf(", child of %s", p->parent);
		if (p->exe)
			printf(", exec %s", p->exe);
		printf("\n");
		for (size_t j = 0; j < p->nthreads; j++) {
			const struct gt_thread *th = &p->threads[j];

			for (size_t k = 0; k < th->nevents; k++) {
				gt_buf_reset(&b);
				gt_event_format(&b, &th->events[k], true);
				printf("%-5s %s\n", th->id, b.s);
			}
		}
	}
	gt_buf_free(&b);
}

int gt_cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct gt_error err = {0};
	struct gt_trace *t = NULL;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			help();
			return GT_EXIT_OK;
		}
		return gt_usage_error("show", "unknown option");
	}
	if (optind != argc - 1)
		return gt_usage_error("show", "give exactly one trace file");
	if (gt_trace_load(argv[optind], &t, &err) != GT_OK) {
		gt_die_msg("%s", err.msg);
		return GT_EXIT_TROUBLE;
	}
	show(t);
	gt_trace_free(t);
	return GT_EXIT_OK;
}
