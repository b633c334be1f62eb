/*
 * cmd-check: `gtdiff check [opts] [CASE...]`: run the cases of the config,
 * compare each with its golden, report, and exit 0 (all within tolerance),
 * 1 (a regression) or 2 (trouble).  Never writes a golden; keeps the run of
 * each failing case as <case>.new.json for `update --accept`.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd-bless.h"
#include "cmd-check-jobs.h"
#include "cmd-common.h"
#include "commands.h"
#include "explain.h"
#include "interrupt.h"
#include "plotdata.h"
#include "progress.h"
#include "report.h"
#include "runner.h"
#include "syscalls.h"
#include "trace-json.h"

/* check's own option (past the shared ones, cmd-common.h). */
enum { CHECK_NO_EXPLAIN = 600 };

static void help(void)
{
	printf("Usage: gtdiff check [OPTIONS] [CASE...]\n"
	       "Run the cases of the configuration (all, or those named), compare each\n"
	       "with its golden trace, and report: one line per case, the sequence diff\n"
	       "and the band violations of each failure, and a closing 'N passed, M failed'.\n"
	       "The run of a failing case is kept as <case>.new.json beside its golden (in\n"
	       "CI mode only under --artifacts-dir) for 'gtdiff update --accept'.  With -v\n"
	       "each case also shows its headroom: wall time, syscalls and peak RSS against\n"
	       "its budgets and bands.  On a terminal a progress line names the case running.\n\n"
	       "%s%s%s"
	       "      --artifacts-dir DIR keep failing runs in DIR (CI: for upload): each\n"
	       "                          a recording with the case's runs and a manifest,\n"
	       "                          for 'gtdiff update --from' (also for cases\n"
	       "                          without a golden)\n"
	       "      --unreferenced WHAT warn (default) or fail on goldens no case names\n"
	       "  -j, --jobs N            record N cases at a time (default 1); the output and\n"
	       "                          verdicts are those of -j 1: a run whose verdict rests\n"
	       "                          on wall time is recorded again alone\n"
	       "      --no-explain        do not run a failing case again to locate its added\n"
	       "                          and changed calls in the program (file:line)\n\n"
	       "Exit status: 0 every case within tolerance, 1 at least one regression,\n"
	       "2 trouble: bad usage or config, a missing or corrupt golden, a command that\n"
	       "could not be traced, a timeout.\n",
	       gt_wf_help_common, gt_wf_help_run, gt_wf_help_report);
}

/* PATH relative to the working directory when it is below it. */
static char *display_path(const char *path)
{
	char cwd[4096];
	size_t n;

	if (getcwd(cwd, sizeof(cwd))) {
		n = strlen(cwd);
		if (strncmp(path, cwd, n) == 0 && path[n] == '/')
			return xstrdup(path + n + 1);
	}
	return xstrdup(path);
}

/* A regression in timing alone may be a busy machine (a neighbour's
 * fsync, a hog).  The case runs again, up to duration.reruns times and
 * duration.rerun_time seconds, each run's samples joining the others', and
 * after each rerun the verdict has three outcomes:
 * - SAME: the runs together (their medians) are within tolerance: a pass;
 * - DIFFERENT: they are not, and the rank test of their CPU times (wall
 *   times without) against the golden's times the gross factor gives
 *   p < duration.alpha: a fail;
 * - undecided: run again.
 * Past the reruns' limit an undecided verdict is the runs' medians' (a
 * golden with few runs cannot reach alpha: 3 golden and 5 new runs give
 * p >= 1/56).  *NOW becomes the runs together; R says how many reruns it
 * took, the p-value and the outcome. */
static bool timing_only(const struct gt_case_result *r)
{
	return r->verdict.verdict == GT_VERDICT_REGRESSION && r->verdict.kinds == GT_KIND_TIMING;
}

