/*
 * cmd-update: `gtdiff update [opts] [CASE...]`: re-record cases and rewrite
 * their goldens, explicitly and reviewably: a case whose new recording
 * passes against its golden keeps its file byte for byte (unless --force);
 * --accept blesses the runs `check` kept: it records the case again (the
 * golden keeps learning what varies) and refuses when the kept run does
 * not fit that recording;
 * --reason stores why.  Refuses in CI mode unless --force.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd-bless.h"
#include "cmd-common.h"
#include "commands.h"
#include "interrupt.h"
#include "syscalls.h"
#include "runner.h"
#include "trace-json.h"

static void help(void)
{
	printf("Usage: gtdiff update [OPTIONS] [CASE...]\n"
	       "       gtdiff update --accept [OPTIONS] [CASE...]\n"
	       "       gtdiff update --from DIR [OPTIONS] [CASE...]\n"
	       "Re-record the cases (all, or those named) with their configured number of\n"
	       "runs and rewrite their goldens.  A golden whose new recording passes against\n"
	       "it is kept byte for byte, so that re-blessing one case never churns others.\n\n"
	       "      --accept            bless the runs 'check' kept (<case>.new.json):\n"
	       "                          record the case again with its runs, and write\n"
	       "                          that if the kept run fits it\n"
	       "      --reason TEXT       store why the golden changed in the golden\n"
	       "      --force             rewrite even goldens that still pass; allow CI mode\n"
	       "      --artifacts-dir DIR with --accept: take the kept runs from DIR\n"
	       "      --from DIR          bless the runs 'check --artifacts-dir' kept in DIR\n"
	       "                          (a downloaded CI artifact, searched two levels\n"
	       "                          down) as they are, without running anything;\n"
	       "                          refused, and nothing written, when a case's\n"
	       "                          definition or golden changed since the run\n"
	       "%s%s\n"
	       "Temporary files that an interrupted write left in the golden directory\n"
	       "(<case>.json.tmp.XXXXXX) are removed first.\n\n"
	       "Exit status: 0 done, 2 trouble (bad usage or config, a command that could\n"
	       "not be traced, CI mode without --force, nothing to accept, a stale or\n"
	       "corrupt pending run).\n",
	       gt_wf_help_common, gt_wf_help_run);
}

int gt_write_golden(struct gt_trace *t, const char *reason, const char *path)
{
	struct gt_error err = {0};
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');

	if (reason)
		t->reason = gt_trace_str(t, reason);
	/* The golden directory of a first update may not exist yet. */
	if (slash && slash != dir) {
		*slash = '\0';
		if (gt_mkdir_p(dir, &err) != GT_OK) {
			free(dir);
			gt_die_msg("%s", err.msg);
			return -1;
		}
	}
	free(dir);
	if (gt_interrupted)
		return -1; /* no golden after the signal */
	if (gt_trace_save_golden(t, path, &err) != GT_OK) {
		if (!gt_interrupted)
			gt_die_msg("%s", err.msg);
		return -1;
	}
	return 0;
}

/* May T, a recording of case C, be blessed: its command exited as C
 * expects (expect_exit, or 0 where the case says nothing)?  If not, say
 * why (exit status 2 follows) and return false: a golden of a run that
 * failed would pass only runs that fail the same way. */
bool gt_exit_blessable(const struct gt_case *c, const struct gt_trace *t)
{
	int want = c->has_expect_exit ? c->expect_exit : 0;

	if (t->exit_signal && *t->exit_signal) {
		gt_die_msg("%s: not blessed: the command was killed by %s (it must exit with "
			   "status %d%s)", c->name, t->exit_signal, want,
			   c->has_expect_exit ? ", its expect_exit" : "");
		return false;
	}
	if (t->exit_code == want)
		return true;
	if (c->has_expect_exit)
		gt_die_msg("%s: not blessed: the command exited with status %d, and the case's "
			   "expect_exit is %d", c->name, t->exit_code, want);
	else
		gt_die_msg("%s: not blessed: the command exited with status %d; if that is what "
			   "it should do, say so in the case with 'expect_exit: %d'", c->name,
			   t->exit_code, t->exit_code);
	return false;
}

