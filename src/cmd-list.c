/*
 * cmd-list: `gtdiff list [opts]`: the cases and the state of their goldens:
 * ok, missing, unreadable; a kept run waiting for `update --accept`;
 * goldens that no case refers to (obsolete); and temporary files that an
 * interrupted write left behind (leftover).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd-common.h"
#include "commands.h"
#include "escape.h"
#include "runner.h"
#include "trace-json.h"

static void help(void)
{
	printf("Usage: gtdiff list [OPTIONS]\n"
	       "List the cases of the configuration with the state of their goldens: ok,\n"
	       "missing or unreadable, 'kept run' when a failing run waits for\n"
	       "'gtdiff update --accept', obsolete goldens that no case refers to, and\n"
	       "leftover temporary files of an interrupted write (update removes them).\n\n"
	       "%s\n"
	       "Exit status: 0 listed, 2 trouble (bad usage or config).\n",
	       gt_wf_help_common);
}

int gt_cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		GT_WF_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct gt_wf_opts o;
	struct gt_config *cfg;
	char **obsolete = NULL, **left;
	size_t nobsolete, nleft;
	int status;

	status = gt_wf_parse(argc, argv, longopts, "list", help, NULL, NULL, &o);
	if (status >= 0)
		return status;
	if (optind != argc)
		return gt_usage_error("list", "takes no arguments");
	cfg = gt_wf_load_config(&o);
	if (!cfg)
		return GT_EXIT_TROUBLE;
	for (size_t i = 0; i < cfg->ncases; i++) {
		const struct gt_case *c = &cfg->cases[i];
		char *g = gt_golden_path(cfg, &o.ov, c->name);
		char *n = gt_new_path(cfg, &o.ov, NULL, c->name);
		struct gt_trace *t = NULL;
		struct gt_error err = {0};
		const char *state;
		struct stat st;

		if (lstat(g, &st) != 0)
			state = "missing";
		else if (gt_trace_load_golden(g, cfg->golden_max_size, &t, &err) != GT_OK)
			state = "unreadable";
		else
			state = "ok";
		printf("%-10s %s", state, c->name);
		if (t && o.verbosity > 0)
			printf("  (%llu events, %zu runs)", (unsigned long long)gt_trace_event_total(t),
			       t->nruns);
		if (access(n, F_OK) == 0) {
			char *shown = gt_escape_dup(n, GT_ESC_INLINE);

			printf("  [kept run %s: gtdiff update --accept %s]", shown, c->name);
			free(shown);
		}
		printf("\n");
		if (*err.msg && o.verbosity >= 0) {
			char *shown = gt_escape_dup(err.msg, 0);

			printf("           %s\n", shown);
			free(shown);
		}
		gt_trace_free(t);
		free(g);
		free(n);
	}
	nobsolete = gt_obsolete_goldens(cfg, gt_wf_golden_dir(cfg, &o), &obsolete);
	for (size_t i = 0; i < nobsolete; i++) {
		char *shown = gt_escape_dup(obsolete[i], GT_ESC_INLINE);

		printf("%-10s %s\n", "obsolete", shown);
		free(shown);
		free(obsolete[i]);
	}
	free(obsolete);
	nleft = gt_write_tmp_leftovers(gt_wf_golden_dir(cfg, &o), &left);
	for (size_t i = 0; i < nleft; i++) {
		printf("%-10s %s  (left by an interrupted write; 'gtdiff update' removes it)\n",
		       "leftover", left[i]);
		free(left[i]);
	}
	free(left);
	gt_config_free(cfg);
	return GT_EXIT_OK;
}