static void rerun_timing(const struct gt_trace *golden, struct gt_trace **now,
			 const struct gt_case *c, const char *gshow, const struct gt_wf_opts *o,
			 const struct gt_case_opts *co, struct gt_case_result *r)
{
	const struct gt_duration_tol *d = &c->tol.duration;
	uint64_t t0 = gt_now_ns();
	double p, min_p;

	if (!timing_only(r))
		return;
	for (unsigned k = 1; k <= d->reruns; k++) {
		struct gt_case_result again = {0};
		struct gt_trace *next = NULL;
		struct gt_error err = {0};

		if (k > 1 && (double)(gt_now_ns() - t0) / 1e9 > d->rerun_time_s)
			break;
		if (gt_record(&co->rec, &next, NULL, &err) != GT_OK)
			break;   /* the verdict so far stands */
		for (size_t i = 0; i < next->nruns; i++)
			gt_trace_add_run(*now, &next->runs[i]);
		gt_trace_restat_runs(*now);
		gt_trace_free(next);
		gt_case_compare(golden, *now, c, gshow, "new run", o->max_diff_lines, &again);
		gt_verdict_free(&r->verdict);
		free(r->diff_text);
		free(r->diff_text_color);
		r->verdict = again.verdict;
		r->diff_text = again.diff_text;
		r->diff_text_color = again.diff_text_color;
		r->golden_events = again.golden_events;
		r->new_events = again.new_events;
		r->headroom = again.headroom;
		r->reruns = k;
		p = gt_timing_rank_p(golden, *now, c, &min_p);
		r->timing_p = p;
		if (!timing_only(r)) {
			r->timing_outcome = GT_TIMING_SAME;
			return;
		}
		if (p >= 0 && p < d->alpha) {
			r->timing_outcome = GT_TIMING_DIFFERENT;
			return;
		}
	}
	r->timing_outcome = GT_TIMING_UNDECIDED;
}

/* Locating a failing case's calls (explain.h): asked for, and the
 * repository, found when the first case needs it. */
struct explain_ctx {
	bool off;                   /* --no-explain */
	char *root;
	struct gt_explain_opts xo;
};

/* check's own options: -j N (cmd-check-jobs.h), --no-explain. */
struct check_args {
	unsigned jobs;
	struct explain_ctx x;
};

static int check_option(int opt, const char *arg, void *p)
{
	struct check_args *a = p;

	if (opt != CHECK_NO_EXPLAIN)
		return gt_check_jobs_option(opt, arg, &a->jobs);
	a->x.off = true;
	return 0;
}

/* Case C failed with a sequence change: run it once more with stacks and
 * put where its added and changed calls were made in R.  The verdict
 * stays whatever happens. */
static void explain(const struct gt_config *cfg, const struct gt_case *c,
		    const struct gt_trace *golden, const struct gt_trace *now, const char *gshow,
		    const struct gt_wf_opts *o, const struct gt_case_opts *co,
		    struct explain_ctx *x, struct gt_case_result *r)
{
	struct gt_explain_stats st;
	struct gt_error err = {0};

	if (x->off || !c->explain || r->verdict.verdict != GT_VERDICT_REGRESSION ||
	    !r->diff_text)
		return;
	if (!gt_explain_available()) {
		if (o->verbosity > 0)
			fprintf(stderr, "gtdiff: %s: calls not located: this gtdiff was built "
				"without libdw\n", c->name);
		return;
	}
	if (!x->root) {
		x->root = gt_explain_root(cfg->dir);
		x->xo.root = x->root;
		x->xo.frames = o->verbosity > 0;
		x->xo.debuginfod = gt_env_true("GTDIFF_DEBUGINFOD");
	}
	if (o->verbosity > 0)
		fprintf(stderr, "gtdiff: %s: running it again under ptrace to locate its changed "
			"calls\n", c->name);
	if (gt_explain_case(golden, now, c, gshow, o->max_diff_lines, &co->rec, &x->xo, r, &st,
			    &err) != GT_OK) {
		if (!gt_interrupted)
			fprintf(stderr, "gtdiff: warning: %s: its changed calls could not be "
				"located: %s\n", c->name, err.msg);
		return;
	}
	if (o->verbosity > 0)
		fprintf(stderr, "gtdiff: %s: %zu of %zu added or changed calls located\n", c->name,
			st.located, st.changed);
}

/* The failing run could not be kept (ERR): the case is in trouble, with
 * the reason in the reports, not only on stderr. */
static void keep_failed(struct gt_case_result *r, const struct gt_error *err)
{
	char *msg = xasprintf("%s%sthe failing run could not be kept: %s",
			      r->error ? r->error : "", r->error ? "; " : "", err->msg);

	gt_die_msg("%s", err->msg);
	free(r->error);
	r->error = msg;
	r->verdict.verdict = GT_VERDICT_ERROR;
}

/* Keep the run of a failing case, *NOW, as NPATH for review and `update
 * --accept`; in CI only where artifacts are collected.  Under
 * --artifacts-dir it is a recording with the case's runs and a manifest
 * instead, for `update --from` (cmd-bless.h). */