static int accept_case(const struct gt_config *cfg, const struct gt_case *c,
		       const struct gt_wf_opts *o, bool named, int *accepted)
{
	char *npath = gt_new_path(cfg, &o->ov, o->artifacts_dir, c->name);
	char *gpath = gt_golden_path(cfg, &o->ov, c->name);
	struct gt_trace *t = NULL, *now = NULL;
	struct gt_case_result r = {0};
	struct gt_case_opts co;
	bool have_co = false;
	struct gt_error err = {0};
	struct stat st;
	int rc = 0;

	if (lstat(npath, &st) != 0) {
		if (named) {
			gt_die_msg("%s: no kept run %s to accept (run 'gtdiff check %s' first)",
				   c->name, npath, c->name);
			rc = -1;
		}
		goto out;
	}
	if (gt_trace_load_golden(npath, cfg->golden_max_size, &t, &err) != GT_OK) {
		gt_die_msg("%s", err.msg);
		rc = -1;
		goto out;
	}
	/* The golden keeps learning what varies (its runs, bands and masks):
	 * the case is recorded again with its runs, and the kept run, what
	 * the check saw and the user reviewed, must fit that recording. */
	gt_case_opts_init(cfg, c, &o->ov, true, &co);
	have_co = true;
	co.rec.refuse_stateful = true;
	co.rec.private_output = true;
	co.rec.show_output = o->verbosity > 0;
	gt_capture_tuning_from_env(&co.rec.tuning);
	rc = gt_record(&co.rec, &now, NULL, &err) == GT_OK ? 0 : -1;
	gt_warn_notes(c->name, &co.notes);
	if (rc < 0) {
		gt_die_msg("%s: %s", c->name, err.msg);
		rc = -1;
		goto out;
	}
	if (gt_case_compare(now, t, c, "the new recording", npath, 0, &r)) {
		gt_die_msg("%s: the kept run %s does not fit a new recording of the case (the "
			   "program or its inputs changed since the check); nothing was written: "
			   "check it again, or bless it as it is now with 'gtdiff update %s'",
			   c->name, npath, c->name);
		/* gt_die_msg keeps a message on one line; the diff is escaped
		 * already (gt_diff_render). */
		if (r.diff_text)
			fputs(r.diff_text, stderr);
		rc = -1;
		goto out;
	}
	if (!gt_exit_blessable(c, now)) {
		rc = -1;
		goto out;
	}
	gt_trace_free(t);
	t = now;
	now = NULL;
	if (gt_write_golden(t, o->reason, gpath) < 0) {
		rc = -1;
		goto out;
	}
	unlink(npath);
	(*accepted)++;
	if (o->verbosity >= 0)
		printf("accepted  %s  -> %s  (%zu runs recorded again)\n", c->name, gpath, t->nruns);
out:
	gt_verdict_free(&r.verdict);
	free(r.error);
	free(r.diff_text);
	free(r.diff_text_color);
	if (have_co)
		gt_case_opts_free(&co);
	gt_trace_free(now);
	gt_trace_free(t);
	free(npath);
	free(gpath);
	return rc;
}

static int update_case(const struct gt_config *cfg, const struct gt_case *c,
		       const struct gt_wf_opts *o)
{
	char *gpath = gt_golden_path(cfg, &o->ov, c->name);
	char *npath = gt_new_path(cfg, &o->ov, NULL, c->name);
	struct gt_trace *golden = NULL, *now = NULL;
	struct gt_case_result r = {0};
	struct gt_case_opts co;
	struct gt_error err = {0};
	const char *what = "created";
	struct stat st;
	int rc = 0;

	gt_case_opts_init(cfg, c, &o->ov, true, &co);
	co.rec.private_output = true;
	co.rec.show_output = o->verbosity > 0;
	co.rec.refuse_stateful = true;
	gt_capture_tuning_from_env(&co.rec.tuning);
	rc = gt_record(&co.rec, &now, NULL, &err) == GT_OK ? 0 : -1;
	gt_warn_notes(c->name, &co.notes);
	if (rc < 0) {
		gt_die_msg("%s: %s", c->name, err.msg);
		rc = -1;
		goto out;
	}
	if (!gt_exit_blessable(c, now)) {
		rc = -1;
		goto out;
	}
	if (lstat(gpath, &st) == 0) {
		what = "updated";
		/* Not a regular file (a link, a FIFO, a device): the writer
		 * refuses it; say so before a word about replacing it. */
		if (!S_ISREG(st.st_mode)) {
			rc = gt_write_golden(now, o->reason, gpath) < 0 ? -1 : 0;
			goto out;
		}
		if (gt_trace_load_golden(gpath, cfg->golden_max_size, &golden, &err) != GT_OK) {
			gt_die_msg("%s: replacing an unreadable golden: %s", c->name, err.msg);
		} else if (!o->force &&
			   !gt_case_compare(golden, now, c, gpath, "new run", 0, &r)) {
			if (o->verbosity >= 0)
				printf("unchanged %s  (still passes; kept byte for byte)\n", c->name);
			unlink(npath);
			goto out;
		}
	}
	if (gt_write_golden(now, o->reason, gpath) < 0) {
		rc = -1;
		goto out;
	}
	unlink(npath);
	if (o->verbosity >= 0) {
		struct gt_buf k = {0};

		gt_kinds_format(r.verdict.kinds, &k);
		printf("%-9s %s  (%zu run%s%s%s)\n", what, c->name, now->nruns,
		       now->nruns == 1 ? "" : "s", k.len ? "; changed: " : "", k.len ? k.s : "");
		for (size_t i = 0; o->verbosity > 0 && i < now->nmasked; i++) {
			struct gt_buf ev = {0};

			if (gt_trace_masked_event(now, now->masked[i], &ev))
				printf("          varied between runs: %s: %s\n", now->masked[i],
				       ev.s);
			else
				printf("          varied between runs: %s\n", now->masked[i]);
			gt_buf_free(&ev);
		}
		gt_buf_free(&k);
	}
out:
	gt_verdict_free(&r.verdict);
	free(r.error);
	free(r.diff_text);
	free(r.diff_text_color);
	gt_trace_free(golden);
	gt_trace_free(now);
	gt_case_opts_free(&co);
	free(gpath);
	free(npath);
	return rc;
}