static void keep_run(const struct gt_config *cfg, const struct gt_case *c,
		     const struct gt_wf_opts *o, bool ci, const char *gpath, const char *npath,
		     struct gt_trace **now, struct gt_case_result *r)
{
	struct gt_error err = {0};
	bool pending = false;

	if (ci && !o->artifacts_dir)
		return;
	if (o->artifacts_dir) {
		gt_bless_forget(o, c);
		pending = gt_bless_record(cfg, c, o, now);
	}
	if (!*now)
		return;
	if (o->artifacts_dir && gt_mkdir_p(o->artifacts_dir, &err) != GT_OK) {
		gt_die_msg("%s", err.msg);
	} else if (gt_trace_save_golden(*now, npath, &err) == GT_OK) {
		r->new_path = display_path(npath);
		if (pending)
			gt_bless_manifest(cfg, c, gpath, npath, *now, r);
	} else {
		keep_failed(r, &err);
	}
}

static void run_case(const struct gt_config *cfg, const struct gt_case *c,
		     const struct gt_wf_opts *o, bool ci, struct explain_ctx *x,
		     struct gt_report *rep, struct gt_parallel *par, size_t idx)
{
	struct gt_case_result *r = gt_report_add(rep, c->name);
	struct gt_trace *golden = NULL, *now = NULL;
	struct gt_case_opts co;
	struct gt_error err = {0};
	char *gpath = gt_golden_path(cfg, &o->ov, c->name);
	char *npath = gt_new_path(cfg, &o->ov, o->artifacts_dir, c->name);
	char *gshow = display_path(gpath);
	uint64_t t0 = gt_now_ns();
	enum gt_rc rc_rec;
	struct stat st;
	bool parallel;
	double rec_s = 0;

	r->golden_path = xstrdup(gshow);
	if (lstat(gpath, &st) != 0) {
		r->verdict.verdict = GT_VERDICT_ERROR;
		r->error = ci ? xasprintf("no golden %s (CI mode: a missing golden is an error; "
					  "record it with 'gtdiff update %s' and commit it)",
					  gshow, c->name)
			      : xasprintf("no golden %s yet; create it with: gtdiff update %s",
					  gshow, c->name);
		if (o->artifacts_dir)
			keep_run(cfg, c, o, ci, gpath, npath, &now, r);
		goto out;
	}
	if (gt_trace_load_golden(gpath, cfg->golden_max_size, &golden, &err) != GT_OK) {
		r->verdict.verdict = GT_VERDICT_ERROR;
		/* A refused file (a link, a FIFO, too big) is not rewritten by
		 * update --force: it has to go first. */
		r->error = err.rc == GT_ERR_USAGE
				   ? xasprintf("%s (remove it, then record the golden with 'gtdiff "
					       "update %s')", err.msg, c->name)
				   : xasprintf("%s (re-record it with 'gtdiff update --force %s')",
					       err.msg, c->name);
		goto out;
	}
	gt_check_case_opts(cfg, c, o, golden, &co);
	rc_rec = gt_check_record(par, idx, &co, c->name, &now, &parallel, &rec_s, &err);
	if (rc_rec != GT_OK) {
		gt_case_opts_free(&co);
		r->verdict.verdict = GT_VERDICT_ERROR;
		r->error = xstrdup(err.msg);
		goto out;
	}
	if (parallel ? gt_check_compare_parallel(golden, &now, c, gshow, o->max_diff_lines, &co, r)
		     : gt_case_compare(golden, now, c, gshow, "new run", o->max_diff_lines, r))
		rerun_timing(golden, &now, c, gshow, o, &co, r);
	explain(cfg, c, golden, now, gshow, o, &co, x, r);
	gt_case_opts_free(&co);
	if (o->report_html)
		r->plot = gt_plotdata_new(golden, now, c);
	if (r->verdict.verdict == GT_VERDICT_REGRESSION || r->verdict.verdict == GT_VERDICT_ERROR) {
		r->env_diff = gt_env_diff(&golden->env, &now->env);
		keep_run(cfg, c, o, ci, gpath, npath, &now, r);
	} else if (!ci) {
		unlink(npath); /* a stale kept run must not be accepted later */
		gt_bless_forget(o, c);
	}
out:
	r->seconds = (double)(gt_now_ns() - t0) / 1e9 + rec_s;
	gt_trace_free(golden);
	gt_trace_free(now);
	free(gpath);
	free(npath);
	free(gshow);
}