/* Remove the temporary files an interrupted write left in DIR (the
 * writer's own pattern, regular files only; see gt_write_tmp_leftovers). */
static void remove_leftovers(const char *dir, int verbosity)
{
	char **v;
	size_t n = gt_write_tmp_leftovers(dir, &v);

	for (size_t i = 0; i < n; i++) {
		if (unlink(v[i]) < 0)
			fprintf(stderr, "gtdiff: warning: %s: cannot remove this leftover temporary "
				"file: %s\n", v[i], strerror(errno));
		else if (verbosity >= 0)
			printf("removed   %s  (a temporary file left by an interrupted write)\n",
			       v[i]);
		free(v[i]);
	}
	free(v);
}

/* --from DIR: update's own option (cmd-bless.c does the work). */
enum { OPT_FROM = 610 };

static int from_option(int opt, const char *arg, void *ctx)
{
	if (opt != OPT_FROM)
		return -1;
	*(const char **)ctx = arg;
	return 0;
}

int gt_cmd_update(int argc, char **argv)
{
	static const struct option longopts[] = {
		GT_WF_COMMON_LONGOPTS,
		GT_WF_RUN_LONGOPTS,
		{"accept", no_argument, NULL, GT_WF_ACCEPT},
		{"reason", required_argument, NULL, GT_WF_REASON},
		{"force", no_argument, NULL, GT_WF_FORCE},
		{"artifacts-dir", required_argument, NULL, GT_WF_ARTIFACTS},
		{"from", required_argument, NULL, OPT_FROM},
		{NULL, 0, NULL, 0},
	};
	const char *from = NULL;
	struct gt_wf_opts o;
	struct gt_config *cfg = NULL;
	const struct gt_case **cases = NULL;
	size_t ncases = 0;
	int status, accepted = 0, failures = 0;

	status = gt_wf_parse(argc, argv, longopts, "update", help, from_option, &from, &o);
	if (status >= 0)
		return status;
	status = GT_EXIT_TROUBLE;
	if (from && (o.accept || o.artifacts_dir || o.ov.runs || o.ov.backend >= 0 ||
		     o.ov.timeout_s > 0))
		return gt_usage_error("update", "--from blesses recorded runs as they are: "
				      "--accept, --artifacts-dir, --runs, --backend and --timeout "
				      "do not go with it");
	if (gt_ci_mode(o.ci_flag) && !o.force) {
		gt_die_msg("update refuses to run in CI mode ($CI is set or --ci): goldens are "
			   "re-blessed locally and reviewed; give --force to override");
		return GT_EXIT_TROUBLE;
	}
	cfg = gt_wf_load_config(&o);
	if (!cfg)
		return GT_EXIT_TROUBLE;
	if (!gt_wf_select(cfg, &o, argv + optind, (size_t)(argc - optind), &cases, &ncases))
		goto out;
	remove_leftovers(gt_wf_golden_dir(cfg, &o), o.verbosity);
	gt_interrupt_fence_writes(true);
	if (from) {
		status = gt_bless_from(cfg, &o, from, cases, ncases, optind < argc);
		goto out;
	}
	size_t done = 0;
	for (size_t i = 0; i < ncases && !gt_interrupted; i++) {
		int rc = o.accept ? accept_case(cfg, cases[i], &o, optind < argc, &accepted)
				  : update_case(cfg, cases[i], &o);

		if (gt_interrupted)
			break;
		done++;
		if (rc < 0)
			failures++;
	}
	if (gt_interrupted) {
		fflush(stdout);
		gt_die_msg("interrupted by %s; %zu of %zu cases done, no golden written after the "
			   "signal", gt_signal_name(gt_interrupted), done, ncases);
		gt_interrupt_reported = true;
		goto out;
	}
	if (o.accept && accepted == 0 && failures == 0) {
		gt_die_msg("nothing to accept: no kept runs (<case>.new.json) in %s",
			   o.artifacts_dir ? o.artifacts_dir : gt_wf_golden_dir(cfg, &o));
		goto out;
	}
	status = failures ? GT_EXIT_TROUBLE : GT_EXIT_OK;
out:
	free(cases);
	gt_config_free(cfg);
	return status;
}