/* Temporary files that an interrupted write left in DIR. */
static void warn_leftovers(const char *dir)
{
	char **v;
	size_t n = gt_write_tmp_leftovers(dir, &v);

	for (size_t i = 0; i < n; i++) {
		fprintf(stderr, "gtdiff: warning: %s is a temporary file left by an interrupted "
			"write; 'gtdiff update' removes it\n", v[i]);
		free(v[i]);
	}
	free(v);
}

int gt_cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		GT_WF_COMMON_LONGOPTS,
		GT_WF_RUN_LONGOPTS,
		GT_WF_REPORT_LONGOPTS,
		{"artifacts-dir", required_argument, NULL, GT_WF_ARTIFACTS},
		{"unreferenced", required_argument, NULL, GT_WF_UNREF},
		{"jobs", required_argument, NULL, 'j'},
		{"no-explain", no_argument, NULL, CHECK_NO_EXPLAIN},
		{NULL, 0, NULL, 0},
	};
	struct check_args args = {.jobs = 1};
	struct gt_parallel *par = NULL;
	struct gt_wf_opts o;
	struct gt_report rep = {0};
	struct gt_config *cfg = NULL;
	const struct gt_case **cases = NULL;
	struct gt_error err = {0};
	size_t ncases = 0;
	int status = GT_EXIT_TROUBLE;
	uint64_t t0 = gt_now_ns();
	struct gt_buf token = {0};
	bool ci, github = false;

	status = gt_wf_parse(argc, argv, longopts, "check", help, check_option, &args, &o);
	if (status >= 0)
		return status;
	status = GT_EXIT_TROUBLE;
	ci = gt_ci_mode(o.ci_flag);
	cfg = gt_wf_load_config(&o);
	if (!cfg)
		return GT_EXIT_TROUBLE;
	if (!gt_wf_select(cfg, &o, argv + optind, (size_t)(argc - optind), &cases, &ncases))
		goto out;
	github = gt_env_true("GITHUB_ACTIONS");
	if (github) {
		/* What the traced programs print is not a workflow command. */
		gt_report_github_stop_token(&token);
		printf("::stop-commands::%s\n", token.s);
		fflush(stdout);
	}
	gt_interrupt_fence_writes(true);
	par = gt_check_jobs_start(cfg, cases, ncases, &o, args.jobs);
	size_t done = 0;
	gt_progress_start(ncases, o.verbosity >= 0);
	for (size_t i = 0; i < ncases && !gt_interrupted; i++) {
		gt_progress_case(i + 1, cases[i]->name);
		run_case(cfg, cases[i], &o, ci, &args.x, &rep, par, i);
		/* A case the signal cut short was not decided: dropped. */
		if (gt_interrupted) {
			gt_report_drop_last(&rep);
			break;
		}
		done++;
	}
	gt_progress_end();
	/* What was decided before a signal is reported (marked so). */
	gt_interrupt_fence_writes(false);
	rep.interrupted = gt_interrupted;
	rep.planned = ncases;
	rep.shard_i = o.shard_i;
	rep.shard_n = o.shard_n;
	if (github) {
		fflush(stderr);
		printf("::%s::\n", token.s);
	}
	rep.nobsolete = gt_obsolete_goldens(cfg, gt_wf_golden_dir(cfg, &o), &rep.obsolete);
	warn_leftovers(gt_wf_golden_dir(cfg, &o));
	rep.obsolete_fail = o.unref_fail;
	rep.seconds = (double)(gt_now_ns() - t0) / 1e9;

	if (github &&
	    gt_report_github(&rep, stdout, getenv("GITHUB_STEP_SUMMARY"), &err) != GT_OK)
		gt_die_msg("%s", err.msg);
	o.github = github;  /* the diffs went out once, folded: not again */
	status = gt_wf_report(&rep, &o);
	if (gt_interrupted) {
		fflush(stdout);
		gt_die_msg("interrupted by %s; %zu of %zu cases done, no file written after the "
			   "signal", gt_signal_name(gt_interrupted), done, ncases);
		gt_interrupt_reported = true;
	}
out:
	fflush(stdout);
	gt_parallel_free(par);
	gt_buf_free(&token);
	free(cases);
	gt_report_free(&rep);
	gt_config_free(cfg);
	free(args.x.root);
	return status;
}
